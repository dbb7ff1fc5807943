/**
 * Ctrl-C during a run, as dbt's `cancel_open_connections`: the first one cancels what every connection is
 * running (DuckDB interrupts its query, which rolls its transaction back; BigQuery cancels its job), and
 * nothing a node runs afterwards reaches the warehouse. Running nodes fail as cancelled, unless their change had
 * already committed; the scheduler skips the rest (`run-graph.ts`).
 */
import type { Connection } from '../adapters/contract.js';
import type { NodeOutcome } from './types.js';
import type { RunSession } from './run-session.js';

/** The message of a node whose running statement was cancelled: its change was not applied. */
export const CANCELLED = 'Cancelled: the run was interrupted (Ctrl-C) while this node ran; its change was not applied';

/** What a node whose change had committed says when Ctrl-C cancelled its after-commit hooks. */
export const HOOKS_CANCELLED = 'its change was committed; Ctrl-C cancelled its after-commit hooks, which did not finish';

/** Cancels the session's running statements when `signal` aborts; the returned function stops listening. */
export function cancelOnAbort(session: RunSession, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  const cancel = (): void => session.interrupt();
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/** A connection whose statements fail once `signal` has aborted: a node between two statements stops at the next. */
export function stoppedByAbort(connection: Connection, signal: AbortSignal | undefined): Connection {
  if (!signal) return connection;
  const guard = (fn: (sql: string) => Promise<unknown>) => (sql: string): Promise<unknown> => (signal.aborted ? Promise.reject(new Error('INTERRUPT: the run was interrupted (Ctrl-C)')) : fn.call(connection, sql));
  const execute = guard(connection.execute);
  const query = guard(connection.query);
  return new Proxy(connection, {
    get(target, key, receiver) {
      if (key === 'execute') return execute;
      if (key === 'query') return query;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/**
 * A node's outcome once the run was interrupted. A change that had committed (an after-commit hook was cancelled,
 * or on BigQuery a post-hook) stands: the node succeeded, with a warning, and `retry` does not apply it again. A
 * statement that was cancelled gets the cancelled wording; any other error keeps its own message.
 */
export function cancelledOutcome(outcome: NodeOutcome, signal: AbortSignal | undefined): NodeOutcome {
  if (!signal?.aborted || outcome.status !== 'error') return outcome;
  const { committed, ...failed } = outcome;
  if (committed) return { ...failed, ...committed, status: 'success', message: `${committed.message}; ${HOOKS_CANCELLED}`, hooksCancelled: true };
  return wasCancelled(outcome.message) ? { ...outcome, message: CANCELLED } : outcome;
}

/** DuckDB's interrupted query, a statement refused after Ctrl-C (`stoppedByAbort`), BigQuery's cancelled job. */
function wasCancelled(message: string): boolean {
  return /\bINTERRUPT\b|\bInterrupted\b|\bcancell?ed\b/i.test(message);
}
