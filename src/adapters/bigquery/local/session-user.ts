/**
 * `session_user()` on the local BigQuery: the account a job runs as. BigQuery answers the caller's email;
 * this server has no accounts (any token works), so it answers the identity it was started with
 * (`LocalBigQueryOptions.sessionUser`, default {@link DEFAULT_SESSION_USER}). ZetaSQL's reference
 * evaluator, which runs INFORMATION_SCHEMA queries here, has no such function: the call is replaced by
 * that string literal before the query goes to it.
 */
import { significant, tokenize, wordOf } from './sql-tokens.js';

/** A BigQuery string literal (backslash escapes: BigQuery has no doubled quotes). */
const literal = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const DEFAULT_SESSION_USER = 'local-user@bigquery.local';

/** The SQL with each `session_user()` call (not inside a string, name or comment) replaced by `user` as a literal. */
export function withSessionUser(sql: string, user: string): string {
  const tokens = tokenize(sql);
  let out = '';
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (wordOf(tokens[i]) !== 'session_user') continue;
    const open = nextSignificant(tokens, i);
    const close = open === undefined ? undefined : nextSignificant(tokens, open);
    if (open === undefined || close === undefined || tokens[open]!.text !== '(' || tokens[close]!.text !== ')') continue;
    out += sql.slice(from, tokens[i]!.at) + literal(user);
    from = tokens[close]!.at! + 1;
    i = close;
  }
  return out + sql.slice(from);
}

function nextSignificant(tokens: ReturnType<typeof tokenize>, i: number): number | undefined {
  for (let j = i + 1; j < tokens.length; j++) if (significant(tokens[j]!)) return j;
  return undefined;
}
