import type { TargetConfig } from '../../project/types.js';
import { isLoopbackEndpoint, keyfileJsonProblem } from './bigquery-credential-checks.js';

export type BigQueryMethod = 'oauth' | 'service-account' | 'service-account-json' | 'oauth-secrets';
const METHODS: BigQueryMethod[] = ['oauth', 'service-account', 'service-account-json', 'oauth-secrets'];

/** A `type: bigquery` profile output, read once (dbt-bigquery's keys). */
export interface BigQuerySettings {
  project: string;
  dataset: string;
  location?: string;
  method: BigQueryMethod;
  keyfile?: string;
  keyfileJson?: Record<string, unknown>;
  /** oauth-secrets: a temporary access token, or a refresh token with client id/secret. */
  token?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUri?: string;
  impersonateServiceAccount?: string;
  jobTimeoutSeconds?: number;
  /** Extra attempts for a job that failed with a transient error (dbt's `job_retries`, default 1). */
  jobRetries: number;
  maximumBytesBilled?: number;
  priority: 'interactive' | 'batch';
  labels: Record<string, string>;
  gcsStagingBucket?: string;
  /** `https://bigquery.googleapis.com` unless set; `BIGQUERY_EMULATOR_HOST` is honoured. */
  apiEndpoint?: string;
  gcsApiEndpoint?: string;
  /** On-demand price used by the cost preview, USD per TiB processed (default 6.25). */
  pricePerTib: number;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

export function bigquerySettings(target: TargetConfig, env: NodeJS.ProcessEnv = process.env): BigQuerySettings {
  const s = target.settings;
  const keyfileJson = s.keyfile_json;
  const emulator = str(env.BIGQUERY_EMULATOR_HOST);
  return {
    project: String(target.database ?? s.project ?? ''),
    dataset: target.schema,
    location: str(s.location),
    method: (str(s.method) ?? 'oauth') as BigQueryMethod,
    keyfile: str(s.keyfile),
    keyfileJson: typeof keyfileJson === 'string' ? (JSON.parse(keyfileJson) as Record<string, unknown>) : (keyfileJson as Record<string, unknown> | undefined),
    token: str(s.token),
    refreshToken: str(s.refresh_token),
    clientId: str(s.client_id),
    clientSecret: str(s.client_secret),
    tokenUri: str(s.token_uri),
    impersonateServiceAccount: str(s.impersonate_service_account),
    jobTimeoutSeconds: num(s.job_timeout_seconds ?? s.timeout_seconds),
    jobRetries: num(s.job_retries) ?? 1,
    maximumBytesBilled: num(s.maximum_bytes_billed),
    priority: (str(s.priority) ?? 'interactive').toLowerCase() as 'interactive' | 'batch',
    labels: Object.fromEntries(Object.entries((s.labels as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)])),
    gcsStagingBucket: str(s.gcs_staging_bucket),
    apiEndpoint: str(s.api_endpoint) ?? (emulator ? (emulator.includes('://') ? emulator : `http://${emulator}`) : undefined),
    gcsApiEndpoint: str(s.gcs_api_endpoint),
    pricePerTib: num(s.price_per_tib) ?? 6.25,
  };
}

/** Problems with a bigquery output, as messages with the fix (no I/O). */
export function validateBigQueryTarget(target: TargetConfig): string[] {
  const s = target.settings;
  const out: string[] = [];
  const where = `output '${target.name}'`;
  if (!str(s.project) && !str(s.database)) out.push(`${where} (type: bigquery) needs project: the GCP project that runs the jobs`);
  if (!str(s.dataset) && !str(s.schema)) out.push(`${where} (type: bigquery) needs dataset: the default dataset models are built in`);
  const method = str(s.method) ?? 'oauth';
  if (!METHODS.includes(method as BigQueryMethod)) out.push(`${where}: method '${method}' is not one of ${METHODS.join(', ')}`);
  if (method === 'service-account' && !str(s.keyfile)) out.push(`${where}: method service-account needs keyfile: the path of a service account key file`);
  if (method === 'service-account-json') {
    const k = s.keyfile_json;
    if (!k) out.push(`${where}: method service-account-json needs keyfile_json: the key's JSON (best from env_var)`);
    else {
      let parsed: unknown;
      try {
        parsed = typeof k === 'string' ? JSON.parse(k) : k;
      } catch {
        out.push(`${where}: keyfile_json is not valid JSON`);
      }
      const problem = parsed && typeof parsed === 'object' ? keyfileJsonProblem(parsed as Record<string, unknown>, where) : undefined;
      if (problem) out.push(problem);
    }
  }
  // Impersonation mints its tokens at Google's IAM Credentials API, which api_endpoint does not redirect: with
  // a local BigQuery that would be a call off the machine at run time, so it is refused before anything opens.
  const endpoint = str(s.api_endpoint) ?? str(process.env.BIGQUERY_EMULATOR_HOST);
  if (str(s.impersonate_service_account) && endpoint && isLoopbackEndpoint(endpoint)) {
    out.push(`${where}: impersonate_service_account with a local api_endpoint (${endpoint}): impersonation asks Google's IAM Credentials API for a token, which a local endpoint does not serve; remove impersonate_service_account for this output`);
  }
  if (method === 'oauth-secrets' && !str(s.token) && !(str(s.refresh_token) && str(s.client_id) && str(s.client_secret))) {
    out.push(`${where}: method oauth-secrets needs token, or refresh_token with client_id and client_secret`);
  }
  const priority = str(s.priority);
  if (priority && !['interactive', 'batch'].includes(priority.toLowerCase())) out.push(`${where}: priority '${priority}' is not interactive or batch`);
  for (const key of ['job_timeout_seconds', 'job_retries', 'maximum_bytes_billed', 'price_per_tib']) {
    if (s[key] !== undefined && s[key] !== '' && !Number.isFinite(Number(s[key]))) out.push(`${where}: ${key} must be a number, got '${String(s[key])}'`);
  }
  if (s.labels !== undefined && (typeof s.labels !== 'object' || Array.isArray(s.labels))) out.push(`${where}: labels must be a mapping of key: value`);
  return out;
}
