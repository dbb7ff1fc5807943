import type { Diagnostic } from './diagnostic.js';

/**
 * Outcome of one node. `skipped` means an upstream failed; `warn` is a test over its warn threshold;
 * `partial success` (dbt 1.9) is a microbatch model some of whose batches failed: a failure for the exit code,
 * its descendants and retry.
 */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'runtime error' | 'partial success' | 'no-op';

export interface NodeResultSummary {
  uniqueId: string;
  name: string;
  resourceType: string;
  status: NodeStatus;
  /** e.g. `created table model silver.complaints`, `SELECT 120`. */
  message: string;
  executionTime: number;
  /** What the node is, for output lines: `sql table model silver.complaints`. */
  description?: string;
  /** The node's schema, for a skipped node's line (dbt's `SKIP relation <schema>.<name>`). */
  schema?: string;
  /** Relation label for the progress line, e.g. `silver.complaints`. */
  relation?: string;
  materialized?: string;
  failures?: number | null;
  rowsAffected?: number;
}

/** Everything a command tells the user goes through these events. */
export type StrataEvent =
  | { type: 'diagnostic'; diagnostic: Diagnostic }
  | { type: 'info'; message: string }
  | { type: 'run-started'; command: string; total: number; threads: number; invocationId: string }
  | { type: 'node-started'; index: number; total: number; uniqueId: string; description: string }
  | { type: 'node-finished'; index: number; total: number; result: NodeResultSummary }
  /** A project hook starts (dbt's LogHookStartLine): `name` as dbt's, `<package>.on-run-start.<n>`; `index` of `total` hooks of its kind. */
  | { type: 'hook-started'; hook: 'on-run-start' | 'on-run-end'; name: string; index: number; total: number }
  /** A project hook ended (dbt's LogHookEndLine); a hook after a failed one is `skipped`, with no start. A failure's error is the command's diagnostic. */
  | { type: 'hook-finished'; hook: 'on-run-start' | 'on-run-end'; name: string; index: number; total: number; status: 'success' | 'error' | 'skipped'; executionTime: number }
  | { type: 'progress'; label: string; done: number; total: number; bytesDone?: number; bytesTotal?: number }
  | { type: 'run-finished'; elapsed: number; counts: Record<string, number>; status: 'success' | 'error'; interrupted?: boolean }
  /** One statement sent to the warehouse (shown with --debug / --log-level debug, always in the log file). */
  | { type: 'sql'; uniqueId?: string; sql: string; elapsed: number; ok: boolean };

/** The one sink for output. The CLI supplies a terminal or JSON reporter; tests capture. */
export interface Reporter {
  emit(event: StrataEvent): void;
}

/** A reporter that keeps events in memory (tests, library callers). */
export class CapturingReporter implements Reporter {
  readonly events: StrataEvent[] = [];
  emit(event: StrataEvent): void {
    this.events.push(event);
  }
}

export const silentReporter: Reporter = { emit() {} };

/** Diagnostics already shown through a reporter: a command's closing report leaves them out. */
const reported = new WeakSet<Diagnostic>();

/**
 * Shows diagnostics now (a run's parse warnings before its first node, as dbt prints them) and remembers them,
 * so the command's closing report does not repeat them.
 */
export function emitDiagnostics(reporter: Reporter, diagnostics: Iterable<Diagnostic>): void {
  for (const diagnostic of diagnostics) {
    if (reported.has(diagnostic)) continue;
    reported.add(diagnostic);
    reporter.emit({ type: 'diagnostic', diagnostic });
  }
}

/** Whether `emitDiagnostics` showed this diagnostic already. */
export function wasReported(diagnostic: Diagnostic): boolean {
  return reported.has(diagnostic);
}
