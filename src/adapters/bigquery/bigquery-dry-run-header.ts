/**
 * What a dry run of a node with a `sql_header` sends to BigQuery. A request of `create temp function`
 * statements followed by one query is not a multi-statement query (BigQuery's documented exception): its dry
 * run estimates the query, which may call the functions. Any other statement makes the request a script,
 * whose dry run stops at its first DDL statement (a `create temp function` is one), so the query would go
 * unestimated: those statements are left out of the estimate, and named.
 */
export interface DryRunWithHeader {
  /** The header's temp functions, then the query. */
  sql: string;
  /** The header's other statements (a `set`, a `declare`), as written, left out of the estimate. */
  leftOut: string[];
}

export function dryRunWithHeader(query: string, header: string): DryRunWithHeader {
  const statements = splitStatements(header);
  const functions = statements.filter(isTempFunction);
  const leftOut = statements.filter((s) => !isTempFunction(s));
  return { sql: functions.length ? `${functions.map((f) => `${f};`).join('\n')}\n${query}` : query, leftOut };
}

/** `create [or replace] temp[orary] function`, after any leading comments. */
function isTempFunction(statement: string): boolean {
  return /^create\s+(or\s+replace\s+)?temp(orary)?\s+function\b/i.test(withoutLeadingComments(statement));
}

function withoutLeadingComments(sql: string): string {
  let s = sql.trimStart();
  for (;;) {
    if (s.startsWith('--') || s.startsWith('#')) s = s.slice(s.indexOf('\n') < 0 ? s.length : s.indexOf('\n') + 1).trimStart();
    else if (s.startsWith('/*')) s = s.slice(s.indexOf('*/') < 0 ? s.length : s.indexOf('*/') + 2).trimStart();
    else return s;
  }
}

/**
 * A script's statements, split at the semicolons outside strings (`'…'`, `"…"`, triple-quoted), quoted
 * identifiers and comments (`--`, `#`, `/* *\/`); each trimmed, empty ones dropped.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if ((c === '-' && sql[i + 1] === '-') || c === '#') i = endOf(sql, '\n', i);
    else if (c === '/' && sql[i + 1] === '*') i = endOf(sql, '*/', i + 2);
    else if (c === "'" || c === '"' || c === '`') i = endOfQuoted(sql, i);
    else {
      if (c === ';') {
        out.push(sql.slice(start, i));
        start = i + 1;
      }
      i++;
    }
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** The index after `close`, searched from `from` (the end of the text when it is missing). */
function endOf(sql: string, close: string, from: number): number {
  const at = sql.indexOf(close, from);
  return at < 0 ? sql.length : at + close.length;
}

/** The index after the quoted text opened at `i` (a backslash escapes the next character). */
function endOfQuoted(sql: string, i: number): number {
  const q = sql[i]!;
  const close = q !== '`' && sql.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
  for (let j = i + close.length; j < sql.length; j++) {
    if (sql[j] === '\\') j++;
    else if (sql.startsWith(close, j)) return j + close.length;
  }
  return sql.length;
}
