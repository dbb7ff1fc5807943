/** The bundled demo and a standard dbt example project, built end to end on a real DuckDB file. */
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, land, run, test as runTests } from './index.js';
import { CapturingReporter } from '../diagnostics/index.js';
import { copyDemo, copyFixture, repoRoot } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { landingFigures, type LandingFigures } from '../test-support/landing-figures.js';
import { addDemoChanges, type DemoChanges } from '../test-support/demo-changes.js';

describe('the bundled demo', () => {
  let dir: string;
  /** The landing files' own figures, counted from the files by DuckDB, not by Strata. */
  let raw: LandingFigures;
  const db = (): string => join(dir, 'complaints.duckdb');
  beforeAll(async () => {
    dir = copyDemo();
    raw = await landingFigures(join(dir, 'landing'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds every layer with every test passing, orphans quarantined', async () => {
    const reporter = new CapturingReporter();
    const result = await build({ projectDir: dir, reporter, env: { ...process.env, STRATA_PII_PEPPER: 'test-pepper-value' } });
    const bad = result.results.filter((r) => !['success', 'pass', 'warn', 'no-op'].includes(r.status));
    expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.results.filter((r) => r.status === 'warn')).toEqual([]);
    const [{ n, ids }] = (await queryDuckDb(db(), 'select count(*)::int as n, count(distinct complaint_id)::int as ids from silver.complaints')) as { n: number; ids: number }[];
    expect(n).toBe(ids);
    expect(n).toBeGreaterThan(500);
    // Every complaint in the files is either in silver or in its quarantine: the orphans.
    expect(raw.orphans).toBeGreaterThan(10);
    expect(n).toBe(raw.complaints - raw.orphans);
    // Quarantine: every complaint is in exactly one of the two tables, orphans with the reason per row.
    const [q] = await queryDuckDb(db(), `select
      (select count(*) from silver.complaints__quarantine)::int as quarantined,
      (select count(*) from silver.complaints__quarantine where customer_id = 9999009 or customer_id is null or agent_id = 'A99')::int as orphans,
      (select count(*) from silver.complaints__quarantine where _strata_failed_tests is null)::int as without_reason,
      (select count(*) from silver.complaints c join silver.complaints__quarantine q using (complaint_id))::int as both_tables`);
    expect(q).toEqual({ quarantined: raw.orphans, orphans: raw.orphans, without_reason: 0, both_tables: 0 });
    const complaintsResult = result.results.find((r) => r.uniqueId === 'model.complaints.complaints');
    expect(complaintsResult?.adapterResponse).toMatchObject({ rows_quarantined: raw.orphans, rows_affected: n });
    const history = await queryDuckDb(db(), `select count(*)::int as n, count(distinct invocation_id)::int as runs from strata_dq.test_results`);
    expect(history[0]).toEqual({ n: 27, runs: 1 });
    const statuses = await queryDuckDb(db(), 'select distinct status from silver.complaints order by 1');
    expect(statuses.map((r) => r.status)).toEqual(['backlog', 'in_progress', 'resolved']);
    const customers = await queryDuckDb(db(), "select count(*)::int as n, count(*) filter (where customer_name_masked not like '_***')::int as unmasked, count(*) filter (where email_hash like '%@%')::int as raw_emails, count(*) filter (where phone_e164 not like '+316%')::int as odd_phones from silver.customers");
    expect(customers[0]).toEqual({ n: raw.customers, unmasked: 0, raw_emails: 0, odd_phones: 0 });
    // Landing: the five sources came from the CSV, JSON and Parquet files under landing/, one ledger row per file.
    const ledger = await queryDuckDb(db(), "select source, count(*)::int as files, sum(row_count)::int as landed, count(*) filter (where status <> 'loaded')::int as bad from strata_meta.landed_files group by 1 order by 1");
    expect(raw.files).toEqual({ 'landing.agents': 1, 'landing.call_logs': 10, 'landing.customers': 1, 'landing.social_complaints': 10, 'landing.web_complaints': 10 });
    expect(ledger).toEqual(Object.keys(raw.files).map((source) => ({ source, files: raw.files[source], landed: raw.rows[source], bad: 0 })));
    // The accumulating snapshot: a complaint's hours in each status add up to its resolution time.
    const [fct] = await queryDuckDb(db(), `select count(*)::int as n,
      count(*) filter (where status = 'resolved' and abs(hours_in_backlog + hours_in_progress - resolution_hours) > 0.011)::int as inconsistent,
      count(*) filter (where status = 'backlog' and (entered_in_progress_at is not null or hours_in_backlog is not null))::int as backlog_wrong
      from gold.fct_complaints`);
    expect(fct).toEqual({ n, inconsistent: 0, backlog_wrong: 0 });
  });

  it('a rerun lands nothing new', async () => {
    const again = await land({ projectDir: dir });
    expect(again.exitCode).toBe(0);
    expect(again.results.map((r) => r.adapterResponse?.files_landed)).toEqual([0, 0, 0, 0, 0]);
    const [{ n }] = (await queryDuckDb(db(), 'select count(*)::int as n from bronze.raw_social_complaints')) as { n: number }[];
    expect(n).toBe(raw.rows['landing.social_complaints']);
  });

  it('never writes the pepper into compiled SQL or artifacts', () => {
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'complaints', 'models', 'silver', 'customers.sql'), 'utf8');
    const manifest = readFileSync(join(dir, 'target', 'manifest.json'), 'utf8');
    // secret() renders a session-variable reference; the value is set on the connection, never in SQL text.
    expect(compiled).toContain("getvariable('STRATA_PII_PEPPER')");
    expect(compiled).not.toContain('test-pepper-value');
    expect(manifest).not.toContain('test-pepper-value');
    expect(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).not.toContain('test-pepper-value');
  });

  it('refuses a production target without a pepper, before opening the warehouse', async () => {
    const { STRATA_PII_PEPPER: _, ...env } = process.env;
    const result = await build({ projectDir: dir, target: 'bigquery', env, reporter: new CapturingReporter() });
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ file: 'models/silver/customers.sql' });
    expect(result.diagnostics.find((d) => d.severity === 'error')?.message).toContain("STRATA_PII_PEPPER is not set: the 'bigquery' target needs a real pepper");
  });

  it('a second build appends nothing to the incremental model and keeps it de-duplicated', async () => {
    const result = await run({ projectDir: dir, select: ['fct_complaints'] });
    expect(result.exitCode).toBe(0);
    const inc = result.results.find((r) => r.uniqueId === 'model.complaints.fct_complaints');
    expect(inc?.adapterResponse).toMatchObject({ rows_affected: 0 });
  });

  it('writes run_results.json and manifest.json with dbt field names', () => {
    const rr = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(rr.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(rr.metadata.invocation_id).toMatch(/^[0-9a-f-]{36}$/);
    const r0 = rr.results[0];
    for (const key of ['status', 'timing', 'thread_id', 'execution_time', 'adapter_response', 'message', 'failures', 'unique_id', 'compiled_code', 'relation_name']) expect(r0).toHaveProperty(key);
    // As dbt's adapters: a model's adapter_response carries `_message`, its message.
    const fct = rr.results.find((r: { unique_id: string }) => r.unique_id === 'model.complaints.fct_complaints');
    expect(fct.adapter_response).toMatchObject({ _message: fct.message, code: expect.any(String), rows_affected: expect.any(Number) });
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));
    const node = m.nodes['model.complaints.fct_complaints'];
    expect(node).toMatchObject({ resource_type: 'model', fqn: ['complaints', 'gold', 'fct_complaints'], schema: 'gold', alias: 'fct_complaints', original_file_path: 'models/gold/fct_complaints.sql' });
    expect(node.depends_on.nodes).toEqual(['model.complaints.complaint_categories', 'model.complaints.complaint_events', 'model.complaints.complaints']);
    expect(m.child_map['model.complaints.fct_complaints']).toContain('model.complaints.mart_complaints_daily');
    expect(m.nodes['model.complaints.complaints'].columns.status.description).toContain('normalisation');
  });
});

describe('a standard dbt example project, unchanged', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('dbt_example');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds with dbt_project.yml, seeds, staging views, marts and all four generic tests', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(0);
    const db = join(dir, 'coffee_shop.duckdb');
    const counts = await queryDuckDb(db, `select
      (select count(*) from main.customers)::int as customers,
      (select count(*) from main.orders)::int as orders,
      (select count(*) from main.stg_payments)::int as payments,
      (select table_type from information_schema.tables where table_name = 'stg_orders') as stg_kind,
      (select round(sum(amount), 2) from main.orders)::double as order_total,
      (select round(sum(amount) / 100.0, 2) from main.raw_payments)::double as payment_total`);
    expect(counts[0]).toEqual({ customers: 50, orders: 80, payments: 97, stg_kind: 'VIEW', order_total: 1315, payment_total: 1315 });
    const rr = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    const byType = (t: string): number => rr.results.filter((r: { unique_id: string }) => r.unique_id.startsWith(`${t}.`)).length;
    expect({ seeds: byType('seed'), models: byType('model'), tests: byType('test') }).toEqual({ seeds: 3, models: 5, tests: 20 });
    expect(rr.results.every((r: { status: string; failures: number | null }) => r.status === 'success' || (r.status === 'pass' && r.failures === 0))).toBe(true);
  });

  it('fails a test with exit 1 and skips what depends on the tested model', async () => {
    const result = await runTests({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(0);
    // Break the data: a status outside accepted_values, then build again.
    const { writeFileSync, readFileSync: rf } = await import('node:fs');
    const orders = join(dir, 'seeds', 'raw_orders.csv');
    writeFileSync(orders, rf(orders, 'utf8').replace(',completed\n', ',lost_in_space\n'));
    const broken = await build({ projectDir: dir, profilesDir: dir });
    expect(broken.exitCode).toBe(1);
    const status = (id: string): string | undefined => broken.results.find((r) => r.uniqueId === id)?.status;
    const failing = broken.results.find((r) => r.uniqueId.startsWith('test.coffee_shop.accepted_values_stg_orders_status__placed__'));
    expect(failing).toMatchObject({ status: 'fail', failures: 1 });
    expect(status('model.coffee_shop.orders')).toBe('skipped');
    expect(broken.results.find((r) => r.uniqueId === 'model.coffee_shop.orders')?.message).toContain(failing!.uniqueId);
  });
});

describe('the bundled demo, landing from the local S3 server', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the generator uploads the landing files to a bucket; build lands them from s3:// and builds everything downstream', async () => {
    dir = copyDemo();
    rmSync(join(dir, 'landing'), { recursive: true, force: true }); // nothing local: every row must come from S3
    const endpoint = inject('s3Endpoint');
    const bucket = `demo-${process.pid}-${Date.now()}`;
    const creds = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    const gen = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-demo-data.mjs'), '--s3', `s3://${bucket}/drop`, '--endpoint', endpoint], { env: { ...process.env, ...creds }, encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('uploaded 32 landing files');
    const env = { ...process.env, STRATA_PII_PEPPER: 'test-pepper-value', STRATA_DEMO_LANDING: `s3://${bucket}/drop`, STRATA_S3_ENDPOINT: endpoint, STRATA_S3_ACCESS_KEY_ID: 'S3RVER', STRATA_S3_SECRET_ACCESS_KEY: 'S3RVER' };
    const result = await build({ projectDir: dir, env });
    expect(result.exitCode, JSON.stringify(result.results.filter((r) => r.status === 'error'))).toBe(0);
    const db = join(dir, 'complaints.duckdb');
    // The generator's default output is the repository's landing/ folder (checked below): its figures are the bucket's.
    const raw = await landingFigures(join(repoRoot, 'landing'));
    const files = await queryDuckDb(db, `select count(*)::int as n, count(*) filter (where _strata_source_file like 's3://${bucket}/drop/social/social_complaints_day_2026-01-%.json')::int as from_s3 from bronze.raw_social_complaints`);
    expect(files[0]).toEqual({ n: raw.rows['landing.social_complaints'], from_s3: raw.rows['landing.social_complaints'] });
    const [q] = await queryDuckDb(db, 'select count(*)::int as n from silver.complaints__quarantine');
    expect(q).toEqual({ n: raw.orphans });
    const again = await land({ projectDir: dir, env });
    expect(again.results.map((r) => r.adapterResponse?.files_landed)).toEqual([0, 0, 0, 0, 0]);
    expect(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).not.toContain('S3RVER');
  });
});

describe('the bundled demo, its data', () => {
  it("the repository's landing/ folder is the generator's default output (deterministic), not a stale copy", () => {
    const out = mkdtempSync(join(tmpdir(), 'strata-demo-data-'));
    try {
      const gen = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-demo-data.mjs'), '--out', out], { encoding: 'utf8' });
      expect(gen.status, gen.stderr).toBe(0);
      const list = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(d, join(e.parentPath, e.name))).sort();
      expect(list(out)).toEqual(list(join(repoRoot, 'landing')));
      // Byte for byte (the Parquet files too: the DuckDB that writes them is pinned).
      for (const f of list(out)) expect(readFileSync(join(out, f)).equals(readFileSync(join(repoRoot, 'landing', f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the bundled demo, day by day', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** A copy of the demo with its own, smaller data: four days from the generator. */
  function demoWithDays(): string {
    const dir = copyDemo();
    dirs.push(dir);
    rmSync(join(dir, 'landing'), { recursive: true, force: true });
    const gen = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-demo-data.mjs'), '--days', '4', '--scale', '0.5', '--start', '2026-02-02', '--out', join(dir, 'landing')], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    agentChanges = addDemoChanges(join(dir, 'landing'));
    return dir;
  }
  /** The changes the generator does not make (test-support/demo-changes.ts), the same in every copy. */
  let agentChanges: DemoChanges | undefined;
  const goldTables = async (db: string): Promise<Record<string, unknown[]>> => {
    const names = (await queryDuckDb(db, "select table_name from information_schema.tables where table_schema = 'gold' order by 1")).map((r) => String(r.table_name));
    const out: Record<string, unknown[]> = {};
    for (const t of names) out[t] = await queryDuckDb(db, `select * from gold.${t} order by all`);
    return out;
  };

  it("building each day in order with --vars '{ds: …}' gives the same gold tables as one full build", async () => {
    const full = demoWithDays();
    const daily = demoWithDays();
    expect((await build({ projectDir: full })).exitCode).toBe(0);
    const days = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05'];
    for (const ds of days) {
      const result = await build({ projectDir: daily, vars: { ds } });
      expect(result.exitCode, ds).toBe(0);
      // Each day lands its own three complaint files; the static exports land on the first day only.
      const landed = result.results.filter((r) => r.uniqueId.startsWith('landing.')).map((r) => `${r.uniqueId.split('.').pop()}:${String(r.adapterResponse?.files_landed)}`);
      expect(landed.sort(), ds).toEqual([`agents:${ds === days[0] ? 1 : 0}`, 'call_logs:1', `customers:${ds === days[0] ? 1 : 0}`, 'social_complaints:1', 'web_complaints:1']);
      if (ds !== days[0]) {
        expect(result.results.find((r) => r.uniqueId === 'landing.complaints.landing.customers')?.message).toBe('nothing new: 1 file already landed');
        expect(result.results.find((r) => r.uniqueId === 'model.complaints.complaints')?.adapterResponse).toMatchObject({ code: 'MERGE', strategy: 'merge' });
      }
    }
    const [a, b] = [await goldTables(join(full, 'complaints.duckdb')), await goldTables(join(daily, 'complaints.duckdb'))];
    expect(Object.keys(b)).toEqual(['churn_risk_features', 'dim_agents', 'dim_customers', 'fct_complaints', 'mart_agent_performance', 'mart_complaints_daily', 'mart_ticket_summary']);
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    // Silver's quarantining models are incremental: each day checked its own rows, and the complaints and
    // their quarantine end as one build over all the files leaves them (the load times and the day of the
    // run that wrote a row aside).
    const cols = 'complaint_id, channel, customer_id, opened_at, category_code, status, agent_id, updated_at';
    for (const sql of [`select ${cols} from silver.complaints order by all`, `select ${cols}, _strata_failed_tests from silver.complaints__quarantine order by all`, 'select * exclude (loaded_at, batch_ds) from silver.customers order by all']) {
      const [x, y] = [await queryDuckDb(join(full, 'complaints.duckdb'), sql), await queryDuckDb(join(daily, 'complaints.duckdb'), sql)];
      expect(y.length, sql).toBeGreaterThan(0);
      expect(y, sql).toEqual(x);
    }
    // The complaint handed to an unknown agent left gold for the quarantine; the one handed to a known agent
    // came back from it.
    const where = (t: string, id: string): Promise<unknown[]> => queryDuckDb(join(daily, 'complaints.duckdb'), `select status, agent_id from ${t} where complaint_id = '${id}'`);
    expect(await where('silver.complaints__quarantine', agentChanges!.leaving)).toEqual([{ status: 'in_progress', agent_id: 'A99' }]);
    expect(await where('gold.fct_complaints', agentChanges!.leaving)).toEqual([]);
    expect(await where('gold.fct_complaints', agentChanges!.returning)).toEqual([{ status: 'resolved', agent_id: 'A01' }]);
    expect(await where('silver.complaints__quarantine', agentChanges!.returning)).toEqual([]);
    // The change sent again with another status replaced the one sent first (the later load wins), in silver and gold.
    const resent = agentChanges!.resent;
    expect(await where('silver.complaints', resent.id)).toEqual([{ status: resent.status, agent_id: expect.any(String) }]);
    expect(await where('gold.fct_complaints', resent.id)).toEqual([{ status: resent.status, agent_id: expect.any(String) }]);
    // No mart keeps a day whose every complaint left.
    const emptied = `date '${agentChanges!.emptiedDay}'`;
    expect(await queryDuckDb(join(daily, 'complaints.duckdb'), `select opened_date from gold.mart_ticket_summary where opened_date = ${emptied} union all select opened_date from gold.mart_complaints_daily where opened_date = ${emptied}`)).toEqual([]);
    // The late change counts among the complaint's changes in gold (the full build's row, compared above).
    const [late] = await queryDuckDb(join(daily, 'complaints.duckdb'), `select entered_in_progress_at is not null as progressed from gold.fct_complaints where complaint_id = '${agentChanges!.late}'`);
    expect(late).toEqual({ progressed: true });
    // Complaints changed status across days: the daily runs updated rows already in the snapshot.
    const [moved] = await queryDuckDb(join(daily, 'complaints.duckdb'), "select count(*)::int as n from gold.fct_complaints where cast(entered_resolved_at as date) > opened_date");
    expect((moved as { n: number }).n).toBeGreaterThan(5);
  }, 300_000);

  it('building without ds as each day\'s files arrive gives the same gold tables too: the change delivered late reaches gold', async () => {
    const full = demoWithDays();
    const arriving = demoWithDays();
    // The later days' files wait outside the landing folder until their day.
    const days = ['2026-02-03', '2026-02-04', '2026-02-05'];
    const held = join(arriving, 'held');
    mkdirSync(held);
    const folderOf = (f: string): string => (f.startsWith('call_logs') ? 'call_logs' : f.startsWith('social') ? 'social' : 'web');
    for (const folder of ['call_logs', 'social', 'web']) {
      for (const f of readdirSync(join(arriving, 'landing', folder))) if (days.some((d) => f.includes(d))) renameSync(join(arriving, 'landing', folder, f), join(held, f));
    }
    expect((await build({ projectDir: full })).exitCode).toBe(0);
    expect((await build({ projectDir: arriving })).exitCode).toBe(0);
    for (const day of days) {
      const files = readdirSync(held).filter((f) => f.includes(day));
      expect(files, day).toHaveLength(3);
      for (const f of files) renameSync(join(held, f), join(arriving, 'landing', folderOf(f), f));
      const result = await build({ projectDir: arriving });
      expect(result.exitCode, day).toBe(0);
      expect(result.results.find((r) => r.uniqueId === 'model.complaints.fct_complaints')?.adapterResponse, day).toMatchObject({ code: 'MERGE' });
    }
    const [a, b] = [await goldTables(join(full, 'complaints.duckdb')), await goldTables(join(arriving, 'complaints.duckdb'))];
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    // The late change counts among the complaint's changes in gold.
    expect(await queryDuckDb(join(arriving, 'complaints.duckdb'), `select status_changes::int as n from gold.fct_complaints where complaint_id = '${agentChanges!.late}'`)).toEqual([{ n: 3 }]);
    // A rerun with nothing new takes nothing to gold: the rows the last run wrote are not taken again.
    const again = await build({ projectDir: arriving });
    expect(again.exitCode).toBe(0);
    expect(again.results.find((r) => r.uniqueId === 'model.complaints.fct_complaints')?.adapterResponse).toMatchObject({ rows_affected: 0 });
  }, 300_000);
});
