/**
 * The bundled demo, built with `--target bigquery` against loopback servers: its Parquet files go from
 * the local S3 server through a GCS staging bucket into BigQuery load jobs, then silver and gold are built.
 * Asserts which jobs run, in which order, and that every statement parses as BigQuery SQL.
 */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyDemo, repoRoot } from '../../test-support/demo-project.js';
import { startFakeBigQuery, type FakeBigQuery } from '../../test-support/fake-bigquery.js';
import { startFakeGcs, type FakeGcs } from '../../test-support/fake-gcs.js';
import { build } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

describe('the demo on BigQuery (loopback BigQuery, GCS and S3 servers)', () => {
  let gcs: FakeGcs;
  let bq: FakeBigQuery;
  let dir: string;
  beforeAll(async () => {
    gcs = await startFakeGcs();
    bq = await startFakeBigQuery({ gcs });
    bq.answer = (sql) => (sql.includes(' as failures') ? { fields: [{ name: 'failures', type: 'INTEGER' }, { name: 'should_warn', type: 'BOOLEAN' }, { name: 'should_error', type: 'BOOLEAN' }], rows: [{ failures: 0, should_warn: false, should_error: false }] } : undefined);
    // The silver complaints model ends in `select *`, which the loopback server cannot expand.
    bq.columnsOf = (t) => (t === 'complaints__strata_tmp' ? ['channel', 'complaint_id', 'customer_id', 'opened_at', 'category_code', 'status', 'agent_id', 'resolved_at', 'updated_at'] : undefined);
    dir = copyDemo();
    rmSync(join(dir, 'landing'), { recursive: true, force: true });
    // What a landing killed between its load job and its transaction leaves behind: dropped by the next landing.
    bq.tables.set('acme-demo.bronze.raw_agents__strata_land_0123456789abcdef', { type: 'TABLE', fields: [], numRows: 3, numBytes: 30 });
  });
  afterAll(async () => {
    await bq.close();
    await gcs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lands S3 → GCS → load job → bronze in one transaction with its ledger row per file, then builds silver and gold', async () => {
    const endpoint = inject('s3Endpoint');
    const bucket = `bqdemo-${process.pid}-${Date.now()}`;
    await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'generate-demo-data.mjs'), '--s3', `s3://${bucket}/drop`, '--endpoint', endpoint], { env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' } });
    const env = {
      ...process.env,
      STRATA_PII_PEPPER: 'bq-test-pepper',
      STRATA_DEMO_LANDING: `s3://${bucket}/drop`,
      STRATA_S3_ENDPOINT: endpoint,
      STRATA_S3_ACCESS_KEY_ID: 'S3RVER',
      STRATA_S3_SECRET_ACCESS_KEY: 'S3RVER',
      STRATA_BQ_METHOD: 'oauth-secrets',
      STRATA_BQ_TOKEN: 'ya29.demo-token',
      STRATA_BQ_PROJECT: 'acme-demo',
      STRATA_GCS_BUCKET: 'acme-staging',
      STRATA_BQ_API_ENDPOINT: bq.endpoint,
      STRATA_GCS_API_ENDPOINT: gcs.endpoint,
    };
    // The unit test runs on an in-memory DuckDB: the model renders as DuckDB SQL there, BigQuery SQL here.
    const result = await build({ projectDir: dir, target: 'bigquery', env });
    const unit = result.results.find((r) => r.uniqueId.startsWith('unit_test.'));
    expect(unit?.status, unit?.message).toBe('pass');
    const bad = result.results.filter((r) => !['success', 'pass'].includes(r.status));
    expect(bad.map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    expect(result.exitCode).toBe(0);

    const sqls = bq.jobs.map((j) => (j.configuration.query?.query as string | undefined) ?? `LOAD ${j.configuration.load.destinationTable.tableId} FROM ${(j.configuration.load.sourceUris ?? ['upload']).join(',')}`);
    const first = (re: RegExp): number => {
      const i = sqls.findIndex((s) => re.test(s));
      expect(i, `no job matches ${re}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // Landing: 11 load jobs from the staging bucket into per-file staging tables…
    const loads = bq.jobs.filter((j) => j.configuration.load?.sourceUris);
    expect(loads).toHaveLength(11);
    for (const j of loads) {
      expect(j.configuration.load).toMatchObject({ sourceFormat: 'PARQUET', writeDisposition: 'WRITE_TRUNCATE' });
      expect(j.configuration.load.sourceUris[0]).toMatch(/^gs:\/\/acme-staging\/strata-landing\//);
      expect(j.jobReference.jobId).toMatch(/^strata_land_[0-9a-f]{32}_[0-9a-f]{16}$/);
    }
    expect(loads.filter((j) => j.configuration.load.hivePartitioningOptions?.mode === 'AUTO')).toHaveLength(9);
    // …each followed by one transaction that inserts the rows and the ledger row together.
    const txns = sqls.filter((s) => s.startsWith('begin transaction;') && s.includes('`strata_meta`.`landed_files`'));
    expect(txns).toHaveLength(11);
    for (const t of txns) expect(t).toMatch(/^begin transaction;\ninsert into `acme-demo`\.`bronze`\.`raw_[a-z_]+` \([^)]*`_strata_source_file`, `_strata_loaded_at`, `_strata_invocation_id`\)\nselect .* from `acme-demo`\.`bronze`\.`raw_[a-z_]+__strata_land_[0-9a-f]{16}`;\ninsert into `strata_meta`\.`landed_files` values \('landing\.[a-z_]+', '[^']+', '[^']+', \d+, \d+, current_timestamp, '[0-9a-f-]{36}', 'loaded', null, 's3:\/\/[^']+'\);\ncommit transaction$/s);
    expect(bq.tables.get('acme-demo.bronze.raw_complaints_web')?.numRows).toBe(437);
    expect(bq.tables.get('acme-demo.bronze.raw_complaints_web')?.fields.map((f) => f.name)).toContain('month');
    expect(gcs.list('acme-staging')).toEqual([]); // staged files are deleted once loaded
    expect([...bq.tables.keys()].filter((k) => k.includes('__strata_land_'))).toEqual([]);
    // Then bronze views, silver, gold, in graph order.
    const lastLanding = sqls.map((s, i) => (s.includes('`strata_meta`.`landed_files` values') ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(first(/^create or replace view `acme-demo`\.`bronze`\.`brz_complaints_web`/)).toBeGreaterThan(first(/^begin transaction;\ninsert into `acme-demo`\.`bronze`\.`raw_complaints_web`/));
    // Quarantine on BigQuery: the model and its quarantine are replaced by one transaction.
    const swap = sqls[first(/^begin transaction;\ndelete from `acme-demo`\.`silver`\.`complaints` where true/)]!;
    expect(swap).toContain('delete from `acme-demo`.`silver`.`complaints__quarantine` where true;\ninsert into `acme-demo`.`silver`.`complaints__quarantine`');
    expect(swap.endsWith('commit transaction')).toBe(true);
    expect(first(/^create or replace table `acme-demo`\.`silver`\.`complaints__strata_tmp`/)).toBeGreaterThan(first(/^create or replace view `acme-demo`\.`bronze`\.`brz_complaints_email`/));
    expect(first(/^create or replace table `acme-demo`\.`gold`\.`fct_complaints`/)).toBeGreaterThan(first(/^begin transaction;\ndelete from `acme-demo`\.`silver`\.`complaints` where true/));
    expect(lastLanding).toBeLessThan(first(/^create or replace table `acme-demo`\.`gold`\.`fct_complaints`/));
    // BigQuery spellings from the demo's dispatched macros, and the pepper as a query parameter only.
    const silver = sqls.find((s) => s.startsWith('create or replace table `acme-demo`.`silver`.`complaints__strata_tmp`'))!;
    expect(silver).toContain("parse_timestamp('%d/%m/%Y %H:%M', call_start)");
    expect(silver).toContain('timestamp_seconds(cast(received_epoch as int64))');
    const customers = bq.jobs.find((j) => String(j.configuration.query?.query).startsWith('create or replace table `acme-demo`.`silver`.`customers`'))!;
    expect(customers.configuration.query.query).toContain('to_hex(sha256(lower(trim(email)) || @STRATA_PII_PEPPER))');
    expect(customers.configuration.query.queryParameters).toEqual([{ name: 'STRATA_PII_PEPPER', parameterType: { type: 'STRING' }, parameterValue: { value: 'bq-test-pepper' } }]);
    expect(sqls.find((s) => s.includes('approx_quantiles(resolution_hours, 2)[offset(1)]'))).toBeDefined();
    for (const f of ['run_results.json', 'manifest.json']) {
      const text = readFileSync(join(dir, 'target', f), 'utf8');
      expect(text).not.toContain('bq-test-pepper');
      expect(text).not.toContain('ya29.demo-token');
    }
  });
});
