/**
 * Python behaviour dbt models rely on, for nunjucks: string methods (`'a,b'.split(',')`,
 * `.upper()`, `.replace()` replacing all), extra list/dict methods, and `modules.datetime` / `modules.re`.
 * nunjucks' own installJinjaCompat covers dict `.items()`/`.get()` and list `.append()`.
 */
import nunjucks from 'nunjucks';

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
  replace: (s, a, b) => s.split(String(a)).join(String(b)),
  title: (s) => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  join: (s, items) => (Array.isArray(items) ? items.map(String).join(s) : ''),
  find: (s, sub) => s.indexOf(String(sub)),
  count: (s, sub) => s.split(String(sub)).length - 1,
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isupper: (s) => s.toUpperCase() === s && s.toLowerCase() !== s,
  islower: (s) => s.toLowerCase() === s && s.toUpperCase() !== s,
  format: (s, ...args) => {
    let i = 0;
    const kw = (args.length && typeof args[args.length - 1] === 'object' && (args[args.length - 1] as { __keywords?: boolean })?.__keywords ? args.pop() : {}) as Record<string, unknown>;
    return s.replace(/\{(\w*)\}/g, (_m, k: string) => String(k === '' ? args[i++] : /^\d+$/.test(k) ? args[Number(k)] : kw[k]));
  },
  zfill: (s, n) => s.padStart(Number(n), '0'),
};

const ARRAY_EXTRA: Record<string, (a: unknown[], ...x: unknown[]) => unknown> = {
  extend: (a, more) => {
    if (Array.isArray(more)) a.push(...more);
    return '';
  },
  copy: (a) => [...a],
  sort: (a) => {
    a.sort();
    return '';
  },
  reverse: (a) => {
    a.reverse();
    return '';
  },
};

let installed = false;

/** Installs nunjucks' Jinja compatibility plus the string/list methods above (once per process). */
export function installPythonShims(): void {
  if (installed) return;
  installed = true;
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: { memberLookup: Fn } }).runtime;
  const base = runtime.memberLookup;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
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
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && val === 'copy' && !('copy' in (obj as object))) {
      return () => ({ ...(obj as object) });
    }
    return base.call(this, obj, val, ...rest);
  };
}

/** A Python-like `datetime` module: enough for `modules.datetime.datetime.now().strftime('%Y-%m-%d')`. */
class PyDateTime {
  constructor(readonly d: Date) {}
  strftime(fmt: string): string {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const d = this.d;
    const map: Record<string, string> = {
      Y: String(d.getUTCFullYear()), m: p(d.getUTCMonth() + 1), d: p(d.getUTCDate()), H: p(d.getUTCHours()), M: p(d.getUTCMinutes()),
      S: p(d.getUTCSeconds()), f: p(d.getUTCMilliseconds() * 1000, 6), y: p(d.getUTCFullYear() % 100), j: p(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 864e5) + 1, 3), '%': '%',
    };
    return fmt.replace(/%([YmdHMSfyj%])/g, (_m, k: string) => map[k]!);
  }
  isoformat(): string {
    return this.d.toISOString().replace('Z', '');
  }
  date(): PyDateTime {
    return new PyDateTime(new Date(Date.UTC(this.d.getUTCFullYear(), this.d.getUTCMonth(), this.d.getUTCDate())));
  }
  get year(): number { return this.d.getUTCFullYear(); }
  get month(): number { return this.d.getUTCMonth() + 1; }
  get day(): number { return this.d.getUTCDate(); }
  get hour(): number { return this.d.getUTCHours(); }
  toString(): string {
    return this.d.toISOString().replace('T', ' ').replace('Z', '');
  }
}

const timedelta = (...args: unknown[]): { ms: number } => {
  const kw = (args.find((a) => a && typeof a === 'object') ?? {}) as Record<string, number>;
  const days = Number(typeof args[0] === 'number' ? args[0] : kw.days ?? 0);
  const ms = days * 864e5 + (kw.hours ?? 0) * 36e5 + (kw.minutes ?? 0) * 6e4 + (kw.seconds ?? 0) * 1e3;
  return { ms };
};

export function pythonModules(now: () => Date): Record<string, unknown> {
  const datetime = {
    now: () => new PyDateTime(now()),
    utcnow: () => new PyDateTime(now()),
    strptime: (s: string) => new PyDateTime(new Date(s.includes('T') || s.includes(' ') ? s.replace(' ', 'T') + 'Z' : `${s}T00:00:00Z`)),
    fromisoformat: (s: string) => new PyDateTime(new Date(s)),
  };
  return {
    datetime: {
      datetime,
      date: { today: () => new PyDateTime(now()).date() },
      timedelta,
      add: (d: PyDateTime, delta: { ms: number }) => new PyDateTime(new Date(d.d.getTime() + delta.ms)),
    },
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
