import type { Diagnostic } from '../diagnostics/index.js';

/**
 * The project file's `query-comment`, as dbt reads it: absent, dbt's default comment; `null` or `''`, none;
 * a string, the comment's Jinja; a mapping, `comment` (the Jinja; absent: the default), `append` and
 * `job-label`. The Jinja is kept as written: it renders at run time, once per node.
 */
export interface QueryCommentConfig {
  /** The comment's Jinja; undefined: dbt's default comment; '': no comment. */
  comment?: string;
  /** After each statement rather than before it. */
  append: boolean;
  /** BigQuery: each job labelled from the comment. */
  jobLabel: boolean;
  /** The line of the key in the project file, for diagnostics. */
  line?: number;
}

const KEYS = new Set(['comment', 'append', 'job-label', 'job_label']);

/** Reads `query-comment`; a value of the wrong shape is an error at its line. */
export function readQueryComment(raw: unknown, file: string, lineOf: (path: string[]) => number | undefined): { config: QueryCommentConfig; diagnostics: Diagnostic[] } {
  const line = lineOf(['query-comment']);
  const at = (path: string[]): { file: string; line?: number } => {
    const found = lineOf(path) ?? line;
    return found ? { file, line: found } : { file };
  };
  const config: QueryCommentConfig = { append: false, jobLabel: false, ...(line ? { line } : {}) };
  if (raw === undefined) return { config, diagnostics: [] };
  if (raw === null || raw === '' || raw === false) return { config: { ...config, comment: '' }, diagnostics: [] };
  if (typeof raw === 'string') return { config: { ...config, comment: raw }, diagnostics: [] };
  const example = "query-comment:\n  comment: \"{{ query_comment(node) }}\"\n  append: true\n  job-label: true";
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { config, diagnostics: [{ code: 'project-invalid', severity: 'error', message: `query-comment must be a string (the comment's Jinja), null, or a mapping, not ${JSON.stringify(raw)}`, ...at(['query-comment']), hint: example }] };
  }
  const diagnostics: Diagnostic[] = [];
  const map = raw as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (!KEYS.has(key)) diagnostics.push({ code: 'project-invalid', severity: 'error', message: `query-comment has no setting '${key}'`, ...at(['query-comment', key]), hint: 'its settings are comment, append and job-label' });
  }
  const flag = (key: string): boolean => {
    const v = map[key];
    if (v === undefined || typeof v === 'boolean') return v === true;
    diagnostics.push({ code: 'project-invalid', severity: 'error', message: `query-comment.${key} must be true or false, not ${JSON.stringify(v)}`, ...at(['query-comment', key]), hint: example });
    return false;
  };
  const comment = map.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') {
    diagnostics.push({ code: 'project-invalid', severity: 'error', message: `query-comment.comment must be a string, not ${JSON.stringify(comment)}`, ...at(['query-comment', 'comment']), hint: example });
  }
  return {
    config: { ...config, ...(comment === undefined ? {} : { comment: typeof comment === 'string' ? comment : '' }), append: flag('append'), jobLabel: flag('job-label') || flag('job_label') },
    diagnostics,
  };
}
