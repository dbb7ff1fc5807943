/** Python's `%` formatting and `str.format`, over the engine's values (ints, floats, None, lists…). */
import { JinjaError } from './errors.js';
import { PyFloat, isFloat } from './py-number.js';
import { isDict, isTuple, repr as pyRepr, str as pyStr } from './values.js';

/** `'%s' % [1, 2]` formats the list as one value; only a tuple spreads. */
const isTupleLike = (v: unknown): boolean => isTuple(v);

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

/** Unboxes a float; other values as they are. */
const plain = (v: unknown): unknown => (v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : v);

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;

function integer(raw: unknown, spec: string): number {
  const v = plain(raw);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new JinjaError('type', `%${spec} format: a number is required, not ${pyRepr(v)}`);
  return Math.trunc(v);
}

/** Exponent with at least two digits, as C and Python print it (`1e+05`, not `1e+5`). */
const twoDigitExponent = (s: string): string => s.replace(/e([+-])(\d)$/, 'e$10$2');

/** Digits after the kept ones that are exactly one half: a tie, which Python rounds to even and JavaScript away from zero. */
const isTie = (rest: string): boolean => /^50*$/.test(rest);
const lastIsEven = (digits: string): boolean => Number(digits.replace(/\D/g, '').slice(-1)) % 2 === 0;

/**
 * `n.toFixed(p)` as Python's `'%.pf' % n` prints it: an exact tie (`2.25` to one decimal) rounds to even, and
 * numbers from 1e21 on are written out in full (JavaScript switches to an exponent there).
 */
export function fixedPoint(n: number, p: number): string {
  if (!Number.isFinite(n)) return pyNumber(n);
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  if (Math.abs(n) >= 1e21) return `${sign}${BigInt(Math.abs(n)).toString()}${p > 0 ? `.${'0'.repeat(p)}` : ''}`;
  const away = Math.abs(n).toFixed(p);
  if (p > 60) return sign + away;
  const exact = Math.abs(n).toFixed(Math.min(100, p + 40));
  const point = exact.indexOf('.');
  if (!isTie(exact.slice(point + 1 + p))) return sign + away;
  const down = exact.slice(0, p === 0 ? point : point + 1 + p);
  return sign + (lastIsEven(down) ? down : away);
}

/** `n.toExponential(p)` as Python's `'%.pe' % n` prints it: an exact tie rounds to even; the exponent has two digits. */
export function exponential(n: number, p: number): string {
  if (!Number.isFinite(n)) return pyNumber(n);
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const away = Math.abs(n).toExponential(p);
  if (p > 60) return twoDigitExponent(sign + away);
  const [mantissa, exponent] = Math.abs(n).toExponential(p + 40).split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  if (!isTie(digits.slice(1 + p)) || !lastIsEven(digits.slice(0, 1 + p))) return twoDigitExponent(sign + away);
  const kept = p === 0 ? digits[0]! : `${digits[0]}.${digits.slice(1, 1 + p)}`;
  return twoDigitExponent(`${sign}${kept}e${exponent}`);
}

/** The `#` form of a float: a decimal point even with no digits after it (`'%#.0f' % 1` → `1.`, `1.e+00`). */
const withPoint = (body: string): string => (body.includes('.') ? body : body.replace(/^(-?\d+)(e|$)/, '$1.$2'));

function general(n: number, precision: number, alternate: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return (Object.is(n, -0) ? '-' : '') + (alternate ? (0).toFixed(p - 1) : '0');
  const exponent = Number(exponential(n, p - 1).split('e')[1]);
  const strip = (s: string): string => (alternate ? s : s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1'));
  if (exponent >= -4 && exponent < p) return strip(fixedPoint(n, Math.max(0, p - 1 - exponent)));
  return twoDigitExponent(strip(exponential(n, p - 1)));
}

function convert(v: unknown, conversion: string, precision: number | undefined, alternate: boolean): { body: string; numeric: boolean } {
  const raw = v;
  switch (conversion) {
    case 's':
      return { body: precision === undefined ? pyStr(raw) : pyStr(raw).slice(0, precision), numeric: false };
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
      const n = typeof v === 'boolean' ? Number(v) : plain(v);
      if (typeof n !== 'number') throw new JinjaError('type', `%${conversion} format: a number is required, not ${pyRepr(v)}`);
      const p = precision ?? 6;
      const lower = conversion.toLowerCase();
      let body = !Number.isFinite(n) ? pyNumber(n) : lower === 'f' ? fixedPoint(n, p) : lower === 'e' ? exponential(n, p) : general(n, p, alternate);
      if (alternate && Number.isFinite(n)) body = withPoint(body);
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
  const args = mapping ? [] : isTupleLike(values) ? [...(values as unknown[])] : [values];
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw new JinjaError('type', 'not enough arguments for format string');
    return args[next++];
  };
  const out = format.replace(SPEC, (_m, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string) => {
    if (conversion === '%') return '%';
    const w = width === '*' ? Number(take()) : width === undefined ? 0 : Number(width);
    const p = precision === '*' ? Number(take()) : precision === undefined ? undefined : Number(precision);
    const v = key !== undefined ? (mapping ? mapping[key] : (() => { throw new JinjaError('type', 'format requires a mapping'); })()) : take();
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
  if (!mapping && next < args.length) throw new JinjaError('type', 'not all arguments converted during string formatting');
  return out;
}

/** Python's modulo: the result takes the sign of the divisor (`-7 % 3` is 2). */
export function pyModulo(a: number, b: number): number {
  const r = a % b;
  if (r === 0) return 0; // not -0
  return r < 0 !== b < 0 ? r + b : r;
}

const FORMAT_SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function group(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** One `{…:spec}` of Python's `str.format`: fill, align, sign, `#`, `0`, width, grouping, precision, type. */
function formatSpec(boxed: unknown, spec: string): string {
  const value = plain(boxed);
  const m = FORMAT_SPEC.exec(spec);
  if (!m) throw new JinjaError('type', `Invalid format specifier '${spec}'`);
  const [, fill = ' ', align, sign = '-', alternate, zero, width, grouping, precision, type] = m;
  const numeric = typeof value === 'number' || typeof value === 'boolean';
  const floaty = isFloat(boxed);
  let body: string;
  if (!numeric) {
    if (type && type !== 's') throw new JinjaError('value', `Unknown format code '${type}' for object of type 'str'`);
    body = precision === undefined ? pyStr(boxed) : pyStr(boxed).slice(0, Number(precision));
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
      case 'e': case 'E': case 'g': case 'G': body = percentFormat(`%${alternate ? '#' : ''}.${p ?? 6}${type}`, abs); break;
      case '%': body = `${percentFormat(`%${alternate ? '#' : ''}.${p ?? 6}f`, abs * 100)}%`; break;
      case 'f': case 'F': body = percentFormat(`%${alternate ? '#' : ''}.${p ?? 6}${type}`, abs); break;
      default: body = p === undefined ? pyStr(typeof value === 'boolean' && !type ? value : floaty ? PyFloat.of(abs) : abs) : percentFormat(`%.${p}g`, abs);
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

/** Python's `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{0[key]}`, `{a.b}`, `{!r}`, specs (`{:>8.2f}`, `{:>{}}`). */
export function pyFormat(template: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  const field = (key: string): unknown => {
    const m = /^([^.[]*)(.*)$/.exec(key)!;
    const head = m[1]!;
    let value: unknown;
    if (head === '' || /^\d+$/.test(head)) {
      const i = head === '' ? auto++ : Number(head);
      if (i >= args.length) throw new JinjaError('index', `Replacement index ${i} out of range for positional args tuple`);
      value = args[i];
    } else {
      if (!(head in kwargs)) throw new JinjaError('key', `'${head}'`);
      value = kwargs[head];
    }
    for (const part of m[2]!.matchAll(/\.(\w+)|\[([^\]]*)\]/g)) {
      const k = part[1] ?? (/^\d+$/.test(part[2]!) ? Number(part[2]) : part[2]!);
      value = Array.isArray(value) ? value[k as unknown as number] : (value as Record<string, unknown> | null)?.[k as string];
    }
    return value;
  };
  const nested = (spec: string): string => spec.replace(/\{([^{}]*)\}/g, (_m, k: string) => pyStr(field(k)));
  return template.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g, (m, key: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    let value = field(key ?? '');
    if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
    else if (conversion === 's') value = pyStr(value);
    return spec ? formatSpec(value, nested(spec)) : pyStr(value);
  });
}
