/** Each materialization on a real DuckDB file, through the api (STYLE habit 11). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, run, seed } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const go = async (dir: string, extra: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof run>>> => run({ projectDir: dir, profilesDir: dir, ...extra });

describe('view and table', () => {
  it('switches a relation from view to table and back', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='view') }} select 1 as x" });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q("select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'VIEW' }]);
    p.write('models/m.sql', "{{ config(materialized='table') }} select 2 as x");
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q("select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'BASE TABLE' }]);
    p.write('models/m.sql', "{{ config(materialized='view') }} select 3 as x");
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select x from main.m')).toEqual([{ x: 3 }]);
  });

  it('inlines ephemeral models as CTEs and never creates them', async () => {
    const p = project({ 'models/e.sql': "{{ config(materialized='ephemeral') }} select 5 as y", 'models/t.sql': "{{ config(materialized='table') }} select y * 2 as z from {{ ref('e') }}" });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select z from main.t')).toEqual([{ z: 10 }]);
    expect(await p.q("select count(*)::int as n from information_schema.tables where table_name = 'e'")).toEqual([{ n: 0 }]);
  });

  it('records no result for an ephemeral model, as dbt: run_results.json and the count hold only what was built', async () => {
    const p = project({ 'models/e.sql': "{{ config(materialized='ephemeral') }} select 5 as y", 'models/t.sql': "select y from {{ ref('e') }}" });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId)).toEqual(['model.p.t']);
    const written = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string }[] };
    expect(written.results.map((x) => x.unique_id)).toEqual(['model.p.t']);
  });

  it('tells a failed ephemeral model on each model that reads it, skipped, and the run fails', async () => {
    const p = project({
      'models/e.sql': "{{ config(materialized='ephemeral') }}\n{{ adapter.no_such_method() }}\nselect 5 as y",
      'models/t.sql': "select y from {{ ref('e') }}",
      'models/u.sql': "select y from {{ ref('t') }}",
    });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(1);
    expect(r.results.map((x) => [x.uniqueId, x.status])).toEqual([['model.p.t', 'skipped'], ['model.p.u', 'skipped']]);
    expect(r.results[0]!.message).toMatch(/^Compilation Error in model\.p\.t, caused by compilation error in referenced ephemeral model model\.p\.e: .*no_such_method/);
  });
});

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

describe('seeds', () => {
  it('honours column_types and replaces the table on reload', async () => {
    const p = project({ 'seeds/s.csv': 'id,code\n1,007\n2,010\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    s:\n      +column_types: {code: varchar}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select code from main.s order by id')).toEqual([{ code: '007' }, { code: '010' }]);
    p.write('seeds/s.csv', 'id,code\n3,999\n');
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    expect(await p.q('select id::int as id, code from main.s')).toEqual([{ id: 3, code: '999' }]);
  });

  it('makes a column with no value an integer, as dbt (agate), unless column_types says otherwise', async () => {
    const p = project({ 'seeds/s.csv': 'id,estimate,note,label\n1,,,a\n2,,,b\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +column_types: {note: varchar}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q("select column_name, data_type from information_schema.columns where table_name = 's' order by ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'INTEGER' }, { column_name: 'estimate', data_type: 'INTEGER' }, { column_name: 'note', data_type: 'VARCHAR' }, { column_name: 'label', data_type: 'VARCHAR' },
    ]);
    // Fivetran's jira: sum(case when estimate is null then 0 else estimate end) over such a column.
    expect(await p.q('select sum(case when estimate is null then 0 else estimate end)::int as total from main.s')).toEqual([{ total: 0 }]);
  });

  it("types each column as dbt-duckdb does (agate's tester, dbt's type names), wider where dbt-duckdb's copy would fail", async () => {
    const csv = [
      'n,big,huge,amount,day,at,iso,flag,code,note,mixed,clock,us_day,empty',
      '1,3000000000,99999999999999999999,1.5,2024-01-02,2024-01-02 03:04:05,2024-01-02T03:04:05Z,true,007,a,1,10:30:00,01/02/2024,',
      '-2,4,5,2,2024-12-31,2024-12-31 23:59:59,2024-12-31T23:59,FALSE,010,b,null,11:00:00,12/31/2024,',
    ].join('\n');
    const p = project({ 'seeds/s.csv': `${csv}\n` });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const types = await p.q("select column_name as c, data_type as t from information_schema.columns where table_name = 's' order by ordinal_position");
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({
      n: 'INTEGER', big: 'BIGINT', huge: 'HUGEINT', amount: 'DOUBLE', day: 'DATE', at: 'TIMESTAMP', iso: 'TIMESTAMP', flag: 'BOOLEAN',
      code: 'INTEGER', note: 'VARCHAR', mixed: 'VARCHAR', clock: 'VARCHAR', us_day: 'VARCHAR', empty: 'INTEGER',
    });
    expect(await p.q('select n, big::varchar as big, huge::varchar as huge, amount, day::varchar as day, "at"::varchar as "at", iso::varchar as iso, flag, code, mixed from main.s order by n')).toEqual([
      { n: -2, big: '4', huge: '5', amount: 2, day: '2024-12-31', at: '2024-12-31 23:59:59', iso: '2024-12-31 23:59:00', flag: false, code: 10, mixed: 'null' },
      { n: 1, big: '3000000000', huge: '99999999999999999999', amount: 1.5, day: '2024-01-02', at: '2024-01-02 03:04:05', iso: '2024-01-02 03:04:05', flag: true, code: 7, mixed: '1' },
    ]);
  });

  it('loads what the sniffer would read otherwise (US dates beside ISO ones, spaces around booleans), whole decimals as integers, NaN as a number', async () => {
    const csv = ['order_day,ship_date,flag,price,ratio,constructor', '01/31/2024,2024-02-01, true,10.00,NaN,a', '02/01/2024,2024-02-03,false ,20.,1.5,b'].join('\n');
    const p = project({ 'seeds/s.csv': `${csv}\n` });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const types = await p.q("select column_name as c, data_type as t from information_schema.columns where table_name = 's' order by ordinal_position");
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({ order_day: 'VARCHAR', ship_date: 'DATE', flag: 'BOOLEAN', price: 'INTEGER', ratio: 'DOUBLE', constructor: 'VARCHAR' });
    expect(await p.q('select order_day, ship_date::varchar as ship_date, flag, price from main.s order by price')).toEqual([
      { order_day: '01/31/2024', ship_date: '2024-02-01', flag: true, price: 10 },
      { order_day: '02/01/2024', ship_date: '2024-02-03', flag: false, price: 20 },
    ]);
  });

  it('ignores a column type for a column the file does not have, as dbt (folder-wide +column_types, as Fivetran writes them)', async () => {
    const p = project({ 'seeds/a.csv': 'id,created\n1,2024-01-02 03:04:05\n', 'seeds/b.csv': 'id,code\n1,007\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +column_types: {created: timestamp, code: varchar, canceled_at: timestamp}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q("select data_type from information_schema.columns where table_name = 'a' and column_name = 'created'")).toEqual([{ data_type: 'TIMESTAMP' }]);
    expect(await p.q('select code from main.b')).toEqual([{ code: '007' }]);
  });
});

describe('model contracts', () => {
  const yml = (idType: string): string => `version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: ${idType}\n      - name: name\n        data_type: text\n`;

  it('builds in the contract column order when the columns match, and fails with the differences, keeping the old table, when not', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='table') }} select 'a' as name, 1 as id", 'models/schema.yml': yml('int') });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select * from main.m')).toEqual([{ id: 1, name: 'a' }]);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { contract: { enforced: boolean } }> };
    expect(manifest.nodes['model.p.m']!.contract.enforced).toBe(true);

    p.write('models/m.sql', "{{ config(materialized='table') }} select 'b' as name, 'x' as id, 2 as extra");
    const r = await go(p.dir);
    expect(r.exitCode).toBe(1);
    const message = r.results.find((x) => x.uniqueId === 'model.p.m')!.message ?? '';
    expect(message).toContain('This model has an enforced contract that failed.');
    expect(message).toMatch(/\| id +\| VARCHAR +\| INTEGER +\| data type mismatch +\|/);
    expect(message).toMatch(/\| extra +\| INTEGER +\| +\| missing in contract +\|/);
    expect(await p.q('select * from main.m')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('needs a data_type for every column', async () => {
    const p = project({ 'models/m.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n' });
    const r = await go(p.dir);
    // Found at parse time (exit 2, nothing built), at the model's entry in the property file.
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'contract-invalid', file: 'models/schema.yml', line: 3 });
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toContain('needs a data_type for every column; missing for: id');
  });

  it('creates the contract\'s constraints: a row that breaks one fails the build and keeps the old table', async () => {
    const yml = `version: 2
models:
  - name: m
    config:
      contract: {enforced: true}
    constraints:
      - type: check
        expression: "amount >= 0"
        name: amount_not_negative
      - type: unique
        columns: [name, amount]
    columns:
      - name: id
        data_type: integer
        constraints:
          - type: not_null
          - type: primary_key
      - name: name
        data_type: varchar
      - name: amount
        data_type: integer
        constraints:
          - type: foreign_key
            expression: "other (id)"
`;
    const table = (rows: string): string => `{{ config(materialized='table') }} select * from (values ${rows}) as t(id, name, amount)`;
    const p = project({ 'models/m.sql': table("(1, 'a', 5), (2, 'b', 0)"), 'models/schema.yml': yml });
    const ok = await go(p.dir);
    expect(ok.exitCode).toBe(0);
    // DuckDB has foreign keys, but a table another references could not be swapped: warned, not created.
    expect(ok.diagnostics.filter((d) => d.severity === 'warn').map((d) => [d.code, d.file])).toEqual([['constraint-not-created', 'models/schema.yml']]);
    expect(ok.diagnostics.find((d) => d.code === 'constraint-not-created')!.message).toContain("the foreign_key constraint on column 'amount' of 'm' is not created");
    const constraints = await p.q("select constraint_type from duckdb_constraints() where table_name = 'm' order by 1");
    expect(constraints.map((c) => c.constraint_type)).toEqual(['CHECK', 'NOT NULL', 'PRIMARY KEY', 'UNIQUE']);

    for (const rows of ["(1, 'a', 5), (1, 'b', 0)", "(1, 'a', 5), (null, 'b', 0)", "(1, 'a', -1)", "(1, 'a', 5), (2, 'a', 5)"]) {
      p.write('models/m.sql', table(rows));
      const r = await go(p.dir);
      expect(r.exitCode).toBe(1);
      expect(r.results[0]!.message).toMatch(/constraint/i);
      expect(await p.q('select id, name, amount from main.m order by id')).toEqual([{ id: 1, name: 'a', amount: 5 }, { id: 2, name: 'b', amount: 0 }]);
    }

    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { constraints: unknown[]; columns: Record<string, { constraints: unknown[] }> }> };
    const node = manifest.nodes['model.p.m']!;
    expect(node.constraints).toEqual([
      { type: 'check', name: 'amount_not_negative', expression: 'amount >= 0', warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [] },
      { type: 'unique', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [], columns: ['name', 'amount'] },
    ]);
    expect(node.columns.id!.constraints.map((c) => (c as { type: string }).type)).toEqual(['not_null', 'primary_key']);
  });

  it('reports a malformed constraint with its file and line', async () => {
    const p = project({ 'models/m.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        constraints:\n          - type: not_nul\n          - type: check\n' });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.message])).toEqual([
      ['schema-yaml-invalid', 7, "constraint 1 of column 'id' has type 'not_nul'"],
      ['schema-yaml-invalid', 8, "the check constraint of column 'id' needs an expression"],
    ]);
  });
});

describe('--empty', () => {
  it('builds every model with its columns and no rows, reading no data from refs and sources', async () => {
    const p = project({
      'seeds/raw.csv': 'id,amount\n1,10\n2,20\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: ext\n    schema: main\n    tables:\n      - name: raw\n',
      'models/e.sql': "{{ config(materialized='ephemeral') }} select id from {{ ref('raw') }}",
      'models/t.sql': "{{ config(materialized='table') }} select r.id, r.amount * 2 as doubled from {{ source('ext', 'raw') }} as r join {{ ref('e') }} as e on e.id = r.id",
      'models/v.sql': "select * from {{ ref('t') }}",
    });
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    expect((await go(p.dir, { empty: true })).exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.t')).toEqual([{ n: 0 }]);
    expect(await p.q("select column_name, data_type from information_schema.columns where table_name = 't' order by ordinal_position")).toEqual([{ column_name: 'id', data_type: 'INTEGER' }, { column_name: 'doubled', data_type: 'INTEGER' }]);
    expect(await p.q('select count(*)::int as n from main.raw')).toEqual([{ n: 2 }]);
    const compiled = readFileSync(join(p.dir, 'target', 'compiled', 'p', 'models', 't.sql'), 'utf8');
    expect(compiled).toContain('from (select * from "test"."main"."raw" where false limit 0) as r');
    expect(compiled).toContain('(select * from "test"."main"."raw" where false limit 0)');
    // Without the flag, the same models read their rows.
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.v')).toEqual([{ n: 2 }]);
  });

  it('reads no rows from an ephemeral model either, even one that reads nothing itself', async () => {
    const p = project({
      'models/lit.sql': "{{ config(materialized='ephemeral') }} select 7 as id",
      'models/t.sql': "{{ config(materialized='table') }} select id from {{ ref('lit') }} union all select 8 as id",
    });
    expect((await go(p.dir, { empty: true })).exitCode).toBe(0);
    expect(await p.q('select id from main.t')).toEqual([{ id: 8 }]);
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select id from main.t order by id')).toEqual([{ id: 7 }, { id: 8 }]);
  });
});

describe('--store-failures', () => {
  it('stores the failing rows of tests whose config does not say otherwise', async () => {
    const p = project({
      'models/m.sql': "{{ config(materialized='table') }} select null as id union all select 1",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - unique:\n              config: {store_failures: false}\n',
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir, storeFailures: true });
    expect(r.exitCode).toBe(1);
    expect(await p.q("select table_name from information_schema.tables where table_schema = 'main_dbt_test__audit' order by 1")).toEqual([{ table_name: 'not_null_m_id' }]);
    expect(await p.q('select count(*)::int as n from main_dbt_test__audit.not_null_m_id')).toEqual([{ n: 1 }]);
  });
});

describe('build --resource-type', () => {
  it('builds only, or all but, the named types', async () => {
    const p = project({
      'seeds/s.csv': 'id\n1\n',
      'models/m.sql': "select * from {{ ref('s') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const kinds = (r: Awaited<ReturnType<typeof build>>): string[] => r.results.map((x) => x.uniqueId.split('.')[0]!).sort();
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, resourceTypes: ['seed'] }))).toEqual(['seed']);
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, excludeResourceTypes: ['test'] }))).toEqual(['model', 'seed']);
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, resourceTypes: ['model', 'test'] }))).toEqual(['model', 'test']);
  });
});

describe('grants on DuckDB', () => {
  it('are not applied, with one warning', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='table', grants={'select': ['reporter']}) }} select 1 as id" });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'grants-unsupported').map((d) => d.message)).toEqual(["1 selected node(s) set grants (m), which duckdb does not have: they are not applied"]);
  });
});

describe('a foreign key to: ref()', () => {
  it('makes the referenced model a parent, built first', async () => {
    const p = project({
      'models/customers.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/orders.sql': "{{ config(materialized='table') }} select 1 as customer_id",
      'models/schema.yml': "version: 2\nmodels:\n  - name: orders\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: customer_id\n        data_type: integer\n        constraints:\n          - type: foreign_key\n            to: ref('customers')\n            to_columns: [id]\n",
    });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId)).toEqual(['model.p.customers', 'model.p.orders']);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    expect(manifest.nodes['model.p.orders']!.depends_on.nodes).toEqual(['model.p.customers']);
    expect(r.diagnostics.find((d) => d.code === 'constraint-not-created')!.message).toContain('DuckDB cannot drop a table that another references');
  });
});
