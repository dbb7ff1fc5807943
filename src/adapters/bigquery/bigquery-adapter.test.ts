/**
 * `strata build --target bigquery` through the real @google-cloud/bigquery client against the local
 * BigQuery (src/adapters/bigquery/local/: every statement checked by BigQuery's analyzer): which jobs, in which
 * order, with which configuration; retries; job-id idempotency; secrets.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'sql-parser-cst';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { analyzerPlatformGap, jobSql } from '../../test-support/local-bigquery-client.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { build, docsGenerate, plan, snapshot } from '../../api/index.js';
import { runStrata } from '../../test-support/strata-cli.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';
const TOKEN = 'ya29.test-token-never-printed';

function files(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'project.yml': 'name: shop\nprofile: shop\nseeds:\n  shop:\n    +column_types: {id: INT64}\n',
    'profiles.yml': bigQueryProfile('shop', 'prod', bigQueryOutput('prod', {
      endpoint, project: 'acme-test', dataset: 'analytics', token: TOKEN,
      extra: { priority: 'batch', maximum_bytes_billed: 1000000000, job_timeout_seconds: 300, job_retries: 2, labels: '{team: care}' },
    })),
    'seeds/raw_customers.csv': 'id,name,signup_date\n1,Ada,2026-01-01\n2,Grace,2026-01-02\n',
    'models/stg_customers.sql': "{{ config(materialized='view') }}\nselect id, name, signup_date from {{ ref('raw_customers') }}",
    'models/customers.sql': "{{ config(materialized='table', partition_by={'field': 'signup_date', 'data_type': 'date'}, cluster_by=['id'], labels={'layer': 'gold'}, persist_docs={'relation': true, 'columns': true}) }}\nselect id, name, cast(signup_date as date) as signup_date from {{ ref('stg_customers') }}",
    'models/events.sql': "{{ config(materialized='incremental', unique_key='id', partition_by={'field': 'ts', 'data_type': 'timestamp'}) }}\nselect id, current_timestamp() as ts from {{ ref('customers') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: customers\n    description: One row per customer\n    columns:\n      - name: id\n        description: The customer\'s id\n        data_tests: [not_null]\n',
    ...extra,
  };
}

const project = (endpoint: string, extra: Record<string, string> = {}): string => writeProject(files(endpoint, extra));

describe.skipIf(analyzerPlatformGap)('the BigQuery adapter against a loopback BigQuery API', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => files(endpoint), (local) => {
    ({ bq, dir } = local);
    bq.answer = (sql) => (sql.includes(' as failures') ? { fields: [{ name: 'failures', type: 'INTEGER' }, { name: 'should_warn', type: 'BOOLEAN' }, { name: 'should_error', type: 'BOOLEAN' }], rows: [{ failures: 0, should_warn: false, should_error: false }] } : undefined);
  });
  beforeEach(() => {
    bq.requests.length = 0;
  });

  it('builds seeds, a view, a partitioned table, an incremental model and a test with the right jobs, in graph order', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode, JSON.stringify(result.results.filter((r) => r.status !== 'success' && r.status !== 'pass'), null, 1)).toBe(0);
    const jobs = bq.jobs.map((j) => ({ id: j.jobReference.jobId as string, sql: (jobSql(j) ?? `LOAD ${j.configuration.load?.destinationTable?.tableId}`) as string, cfg: j.configuration }));
    const order = jobs.map((j) => j.sql.split('\n')[0]);
    expect(order).toEqual([
      'create schema if not exists `acme-test`.`analytics`',
      'LOAD raw_customers',
      'create or replace view `acme-test`.`analytics`.`stg_customers`',
      // Rows written: the new table's numRows (tables.get), as dbt-bigquery; no count(*) job.
      'create or replace table `acme-test`.`analytics`.`customers`',
      "alter table `acme-test`.`analytics`.`customers` alter column `id` set options(description = 'The customer\\'s id')",
      'select',
      'create or replace table `acme-test`.`analytics`.`events`',
      // The history dataset lives in the job's project.
      'create schema if not exists `strata_dq`',
      'create table if not exists `strata_dq`.`test_results` (invocation_id STRING, unique_id STRING, model STRING, column_name STRING, test_name STRING, status STRING, failures INT64, rows_quarantined INT64, started_at TIMESTAMP, duration_seconds FLOAT64)',
      'insert into `strata_dq`.`test_results` values',
    ]);
    // Every query job: Standard SQL, the profile's priority, budget, labels, timeout and location.
    for (const j of jobs.filter((x) => x.cfg.query)) {
      expect(j.cfg.query).toMatchObject({ useLegacySql: false, priority: 'BATCH', maximumBytesBilled: '1000000000' });
      expect(j.cfg).toMatchObject({ labels: { team: 'care' }, jobTimeoutMs: '300000' });
      expect(() => parse(j.sql, { dialect: 'bigquery', paramTypes: ['@name'] })).not.toThrow();
    }
    expect(bq.jobs.every((j) => j.jobReference.location === 'EU' && /^strata_[0-9a-f]{32}_c\d+_(query|load)_\d+_[0-9a-f]{12}$/.test(j.jobReference.jobId))).toBe(true);
    const table = jobs.find((j) => j.sql.startsWith('create or replace table `acme-test`.`analytics`.`customers`'))!.sql;
    expect(table).toContain("partition by `signup_date`\ncluster by `id`\noptions(\n  description = 'One row per customer',\n  labels = [('layer', 'gold')]\n)");
    const load = bq.jobs.find((j) => j.configuration.load)!.configuration.load;
    expect(load).toMatchObject({ sourceFormat: 'CSV', skipLeadingRows: 1, writeDisposition: 'WRITE_TRUNCATE', destinationTable: { projectId: 'acme-test', datasetId: 'analytics', tableId: 'raw_customers' } });
    expect(load.schema.fields).toEqual([{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'signup_date', type: 'DATE' }]);
    // Authenticated with the profile's token, which never reaches an artifact.
    expect(bq.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    for (const f of ['run_results.json', 'manifest.json']) expect(readFileSync(join(dir, 'target', f), 'utf8')).not.toContain(TOKEN);
    const rr = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    const customers = rr.results.find((r: { unique_id: string }) => r.unique_id === 'model.shop.customers');
    expect(customers.adapter_response).toMatchObject({ code: 'CREATE TABLE', bytes_processed: 0, bytes_billed: 0, job_id: expect.stringMatching(/^strata_[0-9a-f]{32}_c\d+_query_\d+_/) });
  });

  it('a second build merges the incremental model on its unique_key alone, as dbt-bigquery', async () => {
    const before = bq.jobs.length;
    const result = await build({ projectDir: dir, profilesDir: dir, select: ['events'] });
    expect(result.exitCode, JSON.stringify(result.results.map((r) => r.message))).toBe(0);
    const sqls = bq.jobs.slice(before).map((j) => jobSql(j) as string);
    expect(sqls[0]).toBe('create schema if not exists `acme-test`.`analytics`');
    // The staging table expires after 12 hours, as dbt-bigquery's temp relations: a killed run leaves none for good.
    expect(sqls[1]).toMatch(/^create or replace table `acme-test`.`analytics`.`events__strata_tmp`\noptions\(\n  expiration_timestamp = timestamp_add\(current_timestamp\(\), interval 12 hour\)\n\)\nas \(/);
    expect(sqls[1]).toContain('where id > (select max(id) from `acme-test`.`analytics`.`events`)');
    const merge = sqls.find((s) => s.startsWith('merge into `acme-test`.`analytics`.`events` as DBT_INTERNAL_DEST'))!;
    expect(merge).toContain('on DBT_INTERNAL_DEST.`id` = DBT_INTERNAL_SOURCE.`id`\nwhen matched');
    expect(merge).not.toContain('strata_partitions');
    expect(sqls.at(-1)).toBe('drop table if exists `acme-test`.`analytics`.`events__strata_tmp`');
  });

  it('docs generate lists the dataset and reads each built table\u2019s schema, running no query', async () => {
    const before = bq.jobs.length;
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(0);
    expect(bq.jobs.length).toBe(before);
    const catalog = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8'));
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.shop.customers', 'model.shop.events', 'model.shop.stg_customers', 'seed.shop.raw_customers']);
    expect(catalog.nodes['seed.shop.raw_customers'].columns).toEqual({ id: { type: 'INT64', index: 1, name: 'id', comment: '' }, name: { type: 'STRING', index: 2, name: 'name', comment: '' }, signup_date: { type: 'DATE', index: 3, name: 'signup_date', comment: '' } });
    expect(catalog.nodes['model.shop.stg_customers'].metadata).toMatchObject({ type: 'view', database: 'acme-test', schema: 'analytics', name: 'stg_customers' });
    expect(bq.requests.some((r) => r.method === 'GET' && r.pathname.endsWith('/datasets/analytics/tables'))).toBe(true);
    // Column lineage from the BigQuery SQL, also with no query run (the incremental model as on a first build).
    const lineage = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8'));
    expect(lineage.metadata).toMatchObject({ lineage_version: 1, adapter_type: 'bigquery' });
    expect(lineage.nodes['model.shop.customers'].columns.signup_date).toEqual({ upstream: [{ node: 'model.shop.stg_customers', column: 'signup_date', kind: 'cast' }] });
    expect(lineage.nodes['model.shop.events']).toEqual({ status: 'traced', columns: { id: { upstream: [{ node: 'model.shop.customers', column: 'id', kind: 'direct' }] }, ts: { upstream: [] } }, filters: [] });
  });

  it('retries 5xx answers, and a job whose answer was lost is not run twice', async () => {
    bq.failInserts(2);
    const before = bq.jobs.length;
    const a = await build({ projectDir: dir, profilesDir: dir, select: ['stg_customers'] });
    expect(a.exitCode, JSON.stringify(a.results.map((r) => r.message))).toBe(0);
    expect(bq.requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/jobs')).length).toBe(bq.jobs.length - before + 2);
    bq.loseInsertResponses(1);
    const mid = bq.jobs.length;
    const midRequests = bq.requests.length;
    const b = await build({ projectDir: dir, profilesDir: dir, select: ['stg_customers'] });
    expect(b.exitCode, JSON.stringify(b.results.map((r) => r.message))).toBe(0);
    const ids = bq.jobs.slice(mid).map((j) => j.jobReference.jobId);
    expect(new Set(ids).size).toBe(ids.length);
    // The lost answer was followed by a second insert with the same job id (409) and a jobs.get.
    const posts = bq.requests.slice(midRequests).filter((r) => r.method === 'POST' && r.pathname.endsWith('/jobs')).map((r) => r.body.jobReference.jobId);
    expect(posts.length).toBe(ids.length + 1);
    expect(posts[0]).toBe(posts[1]);
  });

  it('quota and permission errors are one line with the fix, and are not retried', async () => {
    bq.failInserts(1, 403, 'accessDenied', 'Access Denied: Project acme-test: User does not have bigquery.jobs.create permission in project acme-test.');
    const denied = await build({ projectDir: dir, profilesDir: dir, select: ['stg_customers'] });
    expect(denied.exitCode).toBe(1);
    // The first job is the dataset check, before any node: the refusal is a diagnostic, not a stack trace.
    expect(denied.diagnostics.find((d) => d.code === 'warehouse-error')?.message).toMatch(/^Access Denied: Project acme-test: User does not have bigquery\.jobs\.create permission in project acme-test\. \(the credentials lack a permission; grant roles\/bigquery\.jobUser/);
    bq.failInserts(1, 403, 'quotaExceeded', 'Quota exceeded: Your project exceeded quota for concurrent queries.');
    const quota = await build({ projectDir: dir, profilesDir: dir, select: ['stg_customers'] });
    expect(quota.diagnostics.find((d) => d.code === 'warehouse-error')?.message).toMatch(/^Quota exceeded: .* \(a BigQuery quota was exceeded; wait and rerun/);
  });

  it('a gs:// source with materialized: external becomes an external table, nothing loaded', async () => {
    const ext = project(bq.endpoint, {
      'models/sources.yml': "version: 2\nsources:\n  - name: lake\n    schema: raw\n    tables:\n      - name: calls\n        config: {materialized: external}\n        external:\n          location: gs://acme-lake/calls/\n          format: parquet\n          partitions: hive\n",
      'models/call_count.sql': "select count(*) as n from {{ source('lake', 'calls') }}",
    });
    try {
      const before = bq.jobs.length;
      const r = await build({ projectDir: ext, profilesDir: ext, select: ['+call_count'] });
      expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
      const sqls = bq.jobs.slice(before).map((j) => jobSql(j));
      expect(sqls).toContain("create or replace external table `acme-test`.`raw`.`calls`\nwith partition columns\noptions(format = 'PARQUET', uris = ['gs://acme-lake/calls/*'], hive_partition_uri_prefix = 'gs://acme-lake/calls/')");
      expect(bq.jobs.slice(before).some((j) => j.configuration.load)).toBe(false);
    } finally {
      removeProject(ext);
    }
  });

  it('a SQL error names the line in the compiled model, with no stack trace', async () => {
    const broken = project(bq.endpoint, { 'models/stg_customers.sql': "{{ config(materialized='view') }}\nselect id,\n  name\n  from from {{ ref('raw_customers') }}" });
    try {
      const r = await build({ projectDir: broken, profilesDir: broken, select: ['stg_customers'] });
      expect(r.exitCode).toBe(1);
      const msg = r.results.find((x) => x.uniqueId === 'model.shop.stg_customers')!.message!;
      // BigQuery's own parser (ZetaSQL) words it; the position is in the submitted statement, mapped to the compiled file.
      // BigQuery's position counts the line of the query comment before the statement.
      expect(msg).toMatch(/^Syntax error: Unexpected keyword FROM at \[7:8\]/);
      expect(msg).toContain('at target/compiled/shop/models/stg_customers.sql:4:8 ');
      // The model file's own line: its text around the ref is the compiled line's.
      expect(msg).toContain('from models/stg_customers.sql:4:8)');
      expect(msg).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      removeProject(broken);
    }
  });

  it('plan (build --dry-run) dry-runs every node in graph order: bytes, cost and total, and runs nothing', async () => {
    const GiB = 2 ** 30;
    bq.tables.get('acme-test.analytics.stg_customers')!.numBytes = 3 * GiB; // the view's base data, as BigQuery would count it
    bq.tables.get('acme-test.analytics.customers')!.numBytes = 2 * GiB;
    const jobsBefore = bq.jobs.length;
    const r = await plan({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify(r.nodes)).toBe(0);
    expect(bq.jobs.length).toBe(jobsBefore); // dry runs create no jobs
    const dry = bq.requests.filter((x) => x.method === 'POST' && x.pathname.endsWith('/jobs'));
    expect(dry.length).toBeGreaterThan(0);
    expect(dry.every((x) => x.body.configuration.dryRun === true)).toBe(true);
    expect(r.nodes.map((n) => [n.uniqueId, n.action, n.bytes])).toEqual([
      ['seed.shop.raw_customers', 'load job', 0],
      ['model.shop.stg_customers', 'view', 0],
      ['model.shop.customers', 'table', 3 * GiB],
      ['model.shop.events', 'incremental (merge)', 2 * GiB],
      [expect.stringMatching(/^test\.shop\.not_null_customers_id\./), 'test', 2 * GiB],
    ]);
    expect(r.totalBytes).toBe(7 * GiB);
    expect(r.totalCostUsd).toBeCloseTo((7 / 1024) * 6.25, 6);
    const saved = JSON.parse(readFileSync(join(dir, 'target', 'plan.json'), 'utf8'));
    expect(saved).toMatchObject({ total_bytes_processed: 7 * GiB, over_budget: false });

    // Async: the loopback server runs in this process, so a blocking spawn would deadlock it.
    const cli = await runStrata(['build', '--dry-run', '--project-dir', dir, '--profiles-dir', dir], { env: { METADATA_SERVER_DETECTION: 'none' } });
    expect(cli.code, cli.out).toBe(0);
    expect(cli.stdout).toMatch(/3 of 5 model `acme-test`\.`analytics`\.`customers` \(table\) \.+ 3\.00 GiB  \$0\.0183/);
    expect(cli.stdout).toContain('Total: 7.00 GiB ≈ $0.0427');
    expect(cli.stdout + cli.stderr).not.toContain(TOKEN);
  });

  it('--max-bytes refuses a run over budget before anything runs', async () => {
    const jobsBefore = bq.jobs.length;
    const r = await build({ projectDir: dir, profilesDir: dir, maxBytes: 4 * 2 ** 30 });
    expect(r.exitCode).toBe(1);
    expect(r.results).toEqual([]);
    expect(r.diagnostics.find((d) => d.code === 'over-budget')?.message).toMatch(/would process 7,516,192,768 bytes .* more than --max-bytes 4,294,967,296; nothing was run/);
    expect(bq.jobs.length).toBe(jobsBefore);
    const ok = await build({ projectDir: dir, profilesDir: dir, maxBytes: 8 * 2 ** 30, select: ['stg_customers'] });
    expect(ok.exitCode).toBe(0);
  });
});

describe.skipIf(analyzerPlatformGap)('a first plan on a fresh loopback BigQuery API', () => {
  let d: string;
  useLocalBigQuery((endpoint) => files(endpoint), (local) => ({ dir: d } = local));

  it('a first plan marks nodes that read models not built yet as not estimable', async () => {
    const r = await plan({ projectDir: d, profilesDir: d, select: ['stg_customers+'] });
    expect(r.exitCode).toBe(0);
    const customers = r.nodes.find((n) => n.uniqueId === 'model.shop.customers')!;
    expect(customers.bytes).toBeUndefined();
    expect(customers.note).toContain('not estimable yet: Not found: Table acme-test:analytics.stg_customers');
    expect(r.unknown).toBeGreaterThan(0);
  });
});

describe('plan on DuckDB', () => {
  it('says there is nothing to estimate, exit 2', async () => {
    const d = writeProject({ 'models/m.sql': 'select 1 as x' });
    try {
      const r = await plan({ projectDir: d, profilesDir: d });
      expect(r.exitCode).toBe(2);
      expect(r.diagnostics[0]).toMatchObject({ code: 'dry-run-unsupported', hint: expect.stringContaining('bigquery') });
    } finally {
      removeProject(d);
    }
  });
});

describe.skipIf(analyzerPlatformGap)('snapshots on the loopback BigQuery API', () => {
  let fresh: LocalBigQuery;
  let d: string;
  useLocalBigQuery((endpoint) => files(endpoint, {
    'snapshots/customers_history.sql': "{% snapshot customers_history %}\n{{ config(unique_key='id', strategy='check', check_cols=['name'], hard_deletes='invalidate') }}\nselect id, name from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
  }), (local) => ({ bq: fresh, dir: d } = local));

  it('creates the table on the first run and stages then merges on the next, every statement valid BigQuery', async () => {
    expect((await build({ projectDir: d, profilesDir: d, select: ['raw_customers', 'customers_history'] })).exitCode).toBe(0);
    const before = fresh.jobs.length;
    const again = await snapshot({ projectDir: d, profilesDir: d });
    expect(again.exitCode, JSON.stringify(again.results)).toBe(0);
    const sqls = fresh.jobs.slice(before).map((j) => String(jobSql(j) ?? ''));
    const staged = sqls.find((q) => q.startsWith('create or replace table `acme-test`.`analytics`.`customers_history__strata_tmp`'))!;
    expect(staged).toContain("to_hex(md5(coalesce(cast(`id` as STRING), '')");
    expect(staged).toContain("select 'delete' as dbt_change_type");
    const merge = sqls.find((q) => q.startsWith('merge into `acme-test`.`analytics`.`customers_history` as DBT_INTERNAL_DEST'))!;
    expect(merge).toContain("when not matched and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert' then insert");
    expect(sqls.at(-1)).toBe('drop table if exists `acme-test`.`analytics`.`customers_history__strata_tmp`');
  });
});

describe.skipIf(analyzerPlatformGap)('grants on the loopback BigQuery API', () => {
  let fresh: LocalBigQuery;
  let d: string;
  useLocalBigQuery((endpoint) => files(endpoint, {
    'models/shared.sql': "{{ config(materialized='table', grants={'roles/bigquery.dataViewer': ['group:analysts@example.com', 'user:new@example.com']}) }}\nselect 1 as id",
  }), (local) => ({ bq: fresh, dir: d } = local));

  it('grants on a new relation; on an existing one revokes what the config no longer has and grants what it lacks', async () => {
    expect((await build({ projectDir: d, profilesDir: d, select: ['shared'] })).exitCode).toBe(0);
    const dcl = (from: number): string[] => fresh.jobs.slice(from).map((j) => String(jobSql(j) ?? '')).filter((q) => /^(grant|revoke|select privilege_type)/.test(q));
    expect(dcl(0)).toEqual(['grant `roles/bigquery.dataViewer` on table `acme-test`.`analytics`.`shared` to "group:analysts@example.com", "user:new@example.com"']);

    fresh.answer = (sql) => (sql.includes('OBJECT_PRIVILEGES')
      ? { fields: [{ name: 'privilege_type', type: 'STRING' }, { name: 'grantee', type: 'STRING' }], rows: [{ privilege_type: 'roles/bigquery.dataViewer', grantee: 'group:analysts@example.com' }, { privilege_type: 'roles/bigquery.dataViewer', grantee: 'user:old@example.com' }, { privilege_type: 'roles/bigquery.dataEditor', grantee: 'user:old@example.com' }] }
      : undefined);
    const before = fresh.jobs.length;
    expect((await build({ projectDir: d, profilesDir: d, select: ['shared'] })).exitCode).toBe(0);
    expect(dcl(before)).toEqual([
      "select privilege_type, grantee from `acme-test`.`region-eu`.INFORMATION_SCHEMA.OBJECT_PRIVILEGES where object_schema = 'analytics' and object_name = 'shared' and split(grantee, ':')[offset(1)] != session_user()",
      'revoke `roles/bigquery.dataViewer` on table `acme-test`.`analytics`.`shared` from "user:old@example.com"',
      'revoke `roles/bigquery.dataEditor` on table `acme-test`.`analytics`.`shared` from "user:old@example.com"',
      'grant `roles/bigquery.dataViewer` on table `acme-test`.`analytics`.`shared` to "user:new@example.com"',
    ]);
  });
});
