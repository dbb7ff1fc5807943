/** Python's str, list and dict methods, bound to a value when a template reads `value.method`. */
import { JinjaError } from './errors.js';
import { pyFormat } from './formatting.js';
import { num } from './py-number.js';
import { assignDict, compare, deleteDictKey, contains, dictKeys, equals, isDict, isTuple, iterate, keyString, setKey, str, tuple, typeName, view } from './values.js';
import { splitKw } from './call-args.js';

type Method = (self: never, ...args: unknown[]) => unknown;

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) return left && right ? s.replace(/^\s+|\s+$/g, '') : left ? s.replace(/^\s+/, '') : s.replace(/\s+$/, '');
  const set = new Set(String(chars));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a]!)) a++;
  if (right) while (b > a && set.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function split(s: string, sep: unknown, max: unknown, fromRight: boolean): string[] {
  const limit = max === undefined || max === null ? -1 : num(max);
  if (sep === undefined || sep === null) {
    const words = s.split(/\s+/).filter(Boolean);
    if (limit < 0 || words.length <= limit + 1) return words;
    if (!fromRight) {
      const out: string[] = [];
      let rest = s.replace(/^\s+/, '');
      for (let i = 0; i < limit; i++) {
        const m = /^(\S+)\s+/.exec(rest)!;
        out.push(m[1]!);
        rest = rest.slice(m[0].length);
      }
      return [...out, rest];
    }
    return [words.slice(0, words.length - limit).join(' '), ...words.slice(words.length - limit)];
  }
  const sepText = String(sep);
  if (sepText === '') throw new JinjaError('value', 'empty separator');
  const parts = s.split(sepText);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return fromRight ? [parts.slice(0, parts.length - limit).join(sepText), ...parts.slice(parts.length - limit)] : [...parts.slice(0, limit), parts.slice(limit).join(sepText)];
}

function find(s: string, sub: unknown, start: unknown, end: unknown, last: boolean): number {
  const from = start === undefined || start === null ? 0 : normIndex(num(start), s.length);
  const to = end === undefined || end === null ? s.length : normIndex(num(end), s.length);
  const hay = s.slice(0, to);
  const i = last ? hay.lastIndexOf(String(sub)) : hay.indexOf(String(sub), from);
  return i >= from ? i : -1;
}

/** Python's `s.replace('', x)`: x before every character and at the end. */
function replaceEmpty(s: string, by: string, count: number): string {
  const chars = [...s];
  let out = '';
  let n = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (count < 0 || n < count) {
      out += by;
      n++;
    }
    out += chars[i] ?? '';
  }
  return out;
}

const normIndex = (i: number, len: number): number => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));

const prefixTest = (s: string, p: unknown, test: (x: string) => boolean): boolean => {
  if (Array.isArray(p) && isTuple(p)) return p.some((x) => test(String(x)));
  if (typeof p !== 'string') throw new JinjaError('type', `startswith first arg must be str or a tuple of str, not ${typeName(p)}`);
  return test(p);
};

const STRING: Record<string, Method> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  casefold: (s: string) => s.toLowerCase(),
  strip: (s: string, c?: unknown) => stripChars(s, c, true, true),
  lstrip: (s: string, c?: unknown) => stripChars(s, c, true, false),
  rstrip: (s: string, c?: unknown) => stripChars(s, c, false, true),
  split: (s: string, ...a: unknown[]) => { const { pos, kw } = splitKw(a); return split(s, pos[0] ?? kw.sep, pos[1] ?? kw.maxsplit, false); },
  rsplit: (s: string, ...a: unknown[]) => { const { pos, kw } = splitKw(a); return split(s, pos[0] ?? kw.sep, pos[1] ?? kw.maxsplit, true); },
  splitlines: (s: string, keep?: unknown) => { const parts = s.split(/(\r\n|\n|\r)/); const out: string[] = []; for (let i = 0; i < parts.length; i += 2) { const line = parts[i]! + (keep ? parts[i + 1] ?? '' : ''); if (i < parts.length - 1 || parts[i]) out.push(line); } return out; },
  startswith: (s: string, p: unknown) => prefixTest(s, p, (x) => s.startsWith(x)),
  endswith: (s: string, p: unknown) => prefixTest(s, p, (x) => s.endsWith(x)),
  replace: (s: string, a: unknown, b: unknown, count?: unknown) => {
    const from = String(a);
    if (from === '') return replaceEmpty(s, String(b), count === undefined ? -1 : num(count));
    const parts = s.split(from);
    const n = count === undefined || num(count) < 0 ? parts.length : num(count) + 1;
    return parts.slice(0, n).join(String(b)) + (n < parts.length ? from + parts.slice(n).join(from) : '');
  },
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  swapcase: (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  find: (s: string, sub: unknown, st?: unknown, en?: unknown) => find(s, sub, st, en, false),
  rfind: (s: string, sub: unknown, st?: unknown, en?: unknown) => find(s, sub, st, en, true),
  index: (s: string, sub: unknown, st?: unknown, en?: unknown) => { const i = find(s, sub, st, en, false); if (i < 0) throw new JinjaError('value', 'substring not found'); return i; },
  rindex: (s: string, sub: unknown) => { const i = s.lastIndexOf(String(sub)); if (i < 0) throw new JinjaError('value', 'substring not found'); return i; },
  count: (s: string, sub: unknown) => (String(sub) === '' ? s.length + 1 : s.split(String(sub)).length - 1),
  join: (s: string, items: unknown) => iterate(items).map((x) => { if (typeof x !== 'string') throw new JinjaError('type', `sequence item: expected str instance, ${typeName(x)} found`); return x; }).join(s),
  format: (s: string, ...a: unknown[]) => { const { pos, kw } = splitKw(a); return pyFormat(s, pos, kw); },
  zfill: (s: string, w: unknown) => { const sign = /^[+-]/.test(s) ? s[0]! : ''; return sign + s.slice(sign.length).padStart(num(w) - sign.length, '0'); },
  ljust: (s: string, w: unknown, c: unknown = ' ') => s.padEnd(num(w), String(c)),
  rjust: (s: string, w: unknown, c: unknown = ' ') => s.padStart(num(w), String(c)),
  center: (s: string, w: unknown, c: unknown = ' ') => { const pad = Math.max(0, num(w) - s.length); const left = Math.floor(pad / 2) + (pad % 2 && num(w) % 2 ? 1 : 0); return String(c).repeat(left) + s + String(c).repeat(pad - left); },
  isdigit: (s: string) => /^\d+$/.test(s),
  isnumeric: (s: string) => /^\d+$/.test(s),
  isdecimal: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^\p{L}+$/u.test(s),
  isalnum: (s: string) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s: string) => /^\s+$/.test(s),
  isupper: (s: string) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s),
  islower: (s: string) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s),
  istitle: (s: string) => /[A-Za-z]/.test(s) && s === STRING.title!(s as never),
  isidentifier: (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s),
  partition: (s: string, sep: unknown) => { const i = s.indexOf(String(sep)); return i < 0 ? tuple([s, '', '']) : tuple([s.slice(0, i), String(sep), s.slice(i + String(sep).length)]); },
  rpartition: (s: string, sep: unknown) => { const i = s.lastIndexOf(String(sep)); return i < 0 ? tuple(['', '', s]) : tuple([s.slice(0, i), String(sep), s.slice(i + String(sep).length)]); },
  removeprefix: (s: string, p: unknown) => (s.startsWith(String(p)) ? s.slice(String(p).length) : s),
  removesuffix: (s: string, p: unknown) => (String(p) && s.endsWith(String(p)) ? s.slice(0, -String(p).length) : s),
  encode: (s: string) => s,
  expandtabs: (s: string, n: unknown = 8) => { const size = num(n); let col = 0; let out = ''; for (const ch of s) { if (ch === '\t') { const pad = size > 0 ? size - (col % size) : 0; out += ' '.repeat(pad); col += pad; } else { out += ch; col = ch === '\n' || ch === '\r' ? 0 : col + 1; } } return out; },
};

const checkIndex = (list: unknown[], i: number, what: string): number => {
  const at = i < 0 ? list.length + i : i;
  if (at < 0 || at >= list.length) throw new JinjaError('index', `${what} index out of range`);
  return at;
};

const sortKey = (kw: Record<string, unknown>) => (a: unknown, b: unknown): number => compare(a, b, '<') * (kw.reverse ? -1 : 1);

const TUPLE_METHODS: Record<string, Method> = {
  index: (l: unknown[], ...a: unknown[]) => { if (!a.length) throw new JinjaError('type', 'index expected at least 1 argument, got 0'); const x = a[0]; const i = l.findIndex((y) => equals(x, y)); if (i < 0) throw new JinjaError('value', `${str(x)} is not in list`); return i; },
  count: (l: unknown[], x: unknown) => l.filter((y) => equals(x, y)).length,
};

const LIST: Record<string, Method> = {
  ...TUPLE_METHODS,
  append: (l: unknown[], x: unknown) => { l.push(x); return null; },
  extend: (l: unknown[], x: unknown) => { l.push(...iterate(x)); return null; },
  insert: (l: unknown[], i: unknown, x: unknown) => { const n = num(i); l.splice(n < 0 ? Math.max(0, l.length + n) : n, 0, x); return null; },
  pop: (l: unknown[], i?: unknown) => { if (!l.length) throw new JinjaError('index', 'pop from empty list'); return l.splice(checkIndex(l, i === undefined ? -1 : num(i), 'pop'), 1)[0]; },
  remove: (l: unknown[], x: unknown) => { const i = l.findIndex((y) => equals(x, y)); if (i < 0) throw new JinjaError('value', 'list.remove(x): x not in list'); l.splice(i, 1); return null; },
  reverse: (l: unknown[]) => { l.reverse(); return null; },
  sort: (l: unknown[], ...a: unknown[]) => { l.sort(sortKey(splitKw(a).kw)); return null; },
  copy: (l: unknown[]) => [...l],
  clear: (l: unknown[]) => { l.length = 0; return null; },
};

/** `dict.update(iterable)`: each item a (key, value) pair, as Python checks. */
function pairs(items: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  iterate(items).forEach((item, i) => {
    const pair = iterate(item);
    if (pair.length !== 2) throw new JinjaError('value', `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
    setKey(out, pair[0], pair[1]);
  });
  return out;
}

const DICT: Record<string, Method> = {
  items: (d: Record<string, unknown>) => view(dictKeys(d).map((k) => tuple([k, d[keyString(k)]])), 'dict_items'),
  keys: (d: Record<string, unknown>) => view(dictKeys(d), 'dict_keys'),
  values: (d: Record<string, unknown>) => view(dictKeys(d).map((k) => d[keyString(k)]), 'dict_values'),
  fromkeys: (_d: Record<string, unknown>, keys: unknown, value: unknown = null) => { const out: Record<string, unknown> = {}; for (const k of iterate(keys)) setKey(out, k, value); return out; },
  get: (d: Record<string, unknown>, k: unknown, def: unknown = null) => (contains(d, k) ? d[keyString(k)] : def),
  update: (d: Record<string, unknown>, ...a: unknown[]) => { const { pos, kw } = splitKw(a); if (pos[0] !== undefined) assignDict(d, isDict(pos[0]) ? pos[0] : pairs(pos[0])); assignDict(d, kw); return null; },
  pop: (d: Record<string, unknown>, k: unknown, ...def: unknown[]) => { const key = keyString(k); if (key in d) { const v = d[key]; deleteDictKey(d, k); return v; } if (def.length) return def[0]; throw new JinjaError('key', str(k)); },
  setdefault: (d: Record<string, unknown>, k: unknown, def: unknown = null) => { const key = keyString(k); if (!(key in d)) setKey(d, k, def); return d[key]; },
  copy: (d: Record<string, unknown>) => assignDict({}, d),
  clear: (d: Record<string, unknown>) => { for (const k of dictKeys(d)) deleteDictKey(d, k); return null; },
  popitem: (d: Record<string, unknown>) => { const keys = dictKeys(d); if (!keys.length) throw new JinjaError('key', "'popitem(): dictionary is empty'"); const k = keys[keys.length - 1]; const v = d[keyString(k)]; deleteDictKey(d, k); return tuple([k, v]); },
};

/** The bound method `name` of a str, list, tuple or dict, or undefined. */
export function boundMethod(obj: unknown, name: string): ((...a: unknown[]) => unknown) | undefined {
  const table = typeof obj === 'string' ? STRING : Array.isArray(obj) ? (isTuple(obj) ? TUPLE_METHODS : LIST) : isDict(obj) ? DICT : undefined;
  const m = table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!m) return undefined;
  const bound = (...args: unknown[]) => m(obj as never, ...args);
  Object.defineProperty(bound, 'name', { value: name });
  return markPython(bound);
}

const PYTHON = Symbol.for('strata.jinja.python-callable');
/** Marks a function that understands the engine's values (floats, keyword objects) as they are. */
export function markPython<T extends (...a: never[]) => unknown>(fn: T): T {
  (fn as unknown as Record<symbol, boolean>)[PYTHON] = true;
  return fn;
}
export const isPythonCallable = (fn: unknown): boolean => typeof fn === 'function' && (fn as unknown as Record<symbol, boolean>)[PYTHON] === true;
