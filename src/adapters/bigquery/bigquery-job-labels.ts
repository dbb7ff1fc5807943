/** BigQuery's limit on a label key's and value's length. */
const LABEL_LENGTH = 63;

/**
 * A text as a label key or value, as dbt-bigquery makes one: trimmed, lower-cased, each character other than
 * a-z, 0-9, `_` and `-` replaced by `_`, cut to 63 characters.
 */
export function sanitizeLabel(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, LABEL_LENGTH);
}

/** A JSON value as Python's `str()` writes it, which dbt-bigquery applies to each value before sanitizing. */
function pythonText(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * The labels of a job from its query comment (`job-label: true`), as dbt-bigquery gives them: a comment that
 * is a JSON object gives one label per key (dbt's default comment: `app`, `dbt_version`, `profile_name`,
 * `target_name`, `node_id`), any other comment a single `query_comment` label.
 */
export function labelsFromComment(comment: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment);
  } catch {
    return { query_comment: sanitizeLabel(comment) };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { query_comment: sanitizeLabel(comment) };
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [sanitizeLabel(k), sanitizeLabel(pythonText(v))]));
}

/**
 * The labels of a query job (a dry run's too), as dbt-bigquery's `raw_execute` gives them: the comment's (with
 * `job-label: true`), then `dbt_invocation_id`, the command's invocation, on every query job whatever the
 * query-comment. The profile's `labels` (Strata's own setting) win a clash with the comment's, not with the
 * invocation's. dbt-bigquery's load and copy jobs carry neither, so Strata's carry only the profile's.
 */
export function queryJobLabels(fromComment: Record<string, string>, profile: Record<string, string>, invocationId: string): Record<string, string> {
  return { ...fromComment, ...profile, dbt_invocation_id: invocationId };
}
