import type { NodeRunResult, RunGraphOptions, RunGraphResult, NodeOutcome } from './types.js';
import { Later } from './later.js';
import { criticalPathLengths } from './critical-path.js';

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
  return new GraphRun(o, schedule(o.ids, (id) => o.parents(id), o.lastTimes), started).whenDone();
}

/**
 * The order of a run: each node's rank (with the last run's times, the longest chain of work behind it first:
 * `critical-path.ts`; then its place in `ids`), its children, how many parents it waits for, and the nodes
 * ready at once, by rank.
 */
function schedule(ids: string[], parentsOf: (id: string) => string[], lastTimes?: Map<string, number>): { position: Map<string, number>; children: Map<string, string[]>; waiting: Map<string, number>; ready: string[] } {
  const selected = new Set(ids);
  const parents = new Map(ids.map((id) => [id, parentsOf(id).filter((p) => selected.has(p) && p !== id)]));
  const children = new Map<string, string[]>();
  for (const [id, ps] of parents) {
    for (const p of ps) {
      const list = children.get(p);
      if (list) list.push(id);
      else children.set(p, [id]);
    }
  }
  const lengths = lastTimes ? criticalPathLengths(ids, children, lastTimes) : undefined;
  const ranked = lengths ? ids.map((id, i) => ({ id, i, l: lengths.get(id) ?? 0 })).sort((a, b) => b.l - a.l || a.i - b.i).map((x) => x.id) : ids;
  const position = new Map(ranked.map((id, i) => [id, i]));
  const waiting = new Map(ids.map((id) => [id, parents.get(id)!.length]));
  return { position, children, waiting, ready: ranked.filter((id) => waiting.get(id) === 0) };
}

/** What a node's result is made of; the results themselves are made once the run is over, off the warehouse's way. */
interface Finished {
  id: string;
  outcome: NodeOutcome;
  t0: number;
  t1: number;
  worker: number;
}

function runResult({ id, outcome, t0, t1, worker }: Finished): NodeRunResult {
  return { ...outcome, uniqueId: id, startedAt: new Date(t0).toISOString(), completedAt: new Date(t1).toISOString(), executionTime: (t1 - t0) / 1000, threadId: `Thread-${worker + 1}` };
}

/** One run of the scheduler: the nodes waiting, ready and running, and the free workers. */
class GraphRun {
  private readonly failedBecause = new Map<string, string>();
  private readonly finished: Finished[] = [];
  // A failed ephemeral model's message, for the skips of what reads it.
  private readonly ephemeralErrors = new Map<string, string>();
  private readonly freeWorkers: number[];
  private readonly total: number;
  // Events are told once the next nodes have started: the warehouse waits for no output.
  private readonly later: Later;
  private index = 0;
  private running = 0;
  private stopping = false;
  private lookingAhead = false;
  private resolve: (result: RunGraphResult) => void = () => {};

  constructor(
    private readonly o: RunGraphOptions,
    private readonly order: ReturnType<typeof schedule>,
    private readonly started: number,
  ) {
    this.total = o.ids.filter((id) => !this.ephemeral(id)).length;
    this.freeWorkers = Array.from({ length: Math.max(1, o.threads) }, (_, i) => i).reverse();
    this.later = o.later ?? new Later();
  }

  /** Starts the run; resolves once nothing runs and nothing is ready. */
  whenDone(): Promise<RunGraphResult> {
    return new Promise<RunGraphResult>((resolve) => {
      this.resolve = resolve;
      this.pump();
    });
  }

  private ephemeral(id: string): boolean {
    return this.o.ephemeral?.(id) ?? false;
  }

  /** Starts (or skips) ready nodes while workers are free; ends the run when all is done. */
  private pump(): void {
    const { ready } = this.order;
    while (ready.length && this.freeWorkers.length) {
      const id = ready.shift()!;
      const cause = this.failedBecause.get(id);
      if (cause || this.stopping || this.o.signal?.aborted) this.skip(id, cause);
      else this.start(id);
    }
    if (this.running === 0 && ready.length === 0) this.finish();
    else if (this.o.ahead && ready.length && !this.freeWorkers.length && !this.stopping) this.lookAhead();
  }

  private skip(id: string, cause: string | undefined): void {
    const outcome: NodeOutcome = { status: 'skipped', message: this.skipMessage(id, cause), resultMessage: this.skipResultMessage(id, cause) };
    this.record(id, outcome, Date.now(), 0, this.ephemeral(id) ? 0 : ++this.index);
    this.settle(id, outcome);
  }

  private start(id: string): void {
    const { o } = this;
    const worker = this.freeWorkers.pop()!;
    this.running++;
    const t0 = Date.now();
    const position = this.ephemeral(id) ? 0 : ++this.index;
    if (!this.ephemeral(id)) this.later.add(() => o.reporter.emit({ type: 'node-started', index: position, total: this.total, uniqueId: id, description: o.describe(id) }));
    const done = (outcome: NodeOutcome): void => {
      this.running--;
      this.freeWorkers.push(worker);
      this.record(id, outcome, t0, worker, position);
      this.settle(id, outcome);
      this.pump();
    };
    o.runNode(id, worker).then(done, (e: unknown) => done({ status: 'error', message: e instanceof Error ? e.message : String(e) }));
  }

  private finish(): void {
    this.later.flush();
    const results = this.finished.filter(({ id }) => !this.ephemeral(id)).map(runResult);
    this.resolve({ results, elapsed: (Date.now() - this.started) / 1000, interrupted: !!this.o.signal?.aborted });
  }

  private record(id: string, outcome: NodeOutcome, t0: number, worker: number, position: number): void {
    const t1 = Date.now();
    this.finished.push({ id, outcome, t0, t1, worker });
    if (this.ephemeral(id)) return;
    this.later.add(() => {
      const l = this.label(id);
      this.o.reporter.emit({ type: 'node-finished', index: position, total: this.total, result: { uniqueId: id, description: this.o.describe(id), name: l.name, resourceType: l.resourceType, schema: l.schema, status: outcome.status, message: outcome.message, executionTime: (t1 - t0) / 1000, relation: outcome.relation, materialized: outcome.materialized, failures: outcome.failures, rowsAffected: outcome.rowsAffected } });
    });
  }

  private label(id: string): { name: string; resourceType: string; schema?: string } {
    return this.o.label?.(id) ?? { name: id.split('.').pop() ?? id, resourceType: id.split('.')[0] ?? 'node' };
  }

  /** A node is done: its children wait for one parent less, and below a failure or skip they will skip. */
  private settle(id: string, outcome: NodeOutcome): void {
    const bad = FAILED.has(outcome.status) || outcome.blocksDownstream || outcome.status === 'skipped';
    if (this.ephemeral(id) && FAILED.has(outcome.status)) this.ephemeralErrors.set(id, outcome.message ?? '');
    if (FAILED.has(outcome.status) && this.o.failFast) this.stopping = true;
    const { children, waiting } = this.order;
    for (const c of children.get(id) ?? []) {
      if (bad && !this.failedBecause.has(c)) this.failedBecause.set(c, this.failedBecause.get(id) ?? id);
      const w = waiting.get(c)! - 1;
      waiting.set(c, w);
      if (w === 0) this.insertReady(c);
    }
  }

  private skipMessage(id: string, cause: string | undefined): string {
    if (cause !== undefined && this.ephemeralErrors.has(cause)) {
      // As dbt: the error is the ephemeral model's, told on each model that reads it (the ephemeral model has no result of its own).
      return `Compilation Error in ${id}, caused by compilation error in referenced ephemeral model ${cause}: ${this.ephemeralErrors.get(cause)}`;
    }
    return cause ? `Skipped because ${cause} failed` : this.o.signal?.aborted ? 'Skipped: interrupted' : 'Skipped: --fail-fast stopped the run';
  }

  /**
   * The skip's message in run_results.json, as dbt's: none (null) for a parent's failure, its own words for an
   * ephemeral model's compile error and for --fail-fast. An interrupted run's skips keep Strata's message.
   */
  private skipResultMessage(id: string, cause: string | undefined): string | null | undefined {
    if (cause !== undefined && this.ephemeralErrors.has(cause)) return `Compilation Error in ${id}, caused by compilation error in referenced ephemeral model ${cause}`;
    if (cause) return null;
    return this.o.signal?.aborted ? undefined : 'Skipping due to fail_fast';
  }

  /** Into the ready list at its rank. */
  private insertReady(id: string): void {
    const { position, ready } = this.order;
    const p = position.get(id)!;
    let i = ready.length;
    while (i > 0 && position.get(ready[i - 1]!)! > p) i--;
    ready.splice(i, 0, id);
  }

  // Once the nodes just started have reached the warehouse: the next nodes still waiting for a thread.
  private lookAhead(): void {
    if (this.lookingAhead) return;
    this.lookingAhead = true;
    setImmediate(() => {
      this.lookingAhead = false;
      if (this.stopping || this.o.signal?.aborted) return;
      // The first few waiting nodes, not a copy of the whole ready list: that list holds hundreds at a time.
      const { ready } = this.order;
      const next: string[] = [];
      for (let i = 0; i < ready.length && next.length < AHEAD; i++) if (!this.failedBecause.has(ready[i]!)) next.push(ready[i]!);
      this.o.ahead!(next);
    });
  }
}
