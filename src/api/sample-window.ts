import { yamlPackage } from '../project/yaml-package.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { parseInstant } from '../project/index.js';

/** The window `--sample` reads refs and sources in: rows whose event_time is in `[start, end)`. */
export interface SampleWindow {
  start: Date;
  end: Date;
}

/** dbt's grains for a relative sample (its BatchSize): no week, as dbt has none. */
const GRAINS = ['hour', 'day', 'month', 'year'] as const;
type Grain = (typeof GRAINS)[number];

const EXAMPLE = `--sample="3 days" or --sample="{'start': '2024-07-01', 'end': '2024-07-08'}"`;

/**
 * dbt 1.10's `--sample` spec: a relative one, `"N grain"` (hours, days, months or years back from `now`, which
 * is not truncated: `1 day` at 02:03 starts at 02:03 the day before), or the dict form
 * `{'start': …, 'end': …}` (ISO dates or times, read as UTC: an offset is ignored, as dbt ignores it). `0 days`
 * is an empty window, as dbt's.
 */
export function sampleWindow(spec: string | undefined, now: Date): { window?: SampleWindow; diagnostics: Diagnostic[] } {
  if (spec === undefined) return { diagnostics: [] };
  const text = spec.trim();
  const problem = text.startsWith('{') ? fromDict(text) : fromRelative(text, now);
  if (typeof problem === 'string') return { diagnostics: [invalid(spec, problem)] };
  return { window: problem, diagnostics: [] };
}

function invalid(spec: string, message: string): Diagnostic {
  return { code: 'sample-invalid', severity: 'error', message: `--sample '${spec}': ${message}`, file: '--sample', hint: `write ${EXAMPLE}` };
}

/** `3 days`: back from now by whole calendar units, as dbt's relativedelta (a month back from March 31 is February's last day). */
function fromRelative(text: string, now: Date): SampleWindow | string {
  const parts = text.split(/\s+/);
  if (parts.length !== 2) return "a relative sample is a whole number and a grain, e.g. '3 days'";
  const [count, unit] = parts as [string, string];
  // `0 days` is an empty window (start = end), which dbt accepts: every sampled input reads no rows.
  if (!/^\d+$/.test(count)) return `'${count}' is not a whole number (0 or more)`;
  const grain = unit.toLowerCase().replace(/s+$/, '');
  if (!(GRAINS as readonly string[]).includes(grain)) return `'${unit}' is not a grain: use ${GRAINS.map((g) => `${g}s`).join(', ')} (or ${GRAINS.join(', ')})${grain === 'week' ? '; for weeks, 7 days' : ''}`;
  return { start: back(now, Number(count), grain as Grain), end: now };
}

function back(now: Date, n: number, grain: Grain): Date {
  if (grain === 'hour') return new Date(now.getTime() - n * 3_600_000);
  if (grain === 'day') return new Date(now.getTime() - n * 86_400_000);
  const months = grain === 'month' ? n : 12 * n;
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const [year, month] = [Math.floor(total / 12), total % 12];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const at = new Date(now.getTime());
  at.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return at;
}

/**
 * A time's offset dropped, its wall time kept: dbt reads the dict's times and then sets their zone to UTC
 * (`replace(tzinfo=UTC)`), so `2024-07-01T02:00:00+02:00` is 02:00 UTC, not midnight.
 */
function withoutOffset(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.trim().replace(/(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/, '$1');
}

/** `{'start': '2024-07-01', 'end': '2024-07-08 18:00:00'}`: YAML (or JSON), as dbt reads the flag (the `yaml` package loaded only then: a run without `--sample` never pays for it). */
function fromDict(text: string): SampleWindow | string {
  let value: unknown;
  try {
    value = yamlPackage().parse(text);
  } catch {
    return 'not a mapping: quote the dates and separate the keys with a comma';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a mapping';
  const dict = value as Record<string, unknown>;
  const unknown = Object.keys(dict).filter((k) => k !== 'start' && k !== 'end');
  if (unknown.length) return `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}: a sample window has 'start' and 'end'`;
  const read = (key: 'start' | 'end'): Date | string => {
    if (dict[key] === undefined || dict[key] === null) return `'${key}' is missing`;
    return parseInstant(withoutOffset(dict[key])) ?? `'${key}' ${JSON.stringify(dict[key])} is not an ISO date or date and time`;
  };
  const [start, end] = [read('start'), read('end')];
  if (typeof start === 'string') return start;
  if (typeof end === 'string') return end;
  if (start >= end) return "'start' must be before 'end'";
  return { start, end };
}
