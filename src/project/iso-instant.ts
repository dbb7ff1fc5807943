/** ISO dates and times as instants: microbatch's `begin` and `--event-time-start` / `--event-time-end`. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO date or date-time as an instant (a time without an offset is UTC, as dbt reads `begin` and
 * `--event-time-start`); a Date as it is; a Python datetime of a template by its text. Undefined: not one.
 */
export function parseInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return undefined;
  const m = ISO.exec(String(value).trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-31 over to March: a day or hour that does not exist is no date.
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h) || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (!zone || zone.toUpperCase() === 'Z') return date;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return new Date(ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000);
}
