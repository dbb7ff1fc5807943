/**
 * What a CREATE statement's OPTIONS(…) and PARTITION BY say of the table, read from the resolved AST, in
 * the shape `tables.get` answers with (description, labels, timePartitioning or rangePartitioning,
 * requirePartitionFilter, expirationTime), so persist_docs, labels and partitioning can be checked offline.
 */
import { attr, leaf } from './resolved-ast.js';

export interface TableOptions {
  description?: string;
  labels?: Record<string, string>;
  requirePartitionFilter?: boolean;
  /** Milliseconds since the epoch, as a string (REST). */
  expirationTime?: string;
  timePartitioning?: { type: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'; field: string };
  rangePartitioning?: { field: string; range: { start: string; end: string; interval: string } };
}

/** ZetaSQL's DateTimestampPart enum values a `timestamp_add(current_timestamp(), interval n <part>)` may carry. */
const PART_MS: Record<number, number> = { 7: 3_600_000, 8: 60_000, 9: 1000, 3: 86_400_000 };

function literal(wrapper: any): any {
  const n = leaf(wrapper);
  if (n?.kind !== 'resolved_literal_node') return undefined;
  return valueOf(n.body.value?.value);
}

function valueOf(v: any): any {
  if (!v || typeof v.value !== 'string') return undefined;
  const x = v[v.value];
  if (v.value === 'array_value') return (x?.element ?? []).map(valueOf);
  if (v.value === 'struct_value') return (x?.field ?? []).map(valueOf);
  if (v.value === 'int64_value') return Number(x);
  return x;
}

function functionCall(wrapper: any): { name: string; args: any[] } | undefined {
  const n = leaf(wrapper);
  if (n?.kind !== 'resolved_function_call_node') return undefined;
  return { name: String(attr(n.body, 'function')?.name ?? '').replace(/^ZetaSQL:/, ''), args: (attr(n.body, 'argument_list') ?? []) as any[] };
}

function columnName(wrapper: any): string | undefined {
  const n = leaf(wrapper);
  return n?.kind === 'resolved_column_ref_node' ? String(n.body.column?.name) : undefined;
}

/** `timestamp_add(current_timestamp(), interval n hour)` as an instant; other expressions are not evaluated. */
function expiration(wrapper: any, now: number): string | undefined {
  const call = functionCall(wrapper);
  if (call?.name !== 'timestamp_add' || functionCall(call.args[0])?.name !== 'current_timestamp') return undefined;
  const amount = literal(call.args[1]);
  const unit = PART_MS[Number(literal(call.args[2]))];
  return typeof amount === 'number' && unit ? String(now + amount * unit) : undefined;
}

const GRAINS: Record<number, 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'> = { 7: 'HOUR', 3: 'DAY', 2: 'MONTH', 1: 'YEAR' };

/** PARTITION BY: a column (DAY), `*_trunc(column, grain)`, or `range_bucket(column, generate_array(s, e, i))`. */
function partitioning(list: any[]): Pick<TableOptions, 'timePartitioning' | 'rangePartitioning'> {
  const expr = list[0];
  if (!expr) return {};
  const column = columnName(expr);
  if (column) return { timePartitioning: { type: 'DAY', field: column } };
  const call = functionCall(expr);
  if (!call) return {};
  const field = columnName(call.args[0]);
  if (!field) return {};
  if (call.name === 'range_bucket') {
    const bounds = functionCall(call.args[1]);
    const [start, end, interval] = (bounds?.args ?? []).map((a) => String(literal(a)));
    return start && end && interval ? { rangePartitioning: { field, range: { start, end, interval } } } : {};
  }
  const grain = GRAINS[Number(literal(call.args[1]))];
  return { timePartitioning: { type: grain ?? 'DAY', field } };
}

/** The table options a CREATE statement sets. */
export function tableOptions(body: any, now = Date.now()): TableOptions {
  const out: TableOptions = {};
  for (const o of (attr(body, 'option_list') ?? []) as { name: string; value: any }[]) {
    const name = String(o.name).toLowerCase();
    if (name === 'description') out.description = String(literal(o.value) ?? '');
    else if (name === 'labels') out.labels = Object.fromEntries(((literal(o.value) ?? []) as [string, string][]).map(([k, v]) => [k, v]));
    else if (name === 'require_partition_filter') out.requirePartitionFilter = literal(o.value) === true;
    else if (name === 'expiration_timestamp') {
      const at = expiration(o.value, now);
      if (at) out.expirationTime = at;
    }
  }
  return { ...out, ...partitioning((attr(body, 'partition_by_list') ?? []) as any[]) };
}

/** `alter table|view … alter column c set options(description = …)`: the column and its new description. */
export function columnOptionChanges(body: any): { column: string; description: string }[] {
  const out: { column: string; description: string }[] = [];
  for (const a of (attr(body, 'alter_action_list') ?? []) as any[]) {
    const action = leaf(a);
    if (action?.kind !== 'resolved_alter_column_options_action_node') continue;
    const description = ((action.body.option_list ?? []) as { name: string; value: any }[]).find((o) => String(o.name).toLowerCase() === 'description');
    if (description) out.push({ column: String(attr(action.body, 'column')), description: String(literal(description.value) ?? '') });
  }
  return out;
}
