/**
 * dbt's `api.Column` for the adapter at hand: `translate_type`, `string_type`, `numeric_type` and `create`,
 * as packages call them (`api.Column.translate_type('string')`). The labels are dbt's base Column's, with
 * dbt-bigquery's BigQueryColumn for BigQuery.
 */
const LABELS: Record<string, Record<string, string>> = {
  default: { STRING: 'TEXT', TIMESTAMP: 'TIMESTAMP', FLOAT: 'FLOAT', INTEGER: 'INT' },
  bigquery: { TEXT: 'STRING', FLOAT: 'FLOAT64', INTEGER: 'INT64' },
};

export function columnApi(adapterType: string): Record<string, unknown> {
  const labels = LABELS[adapterType] ?? LABELS.default!;
  const bigquery = adapterType === 'bigquery';
  return {
    translate_type: (dtype: unknown): string => labels[String(dtype).toUpperCase()] ?? String(dtype),
    string_type: (size?: unknown): string => (bigquery ? 'STRING' : `character varying(${String(size ?? 256)})`),
    numeric_type: (dtype: unknown, precision?: unknown, scale?: unknown): string =>
      precision === undefined || precision === null || scale === undefined || scale === null ? String(dtype) : `${String(dtype)}(${String(precision)},${String(scale)})`,
    create: (name: unknown, dataType: unknown): Record<string, unknown> => ({ name: String(name), column: String(name), data_type: String(dataType), dtype: String(dataType), quoted: bigquery ? `\`${String(name)}\`` : `"${String(name)}"` }),
  };
}
