/**
 * Bounds on what one render may do, so a runaway template stops with an error at its file and line instead of
 * running for hours, exhausting memory or overflowing the native stack: loop iterations (all loops of the
 * render, macros' included), macro call depth, and the size of the text and lists it builds. dbt's sandbox
 * bounds only `range()` (at 100,000 items, as `MAX_RANGE` here); the rest are Strata's, set by env vars.
 */
import { RenderLocalStorage } from './render-local-storage.js';
import { JinjaError } from './errors.js';

export interface TemplateLimits {
  /** Loop iterations one render may run in total (`STRATA_TEMPLATE_MAX_ITERATIONS`). */
  iterations: number;
  /** Macros calling macros, this many deep at most (`STRATA_TEMPLATE_MAX_DEPTH`). */
  depth: number;
  /** Characters of output, or of one string, a render may build (`STRATA_TEMPLATE_MAX_OUTPUT`). */
  output: number;
}

export const DEFAULT_LIMITS: Readonly<TemplateLimits> = { iterations: 10_000_000, depth: 250, output: 200_000_000 };

const ENV: Record<keyof TemplateLimits, string> = {
  iterations: 'STRATA_TEMPLATE_MAX_ITERATIONS',
  depth: 'STRATA_TEMPLATE_MAX_DEPTH',
  output: 'STRATA_TEMPLATE_MAX_OUTPUT',
};

/** The limits from the environment (a value that is not a positive whole number keeps the default). */
export function limitsFrom(env: Record<string, string | undefined>): TemplateLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV) as (keyof TemplateLimits)[]) {
    const raw = env[ENV[key]]?.replace(/[_,]/g, '');
    const n = raw ? Number(raw) : NaN;
    if (Number.isSafeInteger(n) && n > 0) out[key] = n;
  }
  return out;
}

/** The limits in force; read once from the process environment. */
export const limits: TemplateLimits = limitsFrom(process.env);

/** What one render has spent so far. */
export class RenderBudget {
  iterations = 0;
  depth = 0;
}

let syncBudget: RenderBudget | undefined;
const asyncBudget = new RenderLocalStorage<RenderBudget>();

/** The budget of the render running now, if any. */
export function currentBudget(): RenderBudget | undefined {
  return syncBudget ?? asyncBudget.getStore();
}

/** Runs `fn` with a fresh budget unless a render is already running (a nested render shares its budget). */
export function withBudget<T>(isAsync: boolean, fn: () => T): T {
  if (currentBudget()) return fn();
  const budget = new RenderBudget();
  if (isAsync) return asyncBudget.run(budget, fn);
  syncBudget = budget;
  try {
    return fn();
  } finally {
    syncBudget = undefined;
  }
}

/** A budget for a loop to count into: the render's, or a loop's own when called outside any render. */
export const loopBudget = (): RenderBudget => currentBudget() ?? new RenderBudget();

export function tooManyIterations(): never {
  throw new JinjaError('runtime', `this render ran more than ${limits.iterations.toLocaleString('en-US')} loop iterations (${ENV.iterations}); a loop nested in a loop over large ranges never ends in practice`);
}

export function outputTooLarge(length: number): never {
  throw new JinjaError('runtime', `this render built ${length.toLocaleString('en-US')} characters of text, more than ${limits.output.toLocaleString('en-US')} (${ENV.output})`);
}

/** Checks a string a template is about to build (`'x' * n`, `a ~ b`) before memory is spent on it. */
export function checkLength(length: number): void {
  if (length > limits.output) throw new JinjaError('runtime', `this string would have ${length.toLocaleString('en-US')} characters, more than ${limits.output.toLocaleString('en-US')} (${ENV.output})`);
}

/** A list a template is about to build by repetition (`[x] * n`). */
export function checkItems(count: number): void {
  if (count > limits.iterations) throw new JinjaError('runtime', `this list would have ${count.toLocaleString('en-US')} items, more than ${limits.iterations.toLocaleString('en-US')} (${ENV.iterations})`);
}

/** A macro call went deeper than the limit: undo its count and stop the render. */
export function tooDeep(budget: RenderBudget, name: string): never {
  budget.depth--;
  throw new JinjaError('runtime', `macro '${name}' was called more than ${limits.depth} levels deep (${ENV.depth}): a macro that calls itself without an end`);
}
