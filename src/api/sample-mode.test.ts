/**
 * dbt 1.10's `--sample` on a real DuckDB file: in models and snapshots, refs and sources of inputs with an
 * event_time read only the window's rows; inputs without one, `ref(…).render()` and tests read every row.
 * The rows are placed hours before now, and each expected count is worked out here from those offsets.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, run } from './index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const HOUR = 3_600_000;
const NOW = Date.now();
// Hours before now of each event, and of each order: none within an hour of a day's boundary.
const EVENT_HOURS = [1, 5, 23, 25, 49, 80];
const ORDER_HOURS = [2, 30, 70];
const at = (hoursAgo: number): string => new Date(NOW - hoursAgo * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const within = (hours: number[], from: number, to = 0): number => hours.filter((h) => h < from && h >= to).length;

const FILES: Record<string, string> = {
  'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {ts: timestamp}\n    customers:\n      +column_types: {ts: timestamp}\n',
  'seeds/events.csv': `id,ts\n${EVENT_HOURS.map((h, i) => `${i + 1},${at(h)}`).join('\n')}\n`,
  // The same times, but no event_time: never sampled.
  'seeds/customers.csv': `id,ts\n${EVENT_HOURS.map((h, i) => `${i + 1},${at(h)}`).join('\n')}\n`,
  // A source whose event_time column is named like a DuckDB keyword: quoted in the filter.
  // And one whose column has a space in its name, documented with `quote: true` (dbt 1.11 quotes it).
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: raw_orders\n        config:\n          event_time: at\n      - name: raw_visits\n        config:\n          event_time: Seen At\n        columns:\n          - name: Seen At\n            quote: true\n',
  'models/recent_visits.sql': "{{ config(materialized='table') }}\nselect id from {{ source('raw', 'raw_visits') }}",
  'models/recent_events.sql': "{{ config(materialized='table') }}\nselect id, ts from {{ ref('events') }}",
  'models/recent_orders.sql': "{{ config(materialized='table') }}\nselect id from {{ source('raw', 'raw_orders') }}",
  'models/all_customers.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('customers') }}",
  'models/every_event.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('events').render() }}",
  // An ephemeral model is a model: its own refs are sampled where it is inlined.
  'models/eph_events.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('events') }}",
  'models/via_ephemeral.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('eph_events') }}",
  'snapshots/events_snap.sql': "{% snapshot events_snap %}\n{{ config(unique_key='id', strategy='check', check_cols=['ts'], target_schema='main') }}\nselect id, ts from {{ ref('events') }}\n{% endsnapshot %}\n",
  // Passes only when the test reads every event: a test is not sampled.
  'tests/events_whole.sql': `select n from (select count(*) as n from {{ ref('events') }}) where n <> ${EVENT_HOURS.length}`,
};

async function project(): Promise<{ dir: string; db: string }> {
  const dir = writeProject(FILES);
  dirs.push(dir);
  mkdirSync(join(dir, 'target'), { recursive: true });
  const db = join(dir, 'target', 'test.duckdb');
  const values = ORDER_HOURS.map((h, i) => `(${i + 1}, '${at(h)}')`).join(', ');
  await runDuckDb(db, ['create table main.raw_orders (id integer, "at" timestamp)', `insert into main.raw_orders values ${values}`, 'create table main.raw_visits (id integer, "Seen At" timestamp)', `insert into main.raw_visits values ${values}`]);
  return { dir, db };
}

const count = async (db: string, table: string): Promise<number> => Number((await queryDuckDb(db, `select count(*) as n from main.${table}`))[0]!.n);
const counts = async (db: string): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const t of ['recent_events', 'recent_orders', 'all_customers', 'every_event', 'via_ephemeral']) out[t] = await count(db, t);
  return out;
};

describe('--sample on DuckDB', () => {
  it('build --sample "1 day": sampled refs, source and snapshot; the rest whole; the test reads every row', async () => {
    const { dir, db } = await project();
    const r = await build({ projectDir: dir, profilesDir: dir, sample: '1 day' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.results.map((x) => `${x.uniqueId} ${x.status}`).sort()).toContain('test.p.events_whole pass');
    expect(r.exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: within(EVENT_HOURS, 24), recent_orders: within(ORDER_HOURS, 24), all_customers: EVENT_HOURS.length, every_event: EVENT_HOURS.length, via_ephemeral: within(EVENT_HOURS, 24) });
    expect(await count(db, 'events_snap')).toBe(within(EVENT_HOURS, 24));
    expect(await count(db, 'recent_visits')).toBe(within(ORDER_HOURS, 24));
    expect(await count(db, 'events')).toBe(EVENT_HOURS.length);
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'recent_orders.sql'), 'utf8');
    expect(compiled).toMatch(/from \(select \* from "test"\."main"\."raw_orders" where "at" >= '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00' and "at" < '[^']+'\)$/);
    expect(JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).args.sample).toBe('1 day');
  });

  it('run: without --sample every row; "3 days" and the dict form their windows; with --empty no rows', async () => {
    const { dir, db } = await project();
    await build({ projectDir: dir, profilesDir: dir, select: ['events', 'customers'] });
    const whole = await run({ projectDir: dir, profilesDir: dir });
    expect(whole.exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: 6, recent_orders: 3, all_customers: 6, every_event: 6, via_ephemeral: 6 });

    expect((await run({ projectDir: dir, profilesDir: dir, sample: '3 days' })).exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: within(EVENT_HOURS, 72), recent_orders: within(ORDER_HOURS, 72), all_customers: 6, every_event: 6, via_ephemeral: within(EVENT_HOURS, 72) });

    // 26 and 3 hours ago as clocks 5 hours ahead of UTC show them (+05:00). dbt sets the zone of the dict's
    // times to UTC, keeping the clock: the window read is from 21 hours ago to 2 hours from now.
    const local = (hoursAgo: number): string => `${new Date(NOW - hoursAgo * HOUR + 5 * HOUR).toISOString().slice(0, 19)}+05:00`;
    const dict = `{'start': '${local(26)}', 'end': '${local(3)}'}`;
    expect((await run({ projectDir: dir, profilesDir: dir, sample: dict })).exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: within(EVENT_HOURS, 21, -2), recent_orders: within(ORDER_HOURS, 21, -2), all_customers: 6, every_event: 6, via_ephemeral: within(EVENT_HOURS, 21, -2) });
    // "0 days" is an empty window (dbt reads nothing), not a mistake.
    expect((await run({ projectDir: dir, profilesDir: dir, sample: '0 days' })).exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: 0, recent_orders: 0, all_customers: 6, every_event: 6, via_ephemeral: 0 });

    expect((await run({ projectDir: dir, profilesDir: dir, sample: '3 days', empty: true })).exitCode).toBe(0);
    expect(await counts(db)).toEqual({ recent_events: 0, recent_orders: 0, all_customers: 0, every_event: 6, via_ephemeral: 0 });
  });

  it('a malformed spec is exit 2 with the fix, before anything is read or written', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const r = await run({ projectDir: dir, profilesDir: dir, sample: '2 weeks' });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'sample-invalid', file: '--sample', message: expect.stringContaining("'weeks' is not a grain"), hint: expect.stringContaining('--sample="3 days"') })]);
    expect(existsSync(join(dir, 'target', 'test.duckdb'))).toBe(false);
  });
});
