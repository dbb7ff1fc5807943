import { init, parse, ParserError } from '@guanmingchiu/sqlparser-ts';
import type { LineageDialect } from './types.js';

/** A statement of sqlparser-rs's AST, as JSON. Read through the helpers in ast.ts. */
export type Statement = Record<string, unknown>;

export type ParseOutcome = { ok: true; statements: Statement[] } | { ok: false; message: string; line?: number };

let ready: Promise<void> | undefined;

/** Loads the parser's WebAssembly module once per process (~30 ms). */
export function loadSqlParser(): Promise<void> {
  ready ??= init();
  return ready;
}

/** Parses SQL with sqlparser-rs's DuckDB or BigQuery dialect. Call `loadSqlParser()` first. */
export function parseSql(sql: string, dialect: LineageDialect): ParseOutcome {
  try {
    return { ok: true, statements: parse(sql, dialect as Parameters<typeof parse>[1]) as unknown as Statement[] };
  } catch (e) {
    if (!(e instanceof ParserError)) throw e;
    const line = e.location?.line ?? /Line: (\d+)/.exec(e.message)?.[1];
    return { ok: false, message: e.message.replace(/^sql parser error: /i, ''), ...(line !== undefined ? { line: Number(line) } : {}) };
  }
}
