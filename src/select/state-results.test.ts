/**
 * dbt's slim-CI methods on saved results: `result:<status>` (run_results.json in --state) and
 * `source_status:fresher` (sources.json in --state against this target's).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build, list, seed, sourceFreshness } from '../api/index.js';
import { fresher } from './state-results.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function saveTarget(dir: string, files: string[]): string {
  const state = join(dir, 'prod-state');
  mkdirSync(state, { recursive: true });
  for (const f of files) copyFileSync(join(dir, 'target', f), join(state, f));
  return state;
}

async function names(dir: string, state: string, select: string[]): Promise<string[]> {
  const r = await list({ projectDir: dir, profilesDir: dir, select, state, output: 'name' });
  expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
  return [...r.lines].sort();
}

describe('result:', () => {
  it("selects nodes by their status in the saved run_results.json, with graph operators", async () => {
    const dir = writeProject({
      'models/good.sql': 'select 1 as id',
      'models/bad.sql': 'select * from no_such_table_here',
      'models/after_bad.sql': "select * from {{ ref('bad') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: good\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
      'tests/never_empty.sql': "select id from {{ ref('good') }}",
    });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(1);
    const state = saveTarget(dir, ['manifest.json', 'run_results.json']);
    expect(await names(dir, state, ['result:error'])).toEqual(['bad']);
    expect(await names(dir, state, ['result:error+'])).toEqual(['after_bad', 'bad']);
    expect(await names(dir, state, ['result:fail'])).toEqual(['never_empty']);
    expect(await names(dir, state, ['result:skipped'])).toEqual(['after_bad']);
    expect(await names(dir, state, ['result:pass'])).toEqual(['not_null_good_id']);
    // As any selection: a selected model brings its tests (eager indirect selection).
    expect(await names(dir, state, ['result:success'])).toEqual(['good', 'never_empty', 'not_null_good_id']);

    const odd = await list({ projectDir: dir, profilesDir: dir, select: ['result:broken'], state });
    expect(odd.exitCode).toBe(2);
    expect(odd.diagnostics[0]!.message).toContain('is not one of');
    rmSync(join(state, 'run_results.json'));
    const missing = await list({ projectDir: dir, profilesDir: dir, select: ['result:error'], state });
    expect(missing.exitCode).toBe(2);
    expect(missing.diagnostics[0]).toMatchObject({ code: 'selector-invalid', message: expect.stringContaining('run_results.json') });
  });
});

const SOURCES = `version: 2
sources:
  - name: app
    schema: main
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 100000, period: day}
    tables:
      - name: orders
        identifier: orders_seed
      - name: customers
        identifier: customers_seed
`;

describe('source_status:', () => {
  it('selects sources loaded since the saved freshness check, and their children with +', async () => {
    const dir = writeProject({
      'seeds/orders_seed.csv': 'id,loaded_at\n1,2026-01-01 08:00:00\n',
      'seeds/customers_seed.csv': 'id,loaded_at\n1,2026-01-01 08:00:00\n',
      'models/sources.yml': SOURCES,
      'models/order_facts.sql': "select * from {{ source('app', 'orders') }}",
      'models/customer_facts.sql': "select * from {{ source('app', 'customers') }}",
    });
    dirs.push(dir);
    // The seeds first: the sources read their tables, and nothing orders a source after a seed.
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await sourceFreshness({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const state = saveTarget(dir, ['manifest.json', 'sources.json']);
    // Nothing loaded since: nothing is fresher.
    expect(await names(dir, state, ['source_status:fresher+'])).toEqual([]);

    writeFileSync(join(dir, 'seeds/orders_seed.csv'), 'id,loaded_at\n1,2026-01-01 08:00:00\n2,2026-01-02 09:30:00\n');
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await sourceFreshness({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await names(dir, state, ['source_status:fresher'])).toEqual(['orders']);
    expect(await names(dir, state, ['source_status:fresher+'])).toEqual(['order_facts', 'orders']);

    const stale = await list({ projectDir: dir, profilesDir: dir, select: ['source_status:stale'], state });
    expect(stale.exitCode).toBe(2);
    rmSync(join(dir, 'target', 'sources.json'));
    const missing = await list({ projectDir: dir, profilesDir: dir, select: ['source_status:fresher'], state });
    expect(missing.exitCode).toBe(2);
    expect(missing.diagnostics[0]!.message).toContain('source freshness');
  });

  it("counts a source the saved check lacked or could not read as fresher, and one whose check fails now as not (dbt's rule)", () => {
    const saved = new Map<string, number | null>([['a', 10], ['b', 10], ['c', null], ['d', 10]]);
    const current = new Map<string, number | null>([['a', 10], ['b', 11], ['c', 5], ['d', null], ['e', 1]]);
    expect([...fresher(saved, current)].sort()).toEqual(['b', 'c', 'e']);
  });
});
