/**
 * Executes generated DAGs with the Airflow stand-in as `airflow dags test` would: every task runs the real CLI
 * (`node bin/strata.js`) with its own target path, on a real DuckDB file. Slow (a process per task): about a
 * minute per DAG run on a busy machine.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyDemo, repoRoot } from '../test-support/demo-project.js';
import { removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { STRATA_BIN, airflowDagsTest, describe, generate, strata } from '../test-support/airflow-standin.js';

const SLOW = 900_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function demo(): string {
  const dir = copyDemo();
  cpSync(join(repoRoot, 'snapshots'), join(dir, 'snapshots'), { recursive: true });
  dirs.push(dir);
  return dir;
}

/**
 * Three days the demo has files for. The DAG passes Airflow's `ds` as a var, and the demo's complaint channels
 * (call_logs, social, web) land only the files named after `ds` (`*_day_{{ var('ds', '*') }}.*`): a daily run
 * lands its own day. A day without files lands nothing, so its bronze views have no table to read.
 */
const DAYS = ['2026-01-05', '2026-01-06', '2026-01-07'];
const CHANNELS = ['call_logs', 'social', 'web'];

/** Removes the channel files of every day not in `days`: what one plain `strata build` then lands is those days. */
function keepDays(dir: string, days: string[]): void {
  for (const channel of CHANNELS) {
    for (const f of readdirSync(join(dir, 'landing', channel))) if (!days.some((d) => f.includes(`_day_${d}.`))) rmSync(join(dir, 'landing', channel, f));
  }
}

interface Run { run_id: string; states: Record<string, string>; logs: Record<string, string> }

function dagsTest(file: string, days: string[]): Promise<Run[]> {
  return airflowDagsTest<Run>(file, 'strata_complaints', days);
}

/** Every table of the three layers, rows sorted, without the columns that record when, from where or by which day's run a row was loaded. */
async function layerTables(dir: string): Promise<Record<string, string[]>> {
  const db = join(dir, 'complaints.duckdb');
  const tables = await queryDuckDb(db, "select table_schema || '.' || table_name as t from information_schema.tables where table_schema in ('bronze', 'silver', 'gold') order by 1");
  const out: Record<string, string[]> = {};
  // complaint_events.loaded_at is _strata_loaded_at renamed; batch_ds and invocation_id are the day and the invocation of the run that wrote a silver row.
  const volatile = /^(_strata_(source_file|loaded_at|invocation_id|quarantined_at)|loaded_at|batch_ds|invocation_id|dbt_(scd_id|updated_at|valid_from|valid_to))$/;
  for (const { t } of tables) {
    const rows = await queryDuckDb(db, `select * from ${String(t)}`);
    out[String(t)] = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.test(k))))).sort();
  }
  return out;
}

const strataCommand = `node '${STRATA_BIN}'`;

let built: Record<string, string[]>;
beforeAll(async () => {
  const once = demo();
  keepDays(once, DAYS);
  await strata(['build', '-q'], once);
  built = await layerTables(once);
}, SLOW);

it('three consecutive daily runs of the demo DAG build the same tables as one strata build of those days', async () => {
  // Every day's files are there; each run's `ds` picks its own. The incremental models (complaint_events,
  // fct_complaints) grow day by day and must end where one build of the three days' files starts from scratch.
  const dir = demo();
  const file = await generate(dir, { airflow: { strata_command: strataCommand } });
  const runs = await dagsTest(file, DAYS);
  for (const run of runs) {
    expect(Object.values(run.states).every((s) => s === 'success'), JSON.stringify(run.states)).toBe(true);
    // strata_parse, 5 landings, 1 seed, 16 models, 2 snapshots, 2 relationships tests across a model and a snapshot.
    expect(Object.keys(run.states)).toHaveLength(27);
  }
  expect(await layerTables(dir)).toEqual(built);
  expect(built['gold.fct_complaints']!.length).toBeGreaterThan(0);
  expect(built['silver.complaint_events']!.length).toBeGreaterThan(built['silver.complaints']!.length);
  // Each file landed once: the static exports on the first day, each channel's file of a day by that day's run.
  const landed = await queryDuckDb(join(dir, 'complaints.duckdb'), "select source, string_agg(key, ',' order by loaded_at) as keys, count(distinct invocation_id)::int as runs from strata_meta.landed_files where status = 'loaded' group by source order by source");
  const byDay = (prefix: string, ext: string) => DAYS.map((d) => `${prefix}_day_${d}.${ext}`).join(',');
  expect(landed).toEqual([
    { source: 'landing.agents', keys: 'agents.csv', runs: 1 },
    { source: 'landing.call_logs', keys: byDay('call_logs', 'csv'), runs: 3 },
    { source: 'landing.customers', keys: 'customers.csv', runs: 1 },
    { source: 'landing.social_complaints', keys: byDay('social_complaints', 'json'), runs: 3 },
    { source: 'landing.web_complaints', keys: byDay('web_complaints', 'parquet'), runs: 3 },
  ]);
  // The task log has the run_results.json summary; each task wrote its artifacts to its own run-scoped folder, with Airflow's dates as vars.
  const second = runs[1]!;
  expect(readFileSync(second.logs['gold.fct_complaints']!, 'utf8')).toMatch(/strata result: success model\.complaints\.fct_complaints [\d.]+s/);
  const own = join(dir, 'target', 'airflow', 'strata_complaints', second.run_id, 'fct_complaints', 'run_results.json');
  const results = JSON.parse(readFileSync(own, 'utf8')) as { args: { vars?: string }; results: { unique_id: string }[] };
  expect(results.results.map((r) => r.unique_id)).toContain('model.complaints.fct_complaints');
  expect(results.results.map((r) => r.unique_id)).not.toContain('model.complaints.complaints');
  expect(JSON.parse(results.args.vars ?? '{}')).toMatchObject({ ds: '2026-01-06', data_interval_start: '2026-01-06T00:00:00+00:00', data_interval_end: '2026-01-07T00:00:00+00:00' });
}, SLOW);

it('a failing model fails its task and marks every task downstream upstream_failed', async () => {
  const dir = demo();
  writeFileSync(join(dir, 'models', 'silver', 'customers.sql'), "{{ config(materialized='table') }}\nselect * from a_table_that_does_not_exist\n");
  const file = await generate(dir, { airflow: { strata_command: strataCommand } });
  const [dag] = describe(file);
  const children = new Map<string, string[]>();
  for (const t of dag!.tasks) for (const u of t.upstream) children.set(u, [...(children.get(u) ?? []), t.task_id]);
  const downstream = new Set<string>();
  const stack = [...(children.get('silver.customers') ?? [])];
  while (stack.length) {
    const t = stack.pop()!;
    if (!downstream.has(t)) stack.push(...(children.get(t) ?? []));
    downstream.add(t);
  }
  expect(downstream.has('gold.fct_complaints')).toBe(true);
  // A day with files: on a day without, the channels' bronze views would fail too (nothing landed to read).
  const [run] = await dagsTest(file, [DAYS[0]!]);
  for (const [task, state] of Object.entries(run!.states)) {
    const want = task === 'silver.customers' ? 'failed' : downstream.has(task) ? 'upstream_failed' : 'success';
    expect([task, state]).toEqual([task, want]);
  }
  expect(readFileSync(run!.logs['silver.customers']!, 'utf8')).toMatch(/strata result: error model\.complaints\.customers/);
  expect(existsSync(join(dir, 'target', 'airflow', 'strata_complaints', run!.run_id, 'dim_customers'))).toBe(false);
}, SLOW);
