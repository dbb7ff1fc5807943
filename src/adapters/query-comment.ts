import type { Connection } from './contract.js';

/** How the statements of a connection carry the project's `query-comment`. */
export interface QueryCommentPlacement {
  /** After the statement (dbt's `append: true`), else before it. */
  append: boolean;
  /** `job-label: true`: a warehouse that labels its jobs (BigQuery) labels them from the comment. */
  jobLabel: boolean;
}

/**
 * dbt's placement of a query comment: `/* comment *\/` on a line before the statement, or with `append` on a
 * line after it, before its final `;`. An empty comment leaves the statement as it is.
 */
export function withQueryComment(sql: string, comment: string | undefined, append: boolean): string {
  const text = comment?.trim();
  if (!text) return sql;
  if (!append) return `/* ${text} */\n${sql}`;
  const body = sql.trimEnd();
  return body.endsWith(';') ? `${body.slice(0, -1)}\n/* ${text} */;` : `${body}\n/* ${text} */`;
}

/** An error that can number its position in the statement without lines put before it (DuckDB's `LINE n`). */
interface RenumberableError {
  withoutLeadingLines(lines: number, sql: string): unknown;
}

/** A warehouse's error about `sent` as its author's statement `sql` would give it: positions without the comment's lines. */
function withoutComment(e: unknown, sent: string, sql: string): unknown {
  if (sent === sql || !sent.endsWith(sql) || typeof (e as RenumberableError | null)?.withoutLeadingLines !== 'function') return e;
  return (e as RenumberableError).withoutLeadingLines(sent.slice(0, -sql.length).split('\n').length - 1, sql);
}

/** The methods that send a statement's text: each carries the comment. */
const COMMENTED = new Set<PropertyKey>(['execute', 'query', 'executeBound']);

/** A connection whose statements carry a comment, and the setter of the comment (a node's, as it runs). */
export interface CommentedConnection {
  connection: Connection;
  /** The comment of the statements that follow (rendered once per node); undefined: none. */
  setComment(comment: string | undefined): void;
}

/**
 * The one place a comment joins a statement: `execute`, `query` and `executeBound` of the returned connection
 * send it with the statement. The connection's own methods are called with the returned connection as `this` (methods
 * are not bound here), so what they run (a seed's load, introspection) carries the comment too, and a
 * wrapper around this one (the statement log) still sees their statements.
 */
export function commentConnection(connection: Connection, placement: QueryCommentPlacement, initial: string | undefined): CommentedConnection {
  let comment: string | undefined;
  const setComment = (text: string | undefined): void => {
    comment = text?.trim() || undefined;
    if (placement.jobLabel) connection.labelJobs?.(comment);
  };
  setComment(initial);
  const wrappers = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  const proxy = new Proxy(connection, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function' || !COMMENTED.has(key)) return value;
      const known = wrappers.get(key);
      if (known?.fn === value) return known.wrapper;
      const fn = value as (this: unknown, sql: string, ...rest: unknown[]) => Promise<unknown>;
      const wrapper = async function (this: unknown, sql: string, ...rest: unknown[]): Promise<unknown> {
        const sent = withQueryComment(sql, comment, placement.append);
        try {
          return await fn.call(this ?? target, sent, ...rest);
        } catch (e) {
          throw withoutComment(e, sent, sql);
        }
      };
      wrappers.set(key, { fn: value, wrapper });
      return wrapper;
    },
  });
  return { connection: proxy, setComment };
}
