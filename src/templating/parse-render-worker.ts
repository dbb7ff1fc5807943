/**
 * A parse-render worker thread (parse-render-pool.ts): builds an engine from the main thread's options, then
 * takes batches of files from the shared counter until none are left, posting each batch's outcomes.
 */
import { workerData } from 'node:worker_threads';
import { JinjaTemplateEngine } from './template-engine.js';
import { dictsFromWire } from './jinja/index.js';
import { PARSE_RENDER_THREAD, type RenderEffect, type RenderOutcome, type WorkerBatch, type WorkerInput } from './parse-render-pool.js';

const input = workerData as WorkerInput | undefined;
if (input?.thread === PARSE_RENDER_THREAD) work(input);

function work(input: WorkerInput): void {
  const counters = new Int32Array(input.shared);
  let effects: RenderEffect[] = [];
  let redo = false;
  const { columnLabels, ...options } = input.options;
  const mainThreadOnly = <T>(value: T) => (): T => {
    redo = true;
    return value;
  };
  const engine = new JinjaTemplateEngine({
    ...options,
    vars: dictsFromWire(options.vars) as Record<string, unknown>,
    ...(options.packageVars ? { packageVars: dictsFromWire(options.packageVars) as Record<string, Record<string, unknown>> } : {}),
    columnConventions: columnLabels ? () => ({ labels: columnLabels, stringType: mainThreadOnly(''), quote: mainThreadOnly(''), numericType: mainThreadOnly(''), literal: mainThreadOnly('') }) : undefined,
    // The main thread compiled every macro file already (or its snapshot proved they compile).
    deferMacroCompile: true,
    secretReference: (name) => {
      const known = input.secretRefs[name];
      if (known === undefined) redo = true;
      return known ?? '';
    },
    onSecret: (name, value) => effects.push({ secret: [name, value] }),
    log: (message) => effects.push({ log: message }),
  });
  for (;;) {
    const start = Atomics.add(counters, 0, input.batch);
    if (start >= input.jobs.length) break;
    const out: RenderOutcome[] = [];
    for (let i = start; i < Math.min(start + input.batch, input.jobs.length); i++) {
      effects = [];
      redo = false;
      const job = input.jobs[i]!;
      const result = engine.parseRender(job.node, job.source);
      out.push(redo ? { result, effects, redo, byWorker: true } : { result, effects, byWorker: true });
    }
    input.port.postMessage({ start, text: JSON.stringify(out) } satisfies WorkerBatch);
    Atomics.add(counters, 1, 1);
    Atomics.notify(counters, 1);
  }
  input.port.close();
}
