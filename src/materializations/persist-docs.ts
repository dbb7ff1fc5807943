import type { ColumnDef, Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';

/** What `persist_docs` asks of a node's relation once it is built. */
export interface PersistDocsInput {
  node: ManifestNode;
  relation: Relation;
  kind: RelationKind;
  dialect: Dialect;
  connection: Connection;
  /** Where the warning about documented columns the relation lacks goes (the node's log). */
  log?: (message: string) => void;
}

/**
 * dbt's `persist_docs`: the node's description as its relation's comment (`relation: true`, where the dialect
 * does not set it at creation) and its documented columns' descriptions on its columns (`columns: true`).
 * A documented column the relation lacks is warned about and left out, as dbt's `validate_doc_columns` does:
 * a `quote: true` column must match the name exactly, another matches it in any case.
 */
export async function persistDocs(input: PersistDocsInput): Promise<void> {
  const { node, relation, kind, dialect, connection } = input;
  const docs = (node.config.persist_docs ?? {}) as { relation?: unknown; columns?: unknown };
  if (isOn(docs.relation) && node.description && dialect.relationComment) await connection.execute(dialect.relationComment(relation, kind, node.description));
  const documented = Object.values(node.columns ?? {});
  if (!isOn(docs.columns) || !documented.length || !dialect.columnDescriptions) return;
  const existing = (await connection.getColumns(relation)).map((c) => c.name);
  const { present, missing } = matchColumns(documented, existing);
  if (missing.length) input.log?.(`warning: In relation ${dialect.renderRelation(relation)}: The following columns are specified in the schema but are not present in the database: ${missing.join(', ')}`);
  for (const statement of dialect.columnDescriptions(relation, present, kind)) await connection.execute(statement);
}

/** A flag as written, or as a Jinja value renders it (`"{{ target.type == 'duckdb' }}"` → `'True'`). */
const isOn = (v: unknown): boolean => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

/** Documented columns by the relation's own spelling of their names, and the names of those it lacks. */
export function matchColumns(documented: { name: string; description: string; quote?: boolean }[], existing: string[]): { present: ColumnDef[]; missing: string[] } {
  const present: ColumnDef[] = [];
  const missing: string[] = [];
  for (const c of documented) {
    const name = c.quote ? existing.find((e) => e === c.name) : existing.find((e) => e.toLowerCase() === c.name.toLowerCase());
    if (name === undefined) missing.push(c.name);
    else present.push({ name, dataType: '', description: c.description });
  }
  return { present, missing };
}
