import type { RelationOptions } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';

/** The node's `sql_header` (dbt's `config.get('sql_header')`), trimmed; '' when it has none. */
export function sqlHeaderOf(node: Pick<ManifestNode, 'config'>): string {
  const header = node.config.sql_header;
  return typeof header === 'string' ? header.trim() : '';
}

/**
 * Options that carry only the node's `sql_header`, for a work table built from the node's query: as dbt's
 * create_table_as, which puts the header before every table it creates, temporary ones included.
 */
export function headerOptions(node: Pick<ManifestNode, 'config'>): RelationOptions {
  const header = sqlHeaderOf(node);
  return header ? { config: { sql_header: header } } : {};
}

/** A query of the node's SQL (a column probe) with its header first, as dbt's get_column_schema_from_query. */
export function withSqlHeader(node: Pick<ManifestNode, 'config'>, query: string): string {
  const header = sqlHeaderOf(node);
  return header ? `${header}\n${query}` : query;
}
