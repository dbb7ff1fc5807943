/**
 * A loopback HTTP server speaking the part of BigQuery's REST API (v2) Strata uses — jobs.insert (query,
 * dry run, load from GCS, multipart upload), jobs.get, jobs.getQueryResults, datasets.get and .patch (its access
 * list), tables.get and
 * tables.list — for the real @google-cloud/bigquery client. Every query job goes through BigQuery's
 * analyzer (query-gate.ts); what it creates is kept with the analyzer's column types. Used by the tests
 * and by `strata bigquery-local`. It records every request and can inject 5xx answers, including "the job
 * was created but the answer was lost".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { patchTableSchema } from './table-patch.js';
import { acquireZetaSql, type ZetaSql } from './zetasql-service.js';
import { analyzerSettings, type AnalyzerSettings } from './analyzer-options.js';
import { TableStore, type StoredTable } from './table-store.js';
import { partitioningResource } from './partition-layout.js';
import { runQueryJob, type QueryAnswer } from './query-jobs.js';
import { loadFromUploadJob, loadFromUrisJob, type JobRecord } from './job-records.js';
import { multipart, type ObjectSource } from './load-jobs.js';
import { DuckWarehouse } from './duckdb-warehouse.js';
import { tableRows } from './execute-job.js';
import { cellValue, restRows } from './rest-values.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  pathname: string;
  path: string;
  body?: any;
  authorization?: string;
}

export interface LocalBigQuery {
  endpoint: string;
  requests: RecordedRequest[];
  /** Job resources in insertion order (dry runs excluded). */
  jobs: any[];
  tables: Map<string, StoredTable>;
  datasets: Set<string>;
  /** Answer the next n jobs.insert calls with an error (default 503 backendError). */
  failInserts(n: number, status?: number, reason?: string, message?: string): void;
  /** Create the next n jobs, then answer 503 as if the response was lost. */
  loseInsertResponses(n: number): void;
  /** Rows for a SELECT the analyzer accepted, instead of the rows its execution gives. */
  answer?: (sql: string) => QueryAnswer | undefined;
  close(): Promise<void>;
}

export interface LocalBigQueryOptions {
  /** Where load jobs read gs:// URIs (the local GCS server). */
  gcs?: ObjectSource;
  port?: number;
  host?: string;
  /** Keep the catalog in this folder across restarts. */
  dataDir?: string;
  /** The location jobs report when the client names none. */
  location?: string;
  /** What `session_user()` answers: the account jobs run as (default `local-user@bigquery.local`). */
  sessionUser?: string;
}

type Send = (status: number, body: unknown) => void;

function apiError(send: Send, status: number, reason: string, message: string): void {
  send(status, { error: { code: status, message, errors: [{ reason, message, domain: 'global' }], status: reason } });
}

/** Starts the server (and the analyzer, once per process); `close()` stops both. */
export async function startLocalBigQuery(options: LocalBigQueryOptions = {}): Promise<LocalBigQuery> {
  const zs = await acquireZetaSql();
  const settings = analyzerSettings(zs);
  const store = new TableStore(options.dataDir);
  const wh = await DuckWarehouse.open(options.dataDir);
  const state = { failing: 0, failure: { status: 503, reason: 'backendError', message: 'Backend error (injected by the test server)' }, losing: 0 };
  const jobById = new Map<string, JobRecord>();
  const api = { requests: [] as RecordedRequest[], jobs: [] as any[], tables: store.tables, datasets: store.datasets } as LocalBigQuery;
  const ctx: RouteContext = { zs, settings, store, wh, jobById, api, state, options };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send: Send = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      route(ctx, req, Buffer.concat(chunks), send).catch((e: Error) => apiError(send, 500, 'internalError', `local BigQuery server: ${e.message}`));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
  } catch (e) {
    await zs.release();
    await wh.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  Object.assign(api, {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    failInserts: (n: number, status = 503, reason = 'backendError', message = 'Backend error (injected by the test server)') => {
      state.failing = n;
      state.failure = { status, reason, message };
    },
    loseInsertResponses: (n: number) => (state.losing = n),
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await zs.release();
      await wh.exclusive(() => wh.close());
    },
  });
  return api;
}

interface RouteContext {
  zs: ZetaSql;
  settings: AnalyzerSettings;
  store: TableStore;
  wh: DuckWarehouse;
  jobById: Map<string, JobRecord>;
  api: LocalBigQuery;
  state: { failing: number; failure: { status: number; reason: string; message: string }; losing: number };
  options: LocalBigQueryOptions;
}

async function route(ctx: RouteContext, req: http.IncomingMessage, raw: Buffer, send: Send): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const ctype = String(req.headers['content-type'] ?? '');
  const body = ctype.includes('json') && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
  ctx.api.requests.push({ method: req.method ?? 'GET', pathname: url.pathname, path: url.pathname + url.search, body, authorization: req.headers.authorization });
  const path = url.pathname.replace(/^\/bigquery\/v2/, '');
  const dec = (s: string): string => decodeURIComponent(s);
  let m: RegExpExecArray | null;
  if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(path)) && req.method === 'POST') return insertJob(ctx, dec(m[1]!), body, send);
  if ((m = /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(url.pathname)) && req.method === 'POST') {
    const { meta, data } = multipart(raw, ctype);
    const ref = meta.jobReference ?? {};
    if (ctx.jobById.has(ref.jobId)) return apiError(send, 409, 'duplicate', `Already Exists: Job ${dec(m[1]!)}:${ref.location ?? 'US'}.${ref.jobId}`);
    return send(200, remember(ctx, await loadFromUploadJob(dec(m[1]!), meta, data, ctx.store, ctx.wh)));
  }
  if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path)) && req.method === 'GET') {
    const job = ctx.jobById.get(dec(m[2]!));
    return job ? send(200, job.resource) : apiError(send, 404, 'notFound', `Not found: Job ${m[2]}`);
  }
  if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path)) && req.method === 'GET') return queryResults(ctx, dec(m[2]!), url, send);
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)\/data$/.exec(path)) && req.method === 'GET') return tableData(ctx, [m[1]!, m[2]!, m[3]!].map(dec).join('.'), url, send);
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && req.method === 'GET') {
    const [p, d, t] = [m[1]!, m[2]!, m[3]!].map(dec);
    const table = ctx.store.tables.get(`${p}.${d}.${t}`);
    if (!table) return apiError(send, 404, 'notFound', `Not found: Table ${p}:${d}.${t}`);
    return send(200, {
      kind: 'bigquery#table', id: `${p}:${d}.${t}`, tableReference: { projectId: p, datasetId: d, tableId: t }, type: table.type, schema: { fields: table.fields },
      numRows: String(table.numRows), numBytes: String(table.numBytes),
      ...(table.options ?? {}), ...partitioningResource(table), ...(table.clustering ? { clustering: { fields: table.clustering } } : {}),
    });
  }
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && (req.method === 'PATCH' || req.method === 'PUT') && body?.schema) {
    const [p, d, t] = [m[1]!, m[2]!, m[3]!].map(dec);
    if (!ctx.store.tables.has(`${p}.${d}.${t}`)) return apiError(send, 404, 'notFound', `Not found: Table ${p}:${d}.${t}`);
    const refused = await patchTableSchema(ctx.store, ctx.wh, `${p}.${d}.${t}`, body.schema.fields ?? []);
    if (refused) return apiError(send, refused.status, refused.reason, refused.message);
    const table = ctx.store.tables.get(`${p}.${d}.${t}`)!;
    return send(200, { kind: 'bigquery#table', id: `${p}:${d}.${t}`, tableReference: { projectId: p, datasetId: d, tableId: t }, type: table.type, schema: { fields: table.fields }, numRows: String(table.numRows), numBytes: String(table.numBytes) });
  }
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/.exec(path)) && req.method === 'GET') {
    const [p, d] = [m[1]!, m[2]!].map(dec) as [string, string];
    if (!ctx.store.hasDataset(p, d)) return apiError(send, 404, 'notFound', `Not found: Dataset ${p}:${d}`);
    const list = [...ctx.store.tables.entries()].filter(([k]) => k.startsWith(`${p}.${d}.`)).map(([k, v]) => ({ kind: 'bigquery#table', id: `${p}:${d}.${k.split('.')[2]}`, tableReference: { projectId: p, datasetId: d, tableId: k.split('.')[2] }, type: v.type }));
    return send(200, { kind: 'bigquery#tableList', tables: list, totalItems: list.length });
  }
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path)) && req.method === 'GET') {
    const n = `${dec(m[1]!)}.${dec(m[2]!)}`;
    if (!ctx.store.datasets.has(n)) return apiError(send, 404, 'notFound', `Not found: Dataset ${n}`);
    return send(200, { kind: 'bigquery#dataset', datasetReference: { projectId: m[1], datasetId: m[2] }, access: ctx.store.access.get(n) ?? [] });
  }
  // datasets.patch of the access list (authorized views: `grant_access_to`); other dataset fields are not kept.
  if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path)) && (req.method === 'PATCH' || req.method === 'PUT') && Array.isArray(body?.access)) {
    const n = `${dec(m[1]!)}.${dec(m[2]!)}`;
    if (!ctx.store.datasets.has(n)) return apiError(send, 404, 'notFound', `Not found: Dataset ${n}`);
    ctx.store.access.set(n, body.access);
    ctx.store.save();
    return send(200, { kind: 'bigquery#dataset', datasetReference: { projectId: m[1], datasetId: m[2] }, access: body.access });
  }
  apiError(send, 501, 'notImplemented', `the local BigQuery server does not implement ${req.method} ${url.pathname}`);
}

function remember(ctx: RouteContext, job: JobRecord): any {
  ctx.api.jobs.push(job.resource);
  ctx.jobById.set(job.resource.jobReference.jobId, job);
  return job.resource;
}

async function insertJob(ctx: RouteContext, project: string, body: any, send: Send): Promise<void> {
  if (ctx.state.failing > 0) {
    ctx.state.failing--;
    return apiError(send, ctx.state.failure.status, ctx.state.failure.reason, ctx.state.failure.message);
  }
  const ref = body.jobReference ?? {};
  const cfg = body.configuration ?? {};
  const location = ref.location ?? ctx.options.location ?? 'US';
  if (cfg.dryRun) {
    const out = await runQueryJob(ctx.zs, ctx.settings, ctx.store, ctx.wh, { project, location, sql: cfg.query?.query ?? '', dryRun: true, parameters: cfg.query?.queryParameters });
    if (out.error) return apiError(send, out.error.status, out.error.reason, out.error.message);
    return send(200, { kind: 'bigquery#job', jobReference: { projectId: project, location: ref.location }, configuration: cfg, status: { state: 'DONE' }, statistics: out.stats });
  }
  if (ctx.jobById.has(ref.jobId)) return apiError(send, 409, 'duplicate', `Already Exists: Job ${project}:${location}.${ref.jobId}`);
  if (cfg.load?.sourceUris) return send(200, remember(ctx, await loadFromUrisJob(project, location, body, ctx.options.gcs, ctx.store, ctx.wh)));
  const now = String(Date.now());
  const out = await runQueryJob(ctx.zs, ctx.settings, ctx.store, ctx.wh, { project, location, sql: cfg.query?.query ?? '', dryRun: false, parameters: cfg.query?.queryParameters, answer: ctx.api.answer, objects: ctx.options.gcs, sessionUser: ctx.options.sessionUser });
  const resource = {
    kind: 'bigquery#job',
    id: `${project}:${location}.${ref.jobId}`,
    jobReference: { projectId: project, jobId: ref.jobId, location },
    configuration: cfg,
    status: out.error ? { state: 'DONE', errorResult: { reason: out.error.reason, message: out.error.message, location: 'query' }, errors: [{ reason: out.error.reason, message: out.error.message, location: 'query' }] } : { state: 'DONE' },
    statistics: { creationTime: now, startTime: now, endTime: String(Date.now()), totalSlotMs: '42', ...(out.stats ?? {}) },
  };
  remember(ctx, { resource, result: out.result });
  if (ctx.state.losing > 0) {
    ctx.state.losing--;
    return apiError(send, 503, 'backendError', 'Backend error after the job was created (injected)');
  }
  send(200, resource);
}

function queryResults(ctx: RouteContext, jobId: string, url: URL, send: Send): void {
  const job = ctx.jobById.get(jobId);
  if (!job) return apiError(send, 404, 'notFound', `Not found: Job ${jobId}`);
  const err = job.resource.status.errorResult;
  if (err) return apiError(send, 400, err.reason, err.message);
  const r = job.result ?? { fields: [], rows: [] };
  const wantRows = url.searchParams.get('maxResults') !== '0';
  const int64 = url.searchParams.get('formatOptions.useInt64Timestamp') === 'true';
  const cell = (v: unknown): unknown => cellValue(v, int64);
  send(200, {
    kind: 'bigquery#getQueryResultsResponse',
    jobReference: job.resource.jobReference,
    jobComplete: true,
    schema: { fields: r.fields },
    totalRows: String(r.rows.length),
    ...(wantRows ? { rows: r.rows.map((row) => ({ f: r.fields.map((_, i) => ({ v: cell(row[i]) })) })) } : {}),
    ...(job.resource.statistics.query?.numDmlAffectedRows ? { numDmlAffectedRows: job.resource.statistics.query.numDmlAffectedRows } : {}),
  });
}

/** tabledata.list: a stored table's rows (all of them: the tables here are small). */
async function tableData(ctx: RouteContext, key: string, url: URL, send: Send): Promise<void> {
  const table = ctx.store.tables.get(key);
  if (!table) return apiError(send, 404, 'notFound', `Not found: Table ${key}`);
  const rows = restRows(await ctx.wh.exclusive(() => tableRows(ctx.wh, key)), table.fields);
  const int64 = url.searchParams.get('formatOptions.useInt64Timestamp') === 'true';
  send(200, { kind: 'bigquery#tableDataList', totalRows: String(rows.length), rows: rows.map((r) => ({ f: table.fields.map((_, i) => ({ v: cellValue(r[i], int64) })) })) });
}
