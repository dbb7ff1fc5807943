/**
 * The analyzer's refusals as BigQuery words them in a job's error: `msg at [line:col]` in the job's SQL
 * (moved by a snippet's start), a missing table as `notFound`.
 */
import type { GateContext } from './query-gate.js';
import { canonicalName } from './analyzer-catalog.js';

export interface GateError {
  reason: 'invalidQuery' | 'notFound' | 'notImplemented';
  message: string;
}

export const detailsOf = (e: unknown): string => String((e as { details?: string }).details ?? e);

/** `msg [at 3:8]` (ZetaSQL) → BigQuery's `msg at [3:8]`, optionally moved by a snippet's start position. */
export function bigQueryMessage(details: string, origin?: { line: number; column: number }): { message: string; line?: number; column?: number } {
  const m = /^(.*?)\s*\[at (\d+):(\d+)\]$/s.exec(details.trim());
  if (!m) return { message: details.trim() };
  let line = Number(m[2]);
  let column = Number(m[3]);
  if (origin) {
    if (line === 1) column += origin.column - 1;
    line += origin.line - 1;
  }
  return { message: `${m[1]} at [${line}:${column}]`, line, column };
}

export function lineColumn(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** An analyzer refusal as BigQuery's job error: a missing table is `notFound`, the rest `invalidQuery`. */
export function jobError(details: string, ctx: GateContext, origin?: { line: number; column: number }): GateError {
  const missing = /^Table not found: (.+?) (?:\[at|$)/.exec(details);
  if (missing) {
    const [p, d, t] = canonicalName([missing[1]!.replace(/`/g, '')], ctx.project).split('.');
    if (t) return { reason: 'notFound', message: `Not found: Table ${p}:${d}.${t} was not found in location ${ctx.location}` };
  }
  return { reason: 'invalidQuery', message: bigQueryMessage(details, origin).message };
}
