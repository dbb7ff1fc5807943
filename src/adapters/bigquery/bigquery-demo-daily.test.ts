/**
 * The demo day by day on BigQuery (loopback BigQuery, GCS and S3 servers): four days, each a daily run
 * (`--vars '{ds: …}'`) as Airflow schedules them, with the changes the generator does not make
 * (test-support/demo-changes.ts: complaints leaving gold for the quarantine and back, a change delivered late,
 * a day whose only complaint leaves). Every node of every run succeeds, and the gold tables end with the rows
 * of one DuckDB build over the same files, which the DuckDB day-by-day test (api/demo-build.test.ts) shows
 * equal to DuckDB's own daily runs.
 */
import { describe, it, expect, inject } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyDemo, repoRoot } from '../../test-support/demo-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { build } from '../../api/index.js';
import { queryDuckDb } from '../../test-support/duckdb-query.js';
import { addDemoChanges } from '../../test-support/demo-changes.js';
import { comparedFields, demoOnBigQueryEnv, demoOnLoopbackBigQuery, rowSet, scdId, uniqueKeysOfSnapshots } from '../../test-support/bigquery-demo-rows.js';
import { newBucket, put, s3Client } from '../../landing/test-support/s3-fixtures.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';
const DAYS = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05'];

describe.skipIf(analyzerPlatformGap)('the demo day by day on BigQuery', () => {
  let gcs: LocalGcs;
  let bq: LocalBigQuery;
  let dir: string;
  const dirs = demoOnLoopbackBigQuery((demo) => ({ bq, gcs, dir } = demo));

  it('runs each day with every node passing, and ends with the gold rows of one DuckDB build over the same files', async () => {
    const generated = join(dir, 'generated');
    const gen = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-demo-data.mjs'), '--days', '4', '--scale', '0.5', '--start', DAYS[0]!, '--out', generated], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const changes = addDemoChanges(generated);
    const endpoint = inject('s3Endpoint');
    const client = s3Client(endpoint);
    const bucket = await newBucket(client);
    const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
    for (const f of files(generated)) await put(client, bucket, `drop/${relative(generated, f)}`, readFileSync(f));
    const env = demoOnBigQueryEnv(`s3://${bucket}/drop`, endpoint, bq.endpoint, gcs.endpoint);
    for (const ds of DAYS) {
      const r = await build({ projectDir: dir, target: 'bigquery', env, vars: { ds } });
      expect(r.results.filter((x) => !['success', 'pass', 'no-op'].includes(x.status)).map((x) => `${x.uniqueId}: ${x.message}`), ds).toEqual([]);
      expect(r.exitCode, ds).toBe(0);
    }

    const reference = copyDemo();
    dirs.push(reference);
    rmSync(join(reference, 'landing'), { recursive: true, force: true });
    cpSync(generated, join(reference, 'landing'), { recursive: true });
    expect((await build({ projectDir: reference, env: { ...process.env, STRATA_PII_PEPPER: 'bq-test-pepper' } })).exitCode).toBe(0);
    const db = join(reference, 'complaints.duckdb');
    const snapshotKeys = uniqueKeysOfSnapshots(join(reference, 'target', 'manifest.json'));
    const gold = [...bq.tables.keys()].filter((k) => k.startsWith('acme-demo.gold.') && bq.tables.get(k)!.type === 'TABLE').sort();
    expect(gold.map((k) => k.split('.')[2])).toEqual(['churn_risk_features', 'dim_agents', 'dim_customers', 'fct_complaints', 'mart_agent_performance', 'mart_complaints_daily', 'mart_ticket_summary']);
    const report: string[] = [];
    for (const key of gold) {
      const name = key.split('.')[2]!;
      const fields = comparedFields(name, bq.tables.get(key)!.fields);
      const onBigQuery = rowSet(await queryRows(bq.endpoint, `select * from \`acme-demo\`.\`gold\`.\`${name}\``, { project: 'acme-demo' }), fields);
      let duckRows = await queryDuckDb(db, `select ${fields.map((f) => f.name).join(', ')} from gold.${name}`);
      const keys = snapshotKeys.get(name);
      if (keys) duckRows = duckRows.map((r) => ({ ...r, dbt_scd_id: scdId(r, keys, '+00') }));
      const onDuckDb = rowSet(duckRows, fields);
      const missing = onDuckDb.filter((r) => !onBigQuery.includes(r));
      const extra = onBigQuery.filter((r) => !onDuckDb.includes(r));
      if (missing.length || extra.length || !onDuckDb.length) report.push(`${name}: ${onDuckDb.length} rows, ${missing.length} only in the DuckDB build, ${extra.length} only on BigQuery (e.g. ${missing[0]} vs ${extra[0]})`);
    }
    expect(report).toEqual([]);
    // The changes happened: one complaint left gold, one came back, and the emptied day is in no mart.
    const ids = async (sql: string): Promise<unknown[]> => (await queryRows(bq.endpoint, sql, { project: 'acme-demo' })).map((r) => Object.values(r)[0]);
    expect(await ids(`select complaint_id from \`gold\`.\`fct_complaints\` where complaint_id in ('${changes.leaving}', '${changes.returning}')`)).toEqual([changes.returning]);
    expect(await ids(`select count(*) from \`gold\`.\`mart_complaints_daily\` where opened_date = date '${changes.emptiedDay}'`)).toEqual(['0']);
  }, 600_000);
});
