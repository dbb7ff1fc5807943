import type { MaterializeResult } from './types.js';

/**
 * A node whose change was committed before a later statement failed: an after-commit hook, or on a warehouse
 * without transactions (BigQuery) a post-hook. Nothing rolls the change back, so the caller can tell it apart
 * from a failure that left the previous relation (after Ctrl-C: the change stands, only the hooks were cancelled).
 */
export class ChangeCommittedError extends Error {
  constructor(readonly result: MaterializeResult, readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'ChangeCommittedError';
  }
}
