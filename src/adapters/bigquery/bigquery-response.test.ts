/** dbt-bigquery's format_bytes / format_rows_number, as the `_message` of a query's adapter response shows them. */
import { describe, it, expect } from 'vitest';
import { formatBytes, formatRows, selectResponse } from './bigquery-response.js';

describe("dbt-bigquery's numbers in a response's message", () => {
  it.each([
    [0, '0'], [512, '512.0 Bytes'], [1536, '1.5 KiB'], [10 * 1024 ** 3, '10.0 GiB'],
  ])('format_bytes(%s) is %s', (n, text) => expect(formatBytes(n)).toBe(text));
  it.each([
    [2, '2.0'], [1500, '1.5k'], [3_000_000, '3.0m'],
  ])('format_rows_number(%s) is %s', (n, text) => expect(formatRows(n)).toBe(text));
});

describe('selectResponse', () => {
  it("is dbt-bigquery's SELECT response, its unknown fields left out", () => {
    const metadata = { jobReference: { jobId: 'j1', projectId: 'acme-data', location: 'EU' }, statistics: { totalSlotMs: '40', query: { totalBytesProcessed: '2048', totalBytesBilled: '10485760' } } };
    expect(selectResponse(metadata, 3)).toEqual({ _message: 'SELECT (3.0 rows, 2.0 KiB processed)', code: 'SELECT', rows_affected: 3, bytes_processed: 2048, bytes_billed: 10485760, location: 'EU', project_id: 'acme-data', job_id: 'j1', slot_ms: 40 });
    expect(selectResponse({}, 0)).toEqual({ _message: 'SELECT (0.0 rows, None processed)', code: 'SELECT', rows_affected: 0 });
  });
});
