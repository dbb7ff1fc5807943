/**
 * The hook a node's failure came from, remembered with the warehouse's error (which says nothing of it), so the
 * run's diagnostic can name the hook and where it is written (execute/write-conflict.ts).
 */
import type { HookPlace } from './hook-in-transaction.js';

export interface FailedHook {
  place: HookPlace;
  /** 0-based, in the node's whole list of `place` hooks. */
  index: number;
  /** The rendered statement that failed. */
  sql: string;
}

const failures = new WeakMap<object, FailedHook>();

/** Runs a hook's statement; a failure is remembered as this hook's. */
export async function asHook<T>(hook: FailedHook, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e && typeof e === 'object' && !failures.has(e)) failures.set(e, hook);
    throw e;
  }
}

/** The hook whose statement raised `error`, if one did. */
export function failedHook(error: unknown): FailedHook | undefined {
  if (!error || typeof error !== 'object') return undefined;
  // A wrapped error (a block's, made with Object.create) reaches the original through its prototype.
  for (let e: object | null = error; e && e !== Error.prototype; e = Object.getPrototypeOf(e) as object | null) {
    const found = failures.get(e);
    if (found) return found;
  }
  return undefined;
}
