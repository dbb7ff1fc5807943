/**
 * DuckDB's error for a statement, with the position it points at. DuckDB ends a message about a place in the
 * statement with an excerpt of that line and a caret (`\n\nLINE 8: where id = = 3\n<spaces>^`). The line is the
 * submitted statement's, which wraps the model in DDL: the node's error maps it back to the model's compiled SQL
 * and file (execute/warehouse-error.ts), so the excerpt, numbered for the wrapper, is left out there.
 * The message itself is DuckDB's unchanged (code that recognises an error by its text keeps working).
 */
export class DuckDBStatementError extends Error {
  /** 1-based position in `sql`; no column where DuckDB's caret cannot be trusted (see excerptPosition). */
  readonly line?: number;
  readonly column?: number;

  constructor(
    message: string,
    readonly sql: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    const at = excerptPosition(message, sql);
    if (at) {
      this.line = at.line;
      if (at.column !== undefined) this.column = at.column;
    }
  }

  /** The message for the node's output line. */
  describe(): string {
    return this.message;
  }

  /** The message without its excerpt, for when the position is printed in the model's terms instead. */
  brief(): string {
    return withoutExcerpt(this.message);
  }

  /**
   * The same error for `sql`, the statement without the first `lines` lines DuckDB was given (the query comment
   * a connection put before it): the excerpt's `LINE n` counted in the statement's own lines, as its author
   * reads them (a hook, a macro's `run_query`). Unchanged when the position lies in those lines.
   */
  withoutLeadingLines(lines: number, sql: string): DuckDBStatementError {
    const m = EXCERPT.exec(this.message);
    const line = m ? Number(m[1]) - lines : 0;
    if (!m || lines <= 0 || line < 1) return this;
    const label = (n: number | string): string => `LINE ${n}: `;
    const caret = ' '.repeat(Math.max(0, m[3]!.length - label(m[1]!).length + label(line).length));
    const message = this.message.replace(EXCERPT, `\n\n${label(line)}${m[2]}\n${caret}^`);
    return new DuckDBStatementError(message, sql, { cause: this.cause });
  }
}

const EXCERPT = /\n\nLINE (\d+): (.*)\n( *)\^\s*$/;

function withoutExcerpt(message: string): string {
  return message.replace(EXCERPT, '');
}

/**
 * The line and column the excerpt's caret points at. DuckDB shortens a long line to a window around the
 * position, marked with `...` at either end: the window's text is found in the statement's line to place it.
 * The caret counts display cells, not characters (a tab is none, a CJK character two), so on a line with a tab
 * or a character outside ASCII only the line is given.
 */
export function excerptPosition(message: string, sql: string): { line: number; column?: number } | undefined {
  const m = EXCERPT.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const shown = m[2]!;
  const caret = m[3]!.length - `LINE ${m[1]}: `.length;
  const text = sql.split('\n')[line - 1];
  if (text === undefined || caret < 0) return undefined;
  if (!/^[\x20-\x7e]*$/.test(text)) return { line };
  const lead = shown.startsWith('...') ? 3 : 0;
  const body = shown.slice(lead, shown.endsWith('...') && shown.length - 3 > lead ? -3 : undefined);
  const at = lead === 0 && text.startsWith(body) ? 0 : text.indexOf(body);
  if (at < 0) return undefined;
  return { line, column: at + (caret - lead) + 1 };
}

/** Runs a driver call; a DuckDB error from it becomes a DuckDBStatementError for `sql`. */
export async function positioned<T>(sql: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Error && !(e instanceof DuckDBStatementError) && EXCERPT.test(e.message)) throw new DuckDBStatementError(e.message, sql, { cause: e });
    throw e;
  }
}
