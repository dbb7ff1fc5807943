import type { CatalogStat, ColumnDef, RelationKind } from '../adapters/contract.js';
import { DBT_COMPAT_VERSION, type ArtifactMetadata } from './types.js';
import { STRATA_VERSION } from './version.js';
import { metadataEnv } from './metadata-env.js';

export const CATALOG_SCHEMA = 'https://schemas.getdbt.com/dbt/catalog/v1.json';

/** What the warehouse says of one node's or source's relation. */
export interface CatalogEntry {
  uniqueId: string;
  database?: string;
  schema: string;
  identifier: string;
  kind: RelationKind;
  /** The relation's comment (dbt's `metadata.comment`). */
  comment?: string;
  columns: ColumnDef[];
  /** The columns catalog.json lists, where the warehouse's dbt catalog lists more (BigQuery's nested `parent.child` fields); else `columns`. */
  catalogColumns?: ColumnDef[];
  /** Table rows and bytes where the warehouse keeps them (BigQuery). */
  rows?: number;
  bytes?: number;
  /** `metadata.type` as the warehouse's dbt adapter names it (dbt-bigquery: `table`, `view`); else BASE TABLE / VIEW / EXTERNAL. */
  type?: string;
  /** The warehouse's own catalog statistics (BigQuery's), instead of rows and bytes. */
  stats?: CatalogStat[];
}

/** dbt's stat entries (`has_stats`, `num_rows`, `num_bytes`). */
function statsJson(e: CatalogEntry): Record<string, unknown> {
  const stat = (id: string, label: string, value: unknown, description: string, include = true): Record<string, unknown> => ({ id, label, value, include, description });
  const stats: Record<string, unknown> = {};
  for (const s of e.stats ?? []) stats[s.id] = { id: s.id, label: s.label, value: s.value, include: s.include, description: s.description };
  if (e.rows !== undefined) stats.num_rows = stat('num_rows', '# Rows', e.rows, 'Approximate count of rows in this table');
  if (e.bytes !== undefined) stats.num_bytes = stat('num_bytes', 'Approximate Size', e.bytes, 'Approximate size of table as reported by the warehouse');
  const has = e.stats ? e.stats.some((s) => s.include) : Object.keys(stats).length > 0;
  stats.has_stats = stat('has_stats', 'Has Stats?', has, 'Indicates whether there are statistics for this table', false);
  return stats;
}

function entryJson(e: CatalogEntry): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  (e.catalogColumns ?? e.columns).forEach((c, i) => {
    columns[c.name] = { type: c.dataType, index: i + 1, name: c.name, comment: c.description ?? null };
  });
  return {
    metadata: { type: e.type ?? (e.kind === 'view' ? 'VIEW' : e.kind === 'external' ? 'EXTERNAL' : 'BASE TABLE'), schema: e.schema, name: e.identifier, database: e.database ?? null, comment: e.comment ?? null, owner: null },
    columns,
    stats: statsJson(e),
    unique_id: e.uniqueId,
  };
}

/** `catalog.json` (dbt's catalog v1): the columns and types of every built node and source, as the warehouse has them. */
export function catalogArtifact(input: { invocationId: string; nodes: CatalogEntry[]; sources: CatalogEntry[]; errors?: string[]; env?: Record<string, string | undefined> }): Record<string, unknown> {
  const metadata: ArtifactMetadata = { dbt_schema_version: CATALOG_SCHEMA, dbt_version: DBT_COMPAT_VERSION, strata_version: STRATA_VERSION, generated_at: new Date().toISOString(), invocation_id: input.invocationId, env: metadataEnv(input.env) };
  return {
    metadata,
    nodes: Object.fromEntries(input.nodes.map((e) => [e.uniqueId, entryJson(e)])),
    sources: Object.fromEntries(input.sources.map((e) => [e.uniqueId, entryJson(e)])),
    errors: input.errors?.length ? input.errors : null,
  };
}
