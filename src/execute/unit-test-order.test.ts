/** In `build`, a model's unit tests run before it (dbt ≥ 1.8): a failing one skips the model and its children. */
import { describe, it, expect } from 'vitest';
import { build, test as runTests } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

const unitTest = (expected: number): string =>
  `version: 2\nunit_tests:\n  - name: scaled_by_ten\n    model: crate_weights\n    given:\n      - input: ref('crates')\n        rows: [{weight: 2}]\n    expect:\n      rows: [{weight: ${expected}}]\n`;

const FILES = {
  'models/crates.sql': 'select 3 as weight',
  'models/crate_weights.sql': "{{ config(materialized='table') }} select weight * 10 as weight from {{ ref('crates') }}",
  'models/heavy_crates.sql': "{{ config(materialized='table') }} select * from {{ ref('crate_weights') }}",
  'models/crate_weights.yml': unitTest(20),
};

const statuses = (r: { results: { uniqueId: string; status: string }[] }): string[][] => r.results.map((x) => [x.uniqueId, x.status]);

describe('unit tests in build', () => {
  it('run before their model; a passing one lets it build', async () => {
    const f = project(FILES);
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, threads: 4 });
    expect(r.exitCode).toBe(0);
    expect(statuses(r)).toEqual([
      ['model.p.crates', 'success'],
      ['unit_test.p.crate_weights.scaled_by_ten', 'pass'],
      ['model.p.crate_weights', 'success'],
      ['model.p.heavy_crates', 'success'],
    ]);
  });

  it('a failing one skips the model and its children, whose tables keep their rows', async () => {
    const f = project(FILES);
    expect((await build({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    // The model changes so that its unit test fails: the change must not reach the warehouse.
    f.write('models/crate_weights.sql', "{{ config(materialized='table') }} select weight * 100 as weight from {{ ref('crates') }}");
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, threads: 4 });
    expect(r.exitCode).toBe(1);
    expect(statuses(r)).toEqual([
      ['model.p.crates', 'success'],
      ['unit_test.p.crate_weights.scaled_by_ten', 'fail'],
      ['model.p.crate_weights', 'skipped'],
      ['model.p.heavy_crates', 'skipped'],
    ]);
    expect(r.results.find((x) => x.uniqueId === 'model.p.crate_weights')?.message).toContain('unit_test.p.crate_weights.scaled_by_ten');
    expect(await f.q('select weight from main.crate_weights')).toEqual([{ weight: 30 }]);
    expect(await f.q('select weight from main.heavy_crates')).toEqual([{ weight: 30 }]);
  });

  it('selecting the model alone runs its unit tests first; --exclude-resource-type unit_test builds it untested', async () => {
    const f = project({ ...FILES, 'models/crate_weights.yml': unitTest(999) });
    expect((await build({ projectDir: f.dir, profilesDir: f.dir, select: ['crates'] })).exitCode).toBe(0);
    const gated = await build({ projectDir: f.dir, profilesDir: f.dir, select: ['crate_weights'] });
    expect(gated.exitCode).toBe(1);
    expect(statuses(gated)).toEqual([
      ['unit_test.p.crate_weights.scaled_by_ten', 'fail'],
      ['model.p.crate_weights', 'skipped'],
    ]);
    const untested = await build({ projectDir: f.dir, profilesDir: f.dir, select: ['crate_weights'], excludeResourceTypes: ['unit_test'] });
    expect(statuses(untested)).toEqual([['model.p.crate_weights', 'success']]);
    expect(untested.exitCode).toBe(0);
  });

  it('a unit test whose model is skipped for a failed parent is skipped too', async () => {
    const f = project({ ...FILES, 'models/crates.sql': 'select no_such_column as weight' });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode).toBe(1);
    expect(statuses(r)).toEqual([
      ['model.p.crates', 'error'],
      ['unit_test.p.crate_weights.scaled_by_ten', 'skipped'],
      ['model.p.crate_weights', 'skipped'],
      ['model.p.heavy_crates', 'skipped'],
    ]);
  });
  it("on a versioned model, run on each version (or those versions: names), each before its own version, as dbt's", async () => {
    const VERSIONED = {
      'models/cust_v1.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/cust_v2.sql': "{{ config(materialized='table') }} select 2 as id",
      'models/cust.yml': 'version: 2\nmodels:\n  - name: cust\n    latest_version: 2\n    versions: [{v: 1}, {v: 2}]\nunit_tests:\n  - name: is_one\n    model: cust\n    versions: {include: [1]}\n    given: []\n    expect: {rows: [{id: 1}]}\n',
    };
    const f = project(VERSIONED);
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, threads: 1 });
    expect(r.exitCode, JSON.stringify(statuses(r))).toBe(0);
    expect(Object.fromEntries(statuses(r))).toEqual({ 'unit_test.p.cust.is_one_v1': 'pass', 'model.p.cust.v1': 'success', 'model.p.cust.v2': 'success' });
    const order = r.results.map((x) => x.uniqueId);
    expect(order.indexOf('unit_test.p.cust.is_one_v1')).toBeLessThan(order.indexOf('model.p.cust.v1'));
    // Without versions: one per version; v2 fails it, so only v2 is skipped.
    const every = project({ ...VERSIONED, 'models/cust.yml': VERSIONED['models/cust.yml'].replace('    versions: {include: [1]}\n', '') });
    const all = await build({ projectDir: every.dir, profilesDir: every.dir, threads: 1 });
    expect(all.exitCode).toBe(1);
    expect(Object.fromEntries(statuses(all))).toEqual({ 'unit_test.p.cust.is_one_v1': 'pass', 'model.p.cust.v1': 'success', 'unit_test.p.cust.is_one_v2': 'fail', 'model.p.cust.v2': 'skipped' });
    // A version that does not exist is a parse error.
    const none = project({ ...VERSIONED, 'models/cust.yml': VERSIONED['models/cust.yml'].replace('include: [1]', 'include: [7]') });
    const bad = await build({ projectDir: none.dir, profilesDir: none.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.diagnostics.map((d) => d.message).join('\n')).toContain("unit test 'is_one' names a version of 'cust' that does not exist");
  });

  it("build runs a unit test only with its model, as dbt's: -s test_type:unit alone is nothing to do", async () => {
    const f = project(FILES);
    const alone = await build({ projectDir: f.dir, profilesDir: f.dir, select: ['test_type:unit'] });
    expect([alone.exitCode, statuses(alone)]).toEqual([0, []]);
    expect(alone.diagnostics.find((d) => d.code === 'nothing-to-do')?.message).toContain('build runs a unit test just before its model');
    expect((await build({ projectDir: f.dir, profilesDir: f.dir, resourceTypes: ['unit_test'] })).results).toEqual([]);
    // With another model selected, that model builds and the unit test of the unselected one does not run.
    expect(statuses(await build({ projectDir: f.dir, profilesDir: f.dir, select: ['crates', 'test_type:unit'] }))).toEqual([['model.p.crates', 'success']]);
    // test runs it alone.
    expect(statuses(await runTests({ projectDir: f.dir, profilesDir: f.dir, select: ['test_type:unit'] }))).toEqual([['unit_test.p.crate_weights.scaled_by_ten', 'pass']]);
  });

  it("--resource-type test names data tests and unit_test unit tests, in test and build (dbt ≥ 1.9)", async () => {
    const f = project({ ...FILES, 'models/checks.yml': 'version: 2\nmodels:\n  - name: crate_weights\n    columns:\n      - name: weight\n        data_tests: [not_null]\n' });
    expect((await build({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    const kinds = (r: { results: { uniqueId: string }[] }): string[] => r.results.map((x) => x.uniqueId.split('.')[0]!);
    expect(kinds(await runTests({ projectDir: f.dir, profilesDir: f.dir, resourceTypes: ['test'] }))).toEqual(['test']);
    expect(kinds(await runTests({ projectDir: f.dir, profilesDir: f.dir, resourceTypes: ['unit_test'] }))).toEqual(['unit_test']);
    expect(kinds(await runTests({ projectDir: f.dir, profilesDir: f.dir, excludeResourceTypes: ['unit_test'] }))).toEqual(['test']);
    expect(kinds(await build({ projectDir: f.dir, profilesDir: f.dir, resourceTypes: ['test'] }))).toEqual(['test']);
    expect(kinds(await build({ projectDir: f.dir, profilesDir: f.dir, excludeResourceTypes: ['test'] })).sort()).toEqual(['model', 'model', 'model', 'unit_test']);
  });
});
