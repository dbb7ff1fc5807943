/** Python's `json.dumps` with its defaults (`", "` and `": "` separators, ASCII output), as `tojson` calls it. */
import { PyFloat, floatRepr } from './py-number.js';
import { Undefined, compare, dictKeys, isDict, keyString } from './values.js';
import { JinjaError } from './errors.js';

export function pyJsonDumps(value: unknown, options: { sortKeys?: boolean; indent?: number } = {}): string {
  const ascii = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const pad = (depth: number): string => (options.indent === undefined ? '' : `\n${' '.repeat(options.indent * depth)}`);
  const sep = options.indent === undefined ? ', ' : ',';
  const number = (n: number): string => (Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : Number.isInteger(n) ? String(n) : floatRepr(n));
  const dump = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return number(v);
    if (typeof v === 'bigint') return String(v);
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === 'string') return ascii(v);
    if (v instanceof Undefined) throw new JinjaError('type', 'Object of type Undefined is not JSON serializable');
    if (Array.isArray(v)) return v.length ? `[${pad(depth + 1)}${v.map((x) => dump(x, depth + 1)).join(sep + pad(depth + 1))}${pad(depth)}]` : '[]';
    const json = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return dump(json.call(v), depth);
    if (typeof v === 'object') {
      // Keys as given (a dict's int key 1 is written "1", and sorted as 1: json.dumps(sort_keys=True)).
      const d = v as Record<string, unknown>;
      let keys = isDict(v) ? dictKeys(d) : Object.keys(v).filter((k) => k !== '__keywords');
      if (options.sortKeys) keys = keys.sort((a, b) => compare(a, b, '<'));
      const items = keys.map((k) => `${ascii(jsonKey(k))}: ${dump(d[keyString(k)], depth + 1)}`);
      return items.length ? `{${pad(depth + 1)}${items.join(sep + pad(depth + 1))}${pad(depth)}}` : '{}';
    }
    return ascii(String(v));
  };
  return dump(value, 0);
}

/** A dict key as json.dumps writes it: True, False and None as `true`, `false`, `null`; numbers as their text. */
function jsonKey(k: unknown): string {
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (k === null) return 'null';
  return keyString(k);
}
