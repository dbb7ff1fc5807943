/**
 * Python's `datetime` module as dbt templates use it (`modules.datetime`, `run_started_at`): datetimes and
 * dates you can construct, format, compare and shift with `timedelta` (`now - modules.datetime.timedelta(days=7)`).
 * Times are UTC. Precision is milliseconds (JavaScript's), printed as Python's microseconds.
 */
import { isKw, splitArgs } from './call-args.js';
import { PyTimezone, UTC, offsetText, tzOf } from './python-timezone.js';
import { JinjaError, PyFloat } from './jinja/index.js';

const p2 = (n: number, w = 2): string => String(n).padStart(w, '0');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export class PyTimedelta {
  constructor(readonly ms: number) {}
  get days(): number {
    return Math.floor(this.ms / 864e5);
  }
  get seconds(): number {
    return Math.floor((this.ms - this.days * 864e5) / 1000);
  }
  total_seconds(): number {
    return this.ms / 1000;
  }
  __add__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return new PyTimedelta(this.ms + other.ms);
    return other instanceof PyDateTime ? other.__add__(this) : undefined;
  }
  __sub__(other: unknown): unknown {
    return other instanceof PyTimedelta ? new PyTimedelta(this.ms - other.ms) : undefined;
  }
  toString(): string {
    const rest = this.ms - this.days * 864e5;
    const clock = `${Math.floor(rest / 36e5)}:${p2(Math.floor(rest / 6e4) % 60)}:${p2(Math.floor(rest / 1000) % 60)}`;
    return this.days ? `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${clock}` : clock;
  }
}

export class PyDateTime {
  /**
   * `d`: the wall time, in the Date's UTC fields. `dateOnly`: a `date`, printed without a time; `tz`: aware,
   * `offset` minutes east of UTC (`run_started_at` is UTC); `micros`: the microseconds below the Date's
   * millisecond (a warehouse timestamp keeps all six digits); `nanos`: the nanoseconds below the microsecond
   * (DuckDB's TIMESTAMP_NS keeps them, printed as nine digits; Python's fields and `%f` stop at microseconds).
   */
  constructor(
    readonly d: Date,
    readonly dateOnly = false,
    readonly tz: PyTimezone | null = null,
    readonly micros = 0,
    readonly offset = tz ? tz.offsetForWall(d.getTime()) : 0,
    readonly nanos = 0,
  ) {}
  /** Python's `tzinfo`: the zone, or None for a naive datetime. */
  get tzinfo(): PyTimezone | null { return this.tz; }
  get year(): number { return this.d.getUTCFullYear(); }
  get month(): number { return this.d.getUTCMonth() + 1; }
  get day(): number { return this.d.getUTCDate(); }
  get hour(): number { return this.d.getUTCHours(); }
  get minute(): number { return this.d.getUTCMinutes(); }
  get second(): number { return this.d.getUTCSeconds(); }
  get microsecond(): number { return this.d.getUTCMilliseconds() * 1000 + this.micros; }
  weekday(): number {
    return (this.d.getUTCDay() + 6) % 7;
  }
  isoweekday(): number {
    return this.weekday() + 1;
  }
  /** Seconds since the epoch (a naive datetime is read as UTC, not the machine's zone). */
  timestamp(): number | PyFloat {
    return PyFloat.of(this.valueOf() / 1000);
  }
  /** The same instant as a wall time in `tz` (a naive datetime is read as UTC). */
  astimezone(tz?: unknown): PyDateTime {
    const zone = tzOf(tz) ?? UTC;
    const instant = this.d.getTime() - this.offset * 60000;
    const offset = zone.offsetAt(instant);
    return new PyDateTime(new Date(instant + offset * 60000), false, zone, this.micros, offset, this.nanos);
  }
  /** This wall time in `tz` (pytz's `localize`). */
  localizedIn(tz: PyTimezone): PyDateTime {
    return new PyDateTime(this.d, false, tz, this.micros, undefined, this.nanos);
  }
  utcoffset(): PyTimedelta | null {
    return this.tz ? new PyTimedelta(this.offset * 60000) : null;
  }
  date(): PyDateTime {
    return new PyDateTime(new Date(Date.UTC(this.year, this.month - 1, this.day)), true);
  }
  replace(...args: unknown[]): PyDateTime {
    const { kw } = splitArgs(args);
    const get = (k: string, v: number): number => (kw[k] === undefined ? v : Number(kw[k]));
    const us = get('microsecond', this.microsecond);
    const d = new Date(Date.UTC(get('year', this.year), get('month', this.month) - 1, get('day', this.day), get('hour', this.hour), get('minute', this.minute), get('second', this.second), Math.floor(us / 1000)));
    const tz = kw.tzinfo === undefined ? this.tz : tzOf(kw.tzinfo);
    return new PyDateTime(d, this.dateOnly, tz, us % 1000, undefined, kw.microsecond === undefined ? this.nanos : 0);
  }
  strftime(fmt: string): string {
    const map: Record<string, () => string> = {
      Y: () => String(this.year), m: () => p2(this.month), d: () => p2(this.day), H: () => p2(this.hour), M: () => p2(this.minute), S: () => p2(this.second),
      f: () => p2(this.microsecond, 6), y: () => p2(this.year % 100), j: () => p2(Math.floor((this.d.getTime() - Date.UTC(this.year, 0, 1)) / 864e5) + 1, 3),
      b: () => MONTHS[this.month - 1]!.slice(0, 3), B: () => MONTHS[this.month - 1]!, a: () => DAYS[this.weekday()]!.slice(0, 3), A: () => DAYS[this.weekday()]!,
      I: () => p2(this.hour % 12 || 12), p: () => (this.hour < 12 ? 'AM' : 'PM'), w: () => String((this.weekday() + 1) % 7), z: () => (this.tz ? offsetText(this.offset, '') : ''), Z: () => (this.tz ? this.tz.abbreviation(this.valueOf()) : ''), '%': () => '%',
    };
    return fmt.replace(/%([A-Za-z%])/g, (m, k: string) => map[k]?.() ?? m);
  }
  isoformat(sep = 'T'): string {
    const date = `${p2(this.year, 4)}-${p2(this.month)}-${p2(this.day)}`;
    if (this.dateOnly) return date;
    const fraction = this.microsecond || this.nanos ? `.${p2(this.microsecond, 6)}${this.nanos ? p2(this.nanos, 3) : ''}` : '';
    return `${date}${sep}${p2(this.hour)}:${p2(this.minute)}:${p2(this.second)}${fraction}${this.tz ? offsetText(this.offset, ':') : ''}`;
  }
  __add__(other: unknown): unknown {
    return other instanceof PyTimedelta ? new PyDateTime(new Date(this.d.getTime() + other.ms), this.dateOnly, this.tz, this.micros, this.offset, this.nanos) : undefined;
  }
  __sub__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return new PyDateTime(new Date(this.d.getTime() - other.ms), this.dateOnly, this.tz, this.micros, this.offset, this.nanos);
    return other instanceof PyDateTime ? new PyTimedelta(this.valueOf() - other.valueOf()) : undefined;
  }
  /** Comparisons (`<`, `>`) and sorting see the instant. */
  valueOf(): number {
    return this.d.getTime() - this.offset * 60000 + this.micros / 1000 + this.nanos / 1e6;
  }
  toString(): string {
    return this.isoformat(' ');
  }
  /** As dbt writes a datetime config (`begin=modules.datetime.datetime(2024, 1, 1)`) to the manifest: ISO text. */
  toJSON(): string {
    return this.isoformat();
  }
}

const timedelta = (...args: unknown[]): PyTimedelta => {
  const { pos, kw } = splitArgs(args);
  const n = (k: string, i: number): number => Number(kw[k] ?? pos[i] ?? 0);
  return new PyTimedelta(n('days', 0) * 864e5 + n('seconds', 1) * 1e3 + n('microseconds', 2) / 1e3 + n('milliseconds', 3) + n('minutes', 4) * 6e4 + n('hours', 5) * 36e5 + n('weeks', 6) * 6048e5);
};

/** `strptime` for the directives dbt projects use: %Y %m %d %H %M %S %f %y %j %b %B %p %I, and literal text. */
function strptime(text: string, fmt: string): PyDateTime {
  const fields: string[] = [];
  const pattern = fmt.replace(/%([YmdHMSfyjbBpI%])|([.*+?^${}()|[\]\\])/g, (_m, k: string | undefined, lit: string | undefined) => {
    if (lit) return `\\${lit}`;
    if (k === '%') return '%';
    fields.push(k!);
    return k === 'Y' ? '(\\d{4})' : k === 'f' ? '(\\d{1,6})' : k === 'j' ? '(\\d{1,3})' : k === 'b' || k === 'B' ? '([A-Za-z]+)' : k === 'p' ? '(AM|PM|am|pm)' : '(\\d{1,2})';
  });
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) throw new Error(`time data '${text}' does not match format '${fmt}'`);
  const v: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  let pm: boolean | undefined;
  fields.forEach((k, i) => {
    const s = m[i + 1]!;
    if (k === 'b' || k === 'B') v.m = MONTHS.findIndex((name) => name.toLowerCase().startsWith(s.toLowerCase().slice(0, 3))) + 1;
    else if (k === 'p') pm = s.toUpperCase() === 'PM';
    else if (k === 'y') v.Y = 2000 + Number(s) - (Number(s) >= 69 ? 100 : 0);
    else if (k === 'f') v.f = Number(s.padEnd(6, '0'));
    else if (k === 'I') v.H = Number(s) % 12;
    else v[k] = Number(s);
  });
  if (pm) v.H! += 12;
  const d = fields.includes('j') ? new Date(Date.UTC(v.Y!, 0, v.j!, v.H!, v.M!, v.S!, v.f! / 1000)) : new Date(Date.UTC(v.Y!, v.m! - 1, v.d!, v.H!, v.M!, v.S!, v.f! / 1000));
  return new PyDateTime(d);
}

/** ISO text (`2024-01-02`, `2024-01-02 03:04:05.123456789`, `…+05:30`, `…Z`, DuckDB's `…+00`): wall time, microseconds below the millisecond, nanoseconds below the microsecond, offset in minutes if any. */
function parseIso(text: string): { wall: number; micros: number; nanos: number; offset?: number } | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d\d(?::?\d\d)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[7] ?? '').padEnd(9, '0');
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(fraction.slice(0, 3)));
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(m[3])) return undefined;
  const z = m[8];
  const offset = z === undefined ? undefined : z === 'Z' || z === 'UTC' ? 0 : (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.replace(':', '').slice(3, 5) || 0));
  return { wall, micros: Number(fraction.slice(3, 6)), nanos: Number(fraction.slice(6, 9)), ...(offset !== undefined ? { offset } : {}) };
}

/** An offset as Python's fixed-offset `datetime.timezone` (`timezone.utc` for zero). */
const fixedZone = (offset: number): PyTimezone => (offset === 0 ? UTC : new PyTimezone(`UTC${offsetText(offset, ':')}`, offset));

function fromIso(s: string, dateOnly: boolean): PyDateTime {
  const parsed = parseIso(s);
  if (!parsed) throw new JinjaError('value', `Invalid isoformat string: '${s}'`);
  if (dateOnly) return new PyDateTime(new Date(parsed.wall), true).date();
  const tz = parsed.offset === undefined ? null : fixedZone(parsed.offset);
  return new PyDateTime(new Date(parsed.wall), false, tz, parsed.micros, parsed.offset ?? 0);
}

function checkRange(what: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(Number(v)) || v < lo || v > hi) throw new JinjaError('value', `${what} must be in ${lo}..${hi}`);
  return Number(v);
}

/** Python's date checks: `datetime(2020, 13, 1)` is a ValueError, not 2021-01-01. */
function checkedDate(y: number, mo: number, d: number): [number, number, number] {
  checkRange('year', y, 1, 9999);
  checkRange('month', mo, 1, 12);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!Number.isInteger(Number(d)) || d < 1 || d > days) throw new JinjaError('value', 'day is out of range for month');
  return [Number(y), Number(mo) - 1, Number(d)];
}

/** A Python call's arguments by parameter name, positional or keyword (`datetime(2024, 1, 2, hour=3)`). */
function fields(args: unknown[], names: string[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  const out: Record<string, unknown> = {};
  names.forEach((n, i) => {
    const v = kw[n] ?? pos[i];
    if (v !== undefined) out[n] = v;
  });
  return out;
}

const num = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));

/** The `datetime` module: `datetime` and `date` are callable classes with their class methods, as in Python. */
export function datetimeModule(now: () => Date): Record<string, unknown> {
  const datetime = Object.assign(
    (...args: unknown[]) => {
      const v = fields(args, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo']);
      const us = checkRange('microsecond', num(v.microsecond), 0, 999999);
      const clock = [checkRange('hour', num(v.hour), 0, 23), checkRange('minute', num(v.minute), 0, 59), checkRange('second', num(v.second), 0, 59), Math.floor(us / 1000)] as const;
      return new PyDateTime(new Date(Date.UTC(...checkedDate(num(v.year), num(v.month), num(v.day)), ...clock)), false, tzOf(v.tzinfo), us % 1000);
    },
    {
      now: (tz?: unknown) => (tz === undefined || tz === null || isKw(tz) && !tz.tz ? new PyDateTime(now()) : new PyDateTime(now(), false, UTC).astimezone(isKw(tz) ? tz.tz : tz)),
      utcnow: () => new PyDateTime(now()),
      today: () => new PyDateTime(now()),
      strptime,
      fromisoformat: (s: string) => fromIso(s, false),
      fromtimestamp: (t: number) => new PyDateTime(new Date(t * 1000)),
    },
  );
  const date = Object.assign((...args: unknown[]) => {
    const v = fields(args, ['year', 'month', 'day']);
    return new PyDateTime(new Date(Date.UTC(...checkedDate(num(v.year), num(v.month), num(v.day)))), true);
  }, {
    today: () => new PyDateTime(now()).date(),
    fromisoformat: (s: string) => fromIso(s, true),
  });
  return {
    datetime,
    date,
    timedelta,
    timezone: Object.assign((delta: PyTimedelta) => fixedZone(Math.round(delta.ms / 60000)), { utc: UTC }),
    // Strata's older spelling of `d + delta`, kept for templates written against it.
    add: (d: PyDateTime, delta: PyTimedelta) => d.__add__(delta),
  };
}

/**
 * Which Python type a warehouse column type reads as in an agate table: `date` for DATE, `datetime` for
 * TIMESTAMP in every precision and zone DuckDB names (`TIMESTAMP_S`, `TIMESTAMP_MS`, `TIMESTAMP_NS`,
 * `TIMESTAMP WITH TIME ZONE`) and BigQuery's DATETIME; undefined for any other type. Decided once per column.
 */
export function warehouseDateTimeKind(dataType: string | undefined): 'date' | 'datetime' | undefined {
  const type = (dataType ?? '').trim().toUpperCase();
  if (type === 'DATE') return 'date';
  return /^(DATETIME|TIMESTAMP(_S|_MS|_NS|_US|TZ)?)\b/.test(type) ? 'datetime' : undefined;
}

/**
 * A warehouse's DATE or TIMESTAMP value as a Python `date` / `datetime`, as dbt's agate tables hold them
 * (`run_query(…).columns[0].values()[0].strftime('%Y-%m-%d')`). Undefined: the type is neither, or the text
 * is not one of those values. A TIMESTAMP_NS value keeps its nanoseconds where it is printed.
 */
export function warehouseDateTime(value: unknown, dataType: string | undefined): PyDateTime | undefined {
  const kind = warehouseDateTimeKind(dataType);
  if (value === null || value === undefined || !kind) return undefined;
  const parsed = parseIso(String(value instanceof Date ? value.toISOString() : value));
  if (!parsed) return undefined;
  if (kind === 'date') return new PyDateTime(new Date(parsed.wall), true).date();
  const tz = parsed.offset === undefined ? null : fixedZone(parsed.offset);
  return new PyDateTime(new Date(parsed.wall), false, tz, parsed.micros, parsed.offset ?? 0, parsed.nanos);
}

/** dbt's `run_started_at`: an aware UTC datetime (`2024-01-02 03:04:05.123000+00:00`). */
export const runStartedAt = (d: Date): PyDateTime => new PyDateTime(d, false, UTC);
