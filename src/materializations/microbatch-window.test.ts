import { describe, it, expect } from 'vitest';
import { batchId, batchesBetween, ceiling, eventTimeCondition, microbatchWindow, offset, parseInstant, sqlTimestamp, truncate, type BatchSize } from './microbatch-window.js';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { DuckDBDialect } from '../adapters/duckdb/duckdb-dialect.js';

const at = (s: string): Date => new Date(`${s}Z`);
const iso = (d: Date): string => d.toISOString().replace('.000Z', '');

describe('microbatch windows (dbt-core MicrobatchBuilder)', () => {
  it.each<[BatchSize, string, string, string, string]>([
    // size, timestamp, truncated, -1, ceiling
    ['hour', '2024-09-17T16:06:00', '2024-09-17T16:00:00', '2024-09-17T15:00:00', '2024-09-17T17:00:00'],
    ['day', '2024-09-17T16:06:00', '2024-09-17T00:00:00', '2024-09-16T00:00:00', '2024-09-18T00:00:00'],
    ['month', '2024-09-17T16:06:00', '2024-09-01T00:00:00', '2024-08-01T00:00:00', '2024-10-01T00:00:00'],
    ['year', '2024-09-17T16:06:00', '2024-01-01T00:00:00', '2023-01-01T00:00:00', '2025-01-01T00:00:00'],
    ['month', '2024-03-31T00:00:00', '2024-03-01T00:00:00', '2024-02-01T00:00:00', '2024-04-01T00:00:00'],
    ['day', '2024-01-01T00:00:00', '2024-01-01T00:00:00', '2023-12-31T00:00:00', '2024-01-01T00:00:00'],
  ])('%s: %s truncates, steps back and rounds up', (size, t, truncated, back, up) => {
    expect(iso(truncate(at(t), size))).toBe(truncated);
    expect(iso(offset(at(t), size, -1))).toBe(back);
    expect(iso(ceiling(at(t), size))).toBe(up);
  });

  it('names batches as dbt does', () => {
    expect(['hour', 'day', 'month', 'year'].map((s) => batchId(at('2024-09-17T16:00:00'), s as BatchSize))).toEqual(['20240917T16', '20240917', '202409', '2024']);
  });

  it('a first build goes from begin (truncated) to now (rounded up), one batch per day', () => {
    const w = microbatchWindow({ batchSize: 'day', begin: at('2024-01-01T12:00:00'), lookback: 1, now: at('2024-01-03T08:30:00'), incremental: false });
    expect(batchesBetween(w.start, w.end, 'day').map((b) => [b.id, iso(b.start), iso(b.end)])).toEqual([
      ['20240101', '2024-01-01T00:00:00', '2024-01-02T00:00:00'],
      ['20240102', '2024-01-02T00:00:00', '2024-01-03T00:00:00'],
      ['20240103', '2024-01-03T00:00:00', '2024-01-04T00:00:00'],
    ]);
  });

  it('a later run builds the current batch and `lookback` before it; a now on a boundary counts one more back', () => {
    const later = (now: string, lookback: number): string[] => {
      const w = microbatchWindow({ batchSize: 'day', begin: at('2020-01-01T00:00:00'), lookback, now: at(now), incremental: true });
      return batchesBetween(w.start, w.end, 'day').map((b) => b.id);
    };
    expect(later('2024-01-05T13:00:00', 1)).toEqual(['20240104', '20240105']);
    expect(later('2024-01-05T13:00:00', 0)).toEqual(['20240105']);
    expect(later('2024-01-05T13:00:00', 3)).toEqual(['20240102', '20240103', '20240104', '20240105']);
    expect(later('2024-01-05T00:00:00', 1)).toEqual(['20240103', '20240104']);
  });

  it('--event-time-start/--event-time-end override the window, full refresh or not; the last batch ends at the end given', () => {
    for (const incremental of [true, false]) {
      const w = microbatchWindow({ batchSize: 'day', begin: at('2020-01-01T00:00:00'), lookback: 1, now: at('2030-01-01T00:00:00'), incremental, eventTimeStart: at('2024-01-02T06:00:00'), eventTimeEnd: at('2024-01-04T00:00:00') });
      expect([iso(w.start), iso(w.end)]).toEqual(['2024-01-02T00:00:00', '2024-01-04T00:00:00']);
    }
    const hours = batchesBetween(at('2024-01-01T22:00:00'), at('2024-01-02T00:30:00'), 'hour');
    expect(hours.map((b) => [b.id, iso(b.end)])).toEqual([['20240101T22', '2024-01-01T23:00:00'], ['20240101T23', '2024-01-02T00:00:00'], ['20240102T00', '2024-01-02T00:30:00']]);
    // As dbt's build_batches: one batch at least, so a begin in the future still creates the (empty) table.
    expect(batchesBetween(at('2024-01-02T00:00:00'), at('2024-01-02T00:00:00'), 'day')).toEqual([{ id: '20240102', start: at('2024-01-02T00:00:00'), end: at('2024-01-02T00:00:00') }]);
  });

  it('reads ISO dates and times (naive = UTC, offsets applied) and refuses what is not one', () => {
    expect(iso(parseInstant('2024-01-01')!)).toBe('2024-01-01T00:00:00');
    expect(iso(parseInstant('2024-01-01 05:06:07')!)).toBe('2024-01-01T05:06:07');
    expect(iso(parseInstant('2024-01-01T05:06')!)).toBe('2024-01-01T05:06:00');
    expect(iso(parseInstant('2024-01-01T05:00:00+02:00')!)).toBe('2024-01-01T03:00:00');
    expect(iso(parseInstant('2024-01-01T05:00:00Z')!)).toBe('2024-01-01T05:00:00');
    expect(iso(parseInstant(new Date(Date.UTC(2024, 0, 2)))!)).toBe('2024-01-02T00:00:00');
    for (const bad of ['yesterday', '2024-02-31', '2024-13-01', '2024-01-01 25:00', '', 3, null, undefined]) expect(parseInstant(bad), String(bad)).toBeUndefined();
  });

  it('renders the window as dbt does: plain on DuckDB, cast to timestamp on BigQuery', () => {
    const [s, e] = [at('2024-01-01T00:00:00'), at('2024-01-02T00:00:00')];
    expect(sqlTimestamp(s)).toBe('2024-01-01 00:00:00+00:00');
    expect(eventTimeCondition({}, 'ts', s, e)).toBe("ts >= '2024-01-01 00:00:00+00:00' and ts < '2024-01-02 00:00:00+00:00'");
    expect(eventTimeCondition(bigqueryDialect, 'ts', s, e)).toBe("cast(ts as timestamp) >= '2024-01-01 00:00:00+00:00' and cast(ts as timestamp) < '2024-01-02 00:00:00+00:00'");
    // A fraction of a second (a --sample window ending now) as Python's str of a datetime writes it.
    expect(sqlTimestamp(new Date('2024-01-01T10:20:30.045Z'))).toBe('2024-01-01 10:20:30.045000+00:00');
  });

  it('quotes an event_time named like a keyword of the dialect; any other stays as written', () => {
    const [s, e] = [at('2024-01-01T00:00:00'), at('2024-01-02T00:00:00')];
    const duckdb = new DuckDBDialect();
    const lhs = (d: Parameters<typeof eventTimeCondition>[0], field: string): string => eventTimeCondition(d, field, s, e).split(' >= ')[0]!;
    expect(lhs(duckdb, 'order')).toBe('"order"');
    expect(lhs(duckdb, 'At')).toBe('"At"');
    expect(lhs(duckdb, 'created_at')).toBe('created_at');
    expect(lhs(duckdb, 'timestamp')).toBe('timestamp');
    expect(lhs(duckdb, '"at"')).toBe('"at"');
    expect(lhs(duckdb, 'cast(at_ms as date)')).toBe('cast(at_ms as date)');
    expect(lhs(bigqueryDialect, 'at')).toBe('cast(`at` as timestamp)');
    expect(lhs(bigqueryDialect, 'ts')).toBe('cast(ts as timestamp)');
  });
});
