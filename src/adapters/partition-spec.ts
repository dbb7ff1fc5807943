import type { PartitionSpec } from './contract.js';

const TYPES = ['date', 'timestamp', 'datetime', 'int64'] as const;
const GRANULARITIES = ['hour', 'day', 'month', 'year'] as const;

/**
 * `partition_by` as dbt-bigquery takes it — `{field, data_type, granularity}` or, for integer range
 * partitioning, `{field, data_type: 'int64', range: {start, end, interval}}` — normalised, or undefined
 * when unset. Throws a message naming the fix when it is malformed.
 */
export function partitionSpecOf(value: unknown): PartitionSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`partition_by must be a mapping like {field: created_at, data_type: timestamp, granularity: day}`);
  const v = value as Record<string, unknown>;
  if (!v.field) throw new Error('partition_by needs a field');
  const dataType = String(v.data_type ?? 'date').toLowerCase();
  if (!(TYPES as readonly string[]).includes(dataType)) throw new Error(`partition_by.data_type '${dataType}' is not one of ${TYPES.join(', ')}`);
  const granularity = String(v.granularity ?? 'day').toLowerCase();
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) throw new Error(`partition_by.granularity '${granularity}' is not one of ${GRANULARITIES.join(', ')}`);
  const spec: PartitionSpec = { field: String(v.field), dataType: dataType as PartitionSpec['dataType'], granularity: granularity as PartitionSpec['granularity'] };
  if (dataType === 'int64') {
    const r = v.range as Record<string, unknown> | undefined;
    if (!r || r.start === undefined || r.end === undefined || r.interval === undefined) throw new Error('partition_by with data_type int64 needs range: {start, end, interval}');
    spec.range = { start: Number(r.start), end: Number(r.end), interval: Number(r.interval) };
  }
  return spec;
}
