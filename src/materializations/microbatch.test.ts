/**
 * dbt 1.9's microbatch strategy on a real DuckDB file: batches replace their day of the table, inputs with
 * an event_time are read in the batch's window (others whole), a failed batch leaves its day's previous rows
 * and the other days committed, and run_results.json lists the batches as dbt does.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, retry, seed } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const EVENTS_1 = 'id,ts,qty\n1,2024-01-01 09:00:00,1\n2,2024-01-01 17:00:00,2\n3,2024-01-02 10:00:00,3\n4,2024-01-03 11:00:00,4\n5,2024-01-03 23:59:59,5\n';
// Every day changes: day 1's amounts, day 2 gains a row and changes one, day 3's second row.
const EVENTS_2 = 'id,ts,qty\n1,2024-01-01 09:00:00,10\n2,2024-01-01 17:00:00,20\n3,2024-01-02 10:00:00,30\n6,2024-01-02 12:00:00,60\n4,2024-01-03 11:00:00,4\n5,2024-01-03 23:59:59,50\n';
// Day 3 has a quantity that is no number: its batch fails, days 1 and 2 go through.
const EVENTS_3 = 'id,ts,qty\n1,2024-01-01 09:00:00,100\n2,2024-01-01 17:00:00,200\n3,2024-01-02 10:00:00,300\n6,2024-01-02 12:00:00,600\n4,2024-01-03 11:00:00,x\n5,2024-01-03 23:59:59,500\n';

const MODEL = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}
select e.id, e.ts, cast(e.qty as integer) * p.price as amount, '{{ model.batch.id }}' as batch_id,
  '{{ model.batch.event_time_start }}' as batch_start, {{ 'true' if is_incremental() else 'false' }} as incremental
from {{ ref('events') }} e
join {{ ref('prices') }} p on p.day = cast(e.ts as date)
`;

function project(): string {
  const dir = writeProject({
    'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {ts: timestamp, qty: varchar}\n',
    'seeds/events.csv': EVENTS_1,
    // No event_time: read whole in every batch (the join needs every day's price).
    'seeds/prices.csv': 'day,price\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n',
    'models/daily.sql': MODEL,
  });
  dirs.push(dir);
  return dir;
}

describe('microbatch on DuckDB', () => {
  const dir = project();
  const db = join(dir, 'target', 'test.duckdb');
  const rows = (): Promise<Record<string, unknown>[]> => queryDuckDb(db, "select id::int as id, strftime(ts, '%Y-%m-%d %H:%M') as ts, amount::int as amount, batch_id, incremental from daily order by id");
  const seed = (csv: string): void => writeFileSync(join(dir, 'seeds', 'events.csv'), csv);
  const runResults = (): { results: { unique_id: string; status: string; batch_results?: unknown; message: string }[]; args: Record<string, unknown> } => JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));

  it('a first build makes one batch per day, each reading its day of the events and every price', async () => {
    const r = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([]);
    expect(r.results.map((x) => `${x.uniqueId} ${x.status}`).sort()).toEqual(['model.p.daily success', 'seed.p.events success', 'seed.p.prices success']);
    expect(r.exitCode).toBe(0);
    expect(await rows()).toEqual([
      { id: 1, ts: '2024-01-01 09:00', amount: 1, batch_id: '20240101', incremental: false },
      { id: 2, ts: '2024-01-01 17:00', amount: 2, batch_id: '20240101', incremental: false },
      { id: 3, ts: '2024-01-02 10:00', amount: 6, batch_id: '20240102', incremental: true },
      { id: 4, ts: '2024-01-03 11:00', amount: 12, batch_id: '20240103', incremental: true },
      { id: 5, ts: '2024-01-03 23:59', amount: 15, batch_id: '20240103', incremental: true },
    ]);
    const daily = runResults().results.find((x) => x.unique_id === 'model.p.daily')!;
    expect(daily.batch_results).toEqual({
      successful: [['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00'], ['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00'], ['2024-01-03T00:00:00+00:00', '2024-01-04T00:00:00+00:00']],
      failed: [],
    });
    // Each batch's compiled SQL, as dbt writes it: the event_time input in the window, the other whole.
    const day2 = readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'daily', 'daily_2024-01-02.sql'), 'utf8');
    expect(day2).toContain(`from (select * from "test"."main"."events" where ts >= '2024-01-02 00:00:00+00:00' and ts < '2024-01-03 00:00:00+00:00') e`);
    expect(day2).toContain('join "test"."main"."prices" p on');
    expect(day2).toContain("'2024-01-02 00:00:00+00:00' as batch_start");
  });

  it('a run over one day replaces that day\u2019s rows only: no duplicates, the other days untouched', async () => {
    seed(EVENTS_2);
    const r = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-03' });
    expect(r.exitCode).toBe(0);
    expect(await rows()).toEqual([
      { id: 1, ts: '2024-01-01 09:00', amount: 1, batch_id: '20240101', incremental: false },
      { id: 2, ts: '2024-01-01 17:00', amount: 2, batch_id: '20240101', incremental: false },
      { id: 3, ts: '2024-01-02 10:00', amount: 60, batch_id: '20240102', incremental: true },
      { id: 4, ts: '2024-01-03 11:00', amount: 12, batch_id: '20240103', incremental: true },
      { id: 5, ts: '2024-01-03 23:59', amount: 15, batch_id: '20240103', incremental: true },
      { id: 6, ts: '2024-01-02 12:00', amount: 120, batch_id: '20240102', incremental: true },
    ]);
    expect(runResults().results.find((x) => x.unique_id === 'model.p.daily')!.batch_results).toEqual({ successful: [['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']], failed: [] });
  });

  it('a failed batch leaves its day\u2019s previous rows, the other days committed; partial success, exit 1; batch_results names it; retry runs only it and lists all', async () => {
    seed(EVENTS_3);
    const r = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(r.exitCode).toBe(1);
    const daily = runResults().results.find((x) => x.unique_id === 'model.p.daily')!;
    expect(daily.status).toBe('partial success');
    expect(daily.message).toMatch(/^PARTIAL SUCCESS \(2\/3\): batch 20240103 failed: .*Could not convert string 'x'/);
    expect(daily.batch_results).toEqual({
      successful: [['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00'], ['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']],
      failed: [['2024-01-03T00:00:00+00:00', '2024-01-04T00:00:00+00:00']],
    });
    expect(runResults().args).toMatchObject({ event_time_start: '2024-01-01', event_time_end: '2024-01-04' });
    expect((await rows()).map((x) => [x.id, x.amount])).toEqual([[1, 100], [2, 200], [3, 600], [4, 12], [5, 15], [6, 1200]]);
    // Fixed upstream (the seeded table itself: retry does not load the seeds again, they succeeded), retry
    // builds the failed day alone: day 1 would show the new amount of id 1 if it were rebuilt.
    await runDuckDb(db, ["update events set qty = '4' where id = 4", "update events set qty = '7' where id = 1"]);
    const again = await retry({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(0);
    expect((await rows()).map((x) => [x.id, x.amount])).toEqual([[1, 100], [2, 200], [3, 600], [4, 12], [5, 1500], [6, 1200]]);
    // As dbt 1.9: this run's batch, then the earlier run's successful ones.
    const retried = runResults().results.find((x) => x.unique_id === 'model.p.daily')!;
    expect([retried.status, retried.message]).toEqual(['success', 'INSERT 2 (1 batch)']);
    expect(retried.batch_results).toEqual({
      successful: [['2024-01-03T00:00:00+00:00', '2024-01-04T00:00:00+00:00'], ['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00'], ['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']],
      failed: [],
    });
  });

  it('refuses bad --event-time-start / --event-time-end before anything runs (exit 2)', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ eventTimeStart: 'yesterday' }, /--event-time-start 'yesterday' is not an ISO date/],
      [{ eventTimeStart: '2024-01-01', eventTimeEnd: '2024-13-01' }, /--event-time-end '2024-13-01' is not an ISO date/],
      [{ eventTimeStart: '2024-01-03', eventTimeEnd: '2024-01-02' }, /must be before --event-time-end/],
    ];
    for (const [flags, message] of cases) {
      const r = await build({ projectDir: dir, profilesDir: dir, ...flags });
      expect(r.exitCode, JSON.stringify(flags)).toBe(2);
      expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(message);
      expect(r.diagnostics.every((d) => d.code === 'event-time-invalid')).toBe(true);
    }
  });
});

describe('microbatch: a batch whose insert fails after its delete', () => {
  it('rolls back the delete: the window keeps its previous rows', async () => {
    // On the second run, day 2's batch makes qty text the integer column refuses: its insert fails after the delete.
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {ts: timestamp, qty: integer}\n',
      'seeds/events.csv': EVENTS_1,
      'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}\nselect id, ts, {{ \"'not a number'\" if var('broken', false) and model.batch.id == '20240102' else 'qty' }} as qty from {{ ref('events') }}",
    });
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    const table = async (): Promise<unknown[]> => (await queryDuckDb(db, 'select id::int as id, qty::int as qty from m order by id')).map((r) => [r.id, r.qty]);
    expect((await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' })).exitCode).toBe(0);
    expect(await table()).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['m'], eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-03', vars: { broken: true } });
    expect(r.exitCode).toBe(1);
    // Its one batch failed, none succeeded: an error, not a partial success (dbt 1.9).
    expect(r.results.find((x) => x.uniqueId === 'model.p.m')?.status).toBe('error');
    expect(r.results.find((x) => x.uniqueId === 'model.p.m')?.message).toMatch(/^1 of 1 batches failed: batch 20240102 failed: .*not a number/);
    expect(await table()).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  });
});

describe('microbatch: a source with event_time', () => {
  it('is read in each batch’s window, as a ref is', async () => {
    const dir = writeProject({
      'seeds/events.csv': EVENTS_1,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: events\n        config:\n          event_time: ts\n',
      'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}\nselect id, ts, '{{ model.batch.id }}' as batch_id from {{ source('raw', 'events') }}",
    });
    dirs.push(dir);
    // The seed is the source's table, loaded first (the model does not depend on the seed).
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['m'], eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(r.results.map((x) => x.message)).toEqual(['INSERT 5 (3 batches)']);
    const rows = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id::int as id, batch_id from m order by id');
    expect(rows.map((r) => [r.id, r.batch_id])).toEqual([[1, '20240101'], [2, '20240101'], [3, '20240102'], [4, '20240103'], [5, '20240103']]);
    expect(readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'm', 'm_2024-01-03.sql'), 'utf8')).toContain(`from (select * from "test"."main"."events" where ts >= '2024-01-03 00:00:00+00:00' and ts < '2024-01-04 00:00:00+00:00')`);
  });
  it('filters an ephemeral input with an event_time to the batch, and makes one empty batch for a begin in the future (as dbt)', async () => {
    const dir = writeProject({
      'models/ev.sql': "{{ config(materialized='table', event_time='ts') }} select * from (values (1, timestamp '2024-01-01 05:00:00'), (2, timestamp '2024-01-02 05:00:00'), (3, timestamp '2024-01-03 05:00:00')) t(id, ts)",
      'models/eph.sql': "{{ config(materialized='ephemeral', event_time='ts') }} select * from {{ ref('ev') }}",
      'models/mb.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }} select id, ts from {{ ref('eph') }}",
      'models/fut.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2999-01-01') }} select id, ts from {{ ref('ev') }}",
      'models/down.sql': "select count(*) as n from {{ ref('fut') }}",
    });
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    // begin in the future: one empty batch creates the table, so what reads it builds.
    const first = await build({ projectDir: dir, profilesDir: dir, select: ['+fut+'] });
    expect(first.exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select n::int as n from main.down')).toEqual([{ n: 0 }]);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['+mb'], eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(r.exitCode).toBe(0);
    // Each batch wrote its day's row once: 3 rows, not 3 x 3.
    expect(await queryDuckDb(db, 'select id from main.mb order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
