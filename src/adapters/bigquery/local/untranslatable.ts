/** What the local BigQuery cannot execute faithfully: the job says so instead of running something else. */
export class Untranslatable extends Error {}

/**
 * A runtime error BigQuery raises, as DuckDB SQL: `error()` with a prefix by which the job recognises
 * BigQuery's own message (`invalidQuery`), not a failure of the translation. `message` is SQL text.
 */
export const bigQueryError = (message: string): string => `error('${RUNTIME_PREFIX}' || ${message})`;
export const RUNTIME_PREFIX = 'bigquery-runtime: ';

/**
 * A value the local BigQuery cannot compute as BigQuery does, found at run time: as DuckDB SQL, `error()`
 * with a prefix by which the job ends `notImplemented`, naming the construct (never BigQuery's words).
 */
export const localLimit = (message: string): string => `error('${LOCAL_LIMIT_PREFIX}' || ${message})`;
export const LOCAL_LIMIT_PREFIX = 'local-bigquery-limit: ';
