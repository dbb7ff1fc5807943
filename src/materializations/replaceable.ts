import type { Connection, Relation, TableLayout } from '../adapters/contract.js';
import { partitionSpecOf } from '../adapters/partition-spec.js';
import type { ManifestNode } from '../parse/types.js';
import type { RelationLookup } from './types.js';

/** The layout a model's `partition_by` and `cluster_by` ask for, as the warehouse reports one. */
function wantedLayout(config: Record<string, unknown>): TableLayout {
  let spec;
  try {
    spec = partitionSpecOf(config.partition_by);
  } catch {
    spec = undefined; // a malformed partition_by is reported by the build itself
  }
  const partition = spec ? (spec.range ? { field: spec.field, range: spec.range } : { field: spec.field, granularity: spec.granularity }) : undefined;
  const cluster = config.cluster_by === undefined || config.cluster_by === null ? [] : Array.isArray(config.cluster_by) ? config.cluster_by.map(String) : [String(config.cluster_by)];
  return { ...(partition ? { partition } : {}), clusterBy: cluster };
}

/** Partitioning and clustering as one comparable text (names as BigQuery compares them: case-insensitive). */
function layoutKey(l: TableLayout): string {
  const p = l.partition;
  const part = !p ? 'none' : p.range ? `range(${p.field},${p.range.start},${p.range.end},${p.range.interval})` : `${p.granularity ?? 'day'}(${p.field})`;
  return `${part} clustering(${l.clusterBy.join(',')})`.toLowerCase();
}

/**
 * Whether the existing table can be replaced in place with the model's layout. BigQuery refuses a
 * `create or replace` that changes a table's partitioning or clustering (dbt-bigquery's
 * `adapter.is_replaceable`); such a table is then built aside and swapped in. True where the warehouse has
 * no such rule, or nothing is there to replace.
 */
export async function replaceableInPlace(connection: Connection, node: ManifestNode, relation: Relation, relations: RelationLookup): Promise<boolean> {
  if (!connection.tableLayout || (await relations.get(relation))?.kind !== 'table') return true;
  const layout = await connection.tableLayout(relation);
  return !layout || layoutKey(layout) === layoutKey(wantedLayout(node.config));
}
