/**
 * Dicts across a thread boundary. A structured clone (`workerData`, `postMessage`) keeps an object's properties
 * but not what a dict remembers beside them: its keys' order (dict-order.ts) and their types (`{1: 'jan'}`).
 * So each dict travels as its list of entries and is rebuilt on the other side.
 */
import { dictKeys, isDict, keyString, setKey } from './values.js';

const ENTRIES = '__strata_dict_entries__';

/** The value with each dict (at any depth, in lists too) as `{ [ENTRIES]: [key, value][] }`. */
export function dictsToWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dictsToWire);
  if (isDict(v)) return { [ENTRIES]: dictKeys(v).map((k) => [k, dictsToWire(v[keyString(k)])]) };
  return v;
}

/** The value `dictsToWire` was given, rebuilt from its clone. */
export function dictsFromWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dictsFromWire);
  if (v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, ENTRIES)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of (v as Record<string, [unknown, unknown][]>)[ENTRIES]!) setKey(out, k, dictsFromWire(x));
    return out;
  }
  return v;
}
