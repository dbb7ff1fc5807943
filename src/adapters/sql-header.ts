import type { RelationOptions } from './contract.js';

/**
 * dbt's `sql_header` config (`{% call set_sql_header(config) %}`): statements run before the node's
 * `create`, in the same script, as dbt's create_table_as and create_view_as put them (a `set`, a
 * `create temp function` the query calls). '' when the node has none.
 */
export function sqlHeaderPrefix(options: RelationOptions): string {
  const header = options.config?.sql_header;
  return typeof header === 'string' && header.trim() ? `${header.trim()}\n` : '';
}
