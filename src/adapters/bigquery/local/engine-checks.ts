/**
 * Rules BigQuery's engine enforces on DDL that the analyzer accepts: the shape and type of the
 * PARTITION BY expression, at most four clustering columns of clusterable types, and options that
 * only tables take. Input: one resolved statement; output: BigQuery's message, or undefined.
 */
import { attr, leaf, type ResolvedNode } from './resolved-ast.js';
import type { TypeProto } from './bigquery-types.js';
import { standardTypeName } from './bigquery-types.js';

export const PARTITION_BY_MESSAGE =
  'PARTITION BY expression must be DATE(<timestamp_column>), DATE(<datetime_column>), DATETIME_TRUNC(<datetime_column>, DAY/HOUR/MONTH/YEAR), a DATE column, TIMESTAMP_TRUNC(<timestamp_column>, DAY/HOUR/MONTH/YEAR), DATE_TRUNC(<date_column>, MONTH/YEAR), or RANGE_BUCKET(<int64_column>, GENERATE_ARRAY(<int64_value>, <int64_value>[, <int64_value>]))';

const CLUSTERABLE = new Set(['TYPE_INT64', 'TYPE_STRING', 'TYPE_DATE', 'TYPE_TIMESTAMP', 'TYPE_DATETIME', 'TYPE_BOOL', 'TYPE_NUMERIC', 'TYPE_BIGNUMERIC', 'TYPE_GEOGRAPHY', 'TYPE_RANGE']);
/** Which column type each partitioning function takes as its first argument. */
const PARTITION_FUNCTIONS: Record<string, string[]> = {
  date: ['TYPE_TIMESTAMP', 'TYPE_DATETIME'],
  timestamp_trunc: ['TYPE_TIMESTAMP'],
  datetime_trunc: ['TYPE_DATETIME'],
  date_trunc: ['TYPE_DATE'],
  range_bucket: ['TYPE_INT64'],
};
const TABLE_ONLY_OPTIONS = new Set(['require_partition_filter', 'partition_expiration_days', 'kms_key_name']);

function columnType(expr: any): TypeProto | undefined {
  const n = leaf(expr);
  return n?.kind === 'resolved_column_ref_node' ? (n.body.column?.type as TypeProto) : undefined;
}

function validPartition(expr: any): boolean {
  const n = leaf(expr);
  if (!n) return false;
  if (n.kind === 'resolved_column_ref_node') return n.body.column?.type?.type_kind === 'TYPE_DATE';
  if (n.kind !== 'resolved_function_call_node') return false;
  const fn = String(attr(n.body, 'function')?.name ?? '').replace(/^ZetaSQL:/, '').toLowerCase();
  const args = (attr(n.body, 'argument_list') ?? []) as any[];
  const first = columnType(args[0]);
  if (!PARTITION_FUNCTIONS[fn] || !first || !PARTITION_FUNCTIONS[fn]!.includes(first.type_kind)) return false;
  if (fn === 'range_bucket') return String(attr(leaf(args[1])?.body, 'function')?.name ?? '').toLowerCase().endsWith('generate_array');
  return true;
}

/** BigQuery's engine rules for one resolved statement: a message when it would refuse it. */
export function engineCheck(node: ResolvedNode): string | undefined {
  const partitions = (attr(node.body, 'partition_by_list') ?? []) as any[];
  if (partitions.length > 1) return 'Only a single PARTITION BY expression is supported';
  if (partitions.length === 1 && !validPartition(partitions[0])) return PARTITION_BY_MESSAGE;
  const clusters = (attr(node.body, 'cluster_by_list') ?? []) as any[];
  if (clusters.length > 4) return `Too many clustering fields: ${clusters.length}, only up to 4 clustering fields are allowed`;
  for (const c of clusters) {
    const t = columnType(c);
    if (!t) return 'CLUSTER BY expression must be a column name';
    if (!CLUSTERABLE.has(t.type_kind)) return `Clustering is not supported on field ${leaf(c)?.body.column?.name} of type ${standardTypeName(t)}`;
  }
  if (/view_stmt_node$/.test(node.kind)) {
    for (const o of (attr(node.body, 'option_list') ?? []) as { name: string }[]) {
      if (TABLE_ONLY_OPTIONS.has(o.name.toLowerCase())) return `${o.name} is not a supported option for a view`;
    }
  }
  return undefined;
}
