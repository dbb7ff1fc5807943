import { reprString } from '../templating/python-values.js';

/** Python's `repr()` for the values dbt hashes into test ids (str, dict, list), so our ids equal dbt's. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  // Scalars as the strings dbt's hashable data holds.
  return reprString(String(value));
}

/** dbt's get_hashable_md: dict keys sorted, scalars stringified. */
export function hashable(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(hashable);
  if (data && typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(data).sort()) out[k] = hashable((data as Record<string, unknown>)[k]);
    return out;
  }
  return data === null || data === undefined ? 'None' : typeof data === 'boolean' ? (data ? 'True' : 'False') : String(data);
}
