/**
 * Microbatch with `--target bigquery`, against the loopback BigQuery server (every statement checked by
 * BigQuery's analyzer, then run on its DuckDB): inputs with event_time read as `cast(… as timestamp)` in
 * the batch's window, each batch after the first replacing its window in one multi-statement transaction,
 * and a failed batch leaving its window's previous rows.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { useLocalBigQuery } from '../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, jobSql, loopbackBigQueryProfile, queryRows } from '../test-support/local-bigquery-client.js';
import { build } from '../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const EVENTS_1 = 'id,ts,qty\n1,2024-01-01 09:00:00,1\n2,2024-01-02 10:00:00,2\n3,2024-01-03 11:00:00,3\n';
// Every day changes; day 3 has a quantity that is no number.
const EVENTS_2 = 'id,ts,qty\n1,2024-01-01 09:00:00,10\n2,2024-01-02 10:00:00,20\n4,2024-01-02 12:00:00,40\n3,2024-01-03 11:00:00,x\n';

describe.skipIf(analyzerPlatformGap)('microbatch on BigQuery (loopback server)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const table = async (): Promise<unknown[]> => (await queryRows(bq.endpoint, 'select id, qty, batch_id from `acme-test`.`shop`.`daily` order by id', { project: 'acme-test' })).map((r) => [Number(r.id), Number(r.qty), r.batch_id]);
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {id: INT64, ts: TIMESTAMP, qty: STRING}\n',
    'profiles.yml': loopbackBigQueryProfile({ bigquery: endpoint, gcs: 'http://127.0.0.1:9' }),
    'seeds/events.csv': EVENTS_1,
    'models/daily.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}\nselect id, ts, cast(qty as int64) as qty, '{{ model.batch.id }}' as batch_id from {{ ref('events') }}",
  }), (local) => ({ bq, dir } = local));

  it('builds one batch per day, then replaces a window in one transaction; a failed batch keeps its day', async () => {
    const first = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' });
    expect(first.results.filter((r) => r.status !== 'success').map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    expect(await table()).toEqual([[1, 1, '20240101'], [2, 2, '20240102'], [3, 3, '20240103']]);

    writeFileSync(join(dir, 'seeds', 'events.csv'), EVENTS_2);
    const from = bq.jobs.length;
    const second = await build({ projectDir: dir, profilesDir: dir, eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-04' });
    expect(second.exitCode).toBe(1);
    const daily = second.results.find((r) => r.uniqueId === 'model.p.daily')!;
    expect(daily.status).toBe('partial success');
    expect(daily.message).toMatch(/^PARTIAL SUCCESS \(1\/2\): batch 20240103 failed: /);
    // Day 1 is outside the window (its new amount not taken), day 2 replaced (a new row), day 3 as it was.
    expect(await table()).toEqual([[1, 1, '20240101'], [2, 20, '20240102'], [3, 3, '20240103'], [4, 40, '20240102']]);
    const sqls = bq.jobs.slice(from).map((j) => String(jobSql(j) ?? ''));
    expect(sqls.some((s) => s.includes("from (select * from `acme-test`.`shop`.`events` where cast(ts as timestamp) >= '2024-01-02 00:00:00+00:00' and cast(ts as timestamp) < '2024-01-03 00:00:00+00:00')")), sqls.join('\n---\n')).toBe(true);
    // Only the batch's window is inserted: the window is all the delete replaced.
    const txn = sqls.filter((s) => s.startsWith('begin transaction;\ndelete from `acme-test`.`shop`.`daily` where'));
    expect(txn).toHaveLength(1);
    expect(txn[0]).toMatch(/^begin transaction;\ndelete from `acme-test`\.`shop`\.`daily` where cast\(ts as timestamp\) >= '2024-01-02 00:00:00\+00:00' and cast\(ts as timestamp\) < '2024-01-03 00:00:00\+00:00';\ninsert into `acme-test`\.`shop`\.`daily` \(`id`, `ts`, `qty`, `batch_id`\)\nselect `id`, `ts`, `qty`, `batch_id` from \(\nselect \* from `acme-test`\.`shop`\.`daily__strata_tmp` where cast\(ts as timestamp\) >= '2024-01-02 00:00:00\+00:00' and cast\(ts as timestamp\) < '2024-01-03 00:00:00\+00:00'\n\) as DBT_INTERNAL_SOURCE;\ncommit transaction$/);
  });
});
