import type { ExternalSpec } from '../parse/types.js';

/** The file format of a landed object: `external.format`, else guessed from the key's extension. */
export function formatOf(spec: ExternalSpec, key = ''): 'parquet' | 'csv' | 'json' | 'ndjson' {
  const f = String(spec.format ?? (key.endsWith('.csv') ? 'csv' : key.endsWith('.ndjson') ? 'ndjson' : key.endsWith('.json') ? 'json' : 'parquet')).toLowerCase();
  return f === 'csv' || f === 'json' || f === 'ndjson' ? f : 'parquet';
}

/** `partitions: hive` (or `true`): key=value folders become columns. */
export function isHivePartitioned(spec: ExternalSpec): boolean {
  return spec.partitions === 'hive' || (spec.partitions as unknown) === true;
}
