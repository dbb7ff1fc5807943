/**
 * Unit tests in a generated DAG run before their model, as in `strata build` (dbt ≥ 1.8's order): executed with
 * the Airflow stand-in (a process per task, the real CLI, a real DuckDB file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { removeProject, writeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { STRATA_BIN, airflowDagsTest, generate } from '../test-support/airflow-standin.js';

const SLOW = 300_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** `totals` doubles `amount`; its unit test expects it tripled (fails) or doubled (passes). */
function project(expected = 15): string {
  const dir = writeProject({
    'models/payments.sql': "{{ config(materialized='table') }}\nselect 1 as id, 10 as amount",
    'models/totals.sql': "{{ config(materialized='table') }}\nselect id, amount * 2 as doubled from {{ ref('payments') }}",
    'models/report.sql': "select * from {{ ref('totals') }}",
    'models/schema.yml': [
      'models:', '  - name: totals', '    columns:', '      - name: id', '        data_tests: [not_null]',
      'unit_tests:', '  - name: totals_amounts', '    model: totals', '    given:', "      - input: ref('payments')", '        rows:', '          - {id: 7, amount: 5}',
      '    expect:', '      rows:', `        - {id: 7, doubled: ${expected}}`, '',
    ].join('\n'),
  });
  dirs.push(dir);
  return dir;
}

async function dagsTest(file: string): Promise<{ run_id: string; states: Record<string, string> }> {
  return (await airflowDagsTest<{ run_id: string; states: Record<string, string> }>(file, 'strata_p', ['2026-02-01']))[0]!;
}

it.each([
  ['after_each', {}],
  ['after_all', { strata_test: 'upstream_failed' }],
])('--test-behavior %s: a failing unit test fails its model\'s task before the model is built', async (behavior, extra) => {
  const dir = project();
  const file = await generate(dir, { airflow: { test_behavior: behavior, strata_command: `node '${STRATA_BIN}'` } });
  expect((await dagsTest(file)).states).toEqual({ strata_parse: 'success', payments: 'success', totals: 'failed', report: 'upstream_failed', ...extra });
  // The model never ran: its table does not exist (a unit test run after it would have found it built).
  const tables = await queryDuckDb(join(dir, 'target', 'test.duckdb'), "select table_name as t from information_schema.tables where table_schema = 'main' order by 1");
  expect(tables.map((r) => r.t)).toEqual(['payments']);
}, SLOW);

it('after_all: a passing unit test runs once, in its model\'s task before the model; strata_test runs the data tests', async () => {
  const dir = project(10);
  const file = await generate(dir, { airflow: { test_behavior: 'after_all', strata_command: `node '${STRATA_BIN}'` } });
  const run = await dagsTest(file);
  expect(Object.values(run.states).every((s) => s === 'success'), JSON.stringify(run.states)).toBe(true);
  const ran = (task: string): string[] => (JSON.parse(readFileSync(join(dir, 'target', 'airflow', 'strata_p', run.run_id, task, 'run_results.json'), 'utf8')) as { results: { unique_id: string }[] }).results.map((r) => r.unique_id);
  expect(ran('totals')).toEqual(['unit_test.p.totals.totals_amounts', 'model.p.totals']);
  expect(ran('strata_test').map((id) => id.split('.')[0])).toEqual(['test']);
}, SLOW);
