/**
 * A table's partitioning as BigQuery keeps it (time-unit or integer range, its column, whether queries
 * must filter on it) read from a resolved CREATE, and the two rules BigQuery's engine enforces with it:
 * `create or replace` keeps the partitioning and clustering spec, and a table with
 * `require_partition_filter` is never scanned without a filter on its partition column.
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

/** Every table scan in a resolved statement (a MERGE's, UPDATE's or DELETE's target too), with its columns. */
function scans(node: unknown, out: { table: string; columns: { id: string; name: string }[] }[] = []): typeof out {
  if (Array.isArray(node)) for (const n of node) scans(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (o.table && typeof o.table === 'object' && 'full_name' in o.table && attr(o, 'column_list')) {
      out.push({ table: String(o.table.full_name || o.table.name), columns: (attr(o, 'column_list') as { column_id: string; name: string }[]).map((c) => ({ id: String(c.column_id), name: c.name })) });
    }
    for (const v of Object.values(o)) scans(v, out);
  }
  return out;
}

/** A resolved node's body (and the base-class parts it chains through `parent`) without `key`. */
function withoutKey(body: any, key: string): any {
  if (!body || typeof body !== 'object') return body;
  const copy = { ...body };
  delete copy[key];
  if (copy.parent) copy.parent = withoutKey(copy.parent, key);
  return copy;
}

const FILTERS = new Set(['filter_expr', 'join_expr', 'merge_expr', 'match_expr', 'where_expr']);

/**
 * Column ids that stand for another column: a WITH reference's columns for its query's, a select list's
 * plain column (`d`, `d as day`) for the one it names — so a filter through a CTE or a subquery counts.
 */
function columnAliases(root: unknown): (id: string) => string {
  const alias = new Map<string, string>();
  const entries = new Map<string, string[]>();
  const refs: { name: string; ids: string[] }[] = [];
  const ids = (list: unknown): string[] => ((list ?? []) as { column_id: string }[]).map((c) => String(c.column_id));
  const seen = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(seen);
    const o = x as Record<string, any>;
    if (typeof o.with_query_name === 'string' && o.with_subquery) entries.set(o.with_query_name, ids(attr(leaf(o.with_subquery)?.body, 'column_list')));
    else if (typeof o.with_query_name === 'string') refs.push({ name: o.with_query_name, ids: ids(attr(o, 'column_list')) });
    if (o.column?.column_id !== undefined && o.expr) {
      const n = leaf(o.expr);
      if (n?.kind === 'resolved_column_ref_node') alias.set(String(o.column.column_id), String(n.body.column.column_id));
    }
    for (const v of Object.values(o)) seen(v);
  };
  seen(root);
  for (const r of refs) (entries.get(r.name) ?? []).forEach((id, i) => r.ids[i] !== undefined && alias.set(r.ids[i]!, id));
  return (id) => {
    for (let k = 0; k < 64 && alias.has(id) && alias.get(id) !== id; k++) id = alias.get(id)!;
    return id;
  };
}

/** Every column id a node references. */
function columnIds(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) columnIds(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (o.column && typeof o.column === 'object' && o.column.column_id !== undefined) out.add(String(o.column.column_id));
    for (const v of Object.values(o)) columnIds(v, out);
  }
  return out;
}

/**
 * A filter's conjuncts: its operands of top-level AND, each as the set of column ids it references, except an
 * OR, kept as its disjuncts' conjuncts (it prunes when each of its branches does).
 */
type Conjunct = Set<string> | { or: Conjunct[][] };

function conjuncts(filter: unknown, out: Conjunct[] = []): Conjunct[] {
  const n = leaf(filter);
  const fn = n ? attr(n.body, 'function')?.name : undefined;
  const args = (n ? attr(n.body, 'argument_list') ?? [] : []) as unknown[];
  if (fn === 'ZetaSQL:$and') for (const a of args) conjuncts(a, out);
  else if (fn === 'ZetaSQL:$or') out.push({ or: args.map((a) => conjuncts(a)) });
  else out.push(columnIds(filter));
  return out;
}

/**
 * The conjuncts of the statement's filters: WHERE, JOIN … ON, MERGE … ON and its WHEN conditions, UPDATE's
 * and DELETE's WHERE.
 */
function filterConjuncts(node: unknown, out: Conjunct[] = []): Conjunct[] {
  if (Array.isArray(node)) for (const n of node) filterConjuncts(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (FILTERS.has(k)) conjuncts(v, out);
      filterConjuncts(v, out);
    }
  }
  return out;
}

/**
 * BigQuery's refusal of a statement that scans a table with `require_partition_filter` without a filter
 * on its partition column that can be used for partition elimination (`tableOf`: the stored table a scan's
 * full name resolves to). The rule here: some conjunct of a filter (an operand of its top-level ANDs)
 * names the partition column and no other column, or is an OR each of whose branches has such a conjunct:
 * `d >= '2026-01-01'`, `date(ts) = @day`, `d in unnest(v)`,
 * dbt's `(d is null or d is not null)` count; `d = '2026-01-01' or f = 'a'` (documented not to), a join's or
 * MERGE's `t.d = s.d` and `d > other_column` do not.
 */
export function partitionFilterRefusal(node: ResolvedNode, tableOf: (name: string) => PartitionedTable | undefined): string | undefined {
  // Creating a view scans nothing (a query of the view does); a CTAS scans its query's tables.
  if (/^resolved_create_/.test(node.kind) && !/create_table_as_select/.test(node.kind)) return undefined;
  // An INSERT's target is written, not read (its `table_scan`): only its query's scans need the filter.
  const body = node.kind === 'resolved_insert_stmt_node' ? withoutKey(node.body, 'table_scan') : node.body;
  let filters: Conjunct[] | undefined;
  let source: ((id: string) => string) | undefined;
  for (const scan of scans(body)) {
    const t = tableOf(scan.table);
    if (!t?.requirePartitionFilter || !t.partitioning) continue;
    const field = t.partitioning.field.toLowerCase();
    filters ??= filterConjuncts(body);
    source ??= columnAliases(body);
    const ids = new Set(scan.columns.filter((c) => c.name.toLowerCase() === field).map((c) => c.id));
    const qualifies = (c: Conjunct): boolean => (c instanceof Set ? c.size > 0 && [...c].every((id) => ids.has(source!(id))) : c.or.every((branch) => branch.some(qualifies)));
    if (!filters.some(qualifies)) return `Cannot query over table '${scan.table}' without a filter over column(s) '${t.partitioning.field}' that can be used for partition elimination`;
  }
  return undefined;
}
