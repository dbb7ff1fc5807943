/** Retries for object-store reads: transient failures only, exponential backoff with jitter. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** A network failure, a 5xx or throttling: worth another try once the SDK's own retries are spent. */
export function isTransient(e: unknown): boolean {
  const err = e as { code?: string | number; name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = err.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || status === 429 || err.$retryable) return true;
  // Google clients: ApiError.code is the HTTP status.
  if (typeof err.code === 'number' && (err.code >= 500 || err.code === 429)) return true;
  if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  return /socket hang up|ECONNRESET|ECONNREFUSED|premature close|aborted|Throttl|SlowDown/i.test(`${err.name ?? ''} ${err.message ?? ''}`) && err.name !== 'AbortError';
}

/**
 * Outer retries with exponential backoff (0.5 s, 1 s, 2 s, 4 s, 8 s, with jitter) over the SDK's own, so a
 * landing survives an object store that restarts or stalls for several seconds.
 */
export async function withRetries<T>(fn: () => Promise<T>, signal?: AbortSignal, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || signal?.aborted || !isTransient(e)) throw e;
      const delay = 500 * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
