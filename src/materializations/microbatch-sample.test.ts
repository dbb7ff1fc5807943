/**
 * Microbatch models under `--sample` (dbt 1.10): each batch reads its inputs in the overlap of the batch's
 * window and the sample's; the batches themselves are the run's as ever. The event_time column here is
 * named `at`, a DuckDB keyword: the batch's delete and the input filter quote it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const EVENTS: [number, string][] = [[1, '2024-01-01 09:00:00'], [2, '2024-01-02 10:00:00'], [3, '2024-01-02 13:00:00'], [4, '2024-01-03 11:00:00'], [5, '2024-01-03 13:00:00']];

function project(): string {
  const dir = writeProject({
    'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: at\n      +column_types: {at: timestamp}\n',
    'seeds/events.csv': `id,at\n${EVENTS.map(([id, t]) => `${id},${t}`).join('\n')}\n`,
    'models/daily.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='at', batch_size='day', begin='2024-01-01') }}\nselect id, \"at\", '{{ model.batch.id }}' as batch_id from {{ ref('events') }}",
  });
  dirs.push(dir);
  return dir;
}

describe('microbatch under --sample', () => {
  it('each batch reads the overlap of its day and the sample window', async () => {
    const dir = project();
    const [start, end] = ['2024-01-02 12:00:00', '2024-01-03 12:00:00'];
    const r = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04', sample: `{'start': '${start}', 'end': '${end}'}` });
    expect(r.results.filter((x) => x.status !== 'success').map((x) => `${x.uniqueId}: ${x.message}`)).toEqual([]);
    const rows = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id::int as id, batch_id from daily order by id');
    // Expected: the events in [start, end), each in its day's batch.
    const expected = EVENTS.filter(([, t]) => t >= start && t < end).map(([id, t]) => ({ id, batch_id: t.slice(0, 10).replace(/-/g, '') }));
    expect(rows).toEqual(expected);
    const compiled = (day: string): string => readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'daily', `daily_${day}.sql`), 'utf8');
    // Day 1 is wholly outside the sample: its window is empty (start after end), as dbt's max/min give it.
    expect(compiled('2024-01-01')).toContain(`where "at" >= '2024-01-02 12:00:00+00:00' and "at" < '2024-01-02 00:00:00+00:00'`);
    expect(compiled('2024-01-02')).toContain(`where "at" >= '2024-01-02 12:00:00+00:00' and "at" < '2024-01-03 00:00:00+00:00'`);
    expect(compiled('2024-01-03')).toContain(`where "at" >= '2024-01-03 00:00:00+00:00' and "at" < '2024-01-03 12:00:00+00:00'`);
  });

  it('without --sample, every batch its whole day; a second run replaces its days (the delete quotes "at")', async () => {
    const dir = project();
    const first = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(first.results.filter((x) => x.status !== 'success').map((x) => `${x.uniqueId}: ${x.message}`)).toEqual([]);
    const again = await build({ projectDir: dir, profilesDir: dir, select: ['daily'], eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-04' });
    expect(again.results.map((x) => `${x.uniqueId} ${x.status} ${x.status === 'success' ? '' : x.message}`)).toEqual(['model.p.daily success ']);
    const rows = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id::int as id from daily order by id');
    expect(rows.map((x) => x.id)).toEqual(EVENTS.map(([id]) => id));
  });
});
