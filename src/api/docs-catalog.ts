import type { ColumnDef, Connection, Relation } from '../adapters/contract.js';
import type { CatalogEntry } from '../artifacts/index.js';

/** A node or source whose relation the catalog describes, when the warehouse has it. */
export interface CatalogWanted {
  uniqueId: string;
  relation: Relation;
  source: boolean;
}

/**
 * catalog.json's entries: the relations of `wanted` that the warehouse has, with their columns. Read schema by
 * schema, as dbt's `get_catalog`: one listing of the schema's relations, then, where the warehouse can
 * (`Connection.getSchemaColumns`), one query for all their columns — a query per relation costs seconds on a
 * project of thousands of models. A source read in place (`external_location`) is described on its own.
 */
export async function readCatalog(connection: Connection, wanted: CatalogWanted[]): Promise<{ nodes: CatalogEntry[]; sources: CatalogEntry[] }> {
  const nodes: CatalogEntry[] = [];
  const sources: CatalogEntry[] = [];
  const bySchema = new Map<string, CatalogWanted[]>();
  for (const w of wanted) {
    const key = `${w.relation.database ?? ''}\u0000${w.relation.schema}`;
    if (!bySchema.has(key)) bySchema.set(key, []);
    bySchema.get(key)!.push(w);
  }
  for (const group of bySchema.values()) {
    const { schema, database } = group[0]!.relation;
    const present = new Map((await connection.listRelations(schema, database)).map((r) => [r.identifier.toLowerCase(), r]));
    const found = group.filter((w) => present.has(w.relation.identifier.toLowerCase()));
    const inSchema = found.some((w) => !w.relation.external) && connection.getSchemaColumns ? await connection.getSchemaColumns(schema, database) : undefined;
    for (const w of found) {
      const r = present.get(w.relation.identifier.toLowerCase())!;
      const columns: ColumnDef[] = (!w.relation.external && inSchema?.get(w.relation.identifier.toLowerCase())) || (await connection.getColumns(w.relation));
      // A warehouse with its own catalog statistics (BigQuery) describes each relation as its dbt adapter does.
      const details = connection.describeRelation ? await connection.describeRelation(w.relation) : undefined;
      const comment = details ? details.comment : r.comment;
      (w.source ? sources : nodes).push({ uniqueId: w.uniqueId, database: w.relation.database, schema: r.schema, identifier: r.identifier, kind: r.kind, ...(comment !== undefined ? { comment } : {}), columns, ...(details ? { type: details.type, stats: details.stats } : {}), ...(details?.columns ? { catalogColumns: details.columns } : {}) });
    }
  }
  return { nodes, sources };
}
