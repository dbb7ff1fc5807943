/** Incremental models on a real DuckDB file, through the api: strategies, predicates, merge columns, full refresh, on_schema_change. */
import { describe, it, expect } from 'vitest';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { run, seed } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const go = async (dir: string, extra: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof run>>> => run({ projectDir: dir, profilesDir: dir, ...extra });

describe('incremental', () => {
  const model = (strategy: string, key: string, extra = ''): string =>
    `{{ config(materialized='incremental', incremental_strategy='${strategy}'${key ? `, unique_key=${key}` : ''}${extra}) }}\nselect * from {{ ref('src') }}{% if is_incremental() %} where v > (select max(v) from {{ this }}) or k = 1{% endif %}`;

  for (const [strategy, key] of [['merge', "'k'"], ['delete+insert', "'k'"], ['merge', "['k', 'k2']"], ['delete+insert', "['k', 'k2']"]] as const) {
    it(`${strategy} on ${key} updates matched rows and inserts new ones`, async () => {
      const p = project({ 'seeds/src.csv': 'k,k2,v\n1,a,10\n2,a,20\n', 'models/inc.sql': model(strategy, key) });
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      p.write('seeds/src.csv', 'k,k2,v\n1,a,30\n2,a,20\n3,a,40\n');
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      const r = await go(p.dir);
      expect(r.exitCode).toBe(0);
      expect(await p.q('select k::int as k, v::int as v from main.inc order by k')).toEqual([{ k: 1, v: 30 }, { k: 2, v: 20 }, { k: 3, v: 40 }]);
    });
  }

  for (const strategy of ['merge', 'delete+insert']) {
    it(`${strategy} with incremental_predicates matches only the target rows they allow`, async () => {
      // k = 1 is outside the predicate's window: its new row is inserted beside the old one rather than replacing it.
      const p = project({ 'seeds/src.csv': 'k,k2,v\n1,a,10\n2,a,20\n', 'models/inc.sql': model(strategy, "'k'", ", incremental_predicates=['DBT_INTERNAL_DEST.v >= 20']") });
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      p.write('seeds/src.csv', 'k,k2,v\n1,a,11\n2,a,21\n');
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      expect(await p.q('select k::int as k, v::int as v from main.inc order by k, v')).toEqual([{ k: 1, v: 10 }, { k: 1, v: 11 }, { k: 2, v: 21 }]);
    });
  }

  // dbt's merge_update_columns / merge_exclude_columns: a matched row takes only some columns from the new rows.
  const withNote = (extra: string): string =>
    `{{ config(materialized='incremental', incremental_strategy='merge', unique_key='k'${extra}) }}\nselect k, v, note from {{ ref('src') }}{% if is_incremental() %} where v > (select max(v) from {{ this }}) or k = 1{% endif %}`;
  for (const [name, extra, expected] of [
    ['merge_update_columns', ", merge_update_columns=['v']", [{ k: 1, v: 30, note: 'old' }, { k: 2, v: 20, note: 'old' }, { k: 3, v: 40, note: 'new' }]],
    ['merge_exclude_columns', ", merge_exclude_columns=['NOTE']", [{ k: 1, v: 30, note: 'old' }, { k: 2, v: 20, note: 'old' }, { k: 3, v: 40, note: 'new' }]],
    ['merge_exclude_columns of every column', ", merge_exclude_columns=['k', 'v', 'note']", [{ k: 1, v: 10, note: 'old' }, { k: 2, v: 20, note: 'old' }, { k: 3, v: 40, note: 'new' }]],
  ] as const) {
    it(`merge with ${name} updates only those columns of matched rows and inserts new rows whole`, async () => {
      const p = project({ 'seeds/src.csv': 'k,v,note\n1,10,old\n2,20,old\n', 'models/inc.sql': withNote(extra) });
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      p.write('seeds/src.csv', 'k,v,note\n1,30,new\n2,20,new\n3,40,new\n');
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      expect(await p.q('select k::int as k, v::int as v, note from main.inc order by k')).toEqual(expected);
    });
  }

  for (const [extra, message] of [
    [", merge_update_columns=['v', 'nope']", 'merge_update_columns of inc names nope, which its table does not have'],
    [", merge_exclude_columns=['nope']", 'merge_exclude_columns of inc names nope, which its table does not have'],
  ] as const) {
    it(`merge stops with a clear error, leaving the table as it was: ${message}`, async () => {
      const p = project({ 'seeds/src.csv': 'k,v,note\n1,10,old\n', 'models/inc.sql': withNote(extra) });
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      expect((await go(p.dir)).exitCode).toBe(0);
      p.write('seeds/src.csv', 'k,v,note\n1,30,new\n');
      await seed({ projectDir: p.dir, profilesDir: p.dir });
      const r = await go(p.dir);
      expect(r.exitCode).toBe(1);
      expect(r.results[0]?.message).toContain(message);
      expect(await p.q('select k::int as k, v::int as v, note from main.inc')).toEqual([{ k: 1, v: 10, note: 'old' }]);
    });
  }

  it('append adds rows without a key', async () => {
    const p = project({ 'seeds/src.csv': 'k,k2,v\n1,a,10\n', 'models/inc.sql': model('append', '') });
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    await go(p.dir);
    await go(p.dir);
    expect(await p.q('select count(*)::int as n from main.inc')).toEqual([{ n: 2 }]);
  });

  it('full refresh rebuilds from scratch', async () => {
    const p = project({ 'seeds/src.csv': 'k,k2,v\n1,a,10\n', 'models/inc.sql': model('append', '') });
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    await go(p.dir);
    await go(p.dir);
    await go(p.dir, { fullRefresh: true });
    expect(await p.q('select count(*)::int as n from main.inc')).toEqual([{ n: 1 }]);
  });

  it('on_schema_change: append_new_columns adds the column, fail stops with the names, ignore keeps the old shape', async () => {
    for (const [mode, expectExit] of [['append_new_columns', 0], ['fail', 1], ['ignore', 0]] as const) {
      const p = project({ 'models/inc.sql': `{{ config(materialized='incremental', on_schema_change='${mode}') }} select 1 as a` });
      await go(p.dir);
      p.write('models/inc.sql', `{{ config(materialized='incremental', on_schema_change='${mode}') }} select 2 as a, 'new' as b`);
      const r = await go(p.dir);
      expect(r.exitCode, mode).toBe(expectExit);
      const cols = (await p.q("select column_name from information_schema.columns where table_name = 'inc' order by ordinal_position")).map((c) => c.column_name);
      if (mode === 'append_new_columns') {
        expect(cols).toEqual(['a', 'b']);
        expect(await p.q('select a, b from main.inc order by a')).toEqual([{ a: 1, b: null }, { a: 2, b: 'new' }]);
      } else if (mode === 'fail') {
        expect(r.results[0]?.message).toContain("Source columns not in target: ['b']");
        expect(await p.q('select a from main.inc')).toEqual([{ a: 1 }]);
      } else expect(cols).toEqual(['a']);
    }
  });

  for (const [name, model, message] of [
    ['merge without unique_key', "{{ config(materialized='incremental', incremental_strategy='merge') }} select 1 as a", 'needs a unique_key'],
    ['merge_update_columns with merge_exclude_columns', "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='a', merge_update_columns=['a'], merge_exclude_columns=['b']) }} select 1 as a, 2 as b", 'sets both merge_update_columns and merge_exclude_columns'],
    ['merge_update_columns that is not a column or a list of columns', "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='a', merge_update_columns={'a': 1}) }} select 1 as a", 'merge_update_columns'],
  ] as const) {
    it(`${name} is a clear error, found at parse time before anything is built`, async () => {
      const p = project({ 'models/inc.sql': model });
      const r = await go(p.dir);
      expect(r.exitCode).toBe(2);
      expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'config-invalid', file: 'models/inc.sql', line: 1 });
      expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toContain(message);
      expect(r.results).toEqual([]);
    });
  }
});
