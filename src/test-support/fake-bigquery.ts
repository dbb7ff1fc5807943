/**
 * The loopback BigQuery server now lives in src/adapters/bigquery/local/ (it also backs `strata bigquery-local`):
 * every query job goes through BigQuery's analyzer. These names stay for tests written against them.
 */
export { startLocalBigQuery as startFakeBigQuery, type LocalBigQuery as FakeBigQuery, type RecordedRequest } from '../adapters/bigquery/local/local-bigquery-server.js';
export type { StoredTable as FakeTable } from '../adapters/bigquery/local/table-store.js';
