/**
 * dbt's cross-database macros in fixture projects on a real DuckDB file: date_spine (the number of periods is asked
 * of the warehouse while the model runs) and equals under the project's behaviour flag.
 */
import { describe, it, expect } from 'vitest';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { build } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();

describe('dbt.date_spine on DuckDB', () => {
  it('gives every day from the start up to (not including) the end, across a leap day, and its tests pass', async () => {
    const p = project({
      'models/leap_days.sql': "{{ config(materialized='table') }}\n{{ dbt.date_spine('day', dbt.date(2028, 2, 27), dbt.date(2028, 3, 2)) }}",
      'models/weeks.sql': `{{ config(materialized='table') }}\nselect cast(date_week as date) as date_week from ({{ dbt.date_spine('week', "date '2028-01-03'", "date '2028-01-31'") }})`,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: leap_days\n    columns:\n      - name: date_day\n        data_tests: [unique, not_null]\n',
    });
    const result = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(result.exitCode).toBe(0);
    expect(await p.q('select strftime(date_day, \'%m-%d\') as d from main.leap_days order by 1')).toEqual([{ d: '02-27' }, { d: '02-28' }, { d: '02-29' }, { d: '03-01' }]);
    expect(await p.q("select strftime(date_week, '%m-%d') as w from main.weeks order by 1")).toEqual([{ w: '01-03' }, { w: '01-10' }, { w: '01-17' }, { w: '01-24' }]);
  });
});

describe('dbt.equals in a project', () => {
  const model = "{{ config(materialized='table') }}\nselect count(*) as matched from (select 1 as k, null as a, null as b union all select 2, 1, 1) t where {{ dbt.equals('a', 'b') }}";
  it("matches nulls only when dbt_project.yml sets flags.enable_truthy_nulls_equals_macro: true", async () => {
    const off = project({ 'models/m.sql': model });
    expect((await build({ projectDir: off.dir, profilesDir: off.dir })).exitCode).toBe(0);
    expect(await off.q('select matched from main.m')).toEqual([{ matched: '1' }]);
    const on = project({ 'project.yml': PROJECT_YML('p', 'flags:\n  enable_truthy_nulls_equals_macro: true\n'), 'models/m.sql': model });
    const result = await build({ projectDir: on.dir, profilesDir: on.dir });
    expect(result.exitCode).toBe(0);
    expect(result.diagnostics.filter((d) => d.code === 'project-unknown-flag')).toEqual([]);
    expect(await on.q('select matched from main.m')).toEqual([{ matched: '2' }]);
  });
});
