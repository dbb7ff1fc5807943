/** Jinja2's built-in filters, with Python's semantics. */
import { JinjaError } from './errors.js';
import { getattr, getitem } from './access.js';
import { pyFormat, percentFormat } from './formatting.js';
import { PyFloat, isFloat, num } from './py-number.js';
import { TESTS } from './tests.js';
import { Undefined, compare, dictKeys, equals, isDict, isTuple, iterate, keyString, repr, setKey, str, truthy, tuple, typeName } from './values.js';
import { add } from './operators.js';
import { splitKw } from './call-args.js';
import { pyJsonDumps } from './json.js';
import { boundMethod } from './methods.js';

export type Filter = (value: unknown, args: unknown[], kw: Record<string, unknown>) => unknown;

/** `attribute='a.b'` or an index, as Jinja's make_attrgetter reads it. */
function attrGetter(attribute: unknown, def?: unknown): (v: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (v) => v;
  const parts = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (v) => {
    let cur = v;
    for (const p of parts) cur = getitem(cur, p);
    if (cur instanceof Undefined && def !== undefined) return def;
    return cur;
  };
}

const lowerIfString = (caseSensitive: unknown) => (v: unknown): unknown => (caseSensitive ? v : Array.isArray(v) ? tuple(v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x))) : typeof v === 'string' ? v.toLowerCase() : v);

const quotePlus = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const dictItems = (d: Record<string, unknown>): [unknown, unknown][] => dictKeys(d).map((k) => [k, d[keyString(k)]]);

/** pprint's order: dict keys sorted by their values (1 before 10; keys of different types by type name, as pprint's safe key). */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return isTuple(v) ? tuple(v.map(sortedDeep)) : v.map(sortedDeep);
  if (!isDict(v)) return v;
  const byKey = (a: unknown, b: unknown): number => (typeName(a) === typeName(b) ? compare(a, b, '<') : typeName(a) < typeName(b) ? -1 : 1);
  const out: Record<string, unknown> = {};
  for (const k of dictKeys(v).sort(byKey)) setKey(out, k, sortedDeep(v[keyString(k)]));
  return out;
}

function sortItems(items: unknown[], kw: Record<string, unknown>, reverse: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const getters = typeof attribute === 'string' && attribute.includes(',') ? attribute.split(',').map((x) => attrGetter(x.trim())) : undefined;
  const key = getters ? (v: unknown) => tuple(getters.map((g) => g(v))) : attrGetter(attribute);
  const fold = lowerIfString(caseSensitive);
  return [...items].sort((a, b) => compare(fold(key(a)), fold(key(b)), '<') * (truthy(reverse) ? -1 : 1));
}

function selectOrReject(value: unknown, args: unknown[], kw: Record<string, unknown>, keep: boolean, byAttr: boolean): unknown[] {
  // As Jinja's: a false value (None, empty) selects nothing rather than failing.
  const items = truthy(value) ? iterate(value) : [];
  const [first, ...rest] = args;
  const getter = byAttr ? attrGetter(first) : (v: unknown) => v;
  const testArgs = byAttr ? rest : args;
  const testName = testArgs[0] as string | undefined;
  const test = testName === undefined ? (v: unknown) => truthy(v) : (() => {
    const t = TESTS[testName];
    if (!t) throw new JinjaError('runtime', `No test named '${testName}'.`);
    return (v: unknown) => t(v, ...testArgs.slice(1));
  })();
  void kw;
  return items.filter((x) => test(getter(x)) === keep);
}

/** Python's round(): correctly rounded on the float's exact value, ties to even. */
function roundHalfEven(n: number, precision: number): number {
  if (!Number.isFinite(n)) return n;
  if (precision < 0 || precision > 20) {
    const f = 10 ** precision;
    return Math.round(n * f) / f;
  }
  const exact = Math.abs(n).toFixed(Math.min(100, precision + 80));
  const cut = exact.indexOf('.') + 1 + precision - (precision === 0 ? 1 : 0);
  const rest = exact.slice(precision === 0 ? exact.indexOf('.') + 1 : cut);
  const tie = /^50*$/.test(rest);
  if (!tie) return Number(n.toFixed(precision));
  const kept = Number(Math.abs(n).toFixed(precision + 1).slice(0, -1).replace(/\.$/, ''));
  const lastDigit = Number(kept.toFixed(precision).replace('.', '').slice(-1));
  const up = lastDigit % 2 === 1;
  const step = 10 ** -precision;
  const r = up ? kept + step : kept;
  return Math.sign(n) * Number(r.toFixed(precision));
}

function truncate(s: string, length = 255, killwords = false, end = '...', leeway = 5): string {
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + end;
}

function groupby(value: unknown, attribute: unknown, def: unknown, caseSensitive: unknown): unknown[] {
  const key = attrGetter(attribute, def);
  const fold = lowerIfString(caseSensitive);
  const sorted = [...iterate(value)].sort((a, b) => compare(fold(key(a)), fold(key(b)), '<'));
  const groups: { grouper: unknown; list: unknown[] }[] = [];
  for (const item of sorted) {
    const k = key(item);
    const last = groups[groups.length - 1];
    if (last && equals(fold(last.grouper), fold(k))) last.list.push(item);
    else groups.push({ grouper: k, list: [item] });
  }
  return groups.map((g) => Object.assign(tuple([g.grouper, g.list]), { grouper: g.grouper, list: g.list }));
}

function toInt(value: unknown, def: unknown = 0, base: unknown = 10): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || value instanceof PyFloat) return Math.trunc(num(value));
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string') {
    const t = value.trim().replace(/_/g, '');
    const b = num(base);
    if (b === 10 && /^[+-]?\d+$/.test(t)) return Number(t);
    if (b !== 10 && t && !Number.isNaN(parseInt(t, b))) return parseInt(t.replace(/^0[xob]/i, ''), b);
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Math.trunc(Number(t));
  }
  return def;
}

function toFloat(value: unknown, def: unknown = new Object()): unknown {
  const fallback = def instanceof Object && !(def instanceof PyFloat) && !Array.isArray(def) && Object.keys(def as object).length === 0 && Object.getPrototypeOf(def) === Object.prototype ? PyFloat.of(0) : def;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat) return PyFloat.of(num(value));
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return PyFloat.of(Number(t));
    if (/^[+-]?(inf|infinity)$/.test(t)) return PyFloat.of(t.startsWith('-') ? -Infinity : Infinity);
    if (/^[+-]?nan$/.test(t)) return PyFloat.of(NaN);
  }
  return fallback;
}

function indent(s: string, width: unknown = 4, first = false, blank = false): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(num(width));
  const lines = s.split('\n');
  return lines.map((l, i) => ((i === 0 && !first) || (!blank && !l.trim() && i > 0) ? l : pad + l)).join('\n');
}

const pick = (args: unknown[], kw: Record<string, unknown>, i: number, name: string, def?: unknown): unknown => (args.length > i ? args[i] : name in kw ? kw[name] : def);

export const FILTERS: Record<string, Filter> = {
  abs: (v) => (typeof v === 'string' || v === null || typeof v === 'object' && !(v instanceof PyFloat) ? (() => { throw new JinjaError('type', `bad operand type for abs(): '${typeName(v)}'`); })() : isFloat(v) ? PyFloat.of(Math.abs(num(v))) : typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(num(v))),
  attr: (v, a) => (isDict(v) ? (boundMethod(v, String(a[0])) ?? new Undefined(`'dict object' has no attribute '${String(a[0])}'`)) : getattr(v, String(a[0]))),
  batch: (v, a, kw) => {
    const size = num(pick(a, kw, 0, 'linecount'));
    const fill = pick(a, kw, 1, 'fill_with', null);
    const items = iterate(v);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    const last = out[out.length - 1];
    if (last && fill !== null && last.length < size) while (last.length < size) last.push(fill);
    return out;
  },
  capitalize: (v) => { const s = str(v); return s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s; },
  center: (v, a, kw) => { const s = str(v); const w = num(pick(a, kw, 0, 'width', 80)); const pad = Math.max(0, w - s.length); const left = Math.floor(pad / 2) + (pad % 2 && w % 2 ? 1 : 0); return ' '.repeat(left) + s + ' '.repeat(pad - left); },
  count: (v) => FILTERS.length!(v, [], {}),
  default: (v, a, kw) => { const def = pick(a, kw, 0, 'default_value', ''); const bool = truthy(pick(a, kw, 1, 'boolean', false)); return v instanceof Undefined || (bool && !truthy(v)) ? def : v; },
  dictsort: (v, a, kw) => {
    const cs = pick(a, kw, 0, 'case_sensitive', false);
    const by = pick(a, kw, 1, 'by', 'key');
    const rev = pick(a, kw, 2, 'reverse', false);
    const d = v as Record<string, unknown>;
    const items = dictKeys(d).map((k) => tuple([k, d[keyString(k)]]));
    const i = by === 'value' ? 1 : 0;
    const fold = lowerIfString(cs);
    return items.sort((x, y) => compare(fold(x[i]), fold(y[i]), '<') * (truthy(rev) ? -1 : 1));
  },
  escape: (v) => str(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
  filesizeformat: (v, a) => {
    const bytes = num(v);
    const binary = truthy(a[0]);
    const base = binary ? 1024 : 1000;
    const units = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
    if (bytes === 1) return '1 Byte';
    if (bytes < base) return `${bytes} Bytes`;
    let unit = 0;
    while (unit < units.length - 1 && bytes >= base ** (unit + 2)) unit++;
    return `${(bytes / base ** (unit + 1)).toFixed(1)} ${units[unit]}`;
  },
  first: (v) => { const items = iterate(v); return items.length ? items[0] : new Undefined('No first item, sequence was empty.'); },
  float: (v, a, kw) => toFloat(v, pick(a, kw, 0, 'default', new Object())),
  forceescape: (v) => FILTERS.escape!(v, [], {}),
  format: (v, a, kw) => {
    if (a.length && Object.keys(kw).length) throw new JinjaError('runtime', "can't handle positional and keyword arguments at the same time");
    return percentFormat(str(v), Object.keys(kw).length ? kw : tuple(a));
  },
  groupby: (v, a, kw) => groupby(v, pick(a, kw, 0, 'attribute'), pick(a, kw, 1, 'default'), pick(a, kw, 2, 'case_sensitive', false)),
  indent: (v, a, kw) => indent(str(v), pick(a, kw, 0, 'width', 4), truthy(pick(a, kw, 1, 'first', false)), truthy(pick(a, kw, 2, 'blank', false))),
  int: (v, a, kw) => toInt(v, pick(a, kw, 0, 'default', 0), pick(a, kw, 1, 'base', 10)),
  items: (v) => (v instanceof Undefined ? [] : dictKeys(v as Record<string, unknown>).map((k) => tuple([k, (v as Record<string, unknown>)[keyString(k)]]))),
  join: (v, a, kw) => { const sep = str(pick(a, kw, 0, 'd', '')); const get = attrGetter(pick(a, kw, 1, 'attribute')); return iterate(v).map((x) => str(get(x))).join(sep); },
  last: (v) => { const items = iterate(v); return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.'); },
  length: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return typeof v === 'string' ? [...v].length : v.length;
    if (isDict(v)) return Object.keys(v).length;
    if (v instanceof Undefined) return 0;
    const len = (v as { __len__?: () => number } | null)?.__len__;
    if (typeof len === 'function') return len.call(v);
    throw new JinjaError('type', `object of type '${typeName(v)}' has no len()`);
  },
  list: (v) => [...iterate(v)],
  lower: (v) => str(v).toLowerCase(),
  map: (v, a, kw) => {
    const items = truthy(v) ? iterate(v) : [];
    if (a.length === 0 && 'attribute' in kw) return items.map(attrGetter(kw.attribute, kw.default));
    const name = String(a[0]);
    const f = FILTERS[name];
    if (!f) throw new JinjaError('runtime', `No filter named '${name}'.`);
    return items.map((x) => f(x, a.slice(1), kw));
  },
  max: (v, a, kw) => { const items = iterate(v); if (!items.length) return new Undefined('No aggregated item, sequence was empty.'); const get = attrGetter(pick(a, kw, 1, 'attribute')); const fold = lowerIfString(pick(a, kw, 0, 'case_sensitive', false)); return items.reduce((m, x) => (compare(fold(get(x)), fold(get(m)), '>') > 0 ? x : m)); },
  min: (v, a, kw) => { const items = iterate(v); if (!items.length) return new Undefined('No aggregated item, sequence was empty.'); const get = attrGetter(pick(a, kw, 1, 'attribute')); const fold = lowerIfString(pick(a, kw, 0, 'case_sensitive', false)); return items.reduce((m, x) => (compare(fold(get(x)), fold(get(m)), '<') < 0 ? x : m)); },
  pprint: (v) => repr(sortedDeep(v)),
  random: (v) => { const items = iterate(v); if (!items.length) throw new JinjaError('index', 'Cannot choose from an empty sequence'); return items[Math.floor(Math.random() * items.length)]; },
  reject: (v, a, kw) => selectOrReject(v, a, kw, false, false),
  rejectattr: (v, a, kw) => selectOrReject(v, a, kw, false, true),
  replace: (v, a, kw) => { const s = str(v); const from = str(a[0]); const to = str(a[1]); const count = pick(a, kw, 2, 'count'); if (from === '') return boundMethod(s, 'replace')!(from, to, ...(count === undefined || count === null ? [] : [count])) as string; const parts = s.split(from); const n = count === undefined || count === null ? parts.length : num(count) + 1; return parts.slice(0, n).join(to) + (n < parts.length ? from + parts.slice(n).join(from) : ''); },
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iterate(v)].reverse()),
  round: (v, a, kw) => {
    const precision = num(pick(a, kw, 0, 'precision', 0));
    const method = String(pick(a, kw, 1, 'method', 'common'));
    if (!['common', 'ceil', 'floor'].includes(method)) throw new JinjaError('runtime', 'method must be common, ceil or floor');
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint' && !(v instanceof PyFloat)) throw new JinjaError('type', `type ${typeName(v)} doesn't define __round__ method`);
    if (!isFloat(v) && method === 'common') return typeof v === 'boolean' ? Number(v) : v;
    const n = num(v);
    const f = 10 ** precision;
    const r = method === 'ceil' ? Math.ceil(n * f) / f : method === 'floor' ? Math.floor(n * f) / f : roundHalfEven(n, precision);
    return PyFloat.of(r);
  },
  safe: (v) => str(v),
  select: (v, a, kw) => selectOrReject(v, a, kw, true, false),
  selectattr: (v, a, kw) => selectOrReject(v, a, kw, true, true),
  slice: (v, a, kw) => {
    const items = iterate(v);
    const slices = num(pick(a, kw, 0, 'slices'));
    const fill = pick(a, kw, 1, 'fill_with', null);
    const per = Math.floor(items.length / slices);
    const extra = items.length % slices;
    const out: unknown[][] = [];
    let offset = 0;
    for (let i = 0; i < slices; i++) {
      const start = offset + i * per;
      if (i < extra) offset++;
      const end = offset + (i + 1) * per;
      const part = items.slice(start, end);
      if (fill !== null && i >= extra && extra > 0) part.push(fill);
      out.push(part);
    }
    return out;
  },
  sort: (v, a, kw) => sortItems(iterate(v), kw, pick(a, kw, 0, 'reverse', false), pick(a, kw, 1, 'case_sensitive', false), pick(a, kw, 2, 'attribute')),
  string: (v) => str(v),
  striptags: (v) => str(v).replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
  sum: (v, a, kw) => { const get = attrGetter(pick(a, kw, 0, 'attribute')); return iterate(v).reduce((s, x) => add(s, get(x)), pick(a, kw, 1, 'start', 0)); },
  title: (v) => str(v).replace(/([\w]+)/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  tojson: (v, a, kw) => htmlSafeJson(pyJsonDumps(v, { sortKeys: true, ...(pick(a, kw, 0, 'indent') !== undefined ? { indent: num(pick(a, kw, 0, 'indent')) } : {}) })),
  trim: (v, a, kw) => { const chars = pick(a, kw, 0, 'chars'); const s = str(v); if (chars === undefined || chars === null) return s.replace(/^\s+|\s+$/g, ''); const set = new Set(String(chars)); let i = 0; let j = s.length; while (i < j && set.has(s[i]!)) i++; while (j > i && set.has(s[j - 1]!)) j--; return s.slice(i, j); },
  truncate: (v, a, kw) => truncate(str(v), num(pick(a, kw, 0, 'length', 255)), truthy(pick(a, kw, 1, 'killwords', false)), str(pick(a, kw, 2, 'end', '...')), num(pick(a, kw, 3, 'leeway', 5))),
  unique: (v, a, kw) => { const get = attrGetter(pick(a, kw, 1, 'attribute')); const fold = lowerIfString(pick(a, kw, 0, 'case_sensitive', false)); const seen: unknown[] = []; const out: unknown[] = []; for (const x of iterate(v)) { const k = fold(get(x)); if (!seen.some((s) => equals(s, k))) { seen.push(k); out.push(x); } } return out; },
  upper: (v) => str(v).toUpperCase(),
  urlencode: (v) => (isDict(v) ? dictItems(v).map(([k, x]) => `${quotePlus(str(k))}=${quotePlus(str(x))}`).join('&') : encodeURIComponent(str(v)).replace(/%2F/g, '/')),
  wordcount: (v) => (str(v).match(/\w+/g) ?? []).length,
  wordwrap: (v, a, kw) => { const width = num(pick(a, kw, 0, 'width', 79)); const words = str(v).split(/\s+/); const lines: string[] = []; let cur = ''; for (const w of words) { if (cur && (cur + ' ' + w).length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w; } if (cur) lines.push(cur); return lines.join(String(pick(a, kw, 2, 'wrapstring', '\n'))); },
  xmlattr: (v) => dictItems(v as Record<string, unknown>).filter(([, x]) => x !== null && !(x instanceof Undefined)).map(([k, x]) => ` ${k}="${FILTERS.escape!(x, [], {})}"`).join(''),
};
// dbt's filters, in every dbt environment: YAML values choose their type with them.
FILTERS.as_text = (v) => str(v);
FILTERS.as_bool = (v) => (typeof v === 'string' ? /^(true|1|yes)$/i.test(v.trim()) : truthy(v));
FILTERS.as_number = (v) => {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat) return v;
  const n = Number(str(v).trim());
  if (Number.isNaN(n)) throw new JinjaError('value', `could not convert ${repr(v)} to a number`);
  return n;
};
FILTERS.as_native = (v) => {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (t === 'True' || t === 'False') return t === 'True';
  if (t === 'None') return null;
  try {
    return JSON.parse(t.replace(/'/g, '"'));
  } catch {
    return v;
  }
};
FILTERS.d = FILTERS.default!;
FILTERS.e = FILTERS.escape!;

/** Jinja's `tojson` makes its output safe inside HTML. */
function htmlSafeJson(s: string): string {
  return s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
}

/** Filters Jinja2 applies to an undefined as to an empty string or sequence (the others raise). */
const ON_UNDEFINED = new Set(['default', 'd', 'length', 'count', 'list', 'string', 'items', 'join', 'first', 'last', 'lower', 'upper', 'trim', 'safe', 'e', 'escape', 'wordcount', 'striptags', 'capitalize', 'title', 'replace', 'urlencode', 'center', 'truncate', 'reverse', 'sort', 'unique', 'select', 'reject', 'selectattr', 'rejectattr', 'map', 'batch', 'slice', 'pprint', 'sum', 'min', 'max', 'groupby', 'format']);

export function applyFilter(name: string, value: unknown, args: unknown[], kw: Record<string, unknown> | undefined): unknown {
  const f = FILTERS[name];
  if (!f) throw new JinjaError('runtime', `No filter named '${name}'.`);
  if (value instanceof Undefined && !ON_UNDEFINED.has(name)) value.fail();
  return f(value, args, kw ?? {});
}

export { splitKw };
