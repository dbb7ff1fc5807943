/**
 * Python behaviour dbt models rely on, for nunjucks: string methods (`'a,b'.split(',')`,
 * `.upper()`, `.replace()` replacing all), extra list/dict methods, and `modules.datetime` / `modules.re`.
 * nunjucks' own installJinjaCompat covers dict `.items()`/`.get()` and list `.append()`.
 */
import nunjucks from 'nunjucks';
import { installPythonSyntax } from './python-syntax.js';
import { pyFormat, pyRepr, pyTuple } from './python-values.js';
import { splitArgs } from './call-args.js';
import { datetimeModule } from './python-datetime.js';

type Fn = (...args: unknown[]) => unknown;

const stripChars = (s: string, chars: unknown, left: boolean, right: boolean): string => {
  if (chars === undefined || chars === null) return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
  const set = new Set(String(chars));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a]!)) a++;
  if (right) while (b > a && set.has(s[b - 1]!)) b--;
  return s.slice(a, b);
};

const STRING_MEMBERS: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  strip: (s, c) => stripChars(s, c, true, true),
  lstrip: (s, c) => stripChars(s, c, true, false),
  rstrip: (s, c) => stripChars(s, c, false, true),
  split: (s, sep, max) => {
    const parts = sep === undefined || sep === null ? s.trim().split(/\s+/).filter(Boolean) : s.split(String(sep));
    if (typeof max === 'number' && max >= 0 && parts.length > max + 1) return [...parts.slice(0, max), parts.slice(max).join(String(sep ?? ' '))];
    return parts;
  },
  startswith: (s, p) => (Array.isArray(p) ? p.some((x) => s.startsWith(String(x))) : s.startsWith(String(p))),
  endswith: (s, p) => (Array.isArray(p) ? p.some((x) => s.endsWith(String(x))) : s.endsWith(String(p))),
  replace: (s, a, b, count) => {
    const parts = s.split(String(a));
    const n = count === undefined || Number(count) < 0 ? parts.length : Number(count) + 1;
    return parts.slice(0, n).join(String(b)) + (n < parts.length ? String(a) + parts.slice(n).join(String(a)) : '');
  },
  // Python's title(): a letter after anything that is not a letter starts a word (`a_b` → `A_B`).
  title: (s) => s.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  index: (s, sub) => {
    const i = s.indexOf(String(sub));
    if (i < 0) throw new Error('substring not found');
    return i;
  },
  ljust: (s, n, c = ' ') => s.padEnd(Number(n), String(c)),
  rjust: (s, n, c = ' ') => s.padStart(Number(n), String(c)),
  capitalize: (s) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  join: (s, items) => (Array.isArray(items) ? items.map(String).join(s) : ''),
  find: (s, sub) => s.indexOf(String(sub)),
  count: (s, sub) => s.split(String(sub)).length - 1,
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isupper: (s) => s.toUpperCase() === s && s.toLowerCase() !== s,
  islower: (s) => s.toLowerCase() === s && s.toUpperCase() !== s,
  format: (s, ...args) => {
    const { pos, kw } = splitArgs(args);
    return pyFormat(s, pos, kw);
  },
  zfill: (s, n) => s.padStart(Number(n), '0'),
};

/** Python's `seq[start:stop:step]`: bounds clamped, negatives from the end, a string stays a string. */
function pySlice(seq: unknown[] | string, start: unknown, stop: unknown, step: unknown): unknown[] | string {
  const n = seq.length;
  const by = step === null || step === undefined ? 1 : Number(step);
  if (by === 0) throw new Error('slice step cannot be zero');
  const bound = (i: unknown, whenNone: number): number => {
    if (i === null || i === undefined) return whenNone;
    const k = Number(i) < 0 ? Number(i) + n : Number(i);
    return by > 0 ? Math.min(Math.max(k, 0), n) : Math.min(Math.max(k, -1), n - 1);
  };
  const from = bound(start, by > 0 ? 0 : n - 1);
  const to = bound(stop, by > 0 ? n : -1);
  const out: unknown[] = [];
  for (let i = from; by > 0 ? i < to : i > to; i += by) out.push(seq[i]);
  return typeof seq === 'string' ? out.join('') : out;
}

const ARRAY_EXTRA: Record<string, (a: unknown[], ...x: unknown[]) => unknown> = {
  // Python's list methods return None, which `{{ l.append(x) }}` prints.
  append: (a, x) => {
    a.push(x);
    return null;
  },
  insert: (a, i, x) => {
    a.splice(Number(i) < 0 ? Math.max(0, a.length + Number(i)) : Number(i), 0, x);
    return null;
  },
  remove: (a, x) => {
    const i = a.indexOf(x);
    if (i < 0) throw new Error('list.remove(x): x not in list');
    a.splice(i, 1);
    return null;
  },
  index: (a, x) => {
    const i = a.indexOf(x);
    if (i < 0) throw new Error(`${pyRepr(x)} is not in list`);
    return i;
  },
  count: (a, x) => a.filter((y) => y === x).length,
  // Python's list.pop: the item (nunjucks' gives a list), from the end by default or at an index.
  pop: (a, index) => {
    const i = index === undefined ? a.length - 1 : Number(index) < 0 ? Number(index) + a.length : Number(index);
    if (i < 0 || i >= a.length) throw new Error('pop index out of range');
    return a.splice(i, 1)[0];
  },
  extend: (a, more) => {
    if (Array.isArray(more)) a.push(...more);
    return null;
  },
  copy: (a) => [...a],
  // Python's order: numbers by value (JavaScript's default sort compares them as text), then `reverse=True`.
  sort: (a, ...args) => {
    const kw = (args.find((x) => !!x && typeof x === 'object' && (x as { __keywords?: boolean }).__keywords) ?? {}) as { reverse?: unknown };
    a.sort((x, y) => ((x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0));
    if (kw.reverse) a.reverse();
    return null;
  },
  reverse: (a) => {
    a.reverse();
    return null;
  },
};

/** What `namespace(…)` makes: attributes only, whatever their names (`items`, `keys`). */
export class Namespace {
  constructor(values: Record<string, unknown>) {
    Object.assign(this, values);
  }
}

let installed = false;

/** Installs nunjucks' Jinja compatibility, Python's operators (python-syntax.ts) and the methods above (once per process). */
export function installPythonShims(): void {
  if (installed) return;
  installed = true;
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: { memberLookup: Fn } }).runtime;
  installPythonSyntax(nunjucks, runtime as unknown as Record<string, unknown>);
  const base = runtime.memberLookup;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    // A slice `x[a:b:c]` comes as the start and two more arguments.
    if (rest.length === 2 && (Array.isArray(obj) || typeof obj === 'string')) return pySlice(obj, val, rest[0], rest[1]);
    // A callable with attributes of its own (`datetime`, callable and with `datetime.now()`): nunjucks would
    // hand back a bare wrapper without them.
    if (obj && (typeof obj === 'object' || typeof obj === 'function') && typeof val === 'string') {
      const f = (obj as Record<string, unknown>)[val];
      if (typeof f === 'function' && Object.keys(f).length) return Object.assign((...a: unknown[]) => (f as Fn).apply(obj, a), f);
    }
    // A namespace's attributes win over the dict methods nunjucks adds (`ns.items` is the list set on it).
    if (obj instanceof Namespace && typeof val === 'string' && Object.prototype.hasOwnProperty.call(obj, val)) return (obj as unknown as Record<string, unknown>)[val];
    // Python's negative indexes count from the end: `name.split('.')[-1]`.
    if (typeof val === 'number' && val < 0 && (Array.isArray(obj) || typeof obj === 'string')) return obj[obj.length + val];
    if (typeof obj === 'string' && typeof val === 'string' && Object.prototype.hasOwnProperty.call(STRING_MEMBERS, val)) {
      const f = STRING_MEMBERS[val]!;
      return (...a: unknown[]) => f(obj, ...a);
    }
    if (Array.isArray(obj) && typeof val === 'string' && Object.prototype.hasOwnProperty.call(ARRAY_EXTRA, val)) {
      const f = ARRAY_EXTRA[val]!;
      return (...a: unknown[]) => f(obj, ...a);
    }
    // An object's own methods win over the Python dict methods installJinjaCompat adds (agate's `column.values()`).
    if (obj && typeof obj === 'object' && typeof val === 'string' && Object.prototype.hasOwnProperty.call(obj, val) && typeof (obj as Record<string, unknown>)[val] === 'function') {
      const f = (obj as Record<string, Fn>)[val]!;
      return (...a: unknown[]) => f.apply(obj, a);
    }
    // dict.items() gives (key, value) tuples.
    if (val === 'items' && obj && typeof obj === 'object' && !Array.isArray(obj) && !('items' in (obj as object))) {
      return () => Object.entries(obj as object).filter(([k]) => k !== '__keywords').map((pair) => pyTuple(pair));
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && val === 'copy' && !('copy' in (obj as object))) {
      return () => ({ ...(obj as object) });
    }
    return base.call(this, obj, val, ...rest);
  };
}

export function pythonModules(now: () => Date): Record<string, unknown> {
  return {
    datetime: datetimeModule(now),
    re: {
      search: (p: string, s: string) => new RegExp(p).exec(s),
      match: (p: string, s: string) => new RegExp(`^(?:${p})`).exec(s),
      fullmatch: (p: string, s: string) => new RegExp(`^(?:${p})$`).exec(s),
      sub: (p: string, r: string, s: string) => s.replace(new RegExp(p, 'g'), r.replace(/\\(\d)/g, '$$$1')),
      findall: (p: string, s: string) => [...s.matchAll(new RegExp(p, 'g'))].map((m) => (m.length > 1 ? m[1] : m[0])),
      split: (p: string, s: string) => s.split(new RegExp(p)),
      compile: (p: string) => ({ search: (s: string) => new RegExp(p).exec(s), match: (s: string) => new RegExp(`^(?:${p})`).exec(s) }),
      escape: (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      IGNORECASE: 2,
      I: 2,
    },
    itertools: {},
    pytz: { utc: 'UTC', timezone: (z: string) => z },
  };
}
