/**
 * dbt-duckdb's microbatch refuses a `unique_key` (its TestMicrobatchUniqueKeyNotSupported): the first batch
 * creates the table, each incremental batch fails saying so, and the run fails.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { run } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('microbatch with a unique_key on DuckDB', () => {
  it("fails its incremental batches with dbt-duckdb's message; the first batch's table stays", async () => {
    const dir = writeProject({
      'models/readings.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', unique_key='meter_id', event_time='read_at', begin='2025-06-01', batch_size='day') }}\nselect 7 as meter_id, timestamp '2025-06-01 08:00:00' as read_at, cast(41.5 as double) as kwh",
    });
    dirs.push(dir);
    const r = await run({ projectDir: dir, profilesDir: dir, eventTimeStart: '2025-06-01', eventTimeEnd: '2025-06-03' });
    expect(r.exitCode).toBe(1);
    const result = r.results.find((x) => x.uniqueId === 'model.p.readings')!;
    expect(result.status).toBe('partial success');
    expect(result.message).toContain("does not support 'unique_key'");
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select meter_id, kwh from main.readings')).toEqual([{ meter_id: 7, kwh: 41.5 }]);
  });

  it('a single batch (the one that creates the table) succeeds, as in dbt-duckdb', async () => {
    const dir = writeProject({
      'models/readings.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', unique_key='meter_id', event_time='read_at', begin='2025-06-01', batch_size='day') }}\nselect 7 as meter_id, timestamp '2025-06-01 08:00:00' as read_at",
    });
    dirs.push(dir);
    expect((await run({ projectDir: dir, profilesDir: dir, eventTimeStart: '2025-06-01', eventTimeEnd: '2025-06-02' })).exitCode).toBe(0);
  });
});
