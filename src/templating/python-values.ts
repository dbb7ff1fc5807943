/**
 * Python's view of template values, for the places where Jinja's output depends on it: `str()` and
 * `repr()` (`'%s' % x`, `join`, lists and dicts in messages), printf-style `%` formatting, and `json.dumps`
 * as dbt's `tojson` calls it. Without these, nunjucks prints `1,2` for `[1, 2]`, `NaN` for `'%s' % x`
 * and `{"a":1}` where dbt prints `{"a": 1}`.
 */

/** A plain object (a dict), not an array, a date, a relation or anything else with its own string form. */
function isDict(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === null) return true;
  return proto === Object.prototype && (v as { toString: unknown }).toString === Object.prototype.toString;
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

/** Python's `repr()` of a string: single quotes unless the text has one and no double quote. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

const TUPLE = Symbol('python tuple');

/** Marks an array as a Python tuple: it stays an array everywhere, and prints as `(1, 2)`. */
export function pyTuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

/** Python's `repr()`. Objects with a string form of their own (relations, dates) use it. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return reprString(v);
  if (Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE]) return `(${v.map(pyRepr).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).filter(([k]) => k !== '__keywords').map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

/** Python's `str()`: None, True and False by name, lists and dicts as their repr. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || isDict(v)) return pyRepr(v);
  return String(v);
}

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;

function integer(v: unknown, spec: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`%${spec} format: a number is required, not ${pyRepr(v)}`);
  return Math.trunc(v);
}

/** Exponent with at least two digits, as C and Python print it (`1e+05`, not `1e+5`). */
const twoDigitExponent = (s: string): string => s.replace(/e([+-])(\d)$/, 'e$10$2');

function general(n: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return alternate ? (0).toFixed(p - 1) : '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(n.toExponential(p - 1)))));
  const strip = (s: string): string => (alternate ? s : s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1'));
  if (exponent >= -4 && exponent < p) return strip(n.toFixed(Math.max(0, p - 1 - exponent)));
  return twoDigitExponent(strip(n.toExponential(p - 1)));
}

function convert(v: unknown, conversion: string, precision: number | undefined, alternate: boolean): { body: string; numeric: boolean } {
  switch (conversion) {
    case 's':
      return { body: precision === undefined ? pyStr(v) : pyStr(v).slice(0, precision), numeric: false };
    case 'r':
    case 'a':
      return { body: precision === undefined ? pyRepr(v) : pyRepr(v).slice(0, precision), numeric: false };
    case 'c':
      return { body: typeof v === 'number' ? String.fromCodePoint(v) : pyStr(v), numeric: false };
    case 'd':
    case 'i':
    case 'u':
      return { body: String(integer(v, conversion)), numeric: true };
    case 'x':
    case 'X':
    case 'o': {
      const n = integer(v, conversion);
      const digits = Math.abs(n).toString(conversion === 'o' ? 8 : 16);
      const prefix = alternate ? (conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X') : '';
      const body = `${n < 0 ? '-' : ''}${prefix}${conversion === 'X' ? digits.toUpperCase() : digits}`;
      return { body, numeric: true };
    }
    default: {
      const n = typeof v === 'boolean' ? Number(v) : v;
      if (typeof n !== 'number') throw new Error(`%${conversion} format: a number is required, not ${pyRepr(v)}`);
      const p = precision ?? 6;
      const lower = conversion.toLowerCase();
      let body = !Number.isFinite(n) ? pyNumber(n) : lower === 'f' ? n.toFixed(p) : lower === 'e' ? twoDigitExponent(n.toExponential(p)) : general(n, p, alternate);
      if (conversion !== lower) body = body.toUpperCase();
      return { body, numeric: true };
    }
  }
}

/**
 * Python's `format % values`: `'%s.%s' % (schema, name)`, `'%05.1f' % x`, `'%(name)s' % {'name': n}`.
 * Like Python, too few or too many values is an error.
 */
export function percentFormat(format: string, values: unknown): string {
  const mapping = isDict(values) && format.includes('%(') ? values : undefined;
  const args = mapping ? [] : Array.isArray(values) ? [...values] : [values];
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw new Error('not enough arguments for format string');
    return args[next++];
  };
  const out = format.replace(SPEC, (_m, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string) => {
    if (conversion === '%') return '%';
    const w = width === '*' ? Number(take()) : width === undefined ? 0 : Number(width);
    const p = precision === '*' ? Number(take()) : precision === undefined ? undefined : Number(precision);
    const v = key !== undefined ? (mapping ? mapping[key] : (() => { throw new Error('format requires a mapping'); })()) : take();
    let { body, numeric } = convert(v, conversion, p, flags.includes('#'));
    if (numeric && !body.startsWith('-')) body = flags.includes('+') ? `+${body}` : flags.includes(' ') ? ` ${body}` : body;
    if (body.length >= Math.abs(w)) return body;
    if (flags.includes('-') || w < 0) return body.padEnd(Math.abs(w));
    if (numeric && flags.includes('0')) {
      const sign = /^[-+ ]/.test(body) ? body[0]! : '';
      return sign + body.slice(sign.length).padStart(w - sign.length, '0');
    }
    return body.padStart(w);
  });
  if (!mapping && next < args.length) throw new Error('not all arguments converted during string formatting');
  return out;
}

/** Python's modulo: the result takes the sign of the divisor (`-7 % 3` is 2). */
export function pyModulo(a: number, b: number): number {
  const r = a % b;
  if (r === 0) return 0; // not -0
  return r < 0 !== b < 0 ? r + b : r;
}

/**
 * Python's `json.dumps` with its defaults, as dbt's `tojson` calls it: `", "` and `": "` between items,
 * non-ASCII characters escaped, keys in their order unless `sortKeys`.
 */
export function pyJsonDumps(value: unknown, options: { sortKeys?: boolean; indent?: number } = {}): string {
  const ascii = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const pad = (depth: number): string => (options.indent === undefined ? '' : `\n${' '.repeat(options.indent * depth)}`);
  const sep = options.indent === undefined ? ', ' : ',';
  const dump = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
    if (typeof v === 'string') return ascii(v);
    if (Array.isArray(v)) return v.length ? `[${pad(depth + 1)}${v.map((x) => dump(x, depth + 1)).join(sep + pad(depth + 1))}${pad(depth)}]` : '[]';
    const json = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return dump(json.call(v), depth);
    if (typeof v === 'object') {
      let keys = Object.keys(v).filter((k) => k !== '__keywords');
      if (options.sortKeys) keys = keys.sort();
      const items = keys.map((k) => `${ascii(k)}: ${dump((v as Record<string, unknown>)[k], depth + 1)}`);
      return items.length ? `{${pad(depth + 1)}${items.join(sep + pad(depth + 1))}${pad(depth)}}` : '{}';
    }
    return ascii(String(v));
  };
  return dump(value, 0);
}

/** Python's truthiness: empty lists, dicts and strings, 0, None and False are false. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  if (typeof v === 'object' && (v as { length?: unknown }).length === 0 && typeof (v as { toString?: unknown }).toString === 'function') return String(v).length > 0;
  return Boolean(v);
}

const FORMAT_SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function group(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** One `{…:spec}` of Python's `str.format`: fill, align, sign, `#`, `0`, width, grouping, precision, type. */
function formatSpec(value: unknown, spec: string): string {
  const m = FORMAT_SPEC.exec(spec);
  if (!m) throw new Error(`Invalid format specifier '${spec}'`);
  const [, fill = ' ', align, sign = '-', alternate, zero, width, grouping, precision, type] = m;
  const numeric = typeof value === 'number' || typeof value === 'boolean';
  let body: string;
  if (!numeric) {
    if (type && type !== 's') throw new Error(`Unknown format code '${type}' for object of type 'str'`);
    body = precision === undefined ? pyStr(value) : pyStr(value).slice(0, Number(precision));
  } else {
    const n = Number(value);
    const p = precision === undefined ? undefined : Number(precision);
    const abs = Math.abs(n);
    switch (type) {
      case 'b': case 'o': case 'x': case 'X': {
        const digits = Math.trunc(abs).toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
        body = `${alternate ? `0${type === 'X' ? 'X' : type}` : ''}${type === 'X' ? digits.toUpperCase() : digits}`;
        break;
      }
      case 'c': body = String.fromCodePoint(abs); break;
      case 'd': case 'n': body = grouping ? group(String(Math.trunc(abs)), grouping) : String(Math.trunc(abs)); break;
      case 'e': case 'E': body = percentFormat(`%.${p ?? 6}${type}`, abs); break;
      case 'g': case 'G': body = percentFormat(`%.${p ?? 6}${type}`, abs); break;
      case '%': body = `${(abs * 100).toFixed(p ?? 6)}%`; break;
      case 'f': case 'F': body = abs.toFixed(p ?? 6); break;
      default: body = p === undefined ? pyStr(typeof value === 'boolean' && !type ? value : abs) : percentFormat(`%.${p}g`, abs);
    }
    if (grouping && (type === 'f' || type === 'F' || type === '%' || type === undefined) && /^\d/.test(body)) {
      const [int, rest] = [body.replace(/[.%e].*$/, ''), body.slice(body.replace(/[.%e].*$/, '').length)];
      body = group(int, grouping) + rest;
    }
    if (typeof value === 'boolean' && !type) return body;
    const signText = n < 0 || Object.is(n, -0) ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    const w = width === undefined ? 0 : Number(width);
    if (zero && !align && body.length + signText.length < w) return signText + body.padStart(w - signText.length, '0');
    if ((align ?? '>') === '=' && body.length + signText.length < w) return signText + body.padStart(w - signText.length, fill);
    body = signText + body;
  }
  const w = width === undefined ? 0 : Number(width);
  if (body.length >= w) return body;
  const pad = w - body.length;
  const how = align ?? (numeric ? '>' : '<');
  if (how === '<') return body + fill.repeat(pad);
  if (how === '^') return fill.repeat(Math.floor(pad / 2)) + body + fill.repeat(Math.ceil(pad / 2));
  return fill.repeat(pad) + body;
}

/** Python's `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{!r}` and format specs (`{:>8.2f}`). */
export function pyFormat(template: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const key = field ?? '';
    const [head, ...path] = key.split('.');
    let value: unknown = head === '' ? args[auto++] : /^\d+$/.test(head!) ? args[Number(head)] : kwargs[head!];
    for (const attr of path) value = (value as Record<string, unknown> | null)?.[attr];
    if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
    else if (conversion === 's') value = pyStr(value);
    return spec ? formatSpec(value, spec) : pyStr(value);
  });
}
