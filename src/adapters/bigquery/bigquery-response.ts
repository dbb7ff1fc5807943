/**
 * dbt-bigquery's adapter response to a query that returns rows (BigQueryConnectionManager.execute, a SELECT):
 * `_message` `SELECT (2.0 rows, 1.5 KiB processed)`, then code, rows, bytes, location, project, job and slot time.
 * What a test's `adapter_response` holds in run_results.json.
 */
export function selectResponse(metadata: Record<string, any>, rows: number): Record<string, unknown> {
  const q = metadata.statistics?.query ?? {};
  const processed = q.totalBytesProcessed ?? metadata.statistics?.totalBytesProcessed;
  const bytesProcessed = processed === undefined ? undefined : Number(processed);
  const billed = q.totalBytesBilled === undefined ? undefined : Number(q.totalBytesBilled);
  const slotMs = metadata.statistics?.totalSlotMs === undefined ? undefined : Number(metadata.statistics.totalSlotMs);
  const response: Record<string, unknown> = {
    _message: `SELECT (${formatRows(rows)} rows, ${formatBytes(bytesProcessed)} processed)`,
    code: 'SELECT',
    rows_affected: rows,
    bytes_processed: bytesProcessed,
    bytes_billed: billed,
    location: metadata.jobReference?.location,
    project_id: metadata.jobReference?.projectId,
    job_id: metadata.jobReference?.jobId,
    slot_ms: slotMs,
  };
  // As dbt's AdapterResponse.to_dict(omit_none=True).
  return Object.fromEntries(Object.entries(response).filter(([, v]) => v !== undefined && v !== null));
}

/** Python's `f"{n:3.1f}"`: one decimal, at least 3 characters wide. */
const oneDecimal = (n: number): string => n.toFixed(1).padStart(3);

/** dbt-bigquery's format_bytes: `1.5 KiB`; 0 (or unknown) as is. */
export function formatBytes(bytes: number | undefined): string {
  if (!bytes) return String(bytes ?? 'None');
  let n = bytes;
  const units = ['Bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  for (const unit of units) {
    if (Math.abs(n) < 1024) return `${oneDecimal(n)} ${unit}`;
    n /= 1024;
  }
  return `${oneDecimal(n * 1024)} PiB`;
}

/** dbt-bigquery's format_rows_number: `2.0`, `1.5k`, `3.0m`. */
export function formatRows(rows: number): string {
  let n = rows;
  for (const unit of ['', 'k', 'm', 'b', 't']) {
    if (Math.abs(n) < 1000) return `${oneDecimal(n)}${unit}`.trim();
    n /= 1000;
  }
  return `${oneDecimal(n * 1000)}t`.trim();
}
