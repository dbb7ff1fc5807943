/**
 * Time zones as dbt templates meet them: pytz's (`modules.pytz.timezone('America/Los_Angeles').localize(dt)`,
 * `modules.pytz.utc`) and `datetime.timezone` (a fixed offset, as `fromisoformat('…+05:30')` gives). Offsets
 * come from the IANA database Node carries (Intl), so daylight saving time is right. Unlike pytz, a zone given
 * as `tzinfo=` to `datetime(…)` takes the offset of that wall time, not the zone's old local mean time.
 */
import { JinjaError } from './jinja/index.js';

/** What a zone does to a datetime (python-datetime.ts's PyDateTime, which imports this file). */
interface Localizable {
  tzinfo: unknown;
  localizedIn(tz: PyTimezone): unknown;
  astimezone(tz?: unknown): unknown;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' });
    formats.set(zone, f);
  }
  return f;
}

export class PyTimezone {
  /** `fixed`: minutes east of UTC for a fixed-offset zone (`datetime.timezone`); undefined: an IANA zone. */
  constructor(
    readonly zone: string,
    readonly fixed?: number,
  ) {
    if (fixed === undefined && zone !== 'UTC') {
      try {
        format(zone);
      } catch {
        throw new JinjaError('value', `UnknownTimeZoneError: '${zone}'`);
      }
    }
  }

  /** Minutes east of UTC at an instant (ms since the epoch). */
  offsetAt(instant: number): number {
    if (this.fixed !== undefined) return this.fixed;
    if (this.zone === 'UTC') return 0;
    const parts = Object.fromEntries(format(this.zone).formatToParts(new Date(Math.floor(instant / 1000) * 1000)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60000);
  }

  /** Minutes east of UTC for a wall time in this zone (read as UTC fields), as pytz's `localize` (is_dst=False) picks. */
  offsetForWall(wall: number): number {
    const first = this.offsetAt(wall);
    const second = this.offsetAt(wall - first * 60000);
    return first === second ? first : Math.min(first, second);
  }

  /** pytz's `localize`: a naive datetime's wall time, in this zone. */
  localize(dt: Localizable): unknown {
    if (dt.tzinfo !== null) throw new JinjaError('value', 'Not naive datetime (tzinfo is already set)');
    return dt.localizedIn(this);
  }

  /** pytz's `normalize`: the same instant, at this zone's offset then. */
  normalize(dt: Localizable): unknown {
    return dt.astimezone(this);
  }

  /** `%Z`: the zone's abbreviation at an instant (`PDT`, `UTC`). */
  abbreviation(instant: number): string {
    if (this.fixed !== undefined) return this.toString();
    if (this.zone === 'UTC') return 'UTC';
    return format(this.zone).formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? this.zone;
  }

  toString(): string {
    if (this.fixed === undefined) return this.zone;
    return this.fixed === 0 ? 'UTC' : `UTC${offsetText(this.fixed, ':')}`;
  }
}

/** `+05:30` (or `+0530` with no separator), as Python prints an offset. */
export function offsetText(minutes: number, sep: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${sep}${String(abs % 60).padStart(2, '0')}`;
}

export const UTC = new PyTimezone('UTC');

/** A `tzinfo=` value: a zone object, or a zone's name (Strata's older templates passed 'UTC'). */
export function tzOf(value: unknown): PyTimezone | null {
  if (value === null || value === undefined) return null;
  if (value instanceof PyTimezone) return value;
  return new PyTimezone(String(value));
}
