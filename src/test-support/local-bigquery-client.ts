/**
 * Talking to the local BigQuery server over its REST API in tests, without a client library: a query
 * job (or dry run) and tables.get. Also: whether the analyzer can run on this platform (tests that need
 * it skip, with the reason printed, only where ZetaSQL ships no executable; in CI they must run).
 */
import { randomUUID } from 'node:crypto';
import { bigQueryOutput, bigQueryProfile } from './local-bigquery-project.js';

export interface JobAnswer {
  status: number;
  /** The job's errorResult (or the API error of a dry run). */
  error?: { reason: string; message: string };
  job?: any;
  rows?: { f: { v: unknown }[] }[];
  schema?: { name: string; type: string; mode?: string; fields?: unknown[] }[];
}

/** Runs a query job (or a dry run) and, for a job without error, reads its results. */
export async function query(endpoint: string, sql: string, options: { project?: string; dryRun?: boolean; parameters?: unknown[] } = {}): Promise<JobAnswer> {
  const project = options.project ?? 'p';
  const res = await fetch(`${endpoint}/bigquery/v2/projects/${project}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jobReference: { jobId: `t_${randomUUID()}`, location: 'EU' }, configuration: { ...(options.dryRun ? { dryRun: true } : {}), query: { query: sql, useLegacySql: false, ...(options.parameters ? { queryParameters: options.parameters } : {}) } } }),
  });
  const body = (await res.json()) as any;
  if (!res.ok) return { status: res.status, error: { reason: body.error.errors[0].reason, message: body.error.message } };
  if (body.status?.errorResult) return { status: res.status, error: body.status.errorResult, job: body };
  if (options.dryRun) return { status: res.status, job: body };
  const results = (await (await fetch(`${endpoint}/bigquery/v2/projects/${project}/queries/${body.jobReference.jobId}`)).json()) as any;
  return { status: res.status, job: body, rows: results.rows, schema: results.schema?.fields };
}

export async function getTable(endpoint: string, key: string): Promise<any> {
  const [p, d, t] = key.split('.');
  return (await fetch(`${endpoint}/bigquery/v2/projects/${p}/datasets/${d}/tables/${t}`)).json();
}

/** Non-empty on a platform ZetaSQL ships no analyzer for: the reason to print when skipping. */
export const analyzerPlatformGap = ['linux', 'darwin'].includes(process.platform) && ['x64', 'arm64'].includes(process.arch) ? '' : `BigQuery's analyzer (ZetaSQL) has no executable for ${process.platform}/${process.arch}: tests of the local BigQuery are skipped here`;
if (analyzerPlatformGap) console.warn(analyzerPlatformGap);

/** A REST cell as a plain value: TIMESTAMP (float seconds) as an ISO instant, arrays and records unwrapped. */
function plain(v: unknown, f: { type: string; mode?: string; fields?: unknown[] }): unknown {
  if (v === null || v === undefined) return null;
  if (f.mode === 'REPEATED') return (v as { v: unknown }[]).map((x) => plain(x.v, { ...f, mode: 'NULLABLE' }));
  if (f.type === 'RECORD') {
    const fields = (f.fields ?? []) as { name: string; type: string; mode?: string }[];
    return Object.fromEntries(fields.map((c, i) => [c.name, plain((v as { f: { v: unknown }[] }).f[i]!.v, c)]));
  }
  if (f.type === 'TIMESTAMP') return new Date(Number(v) * 1000).toISOString();
  return v;
}

/** A query's rows as records by column name (values as the REST API gives them, timestamps as ISO instants). */
export async function queryRows(endpoint: string, sql: string, options: Parameters<typeof query>[2] = {}): Promise<Record<string, unknown>[]> {
  const answer = await query(endpoint, sql, options);
  if (answer.error) throw new Error(`${answer.error.reason}: ${answer.error.message}`);
  const schema = answer.schema ?? [];
  return (answer.rows ?? []).map((r) => Object.fromEntries(schema.map((f, i) => [f.name, plain(r.f[i]!.v, f)])));
}

/** A query's rows as text, column by column (NULL as null): what value tests compare against BigQuery's answers. */
export async function queryRowsAsText(endpoint: string, sql: string): Promise<(string | null)[][]> {
  return (await queryRows(endpoint, sql)).map((r) => Object.values(r).map((v) => (v === null ? null : String(v))));
}

/** A `profiles.yml` whose `prod` output is the loopback BigQuery (and GCS, for landing through a staging bucket). */
export function loopbackBigQueryProfile(endpoints: { bigquery: string; gcs: string }, project = 'acme-test'): string {
  const gcs = { gcs_api_endpoint: endpoints.gcs, gcs_staging_bucket: 'acme-staging' };
  return bigQueryProfile('p', 'prod', bigQueryOutput('prod', { endpoint: endpoints.bigquery, project, dataset: 'shop', token: 'ya29.test-token', extra: gcs }));
}

/** A statement as the model wrote it: without the query comment Strata puts before each one (dbt's default). */
export function withoutQueryComment(sql: string): string {
  return sql.replace(/^\/\* [\s\S]*? \*\/\n/, '');
}

/** A job's query as the model wrote it (without the query comment). */
export function jobSql(job: any): string | undefined {
  const sql = job?.configuration?.query?.query as string | undefined;
  return sql === undefined ? undefined : withoutQueryComment(sql);
}
