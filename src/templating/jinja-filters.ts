/**
 * Jinja's filters where nunjucks lacks them or reads them differently (each checked against Jinja2 3.1):
 * keyword arguments (`join(attribute=…)`, `sum(start=…)`), tests in `select`/`selectattr`
 * (`selectattr('k', 'equalto', 2)`), Python's truthiness and `str()`, case-insensitive `unique`/`min`/`max`,
 * and `tojson` as Jinja writes it (keys sorted, `", "` and `": "` between items, `<>&'` escaped).
 */
import nunjucks from 'nunjucks';
import { isKw } from './call-args.js';
import { percentFormat, pyJsonDumps, pyStr, pyTruthy, pyTuple } from './python-values.js';

const positional = (args: unknown[]): unknown[] => args.filter((a) => !isKw(a));

const keywords = (args: unknown[]): Record<string, unknown> => {
  const kw = args.find(isKw);
  if (!kw) return {};
  const { __keywords: _, ...rest } = kw;
  return rest;
};

/** `x.a.b` for `attribute='a.b'`; the item itself without one. */
const attrOf = (x: unknown, attribute: unknown): unknown =>
  attribute === undefined || attribute === null ? x : String(attribute).split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], x);

export function addJinjaFilters(env: nunjucks.Environment): void {
  // A Jinja test by name, with its arguments (`'equalto', 2`); Python's truthiness without one.
  const testOf = (args: unknown[]): ((x: unknown) => boolean) => {
    const [test, ...testArgs] = positional(args);
    if (test === undefined) return pyTruthy;
    const fn = (env as unknown as { getTest(n: string): (...a: unknown[]) => boolean }).getTest(String(test));
    return (x) => fn(x, ...testArgs) === true;
  };
  env.addFilter('format', (v: unknown, ...args: unknown[]) => {
    const kw = keywords(args);
    return percentFormat(String(v), Object.keys(kw).length ? kw : positional(args));
  });
  env.addFilter('count', env.getFilter('length'));
  // string(): Python's str() (None, True, [1]); nunjucks' fails on none.
  env.addFilter('string', (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : pyStr(v)));
  // default(value, fallback, boolean): with boolean, any false value (an empty list too) takes the fallback.
  env.addFilter('default', (v: unknown, ...args: unknown[]) => {
    const [fallback = '', boolean = false] = positional(args);
    const kw = keywords(args);
    const [dflt, anyFalse] = [kw.default_value ?? fallback, kw.boolean ?? boolean];
    return anyFalse ? (pyTruthy(v) ? v : dflt) : v === undefined ? dflt : v;
  });
  env.addFilter('d', env.getFilter('default'));
  const selectBy = (keep: boolean) => (v: unknown, ...args: unknown[]): unknown[] => {
    const check = testOf(args);
    return (Array.isArray(v) ? v : []).filter((x) => check(x) === keep);
  };
  // dictsort(case_sensitive=False, by='key', reverse=False): (key, value) pairs in order.
  env.addFilter('dictsort', (v: unknown, ...args: unknown[]) => {
    const [caseSensitive = false, by = 'key', reverse = false] = positional(args);
    const kw = keywords(args);
    const at = (kw.by ?? by) === 'value' ? 1 : 0;
    const fold = (x: unknown): unknown => (typeof x === 'string' && !(kw.case_sensitive ?? caseSensitive) ? x.toLowerCase() : x);
    const pairs = Object.entries((v as Record<string, unknown>) ?? {}).sort((a, b) => {
      const [x, y] = [fold(a[at]), fold(b[at])] as [number, number];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return ((kw.reverse ?? reverse) ? pairs.reverse() : pairs).map((pair) => pyTuple(pair));
  });
  // unique, min and max compare text case-insensitively unless case_sensitive=true, and take attribute=.
  const key = (args: unknown[]) => {
    const kw = keywords(args);
    const [caseSensitive = false, attribute] = positional(args);
    const sensitive = Boolean(kw.case_sensitive ?? caseSensitive);
    return (x: unknown): unknown => {
      const v = attrOf(x, kw.attribute ?? attribute);
      return typeof v === 'string' && !sensitive ? v.toLowerCase() : v;
    };
  };
  env.addFilter('unique', (v: unknown, ...args: unknown[]) => {
    if (!Array.isArray(v)) return v;
    const of = key(args);
    const seen = new Set<unknown>();
    return v.filter((x) => !seen.has(of(x)) && !!seen.add(of(x)));
  });
  const extreme = (pick: (a: unknown, b: unknown) => boolean) => (v: unknown, ...args: unknown[]): unknown => {
    if (!Array.isArray(v) || !v.length) return undefined;
    const of = key(args);
    return v.reduce((best: unknown, x: unknown) => (pick(of(x), of(best)) ? x : best));
  };
  env.addFilter('min', extreme((a, b) => (a as number) < (b as number)));
  env.addFilter('max', extreme((a, b) => (a as number) > (b as number)));
  // trim(chars): strips those characters instead of whitespace.
  env.addFilter('trim', (v: unknown, chars?: unknown) => {
    const s = String(v ?? '');
    if (chars === undefined || chars === null) return s.trim();
    const set = new Set(String(chars));
    let [a, b] = [0, s.length];
    while (a < b && set.has(s[a]!)) a++;
    while (b > a && set.has(s[b - 1]!)) b--;
    return s.slice(a, b);
  });
  // batch(n, fill_with): the last batch is filled, with a false value too (0, '').
  env.addFilter('batch', (v: unknown, n: unknown, fill?: unknown) => {
    const items = Array.isArray(v) ? v : [];
    const size = Math.max(1, Number(n));
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    const last = out[out.length - 1];
    if (last && fill !== undefined && fill !== null) while (last.length < size) last.push(fill);
    return out;
  });
  env.addFilter('select', selectBy(true));
  env.addFilter('reject', selectBy(false));
  env.addFilter('sum', (v: unknown, ...args: unknown[]) => {
    const [attribute, start = 0] = positional(args);
    const kw = keywords(args);
    const items = Array.isArray(v) ? v : [];
    return items.reduce<number>((total, x) => total + Number(attrOf(x, kw.attribute ?? attribute)), Number(kw.start ?? start));
  });
  // Jinja's groupby: (grouper, list) pairs sorted by the grouper, readable as `g.grouper` and `g.list`.
  env.addFilter('groupby', (v: unknown, ...args: unknown[]) => {
    const attribute = keywords(args).attribute ?? positional(args)[0];
    const groups = new Map<unknown, unknown[]>();
    for (const x of Array.isArray(v) ? v : []) {
      const group = attrOf(x, attribute) ?? keywords(args).default ?? null;
      groups.set(group, [...(groups.get(group) ?? []), x]);
    }
    return [...groups.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)).map(([grouper, list]) => Object.assign([grouper, list], { grouper, list }));
  });
  // list(): a string's characters, a dict's keys (nunjucks gave {key, value} objects).
  env.addFilter('list', (v: unknown) => (typeof v === 'string' ? [...v] : Array.isArray(v) ? [...v] : v instanceof Map || v instanceof Set ? [...v.keys()] : v && typeof v === 'object' ? Object.keys(v) : []));
  // int() and float() as Jinja: '3.7' | int is 3, a value that is no number gives the default (0).
  env.addFilter('int', (v: unknown, ...args: unknown[]) => {
    const [dflt = 0, base = 10] = positional(args);
    const kw = keywords(args);
    const b = Number(kw.base ?? base);
    const text = typeof v === 'string' ? v.trim().replace(/_/g, '') : v;
    const n = typeof text === 'string' ? (b === 10 ? Number(text) : parseInt(text, b)) : typeof text === 'boolean' ? Number(text) : Number(text);
    return text === '' || text === null || text === undefined || Number.isNaN(n) ? (kw.default ?? dflt) : Math.trunc(n);
  });
  env.addFilter('float', (v: unknown, ...args: unknown[]) => {
    const n = typeof v === 'string' ? Number(v.trim()) : Number(v);
    return v === '' || v === null || v === undefined || Number.isNaN(n) ? (keywords(args).default ?? positional(args)[0] ?? 0) : n;
  });
  const lookup = (nunjucks as unknown as { runtime: { memberLookup(o: unknown, k: unknown): unknown } }).runtime.memberLookup;
  env.addFilter('attr', (v: unknown, name: unknown) => (v === null || v === undefined ? undefined : lookup(v, String(name))));
  // Jinja's truncate: a text at most `leeway` (5) characters too long is left whole.
  env.addFilter('truncate', (v: unknown, length = 255, killwords = false, end = '...', leeway = 5) => {
    const s = String(v ?? '');
    const [n, kill, tail, slack] = [Number(length), Boolean(killwords), String(end), Number(leeway)];
    if (s.length <= n + slack) return s;
    const head = s.slice(0, Math.max(0, n - tail.length));
    return (kill ? head : head.includes(' ') ? head.slice(0, head.lastIndexOf(' ')) : head) + tail;
  });
  env.addFilter('join', (v: unknown, ...args: unknown[]) => {
    const [d = '', attr] = positional(args);
    const attribute = keywords(args).attribute ?? attr;
    const items = Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v && typeof v === 'object' ? Object.keys(v) : [];
    const picked = items.map((x) => attrOf(x, attribute));
    return picked.map((x) => (typeof x === 'string' ? x : pyStr(x))).join(String(keywords(args).d ?? d));
  });
  const byAttr = (keep: boolean) => (v: unknown, attribute: unknown, ...args: unknown[]): unknown[] => {
    const check = testOf(args);
    return (Array.isArray(v) ? v : []).filter((item) => check(attrOf(item, attribute)) === keep);
  };
  env.addFilter('selectattr', byAttr(true));
  env.addFilter('rejectattr', byAttr(false));
  env.addFilter('tojson', (v: unknown, ...args: unknown[]) => {
    const indent = (keywords(args).indent ?? positional(args)[0]) as number | undefined;
    return pyJsonDumps(v, { sortKeys: true, indent }).replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  });
}
