/** Severity, thresholds, where/limit/fail_calc, store_failures and project-level defaults, on real data. */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, test as runTests } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));
const model = "{{ config(materialized='table') }} select * from (values (1, 'a'), (2, null), (3, null), (3, 'c')) as t(id, v)";

async function run(tests: string, projectExtra = ''): Promise<{ dir: string; result: Awaited<ReturnType<typeof build>> }> {
  const dir = writeProject({
    'project.yml': `name: p\nprofile: p\n${projectExtra}`,
    'models/m.sql': model,
    'models/down.sql': "select * from {{ ref('m') }}",
    'models/schema.yml': `version: 2\nmodels:\n  - name: m\n    columns:\n${tests}`,
  });
  dirs.push(dir);
  return { dir, result: await build({ projectDir: dir, profilesDir: dir }) };
}
const testResult = (r: Awaited<ReturnType<typeof build>>) => r.results.find((x) => x.uniqueId.startsWith('test.'))!;

describe('test configs', () => {
  it('error severity fails, exits 1 and skips downstream', async () => {
    const { result } = await run('      - name: v\n        data_tests: [not_null]\n');
    expect(testResult(result)).toMatchObject({ status: 'fail', failures: 2 });
    expect(result.exitCode).toBe(1);
    expect(result.results.find((x) => x.uniqueId === 'model.p.down')?.status).toBe('skipped');
  });

  it('warn severity warns, exits 0 and lets downstream run', async () => {
    const { result } = await run('      - name: v\n        data_tests:\n          - not_null:\n              config: {severity: warn}\n');
    expect(testResult(result)).toMatchObject({ status: 'warn', failures: 2 });
    expect(result.exitCode).toBe(0);
    expect(result.results.find((x) => x.uniqueId === 'model.p.down')?.status).toBe('success');
  });

  it('warn_if / error_if thresholds', async () => {
    const under = await run("      - name: v\n        data_tests:\n          - not_null:\n              config: {warn_if: '>1', error_if: '>5'}\n");
    expect(testResult(under.result)).toMatchObject({ status: 'warn', failures: 2 });
    const over = await run("      - name: v\n        data_tests:\n          - not_null:\n              config: {warn_if: '>0', error_if: '>1'}\n");
    expect(testResult(over.result)).toMatchObject({ status: 'fail', failures: 2 });
    const fine = await run("      - name: v\n        data_tests:\n          - not_null:\n              config: {error_if: '>2', warn_if: '>2'}\n");
    expect(testResult(fine.result)).toMatchObject({ status: 'pass', failures: 2 });
  });

  it('where, limit and fail_calc', async () => {
    const where = await run("      - name: v\n        data_tests:\n          - not_null:\n              config: {where: 'id < 3'}\n");
    expect(testResult(where.result)).toMatchObject({ status: 'fail', failures: 1 });
    const limit = await run('      - name: v\n        data_tests:\n          - not_null:\n              config: {limit: 1}\n');
    expect(testResult(limit.result).failures).toBe(1);
    const calc = await run("      - name: id\n        data_tests:\n          - unique:\n              config: {fail_calc: 'sum(n_records)'}\n");
    expect(testResult(calc.result)).toMatchObject({ status: 'fail', failures: 2 });
  });

  it('store_failures keeps the failing rows in the audit schema, replaced on each run', async () => {
    const { dir, result } = await run('      - name: v\n        data_tests:\n          - not_null:\n              config: {store_failures: true}\n');
    expect(testResult(result).status).toBe('fail');
    const db = join(dir, 'target', 'test.duckdb');
    const rows = await queryDuckDb(db, 'select v from main_dbt_test__audit.not_null_m_v');
    expect(rows).toEqual([{ v: null }, { v: null }]);
    await runTests({ projectDir: dir, profilesDir: dir });
    expect(await queryDuckDb(db, 'select count(*)::int as n from main_dbt_test__audit.not_null_m_v')).toEqual([{ n: 2 }]);
  });

  it('store_failures_as: view keeps a view of the failing rows; ephemeral keeps nothing, even with store_failures', async () => {
    const { dir } = await run('      - name: v\n        data_tests:\n          - not_null:\n              config: {store_failures_as: view}\n          - unique:\n              config: {store_failures: true, store_failures_as: ephemeral}\n');
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, "select table_name, table_type from information_schema.tables where table_schema = 'main_dbt_test__audit' order by 1")).toEqual([{ table_name: 'not_null_m_v', table_type: 'VIEW' }]);
  });

  it('project-level data_tests defaults apply, and a test can be disabled', async () => {
    const { result } = await run('      - name: v\n        data_tests: [not_null]\n', 'data_tests:\n  p:\n    +severity: warn\n');
    expect(testResult(result).status).toBe('warn');
    const off = await run('      - name: v\n        data_tests:\n          - not_null:\n              config: {enabled: false}\n');
    expect(off.result.results.filter((x) => x.uniqueId.startsWith('test.'))).toEqual([]);
  });

  it('custom generic tests with arguments, from tests/generic', async () => {
    const dir = writeProject({
      'models/m.sql': model,
      'tests/generic/at_least.sql': '{% test at_least(model, column_name, minimum=0) %}select * from {{ model }} where {{ column_name }} < {{ minimum }}{% endtest %}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - at_least: {minimum: 3}\n',
    });
    dirs.push(dir);
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(testResult(result)).toMatchObject({ status: 'fail', failures: 2 });
    expect(testResult(result).uniqueId).toMatch(/^test\.p\.at_least_m_id__3\.[0-9a-f]{10}$/);
  });
});

describe('test tags', () => {
  it("a column's tags go to the tests of that column, a source's to its tests, as dbt gives them", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'models/m.sql': model,
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    columns:',
        '      - name: id',
        '        tags: [pii]',
        '        data_tests: [not_null]',
        '      - name: v',
        '        data_tests:',
        '          - accepted_values:',
        "              arguments: {values: ['a', 'c']}",
        '              config: {tags: [own]}',
        'sources:',
        '  - name: raw',
        '    tags: [landed]',
        '    tables:',
        '      - name: t',
        '        columns:',
        '          - name: id',
        '            config: {tags: [key]}',
        '            data_tests: [unique]',
        '',
      ].join('\n'),
    });
    dirs.push(dir);
    const manifestTags = async (): Promise<Record<string, string[]>> => {
      const { readFileSync } = await import('node:fs');
      const nodes = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')).nodes as Record<string, { resource_type: string; name: string; tags: string[] }>;
      return Object.fromEntries(Object.values(nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n.tags]));
    };
    const r = await runTests({ projectDir: dir, profilesDir: dir, select: ['tag:pii', 'tag:landed'] });
    expect(r.results.map((x) => x.uniqueId.split('.')[2]).sort()).toEqual(['not_null_m_id', 'source_unique_raw_t_id']);
    expect(await manifestTags()).toEqual({ not_null_m_id: ['pii'], accepted_values_m_v__a__c: ['own'], source_unique_raw_t_id: ['key', 'landed'] });
  });
});
