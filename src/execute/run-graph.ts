import type { NodeRunResult, RunGraphOptions, RunGraphResult, NodeOutcome } from './types.js';
import { Later } from './later.js';

// A partial success (some microbatch batches failed) counts as a failure, as in dbt 1.9: descendants skip, --fail-fast stops.
const FAILED = new Set(['error', 'fail', 'runtime error', 'partial success']);
/** How many waiting nodes `ahead` is told of at a time: one render (a fraction of a statement's time) per node started, so the main thread notices the warehouse's answers without delay. */
const AHEAD = 1;

/**
 * Runs nodes as soon as their parents finish, up to `threads` at once, in a deterministic order.
 * A node below a failure is skipped; `failFast` stops starting new nodes after the first failure;
 * an abort (Ctrl-C) lets running nodes finish and skips the rest.
 */
export async function runGraph(o: RunGraphOptions): Promise<RunGraphResult> {
  const started = Date.now();
  const selected = new Set(o.ids);
  const position = new Map(o.ids.map((id, i) => [id, i]));
  const parents = new Map(o.ids.map((id) => [id, o.parents(id).filter((p) => selected.has(p) && p !== id)]));
  const children = new Map<string, string[]>();
  for (const [id, ps] of parents) for (const p of ps) children.set(p, [...(children.get(p) ?? []), id]);
  const waiting = new Map(o.ids.map((id) => [id, parents.get(id)!.length]));
  const failedBecause = new Map<string, string>();
  // What each node's result is made of; the results themselves are made once the run is over, off the warehouse's way.
  const finished: { id: string; outcome: NodeOutcome; t0: number; t1: number; worker: number }[] = [];
  const ready: string[] = o.ids.filter((id) => waiting.get(id) === 0);
  const ephemeral = (id: string): boolean => o.ephemeral?.(id) ?? false;
  const total = o.ids.filter((id) => !ephemeral(id)).length;
  // A failed ephemeral model's message, for the skips of what reads it.
  const ephemeralErrors = new Map<string, string>();
  let index = 0;
  let running = 0;
  let stopping = false;
  const freeWorkers = Array.from({ length: Math.max(1, o.threads) }, (_, i) => i).reverse();
  const label = (id: string): { name: string; resourceType: string } => o.label?.(id) ?? { name: id.split('.').pop() ?? id, resourceType: id.split('.')[0] ?? 'node' };

  // Events are told once the next nodes have started: the warehouse waits for no output.
  const later = o.later ?? new Later();
  return new Promise<RunGraphResult>((resolve) => {
    const finish = (): void => {
      later.flush();
      const results = finished.filter(({ id }) => !ephemeral(id)).map(({ id, outcome, t0, t1, worker }): NodeRunResult => ({ ...outcome, uniqueId: id, startedAt: new Date(t0).toISOString(), completedAt: new Date(t1).toISOString(), executionTime: (t1 - t0) / 1000, threadId: `Thread-${worker + 1}` }));
      resolve({ results, elapsed: (Date.now() - started) / 1000, interrupted: !!o.signal?.aborted });
    };

    const record = (id: string, outcome: NodeOutcome, t0: number, worker: number, position: number): void => {
      const t1 = Date.now();
      finished.push({ id, outcome, t0, t1, worker });
      if (ephemeral(id)) return;
      later.add(() => {
        const l = label(id);
        o.reporter.emit({ type: 'node-finished', index: position, total, result: { uniqueId: id, description: o.describe(id), name: l.name, resourceType: l.resourceType, status: outcome.status, message: outcome.message, executionTime: (t1 - t0) / 1000, relation: outcome.relation, materialized: outcome.materialized, failures: outcome.failures, rowsAffected: outcome.rowsAffected } });
      });
    };

    const settle = (id: string, outcome: NodeOutcome): void => {
      const bad = FAILED.has(outcome.status) || outcome.blocksDownstream || outcome.status === 'skipped';
      if (ephemeral(id) && FAILED.has(outcome.status)) ephemeralErrors.set(id, outcome.message ?? '');
      if (FAILED.has(outcome.status) && o.failFast) stopping = true;
      for (const c of children.get(id) ?? []) {
        if (bad && !failedBecause.has(c)) failedBecause.set(c, failedBecause.get(id) ?? id);
        const w = waiting.get(c)! - 1;
        waiting.set(c, w);
        if (w === 0) insertReady(c);
      }
    };

    const skipMessage = (id: string, cause: string | undefined): string => {
      if (cause !== undefined && ephemeralErrors.has(cause)) {
        // As dbt: the error is the ephemeral model's, told on each model that reads it (the ephemeral model has no result of its own).
        return `Compilation Error in ${id}, caused by compilation error in referenced ephemeral model ${cause}: ${ephemeralErrors.get(cause)}`;
      }
      return cause ? `Skipped because ${cause} failed` : o.signal?.aborted ? 'Skipped: interrupted' : 'Skipped: --fail-fast stopped the run';
    };

    const insertReady = (id: string): void => {
      const p = position.get(id)!;
      let i = ready.length;
      while (i > 0 && position.get(ready[i - 1]!)! > p) i--;
      ready.splice(i, 0, id);
    };

    const pump = (): void => {
      while (ready.length && freeWorkers.length) {
        const id = ready.shift()!;
        const cause = failedBecause.get(id);
        if (cause || stopping || o.signal?.aborted) {
          const outcome: NodeOutcome = { status: 'skipped', message: skipMessage(id, cause) };
          record(id, outcome, Date.now(), 0, ephemeral(id) ? 0 : ++index);
          settle(id, outcome);
          continue;
        }
        const worker = freeWorkers.pop()!;
        running++;
        const t0 = Date.now();
        const position = ephemeral(id) ? 0 : ++index;
        if (!ephemeral(id)) later.add(() => o.reporter.emit({ type: 'node-started', index: position, total, uniqueId: id, description: o.describe(id) }));
        const done = (outcome: NodeOutcome): void => {
          running--;
          freeWorkers.push(worker);
          record(id, outcome, t0, worker, position);
          settle(id, outcome);
          pump();
        };
        o.runNode(id, worker).then(done, (e: unknown) => done({ status: 'error', message: e instanceof Error ? e.message : String(e) }));
      }
      if (running === 0 && ready.length === 0) finish();
      else if (o.ahead && ready.length && !freeWorkers.length && !stopping) lookAhead();
    };

    // Once the nodes just started have reached the warehouse: the next nodes still waiting for a thread.
    let lookingAhead = false;
    const lookAhead = (): void => {
      if (lookingAhead) return;
      lookingAhead = true;
      setImmediate(() => {
        lookingAhead = false;
        if (stopping || o.signal?.aborted) return;
        // The first few waiting nodes, not a copy of the whole ready list: that list holds hundreds at a time.
        const next: string[] = [];
        for (let i = 0; i < ready.length && next.length < AHEAD; i++) if (!failedBecause.has(ready[i]!)) next.push(ready[i]!);
        o.ahead!(next);
      });
    };
    pump();
  });
}
