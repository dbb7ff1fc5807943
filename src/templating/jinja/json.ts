/** Python's `json.dumps` with its defaults (`", "` and `": "` separators, ASCII output), as `tojson` calls it. */
import { PyFloat, floatRepr } from './py-number.js';
import { Undefined, compare, dictKeys, isDict, keyString, setKey } from './values.js';
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

/** A key JavaScript would list first (`"2024":`): only then does a text need the ordered reader below. */
const INDEX_KEY = /"(?:0|[1-9]\d*)"\s*:/;

/**
 * `json.loads`: objects as dicts in the text's order (`{"2024": 1, "2023": 2}` iterates 2024 first, as in
 * Python). JSON.parse reads most texts; one with an integer-like key is read here, value by value, with
 * JSON.parse for each string and number. Throws a SyntaxError as JSON.parse does.
 */
export function pyJsonLoads(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (!INDEX_KEY.test(text)) return value;
  let at = 0;
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = at;
    const m = re.exec(text)!;
    at += m[0].length;
    return m[0];
  };
  const read = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const out: Record<string, unknown> = {};
      for (space(); text[at] !== '}'; space()) {
        if (text[at] === ',') at++;
        space();
        const key = JSON.parse(token(/"(?:[^"\\]|\\.)*"/y)) as string;
        space();
        at++; // the colon
        const v = read();
        if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else setKey(out, key, v);
      }
      at++;
      return out;
    }
    if (c === '[') {
      at++;
      const out: unknown[] = [];
      for (space(); text[at] !== ']'; space()) {
        if (text[at] === ',') at++;
        out.push(read());
      }
      at++;
      return out;
    }
    return JSON.parse(token(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null/y));
  };
  return read();
}
