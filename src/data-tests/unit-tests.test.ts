/** dbt 1.8 unit tests: given inputs, expected rows, overrides for is_incremental and vars; never touching real tables. */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, test as runTests } from '../api/index.js';

const files = {
  'project.yml': 'name: p\nprofile: p\nvars:\n  min_amount: 0\n',
  'seeds/raw_orders.csv': 'id,amount,updated_at\n1,10,2026-01-01\n2,20,2026-01-02\n',
  'models/orders.sql': `{{ config(materialized='incremental', unique_key='id') }}
select id, amount * 2 as doubled, updated_at
from {{ ref('raw_orders') }}
where amount >= {{ var('min_amount') }}
{% if is_incremental() %}and updated_at > (select max(updated_at) from {{ this }}){% endif %}`,
  'models/unit.yml': `version: 2
unit_tests:
  - name: doubles_amounts
    model: orders
    given:
      - input: ref('raw_orders')
        rows:
          - {id: 1, amount: 5, updated_at: '2026-02-01'}
          - {id: 2, amount: 7, updated_at: '2026-02-02'}
    expect:
      rows:
        - {id: 1, doubled: 10}
        - {id: 2, doubled: 14}
  - name: incremental_branch_keeps_only_new_rows
    model: orders
    overrides:
      macros: {is_incremental: true}
      vars: {min_amount: 6}
    given:
      - input: ref('raw_orders')
        format: csv
        rows: |
          id,amount,updated_at
          1,5,2026-02-01
          2,7,2026-02-02
          3,9,2026-01-01
      - input: this
        rows:
          - {id: 9, doubled: 0, updated_at: '2026-01-15'}
    expect:
      rows:
        - {id: 2, doubled: 14}
  - name: a_wrong_expectation
    model: orders
    given:
      - input: ref('raw_orders')
        rows: [{id: 1, amount: 1, updated_at: '2026-01-01'}]
    expect:
      rows: [{id: 1, doubled: 3}]
`,
};

describe('unit tests', () => {
  const dir = writeProject(files);
  afterAll(() => removeProject(dir));

  it('pass and fail on the rendered model, with overrides, without touching real tables', async () => {
    const built = await build({ projectDir: dir, profilesDir: dir, exclude: ['test_type:unit'] });
    expect(built.exitCode).toBe(0);
    const result = await runTests({ projectDir: dir, profilesDir: dir, select: ['test_type:unit'] });
    const by = Object.fromEntries(result.results.map((r) => [r.uniqueId, r]));
    expect(by['unit_test.p.orders.doubles_amounts']?.status).toBe('pass');
    expect(by['unit_test.p.orders.incremental_branch_keeps_only_new_rows']?.status).toBe('pass');
    expect(by['unit_test.p.orders.a_wrong_expectation']).toMatchObject({ status: 'fail' });
    expect(by['unit_test.p.orders.a_wrong_expectation']?.message).toBe('actual differs from expected:\n\n@@,id,doubled\n→ ,1 ,3→2');
    expect(result.exitCode).toBe(1);
    // The real model is untouched: still the seed's rows doubled.
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id::int as id, doubled::int as doubled from main.orders order by id')).toEqual([{ id: 1, doubled: 20 }, { id: 2, doubled: 40 }]);
  });

  it("are written to run_results.json as dbt 1.10's unit test runner writes them: no message on a pass, failures 0 / 1, the adapter's response", async () => {
    const { readFileSync } = await import('node:fs');
    const written = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string | null; failures: number; adapter_response: unknown }[] };
    const by = Object.fromEntries(written.results.map((r) => [r.unique_id, r]));
    expect(by['unit_test.p.orders.doubles_amounts']).toMatchObject({ status: 'pass', message: null, failures: 0, adapter_response: { _message: 'OK' } });
    expect(by['unit_test.p.orders.a_wrong_expectation']).toMatchObject({ status: 'fail', message: '\n\nactual differs from expected:\n\n@@,id,doubled\n→ ,1 ,3→2\n\n', failures: 1, adapter_response: { _message: 'OK' } });
  });

  it('appear in manifest.json under unit_tests', async () => {
    const { readFileSync } = await import('node:fs');
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));
    expect(Object.keys(m.unit_tests).sort()).toEqual(['unit_test.p.orders.a_wrong_expectation', 'unit_test.p.orders.doubles_amounts', 'unit_test.p.orders.incremental_branch_keeps_only_new_rows']);
    // dbt's path: the YAML file within its resource folder; original_file_path: from the project root.
    expect(m.unit_tests['unit_test.p.orders.doubles_amounts']).toMatchObject({ path: 'unit.yml', original_file_path: 'models/unit.yml' });
  });
});

describe('a unit test expecting no rows', () => {
  const dir = writeProject({
    'seeds/raw_calls.csv': 'id,amount\n1,1\n',
    'models/pier_calls.sql': "select id, amount * 2 as doubled from {{ ref('raw_calls') }} where amount > 0",
    'models/unit.yml': `version: 2
unit_tests:
  - name: none_expected_some_returned
    model: pier_calls
    given:
      - input: ref('raw_calls')
        rows: [{id: 2, amount: 7}, {id: 1, amount: 5}]
    expect:
      rows: []
  - name: none_expected_by_sql
    model: pier_calls
    given:
      - input: ref('raw_calls')
        rows: [{id: 3, amount: 4}]
    expect:
      format: sql
      rows: select 1 as id, 2 as doubled where false
  - name: none_expected_none_returned
    model: pier_calls
    given:
      - input: ref('raw_calls')
        rows: [{id: 1, amount: 0}]
    expect:
      rows: []
`,
  });
  afterAll(() => removeProject(dir));

  it("diffs on the model's columns, as dbt takes them from the model's query (get_columns_in_query): every row returned is `+++`", async () => {
    const result = await runTests({ projectDir: dir, profilesDir: dir, select: ['test_type:unit'] });
    const by = Object.fromEntries(result.results.map((r) => [r.uniqueId.replace('unit_test.p.pier_calls.', ''), r]));
    expect(by.none_expected_some_returned).toMatchObject({ status: 'fail', message: 'actual differs from expected:\n\n@@ ,id,doubled\n+++,1 ,10\n+++,2 ,14' });
    expect(by.none_expected_by_sql).toMatchObject({ status: 'fail', message: 'actual differs from expected:\n\n@@ ,id,doubled\n+++,3 ,8' });
    expect(by.none_expected_none_returned).toMatchObject({ status: 'pass' });
  });
});

describe('expected rows typed like the model', () => {
  it('casts to scalar result types, and leaves nested ones (STRUCT, RECORD, repeated, lists) as written', async () => {
    const { expectedRowsSql } = await import('./unit-tests.js');
    const { bigqueryDialect } = await import('../adapters/bigquery/bigquery-dialect.js');
    const sql = expectedRowsSql(bigqueryDialect, [{ d: '2026-01-01', s: null, r: null, n: 1 }], [
      { name: 'd', dataType: 'DATE' },
      { name: 's', dataType: 'STRUCT<a INT64>' },
      { name: 'r', dataType: 'ARRAY<STRING>' },
      { name: 'n', dataType: 'INT64' },
    ] as never);
    expect(sql).toContain('cast(');
    expect(sql).toMatch(/cast\('2026-01-01' as DATE\)/);
    expect(sql).toMatch(/cast\(1 as INT64\)/);
    expect(sql).not.toMatch(/as STRUCT|as ARRAY/);
  });
});
