/**
 * Parse renders on other threads (issue #19): the files that miss the static fast path are rendered by
 * this thread and by worker threads at once, each taking the next batch from a shared counter, so a busy
 * or slow-starting worker costs nothing but the batches it did not take. The parse stays synchronous: the
 * caller waits with Atomics.wait and receiveMessageOnPort, as file-prefetch.ts does.
 *
 * Results are the same as one thread's: each result goes to its file's slot, and what a render does besides
 * its result (`log()` output, `secret()` values) is recorded per file and replayed by the caller in file
 * order. Anything wrong with a worker only costs speed: files it did not deliver are rendered here.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ParseRenderJob, ParseRenderResult, TemplateEnvironmentOptions } from './types.js';
import { dictsToWire } from './jinja/index.js';

/** Compiled JavaScript only: run from TypeScript sources (tests under vitest), the parse renders on one thread. */
const WORKER_FILE = fileURLToPath(new URL('./parse-render-worker.js', import.meta.url));
export const PARSE_RENDER_THREAD = 'strata-parse-render';

/** Files per claim: small enough to balance two threads, large enough that messages cost little. */
const BATCH = 32;
/**
 * Fewer full renders than this are done faster here than a worker starts (~100–200 ms to load the engine on
 * the 2-core machine, bench/parse-targets.mjs). STRATA_PARSE_PARALLEL_AFTER overrides it (tests).
 */
const PARALLEL_AFTER = 1000;
/** No batch for this long: the workers are taken to be stuck, and the rest is rendered here. */
const STALL_MS = 10_000;

/** What a render did besides its result, in order. */
export type RenderEffect = { log: string } | { secret: [string, string] };

/** One file's outcome on any thread: its result, its effects, or `redo`: render it again on the main thread. */
export interface RenderOutcome {
  result: ParseRenderResult;
  effects: RenderEffect[];
  /** The render needed something only the main thread has (a `secret()` reference not known ahead). */
  redo?: boolean;
  /** Rendered by a worker thread (for perf_info.json). */
  byWorker?: boolean;
}

/**
 * The engine's options a worker can be given: data only (functions cannot cross threads). Secret references
 * are computed ahead; of the column conventions the labels are sent, and a render that quotes or asks for a
 * string type is done again on the main thread.
 */
export type WorkerEngineOptions = Omit<TemplateEnvironmentOptions, 'secretReference' | 'onSecret' | 'log' | 'columnConventions'> & { columnLabels?: Record<string, string> };

export interface WorkerInput {
  thread: typeof PARSE_RENDER_THREAD;
  options: WorkerEngineOptions;
  /** `secret()` name → the reference the SQL gets, for the names found in the files and macros. */
  secretRefs: Record<string, string>;
  jobs: ParseRenderJob[];
  port: MessagePort;
  /** Int32 [next job to claim, batches posted by all workers]. */
  shared: SharedArrayBuffer;
  batch: number;
}

export interface WorkerBatch {
  start: number;
  /** JSON of RenderOutcome[]: plain data, as the render cache stores it. */
  text: string;
}

/** How many worker threads a parse of `fullRenders` files gets: none below the threshold or when turned off. */
export function parseWorkerCount(fullRenders: number, env: NodeJS.ProcessEnv): number {
  const after = env.STRATA_PARSE_PARALLEL_AFTER !== undefined ? Number(env.STRATA_PARSE_PARALLEL_AFTER) : PARALLEL_AFTER;
  if (fullRenders < Math.max(1, after) || !existsSync(WORKER_FILE)) return 0;
  const asked = env.STRATA_PARSE_WORKERS !== undefined ? Number(env.STRATA_PARSE_WORKERS) : Math.min(availableParallelism() - 1, 3);
  return Number.isFinite(asked) ? Math.max(0, Math.min(asked, 8)) : 0;
}

/**
 * Renders `jobs` on this thread (`here`, which records effects instead of performing them) and on `workers`
 * worker threads. Returns every file's outcome in file order, or undefined if no worker could start.
 */
export function renderOnThreads(jobs: ParseRenderJob[], workers: number, options: WorkerEngineOptions, secretRefs: Record<string, string>, here: (job: ParseRenderJob) => RenderOutcome): RenderOutcome[] | undefined {
  const shared = new SharedArrayBuffer(8);
  const counters = new Int32Array(shared);
  const started: { worker: Worker; port: MessagePort }[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = { thread: PARSE_RENDER_THREAD, options, secretRefs, jobs, port: port2, shared, batch: BATCH };
    try {
      const worker = new Worker(WORKER_FILE, { workerData: input, transferList: [port2] });
      worker.unref();
      // Errors are noticed as missing batches; an error event must not end the process.
      worker.on('error', () => undefined);
      started.push({ worker, port: port1 });
    } catch {
      port1.close();
    }
  }
  if (!started.length) return undefined;
  const outcomes: (RenderOutcome | undefined)[] = new Array(jobs.length);
  let missing = jobs.length;
  let received = 0;
  const accept = (batch: WorkerBatch): void => {
    received++;
    (JSON.parse(batch.text) as RenderOutcome[]).forEach((o, k) => {
      if (outcomes[batch.start + k]) return;
      outcomes[batch.start + k] = o;
      missing--;
    });
  };
  const drain = (): boolean => {
    let any = false;
    for (const { port } of started) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        accept(m.message as WorkerBatch);
        any = true;
      }
    }
    return any;
  };
  // STRATA_PARSE_RENDER_HERE=0 (tests): this thread only waits, so the workers render every file.
  while (options.env.STRATA_PARSE_RENDER_HERE !== '0') {
    drain();
    const start = Atomics.add(counters, 0, BATCH);
    if (start >= jobs.length) break;
    for (let i = start; i < Math.min(start + BATCH, jobs.length); i++) {
      outcomes[i] = here(jobs[i]!);
      missing--;
    }
  }
  while (missing > 0) {
    if (drain()) continue;
    const posted = Atomics.load(counters, 1);
    // Counted after posting: a batch counted but not yet received is about to be.
    if (posted > received) continue;
    if (Atomics.wait(counters, 1, posted, STALL_MS) === 'timed-out' && Atomics.load(counters, 1) === posted && !drain()) break;
  }
  for (const { worker, port } of started) {
    port.close();
    void worker.terminate();
  }
  return jobs.map((job, i) => outcomes[i] ?? here(job));
}

/** The options a worker's engine is built from: data only, with the main engine's invocation id and start time. */
export function workerEngineOptions(options: TemplateEnvironmentOptions, identity: { invocationId: string; runStartedAt: number }): WorkerEngineOptions {
  // Not the code stores: workers render for the parse, which never uses the models' (their macro files are
  // compiled from their text, as before), and a store is an object of this thread.
  const data = Object.fromEntries(Object.entries(options).filter(([k, v]) => typeof v !== 'function' && k !== 'codeCache' && k !== 'macroCodeCache')) as WorkerEngineOptions;
  const columnLabels = options.columnConventions?.(options.adapterType)?.labels;
  // Vars as entries: a worker would otherwise see `{2024: …, 2023: …}` in JavaScript's key order (dict-wire.ts).
  const vars = dictsToWire(options.vars) as Record<string, unknown>;
  const packageVars = options.packageVars && (dictsToWire(options.packageVars) as Record<string, Record<string, unknown>>);
  return { ...data, vars, ...(packageVars ? { packageVars } : {}), ...(columnLabels ? { columnLabels } : {}), identity };
}

/** `secret('NAME')` references for every literal name in the files and the macros; others are rendered on the main thread. */
export function secretReferences(options: TemplateEnvironmentOptions, jobs: ParseRenderJob[]): Record<string, string> {
  const refs: Record<string, string> = {};
  const reference = options.secretReference;
  if (!reference) return refs;
  const texts = [...jobs.map((j) => j.source), ...options.macroFiles.map((f) => f.contents)];
  for (const text of texts) {
    if (!text.includes('secret')) continue;
    for (const m of text.matchAll(/\bsecret\s*\(\s*['"]([^'"]+)['"]/g)) refs[m[1]!] ??= reference(m[1]!);
  }
  return refs;
}
