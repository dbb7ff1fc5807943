/**
 * What `--sample` filters beside a model's body, and how an event_time column is named in a filter, on a real
 * DuckDB file: a model's hooks read sampled refs (dbt renders them in the model's context), a source's
 * `quoting: {column: true}` quotes its event_time, and a microbatch model's own event_time documented with
 * `quote: true` is quoted in the delete of each batch's window.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, run } from './index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const HOUR = 3_600_000;
const NOW = Date.now();
const TAP_HOURS = [2, 7, 30, 55, 90];
const at = (hoursAgo: number): string => new Date(NOW - hoursAgo * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const inLastDay = TAP_HOURS.filter((h) => h < 24).length;

function project(files: Record<string, string>): { dir: string; db: string } {
  const dir = writeProject(files);
  dirs.push(dir);
  mkdirSync(join(dir, 'target'), { recursive: true });
  return { dir, db: join(dir, 'target', 'test.duckdb') };
}

const TAPS_SEED = `tap_id,tapped\n${TAP_HOURS.map((h, i) => `${i + 1},${at(h)}`).join('\n')}\n`;

describe('--sample beyond the model body', () => {
  it("a model's post-hook reads its refs sampled, as the model's SQL does; an on-run-end hook reads them whole", async () => {
    const { dir, db } = project({
      'project.yml': "name: p\nprofile: p\nseeds:\n  p:\n    taps:\n      +event_time: tapped\n      +column_types: {tapped: timestamp}\non-run-end:\n  - \"insert into {{ ref('tally') }} select 'run end', count(*) from {{ ref('taps') }}\"\n",
      'seeds/taps.csv': TAPS_SEED,
      'models/tally.sql': "{{ config(materialized='incremental') }} select '' as who, 0 as n where false",
      'models/tapped.sql': "{{ config(materialized='table', post_hook=\"insert into {{ ref('tally') }} select 'hook', count(*) from {{ ref('taps') }}\") }}\nselect * from {{ ref('taps') }}",
    });
    expect((await build({ projectDir: dir, profilesDir: dir, select: ['taps', 'tally'] })).exitCode).toBe(0);
    const r = await run({ projectDir: dir, profilesDir: dir, select: ['tapped'], sample: '1 day' });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await queryDuckDb(db, 'select count(*)::int as n from main.tapped')).toEqual([{ n: inLastDay }]);
    // The first build's on-run-end row, then the sampled run's two.
    expect(await queryDuckDb(db, 'select who, n::int as n from main.tally order by who, n')).toEqual([
      { who: 'hook', n: inLastDay },
      { who: 'run end', n: TAP_HOURS.length },
      { who: 'run end', n: TAP_HOURS.length },
    ]);
  });

  it("a source's quoting: {column: true} quotes its event_time in the filter; a column's quote: false wins over it", async () => {
    const { dir, db } = project({
      'models/sources.yml': [
        'version: 2',
        'sources:',
        '  - name: feed',
        '    schema: main',
        '    quoting: {column: true}',
        '    tables:',
        '      - name: door_log',
        '        config: {event_time: Opened At}',
        '      - name: gate_log',
        '        config: {event_time: opened_at}',
        '        columns:',
        '          - name: opened_at',
        '            quote: false',
        '',
      ].join('\n'),
      'models/recent_doors.sql': "{{ config(materialized='table') }} select id from {{ source('feed', 'door_log') }}",
      'models/recent_gates.sql': "{{ config(materialized='table') }} select id from {{ source('feed', 'gate_log') }}",
    });
    const values = TAP_HOURS.map((h, i) => `(${i + 1}, '${at(h)}')`).join(', ');
    await runDuckDb(db, ['create table main.door_log (id integer, "Opened At" timestamp)', `insert into main.door_log values ${values}`, 'create table main.gate_log (id integer, opened_at timestamp)', `insert into main.gate_log values ${values}`]);
    const r = await run({ projectDir: dir, profilesDir: dir, sample: '1 day' });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await queryDuckDb(db, 'select (select count(*) from main.recent_doors)::int as doors, (select count(*) from main.recent_gates)::int as gates')).toEqual([{ doors: inLastDay, gates: inLastDay }]);
    const compiled = (m: string): string => readFileSync(join(dir, 'target', 'compiled', 'p', 'models', `${m}.sql`), 'utf8');
    expect(compiled('recent_doors')).toContain('where "Opened At" >= ');
    expect(compiled('recent_gates')).toContain('where opened_at >= ');
  });

  it("a microbatch model's own event_time documented with quote: true is quoted where a batch deletes its window", async () => {
    const { dir, db } = project({
      'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    swipes:\n      +event_time: ts\n      +column_types: {ts: timestamp}\n',
      'seeds/swipes.csv': 'id,ts\n1,2024-01-01 08:00:00\n2,2024-01-02 09:00:00\n3,2024-01-02 18:00:00\n',
      'models/swipes_daily.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='Swiped At', batch_size='day', begin='2024-01-01') }}\nselect id, ts as \"Swiped At\" from {{ ref('swipes') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: swipes_daily\n    columns:\n      - name: Swiped At\n        quote: true\n',
    });
    const window = { eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-03' };
    expect((await build({ projectDir: dir, profilesDir: dir, ...window })).exitCode).toBe(0);
    // Again: both batches now replace their day of the existing table.
    const again = await run({ projectDir: dir, profilesDir: dir, ...window });
    expect(again.exitCode, JSON.stringify(again.results.map((x) => x.message))).toBe(0);
    expect(await queryDuckDb(db, 'select id::int as id from main.swipes_daily order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
