/**
 * dbt 1.9's microbatch windows as pure functions of time (dbt-core's MicrobatchBuilder): which batches a
 * run of a microbatch model builds, each `[start, end)` in UTC, aligned to `batch_size`.
 */

import { parseInstant } from '../project/index.js';
import type { Dialect } from '../adapters/contract.js';

export { parseInstant };

export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];

/** One batch: `[start, end)` in UTC, and dbt's id of it (`20240101` for a day). */
export interface Batch {
  id: string;
  start: Date;
  end: Date;
}

export function isBatchSize(value: unknown): value is BatchSize {
  return typeof value === 'string' && (BATCH_SIZES as readonly string[]).includes(value);
}

/** The start of the batch `d` falls in. */
export function truncate(d: Date, size: BatchSize): Date {
  const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  if (size === 'hour') return new Date(Date.UTC(y, mo, day, h));
  if (size === 'day') return new Date(Date.UTC(y, mo, day));
  if (size === 'month') return new Date(Date.UTC(y, mo, 1));
  return new Date(Date.UTC(y, 0, 1));
}

/** The start of the batch `n` batches after (before, when negative) the one `d` falls in. */
export function offset(d: Date, size: BatchSize, n: number): Date {
  const t = truncate(d, size);
  const [y, mo, day, h] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours()];
  if (size === 'hour') return new Date(Date.UTC(y, mo, day, h + n));
  if (size === 'day') return new Date(Date.UTC(y, mo, day + n));
  if (size === 'month') return new Date(Date.UTC(y, mo + n, 1));
  return new Date(Date.UTC(y + n, 0, 1));
}

/** `d` moved up to the next batch boundary (itself when it is one). */
export function ceiling(d: Date, size: BatchSize): Date {
  const t = truncate(d, size);
  return t.getTime() === d.getTime() ? t : offset(t, size, 1);
}

/** dbt's format of a batch's start (its compiled file's suffix): `2024`, `2024-01`, `2024-01-01` or `2024-01-01T05`. */
export function formatBatchStart(start: Date, size: BatchSize): string {
  return start.toISOString().slice(0, { year: 4, month: 7, day: 10, hour: 13 }[size]);
}

/** dbt's batch id: the batch's start as `2024`, `202401`, `20240101` or `20240101T05`. */
export function batchId(start: Date, size: BatchSize): string {
  return formatBatchStart(start, size).replace(/-/g, '');
}

export interface WindowInput {
  batchSize: BatchSize;
  /** The model's `begin`: where a first build (or a full refresh) starts. */
  begin: Date;
  /** Batches before the current one that a later run builds again (dbt's default: 1). */
  lookback: number;
  /** The run's one "now" (every microbatch model of a run uses the same). */
  now: Date;
  /** Whether the model's table exists and this is no full refresh. */
  incremental: boolean;
  /** `--event-time-start` / `--event-time-end`. */
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
}

/** The window a run builds, as dbt computes it: `[start, end)`, start truncated and end raised to batch boundaries. */
export function microbatchWindow(w: WindowInput): { start: Date; end: Date } {
  const end = ceiling(w.eventTimeEnd ?? w.now, w.batchSize);
  if (w.eventTimeStart) return { start: truncate(w.eventTimeStart, w.batchSize), end };
  if (!w.incremental) return { start: truncate(w.begin, w.batchSize), end };
  // A "now" on a boundary ends the previous batch, so one more batch back keeps `lookback` batches before it.
  const lookback = w.lookback + (truncate(w.now, w.batchSize).getTime() === w.now.getTime() ? 1 : 0);
  return { start: offset(w.now, w.batchSize, -lookback), end };
}

/**
 * The batches of `[start, end)`: one per batch_size, the last ending at `end` exactly. As dbt's build_batches,
 * always one at least (a `begin` in the future: one empty batch, so the table exists for what reads it).
 */
export function batchesBetween(start: Date, end: Date, size: BatchSize): Batch[] {
  if (start >= end) return [{ id: batchId(start, size), start, end }];
  const out: Batch[] = [];
  for (let s = start; s < end; ) {
    const next = offset(s, size, 1);
    const e = next < end ? next : end;
    out.push({ id: batchId(s, size), start: s, end: e });
    s = e;
  }
  return out;
}

/**
 * An instant as dbt writes it in SQL and batch_results (Python's `str` of a UTC datetime): `2024-01-01 00:00:00+00:00`,
 * with microseconds when it has a fraction of a second (`--sample`'s relative window ends at the run's now).
 */
export function sqlTimestamp(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}${ms ? `.${String(ms).padStart(3, '0')}000` : ''}+00:00`;
}

type EventTimeDialect = Pick<Dialect, 'eventTimeFilter' | 'reservedWords' | 'quoteIdentifier'>;

/**
 * dbt's filter on an input's (or the model's) event_time for a window: the dialect's form, else a plain comparison
 * with the texts. The field is written as configured (an expression or a quoted name stays as it is), except a
 * bare name the dialect reserves (`order`, `at`), which is quoted so the filter parses.
 */
export function eventTimeCondition(dialect: Partial<EventTimeDialect>, field: string, start: Date, end: Date): string {
  const [s, e] = [sqlTimestamp(start), sqlTimestamp(end)];
  const reserved = /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) && dialect.reservedWords?.has(field.toLowerCase()) && dialect.quoteIdentifier;
  const column = reserved ? dialect.quoteIdentifier!(field) : field;
  return dialect.eventTimeFilter ? dialect.eventTimeFilter(column, s, e) : `${column} >= '${s}' and ${column} < '${e}'`;
}

/** What `eventTimeField` reads of an input (a model, seed, snapshot or source). */
export interface EventTimeOwner {
  config: { readonly [key: string]: unknown };
  columns?: Record<string, { name: string; quote?: boolean }>;
  /** A source's `quoting:` (the table's over the source's). */
  quoting?: Record<string, boolean>;
}

/**
 * A node's `event_time` as its filter names it, as dbt 1.11 resolves it: quoted where its column of that name
 * says `quote: true`, else (that column not saying) where the source's `quoting: {column: true}` does.
 * Undefined without an event_time.
 */
export function eventTimeField(owner: EventTimeOwner, quoteIdentifier: (name: string) => string): string | undefined {
  const field = owner.config.event_time;
  if (typeof field !== 'string' || !field.trim()) return undefined;
  const column = Object.values(owner.columns ?? {}).find((c) => c.name === field);
  const quoted = column?.quote ?? owner.quoting?.column ?? false;
  return quoted ? quoteIdentifier(field) : field;
}
