/**
 * A job's SQL parsed as a script. This ZetaSQL build's parser still wants a WHERE, GROUP BY or HAVING before
 * QUALIFY, which BigQuery no longer does: `where true ` goes in before such a QUALIFY, and positions in later
 * messages are moved back.
 */
import type { ZetaSql } from './zetasql-service.js';
import type { AnalyzerSettings } from './analyzer-options.js';
import { bigQueryMessage, detailsOf } from './gate-messages.js';

const QUALIFY_PATCH = 'where true ';

/**
 * Parses the script. BigQuery has since dropped the rule that QUALIFY needs a WHERE, GROUP BY or HAVING;
 * this ZetaSQL build's parser still has it, so `where true ` is put before such a QUALIFY (the places
 * are returned, to move positions in later messages back).
 */
export async function parseScript(zs: ZetaSql, settings: AnalyzerSettings, original: string): Promise<{ parsed?: any; sql: string; inserted: { line: number; column: number }[]; error?: string }> {
  let sql = original;
  const inserted: { line: number; column: number }[] = [];
  for (;;) {
    try {
      return { parsed: await zs.call('parse', { sql_statement: sql, allow_script: true, options: settings.languageOptions }), sql, inserted };
    } catch (e) {
      const message = bigQueryMessage(detailsOf(e)).message;
      const qualify = /^QUALIFY clause must be used in conjunction with WHERE or GROUP BY or HAVING clause at \[(\d+):(\d+)\]$/.exec(message);
      if (!qualify || inserted.length >= 16) return { sql, inserted, error: message };
      const [line, column] = [Number(qualify[1]), Number(qualify[2])];
      const offset = sql.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      sql = `${sql.slice(0, offset)}${QUALIFY_PATCH}${sql.slice(offset)}`;
      inserted.push({ line, column });
    }
  }
}

/** A message's `at [line:col]` as it was before `where true ` went in. */
export function unpatched(message: string, inserted: { line: number; column: number }[]): string {
  return message.replace(/ at \[(\d+):(\d+)\]$/, (_m, l: string, c: string) => ` at [${l}:${Number(c) - inserted.filter((i) => i.line === Number(l) && i.column < Number(c)).length * QUALIFY_PATCH.length}]`);
}
