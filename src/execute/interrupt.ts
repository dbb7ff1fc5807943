/**
 * Ctrl-C during a run, as dbt's `cancel_open_connections`: the first one cancels what every connection is
 * running (DuckDB interrupts its query, which rolls its transaction back; BigQuery cancels its job), and
 * nothing a node runs afterwards reaches the warehouse. Running nodes fail as cancelled; the scheduler skips
 * the rest (`run-graph.ts`).
 */
import type { Connection } from '../adapters/contract.js';
import type { NodeOutcome } from './types.js';
import type { RunSession } from './run-session.js';

/** The message of a node that was running when the run was interrupted. */
export const CANCELLED = 'Cancelled: the run was interrupted (Ctrl-C) while this node ran; what it changed was rolled back';

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

/** A node's outcome once the run was interrupted: an error while it ran is its cancellation. */
export function cancelledOutcome(outcome: NodeOutcome, signal: AbortSignal | undefined): NodeOutcome {
  return signal?.aborted && outcome.status === 'error' ? { ...outcome, message: CANCELLED } : outcome;
}
