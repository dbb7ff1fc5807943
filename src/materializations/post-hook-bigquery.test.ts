/**
 * Post-hooks on BigQuery (the loopback server), which has no transactions: as dbt-bigquery's materializations,
 * they run after the `create or replace`, so a failing one fails the node and leaves the new table
 * (on DuckDB the change is rolled back: post-hook-transaction.test.ts).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { useLocalBigQuery } from '../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, queryRows } from '../test-support/local-bigquery-client.js';
import { run } from '../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

describe.skipIf(analyzerPlatformGap)('post-hooks on BigQuery (loopback server)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: p\nprofile: p\n',
    'profiles.yml': loopbackBigQueryProfile({ bigquery: endpoint, gcs: 'http://127.0.0.1:9' }),
    'models/levels.sql': "{{ config(materialized='table', post_hook=\"{% if var('fail', false) %}select cast('kaboom' as int64){% else %}select 1{% endif %}\") }}\nselect {{ var('v', 1) }} as level",
  }), (local) => ({ bq, dir } = local));

  it('a failing post-hook fails the node and leaves the table just built, as dbt-bigquery does', async () => {
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const failed = await run({ projectDir: dir, profilesDir: dir, vars: { v: 2, fail: true } });
    expect(failed.exitCode).toBe(1);
    expect(failed.results[0]?.status).toBe('error');
    const rows = await queryRows(bq.endpoint, 'select level from `acme-test`.`shop`.`levels`', { project: 'acme-test' });
    expect(rows.map((r) => Number(r.level))).toEqual([2]);
  });
});
