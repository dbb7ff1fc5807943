/**
 * A table's partitioning as BigQuery keeps it (time-unit or integer range, its column, whether queries
 * must filter on it) read from a resolved CREATE, and the rule that `create or replace` keeps the
 * partitioning and clustering spec. The other rule, that a table with `require_partition_filter` is never
 * scanned without a filter on its partition column, is partition-filter.ts's.
 */
import { attr, leaf, type ResolvedNode } from './resolved-ast.js';

export interface TablePartitioning {
  field: string;
  /** Time-unit partitioning (tables.get `timePartitioning.type`). */
  type?: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR';
  /** Integer-range partitioning (tables.get `rangePartitioning.range`), as decimal strings. */
  range?: { start: string; end: string; interval: string };
}

/** What the rules need of a stored table. */
export interface PartitionedTable {
  partitioning?: TablePartitioning;
  clustering?: string[];
  requirePartitionFilter?: boolean;
}

/** ZetaSQL's DateTimestampPart enum values of the granularities BigQuery partitions by. */
const PARTS: Record<number, TablePartitioning['type']> = { 1: 'YEAR', 2: 'MONTH', 3: 'DAY', 7: 'HOUR' };

const columnName = (wrapper: unknown): string | undefined => {
  const n = leaf(wrapper);
  return n?.kind === 'resolved_column_ref_node' ? String(n.body.column?.name) : undefined;
};

const literal = (wrapper: unknown): Record<string, unknown> | undefined => (leaf(wrapper)?.kind === 'resolved_literal_node' ? leaf(wrapper)!.body.value?.value : undefined);

/** The partitioning a CREATE TABLE's PARTITION BY gives (the engine checks have already accepted its shape). */
export function partitioningOf(node: ResolvedNode): TablePartitioning | undefined {
  const expr = ((attr(node.body, 'partition_by_list') ?? []) as unknown[])[0];
  if (!expr) return undefined;
  const plain = columnName(expr);
  if (plain) return { field: plain, type: 'DAY' };
  const call = leaf(expr);
  const args = (attr(call?.body, 'argument_list') ?? []) as unknown[];
  const field = columnName(args[0]);
  if (!call || !field) return undefined;
  const fn = String(attr(call.body, 'function')?.name ?? '').replace(/^ZetaSQL:/, '').toLowerCase();
  if (fn === 'date') return { field, type: 'DAY' };
  if (fn === 'range_bucket') {
    const bounds = ((attr(leaf(args[1])?.body, 'argument_list') ?? []) as unknown[]).map((a) => String(literal(a)?.int64_value ?? ''));
    return { field, range: { start: bounds[0] ?? '', end: bounds[1] ?? '', interval: bounds[2] ?? '1' } };
  }
  const part = PARTS[Number(literal(args[1])?.enum_value)];
  return part ? { field, type: part } : undefined;
}

/** `options(require_partition_filter = true)` of a CREATE. */
export function requiresPartitionFilter(node: ResolvedNode): boolean {
  const opts = (attr(node.body, 'option_list') ?? []) as { name: string; value: unknown }[];
  return opts.some((o) => o.name.toLowerCase() === 'require_partition_filter' && literal(o.value)?.bool_value === true);
}

/** tables.get's `timePartitioning` / `rangePartitioning` and `requirePartitionFilter` of a stored table. */
export function partitioningResource(t: PartitionedTable & { partitioned?: boolean }): Record<string, unknown> {
  const p = t.partitioning;
  const filter = t.requirePartitionFilter ? { requirePartitionFilter: true } : {};
  if (!p) return t.partitioned ? { timePartitioning: { type: 'DAY' } } : {};
  if (p.range) return { rangePartitioning: { field: p.field, range: p.range }, ...filter };
  return { timePartitioning: { type: p.type, field: p.field }, ...filter };
}

/** The spec as BigQuery's message spells it: `interval(type:day,field:d) clustering(id)`, `none`. */
export function specText(t: PartitionedTable): string {
  const p = t.partitioning;
  const part = !p ? 'none' : p.range ? `range(type:integer,field:${p.field},start:${p.range.start},end:${p.range.end},interval:${p.range.interval})` : `interval(type:${p.type!.toLowerCase()},field:${p.field})`;
  return t.clustering?.length ? `${part} clustering(${t.clustering.join(',')})` : part;
}

/** BigQuery's refusal of a `create or replace table` whose partitioning or clustering differs from the table's. */
export function replaceRefusal(node: ResolvedNode, existing: PartitionedTable | undefined): string | undefined {
  if (!existing || attr(node.body, 'create_mode') !== 'CREATE_OR_REPLACE' || !/create_table(_as_select)?_stmt_node$/.test(node.kind)) return undefined;
  const clustering = ((attr(node.body, 'cluster_by_list') ?? []) as unknown[]).map(columnName).filter((c): c is string => !!c);
  const next = specText({ partitioning: partitioningOf(node), clustering });
  const before = specText(existing);
  if (next.toLowerCase() === before.toLowerCase()) return undefined;
  return `Cannot replace a table with a different partitioning spec. Instead, DROP the table, and then recreate it. New partitioning spec is ${next} and existing spec is ${before}`;
}
