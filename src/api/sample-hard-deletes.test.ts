/**
 * `--sample` and a snapshot that tracks hard deletes, on a real DuckDB file: dbt samples a snapshot's inputs,
 * so every key outside the window would look deleted and have its history row closed for good. Strata refuses
 * the selection (exit 2, nothing run); without such a snapshot, or over inputs with no event_time, it samples.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { build } from './index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const HOUR = 3_600_000;
const NOW = Date.now();
// Ten readings, one a day, each 12 hours off a day's boundary from now: '3 days' holds the newest three.
const DAYS = [...Array(10).keys()];
const at = (hoursAgo: number): string => new Date(NOW - hoursAgo * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const rows = DAYS.map((d) => `${d + 1},${at(12 + 24 * d)},${d * 3}`).join('\n');

const snapshot = (name: string, input: string, config: string): string =>
  `{% snapshot ${name} %}\n{{ config(unique_key='reading_id', strategy='check', check_cols='all', target_schema='main', ${config}) }}\nselect * from {{ ref('${input}') }}\n{% endsnapshot %}\n`;

const FILES: Record<string, string> = {
  'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    readings:\n      +event_time: taken_at\n      +column_types: {taken_at: timestamp}\n    gauges:\n      +column_types: {taken_at: timestamp}\n',
  'seeds/readings.csv': `reading_id,taken_at,level\n${rows}\n`,
  // The same rows with no event_time: a snapshot of them reads every row under --sample.
  'seeds/gauges.csv': `reading_id,taken_at,level\n${rows}\n`,
  'snapshots/level_history.sql': snapshot('level_history', 'readings', "hard_deletes='invalidate'"),
  'snapshots/level_log.sql': snapshot('level_log', 'readings', "hard_deletes='new_record'"),
  'snapshots/gauge_history.sql': snapshot('gauge_history', 'gauges', 'invalidate_hard_deletes=true'),
  'snapshots/level_plain.sql': snapshot('level_plain', 'readings', "hard_deletes='ignore'"),
};

const closed = async (db: string, table: string): Promise<number> => Number((await queryDuckDb(db, `select count(*) as n from main.${table} where dbt_valid_to is not null`))[0]!.n);
const count = async (db: string, table: string): Promise<number> => Number((await queryDuckDb(db, `select count(*) as n from main.${table}`))[0]!.n);

describe('--sample and snapshots that track hard deletes', () => {
  it('refuses the selection (exit 2, the fix named) and leaves every history row open', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    const opts = { projectDir: dir, profilesDir: dir };
    expect((await build(opts)).exitCode).toBe(0);
    expect(await count(db, 'level_history')).toBe(10);

    const r = await build({ ...opts, select: ['level_history', 'level_log'], sample: '3 days' });
    expect(r.exitCode).toBe(2);
    expect(r.results).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'sample-hard-deletes', file: 'snapshots/level_history.sql', message: expect.stringContaining("hard_deletes='invalidate'"), hint: expect.stringContaining('--exclude resource_type:snapshot') }),
      expect.objectContaining({ code: 'sample-hard-deletes', file: 'snapshots/level_log.sql', message: expect.stringContaining('recorded as deleted') }),
    ]);
    expect(await closed(db, 'level_history')).toBe(0);
    expect(await count(db, 'level_log')).toBe(10);

    // The fix the hint names: the sampled build without the snapshots.
    const without = await build({ ...opts, sample: '3 days', exclude: ['resource_type:snapshot'] });
    expect(without.exitCode).toBe(0);
    expect(await closed(db, 'level_history')).toBe(0);
  });

  it('samples a snapshot that ignores hard deletes, and runs one whose inputs have no event_time', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    const opts = { projectDir: dir, profilesDir: dir };
    expect((await build({ ...opts, select: ['readings', 'gauges'] })).exitCode).toBe(0);
    const r = await build({ ...opts, select: ['level_plain', 'gauge_history'], sample: '3 days' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await count(db, 'level_plain')).toBe(3);
    expect(await count(db, 'gauge_history')).toBe(10);
  });
});
