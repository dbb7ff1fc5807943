/** Job resources as BigQuery's REST API returns them, for the local server's load jobs. */
import type { QueryResult } from './query-jobs.js';
import type { TableStore } from './table-store.js';
import type { DuckWarehouse } from './duckdb-warehouse.js';
import { loadFromUpload, loadFromUris, type ObjectSource } from './load-jobs.js';
import { CsvValueError } from './csv-values.js';

export interface JobRecord {
  /** What jobs.insert and jobs.get answer. */
  resource: any;
  /** A query job's result (rows for jobs.getQueryResults). */
  result?: QueryResult;
}

/** A load job from gs:// URIs: done at once, its error (if any) in the job's status. */
export async function loadFromUrisJob(project: string, location: string, body: any, objects: ObjectSource | undefined, store: TableStore, wh: DuckWarehouse): Promise<JobRecord> {
  const ref = body.jobReference ?? {};
  const cfg = body.configuration;
  const { error, rows } = await loadFromUris(cfg.load, objects, store, wh);
  return {
    resource: {
      kind: 'bigquery#job',
      id: `${project}:${location}.${ref.jobId}`,
      jobReference: { projectId: project, jobId: ref.jobId, location },
      configuration: cfg,
      status: error ? { state: 'DONE', errorResult: error, errors: [error] } : { state: 'DONE' },
      statistics: { load: { outputRows: String(rows) } },
    },
  };
}

/** A multipart upload load job (seeds). */
export async function loadFromUploadJob(project: string, meta: any, data: Buffer, store: TableStore, wh: DuckWarehouse): Promise<JobRecord> {
  const ref = meta.jobReference ?? {};
  let rows = 0;
  let error: { reason: string; message: string } | undefined;
  try {
    rows = await loadFromUpload(meta.configuration.load, data, store, wh);
  } catch (e) {
    // A value that does not parse fails the job (not the request: that would read as a transient failure).
    if (!(e instanceof CsvValueError)) throw e;
    error = { reason: e.reason, message: e.message };
  }
  return {
    resource: {
      kind: 'bigquery#job',
      id: `${project}:${ref.location ?? 'US'}.${ref.jobId}`,
      jobReference: { projectId: project, jobId: ref.jobId, location: ref.location ?? 'US' },
      configuration: meta.configuration,
      status: error ? { state: 'DONE', errorResult: error, errors: [error] } : { state: 'DONE' },
      statistics: { load: { outputRows: String(rows), inputFileBytes: String(data.length) } },
    },
  };
}
