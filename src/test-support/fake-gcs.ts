/** The loopback GCS server now lives in src/adapters/bigquery/local/ (it also backs `strata bigquery-local`). */
export { startLocalGcs as startFakeGcs, type LocalGcs as FakeGcs } from '../adapters/bigquery/local/local-gcs-server.js';
