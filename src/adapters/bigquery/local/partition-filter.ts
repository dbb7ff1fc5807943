/**
 * BigQuery's rule for a table with `require_partition_filter`: a statement that scans it needs a filter on
 * its partition column "that can be used for partition elimination" (querying-partitioned-tables). Read from
 * the resolved statement: the filters' conjuncts, and the columns each filtered column stands for through
 * CTEs, subqueries and set operations, where BigQuery pushes a filter down to the scan.
 */
import { attr, eachObject, leaf, type ResolvedNode } from './resolved-ast.js';
import type { PartitionedTable } from './partition-layout.js';

/** Every table scan in a resolved statement (a MERGE's, UPDATE's or DELETE's target too), with its columns. */
function scans(node: unknown, out: { table: string; node: object; columns: { id: string; name: string }[] }[] = []): typeof out {
  if (Array.isArray(node)) for (const n of node) scans(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (o.table && typeof o.table === 'object' && 'full_name' in o.table && attr(o, 'column_list')) {
      out.push({ table: String(o.table.full_name || o.table.name), node: o, columns: (attr(o, 'column_list') as { column_id: string; name: string }[]).map((c) => ({ id: String(c.column_id), name: c.name })) });
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
const UNIONS = new Set(['UNION_ALL', 'UNION_DISTINCT']);

/** The WITH references of a statement, in order, by name. */
function withReferences(root: unknown, out: string[] = []): string[] {
  if (Array.isArray(root)) for (const n of root) withReferences(n, out);
  else if (root && typeof root === 'object') {
    const o = root as Record<string, any>;
    if (typeof o.with_query_name === 'string' && !o.with_subquery) out.push(o.with_query_name);
    for (const v of Object.values(o)) withReferences(v, out);
  }
  return out;
}

/**
 * Where a filter can count for a scan: the input of the innermost window (analytic scan) above it, else the
 * whole statement. A filter above a window changes what the window sees only if it is on the window's
 * PARTITION BY; BigQuery documents no push-down through one, so none is assumed.
 */
function filterScope(root: unknown, scan: object): unknown {
  let found: unknown;
  const walk = (x: unknown, scope: unknown): void => {
    if (found !== undefined || !x || typeof x !== 'object') return;
    if (x === scan) {
      found = scope;
      return;
    }
    if (Array.isArray(x)) return x.forEach((v) => walk(v, scope));
    const o = x as Record<string, any>;
    const analytic = o.resolved_analytic_scan_node;
    for (const v of Object.values(o)) walk(v, analytic && v === analytic ? analytic.input_scan ?? scope : scope);
  };
  walk(root, root);
  return found ?? root;
}

/**
 * The columns a column id stands for, as BigQuery pushes a filter down to the scans: a WITH reference's
 * columns for its query's, a select list's plain column (`d`, `d as day`, or a cast of it to its own type,
 * as dbt_utils.union_relations writes) for the one it names, and a set operation's column for the column at
 * its position in each input (`… union all …`: a filter on its result is a filter on each branch) — so a
 * filter through a CTE, a subquery or a union counts. Not through INTERSECT or EXCEPT: BigQuery documents no
 * push-down there, and a query accepted here and refused there would fail on deploy day. `skip`: WITH
 * references (by their order in the statement) left unlinked.
 */
function columnSources(root: unknown, skip = new Set<number>()): (id: string) => Set<string> {
  const alias = new Map<string, string[]>();
  const link = (from: string, to: string): void => void alias.set(from, [...(alias.get(from) ?? []), to]);
  const entries = new Map<string, string[]>();
  const refs: { name: string; ids: string[] }[] = [];
  const ids = (list: unknown): string[] => ((list ?? []) as { column_id: string }[]).map((c) => String(c.column_id));
  eachObject(root, (o) => {
    if (typeof o.with_query_name === 'string' && o.with_subquery) entries.set(o.with_query_name, ids(attr(leaf(o.with_subquery)?.body, 'column_list')));
    else if (typeof o.with_query_name === 'string') refs.push({ name: o.with_query_name, ids: ids(attr(o, 'column_list')) });
    if (o.column?.column_id !== undefined && o.expr) {
      const named = plainColumn(o.expr);
      if (named !== undefined) link(String(o.column.column_id), named);
    }
    if (UNIONS.has(o.op_type) && Array.isArray(o.input_item_list)) {
      const out = ids(attr(o, 'column_list'));
      for (const item of o.input_item_list as { output_column_list?: unknown }[]) ids(item.output_column_list).forEach((id, i) => out[i] !== undefined && link(out[i]!, id));
    }
  });
  refs.forEach((r, k) => !skip.has(k) && (entries.get(r.name) ?? []).forEach((id, i) => r.ids[i] !== undefined && link(r.ids[i]!, id)));
  return (id) => {
    const found = new Set<string>();
    const visit = new Set<string>();
    const walk = (c: string): void => {
      if (visit.has(c)) return;
      visit.add(c);
      const next = alias.get(c);
      if (next) next.forEach(walk);
      else found.add(c);
    };
    walk(id);
    return found;
  };
}

/** The column an expression is, written plainly or cast to its own type; undefined for any other expression. */
function plainColumn(wrapper: unknown): string | undefined {
  const n = leaf(wrapper);
  if (n?.kind === 'resolved_column_ref_node') return String(n.body.column.column_id);
  if (n?.kind !== 'resolved_cast_node') return undefined;
  const inner = leaf(n.body.expr);
  const same = inner?.kind === 'resolved_column_ref_node' && JSON.stringify(attr(n.body, 'type')) === JSON.stringify(attr(inner.body, 'type'));
  return same ? String(inner!.body.column.column_id) : undefined;
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
  let linkings: ((id: string) => Set<string>)[] | undefined;
  for (const scan of scans(body)) {
    const t = tableOf(scan.table);
    if (!t?.requirePartitionFilter || !t.partitioning) continue;
    const field = t.partitioning.field.toLowerCase();
    const filters = filterConjuncts(filterScope(body, scan.node));
    linkings ??= referenceLinkings(body);
    const ids = new Set(scan.columns.filter((c) => c.name.toLowerCase() === field).map((c) => c.id));
    // Through each reference of a CTE read more than once (BigQuery inlines each), some conjunct stands for this scan's partition column.
    const filtered = linkings.every((sources) => {
      const onField = (id: string): boolean => [...sources(id)].some((s) => ids.has(s));
      const qualifies = (c: Conjunct): boolean => (c instanceof Set ? c.size > 0 && [...c].every(onField) : c.or.every((branch) => branch.some(qualifies)));
      return filters.some(qualifies);
    });
    if (!filtered) return `Cannot query over table '${scan.table}' without a filter over column(s) '${t.partitioning.field}' that can be used for partition elimination`;
  }
  return undefined;
}

/**
 * The column linkings to check a scan's filter through: all references linked; and for a CTE read more than
 * once, one linking per reference with its other references unlinked (a filter on one of them does not filter
 * the scan another one inlines).
 */
function referenceLinkings(body: unknown): ((id: string) => Set<string>)[] {
  const refs = withReferences(body);
  const out = [columnSources(body)];
  refs.forEach((name, k) => {
    const others = refs.map((n, j) => (n === name && j !== k ? j : -1)).filter((j) => j >= 0);
    if (others.length) out.push(columnSources(body, new Set(others)));
  });
  return out;
}
