/** BigQuery failures, sorted into what a retry can fix and what needs the user, each with a one-line fix. */

export type ErrorKind = 'transient' | 'quota' | 'budget' | 'permission' | 'not-found' | 'invalid' | 'other';

const TRANSIENT_REASONS = new Set(['backendError', 'rateLimitExceeded', 'internalError', 'jobBackendError', 'jobInternalError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

interface ApiErrorLike {
  code?: number | string;
  message?: string;
  reason?: string;
  errors?: { reason?: string; message?: string; location?: string }[];
  response?: { status?: { errorResult?: { reason?: string; message?: string } } };
}

function reasonOf(e: ApiErrorLike): string | undefined {
  return e.reason ?? e.errors?.[0]?.reason ?? e.response?.status?.errorResult?.reason;
}

export function classify(e: unknown): ErrorKind {
  const err = (e ?? {}) as ApiErrorLike;
  const reason = reasonOf(err);
  if (reason && TRANSIENT_REASONS.has(reason)) return 'transient';
  if (reason === 'quotaExceeded') return 'quota';
  if (reason === 'bytesBilledLimitExceeded') return 'budget';
  if (reason === 'accessDenied' || reason === 'forbidden' || err.code === 403) return 'permission';
  if (reason === 'notFound' || err.code === 404) return 'not-found';
  if (reason === 'invalidQuery' || reason === 'invalid') return 'invalid';
  if (typeof err.code === 'number' && (err.code >= 500 || err.code === 429)) return 'transient';
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return 'transient';
  return 'other';
}

const HINTS: Record<ErrorKind, string | undefined> = {
  transient: 'BigQuery had a transient failure and the retries ran out; rerun, or raise job_retries in the profile',
  quota: 'a BigQuery quota was exceeded; wait and rerun, lower threads in the profile, or raise the quota in the Google Cloud console',
  budget: "the job would bill more than maximum_bytes_billed; narrow the query (partition filters), or raise maximum_bytes_billed / --max-bytes",
  permission: 'the credentials lack a permission; grant roles/bigquery.jobUser on the project and roles/bigquery.dataEditor on the dataset to the account in the profile',
  'not-found': 'check project, dataset and location in the profile, and that upstream models were built',
  invalid: undefined,
  other: undefined,
};

/** A job or API failure: one line for the user, the kind for retry decisions, the SQL position when BigQuery gave one. */
export class BigQueryJobError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;
  /** 1-based position in the submitted statement, from BigQuery's `[line:column]`. */
  readonly line?: number;
  readonly column?: number;

  constructor(
    errorResult: { reason?: string; message?: string },
    readonly sql: string,
    readonly jobId: string,
    kind?: ErrorKind,
  ) {
    const message = (errorResult.message ?? 'BigQuery job failed').split('\n')[0]!;
    super(message);
    this.name = 'BigQueryJobError';
    this.kind = kind ?? classify({ reason: errorResult.reason });
    // A seed that writes `null` for a missing value: BigQuery's CSV load reads only an empty field as NULL.
    this.hint = HINTS[this.kind] ?? (/Could not parse 'null' as /.test(message) ? 'a CSV load reads only an empty field as NULL: leave the field empty instead of writing null' : undefined);
    const at = /\[(\d+):(\d+)\]/.exec(message);
    if (at) {
      this.line = Number(at[1]);
      this.column = Number(at[2]);
    }
  }

  static from(e: unknown, sql: string, jobId: string): BigQueryJobError {
    if (e instanceof BigQueryJobError) return e;
    const err = (e ?? {}) as ApiErrorLike;
    const first = err.errors?.[0];
    return new BigQueryJobError({ reason: reasonOf(err), message: first?.message ?? err.message ?? String(e) }, sql, jobId, classify(e));
  }

  /** The message with the hint, for the node's output line. */
  describe(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** Exponential backoff with jitter: ~1 s, 2 s, 4 s… capped at 30 s. */
export function sleepBackoff(attempt: number, baseMs = Number(process.env.STRATA_BQ_BACKOFF_MS ?? 1000)): Promise<void> {
  const ms = Math.min(30_000, baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
  return new Promise((r) => setTimeout(r, ms));
}
