/**
 * The text of dbt's console lines, as dbt-core 1.10 and dbt-common write them (pure functions; the terminal
 * reporter adds colours and decides when each is written).
 */

import type { NodeResultSummary } from '../diagnostics/index.js';

/** dbt's `--printer-width` default (dbt_common.ui.PRINTER_WIDTH). */
export const PRINTER_WIDTH = 80;

/**
 * dbt-common's format_fancy_output_line: `"<i> of <n> <msg> "` padded with dots to the printer width, then
 * ` [<status>]`. With `truncate` (project hooks' lines) the padded text is cut to the width less 3 and ends
 * with `...`: a line whose text is longer than that loses its end.
 */
export function fancyLine(msg: string, tag: string, truncate = false): string {
  let justified = `${msg} `.padEnd(PRINTER_WIDTH, '.');
  if (truncate && justified.length > PRINTER_WIDTH - 3) justified = `${justified.slice(0, PRINTER_WIDTH - 3)}...`;
  return `${justified} ${tag}`;
}

/**
 * A skipped node's words, as dbt's SkippingDetails: `SKIP relation <schema>.<name>` for a model, seed or
 * snapshot, `SKIP <resource type> <name>` otherwise; and as LogSkipBecauseError for a node skipped because an
 * ephemeral model it reads failed to compile: `SKIP relation <schema>.<name> due to ephemeral model status
 * 'error'`, tagged `ERROR SKIP` (the node's schema, empty for an exposure, which has none).
 */
export function skipWords(r: { resourceType: string; name: string; schema?: string; message: string }): { what: string; word: string } {
  if (ephemeralSkip(r.message)) return { what: `SKIP relation ${r.schema ?? ''}.${r.name} due to ephemeral model status 'error'`, word: 'ERROR SKIP' };
  if (['model', 'seed', 'snapshot'].includes(r.resourceType)) return { what: `SKIP relation ${r.schema ?? ''}.${r.name}`, word: 'SKIP' };
  return { what: `SKIP ${r.resourceType} ${r.name}`, word: 'SKIP' };
}

/** A skip for an ephemeral model's compile error (its message begins as dbt's on_skip error message). */
export function ephemeralSkip(message: string): boolean {
  return message.startsWith('Compilation Error in ');
}

/** The counts behind dbt's end-of-run summary (dbt's print_run_end_messages). */
export interface RunEndCounts {
  errors: number;
  warnings: number;
  partials: number;
}

/**
 * Whether a result is one of the summary's errors, as dbt 1.10's print_run_end_messages: an error or failure,
 * or a skip carrying a message (an ephemeral model's compile error; --fail-fast) unless the node is an exposure.
 */
export function countsAsError(r: { status: string; resourceType: string; message: string }): boolean {
  if (r.status === 'error' || r.status === 'fail') return true;
  return r.status === 'skipped' && r.resourceType !== 'exposure' && (ephemeralSkip(r.message) || r.message.startsWith('Skipped: --fail-fast'));
}

const plural = (n: number, word: string): string => `${n} ${n === 1 ? word : `${word}s`}`;

/** dbt 1.10's EndOfRunSummary: `Completed successfully`, `Completed with 1 error, 0 partial successes, and 0 warnings:`… */
export function endOfRunSummary(c: RunEndCounts): string {
  const partials = `${c.partials} partial ${c.partials === 1 ? 'success' : 'successes'}`;
  if (c.errors > 0) return `Completed with ${plural(c.errors, 'error')}, ${partials}, and ${plural(c.warnings, 'warning')}:`;
  if (c.partials > 0) return `Completed with ${partials} and ${plural(c.warnings, 'warning')}`;
  if (c.warnings > 0) return `Completed with ${plural(c.warnings, 'warning')}:`;
  return 'Completed successfully';
}

/** A result's status word and its bracketed tag: `OK` / `[OK in 0.01s]`, `FAIL 2` / `[FAIL 2 in 0.03s]`… */
export function resultLabel(r: NodeResultSummary): { word: string; tag: string } {
  const t = r.executionTime.toFixed(2);
  switch (r.status) {
    case 'success':
      return { word: 'OK', tag: `[${r.message || 'OK'} in ${t}s]` };
    case 'pass':
      return { word: 'PASS', tag: `[PASS in ${t}s]` };
    case 'warn':
      return { word: `WARN ${r.failures ?? ''}`.trim(), tag: `[WARN ${r.failures ?? ''} in ${t}s]`.replace('  ', ' ') };
    case 'fail':
      return { word: `FAIL ${r.failures ?? ''}`.trim(), tag: `[FAIL ${r.failures ?? ''} in ${t}s]`.replace('  ', ' ') };
    case 'skipped': {
      const { word } = skipWords(r);
      return { word, tag: `[${word}]` };
    }
    case 'no-op':
      // dbt 1.10's LogNodeNoOpResult: an exposure in `build`.
      return { word: 'NO-OP', tag: `[NO-OP in ${t}s]` };
    case 'partial success':
      // dbt 1.9: `[PARTIAL SUCCESS (2/3) in 0.52s]`; the message goes on with the failed batches' errors.
      return { word: 'PARTIAL SUCCESS', tag: `[${/^PARTIAL SUCCESS \(\d+\/\d+\)/.exec(r.message)?.[0] ?? 'PARTIAL SUCCESS'} in ${t}s]` };
    default:
      return { word: 'ERROR', tag: `[ERROR in ${t}s]` };
  }
}

/**
 * A finished node's words before its tag, as dbt 1.10's result events: LogModelResult (`OK created sql table
 * model main.x`, `ERROR creating …`), LogTestResult (`PASS not_null_x_id`, `FAIL 2 orders::a_unit_test`),
 * LogSeedResult (`OK loaded seed file main.s`, `ERROR loading …`) and LogSnapshotResult (`OK snapshotted
 * main.snap`, `ERROR snapshotting …`). `description` is the START line's (`test not_null_x_id`, `seed file main.s`).
 */
export function resultWords(r: { status: string; resourceType: string; name: string; description?: string }, word: string): string {
  const description = r.description ?? `${r.resourceType} ${r.name}`;
  const without = (prefix: string): string => (description.startsWith(prefix) ? description.slice(prefix.length) : description);
  const ok = r.status === 'success';
  const error = r.status === 'error';
  if (r.resourceType === 'test' || r.resourceType === 'unit_test') return `${error ? 'ERROR' : word} ${without(`${r.resourceType} `)}`;
  if (r.resourceType === 'seed' && (ok || error)) return `${ok ? 'OK loaded' : 'ERROR loading'} ${description}`;
  if (r.resourceType === 'snapshot' && (ok || error)) return `${ok ? 'OK snapshotted' : 'ERROR snapshotting'} ${without('snapshot ')}`;
  if (r.resourceType === 'landing' && (ok || error)) return `${ok ? 'OK' : 'ERROR'} ${description}`;
  const verb = ok ? 'OK created' : error ? 'ERROR creating' : r.status === 'partial success' ? 'PARTIALLY created' : word;
  return `${verb} ${description}`;
}
