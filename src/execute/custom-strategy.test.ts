/** dbt's custom incremental strategies (`get_incremental_<name>_sql(arg_dict)`), run on a real DuckDB file through the api. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, run } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();

type RunResults = { results: { unique_id: string; status: string; message: string; adapter_response: Record<string, unknown> }[] };
const resultOf = (dir: string, id: string): RunResults['results'][number] | undefined =>
  (JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as RunResults).results.find((r) => r.unique_id === id);

/** dbt's documented example of a custom strategy: insert the new rows whose key the table lacks. */
const INSERT_ONLY = `{% macro get_incremental_insert_only_sql(arg_dict) %}
  {% do return(some_custom_macro_with_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{% endmacro %}
{% macro some_custom_macro_with_sql(target_relation, temp_relation, unique_key, dest_columns, incremental_predicates) %}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute="name")) -%}
    insert into {{ target_relation }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ temp_relation }} as s
    where s.{{ unique_key }} not in (select {{ unique_key }} from {{ target_relation }})
{% endmacro %}
`;

/** A model whose rows are `first` on its first build and `later` on the runs after it. */
const model = (config: string, first: string, later: string): string =>
  `{{ config(materialized='incremental', ${config}) }}\nselect * from (values {% if is_incremental() %}${later}{% else %}${first}{% endif %}) as t(id, v, w)\n`;

describe('a custom incremental strategy', () => {
  it("runs the project's macro on incremental runs: dbt's insert-only example keeps existing rows and adds new keys", async () => {
    const p = project({
      'macros/strategies.sql': INSERT_ONLY,
      'models/m.sql': model("incremental_strategy='insert_only', unique_key='id'", "(1, 'a', 10), (2, 'b', 20)", "(2, 'changed', 0), (3, 'c', 30)"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const again = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(again.exitCode).toBe(0);
    expect(await p.q('select id, v from main.m order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
    expect(resultOf(p.dir, 'model.p.m')).toMatchObject({ status: 'success', message: 'INSERT 2', adapter_response: { strategy: 'insert_only' } });
    // The staging table is gone.
    expect(await p.q("select count(*)::int as n from duckdb_tables() where table_name like 'm__%'")).toEqual([{ n: 0 }]);
  });

  it("wraps dbt's delete+insert and merge macros: a list key, incremental_predicates, merge_exclude_columns, a merge without a key", async () => {
    const p = project({
      'macros/strategies.sql': `{% macro get_incremental_guarded_delete_insert_sql(arg_dict) %}
  {% do return(get_delete_insert_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{% endmacro %}
{% macro get_incremental_my_merge_sql(arg_dict) %}
  {% do return(get_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{% endmacro %}
`,
      // The predicate keeps id 1 out of the delete: its old row stays beside the new one, as in dbt.
      'models/di.sql': model("incremental_strategy='guarded_delete_insert', unique_key=['id', 'w'], incremental_predicates=['DBT_INTERNAL_DEST.id > 1']", "(1, 'a', 1), (2, 'b', 2)", "(1, 'A', 1), (2, 'B', 2), (3, 'C', 3)"),
      'models/mg.sql': model("incremental_strategy='my_merge', unique_key='id', merge_exclude_columns=['w']", "(1, 'a', 1), (2, 'b', 2)", "(2, 'B', 99), (3, 'C', 3)"),
      'models/nokey.sql': model("incremental_strategy='my_merge'", "(1, 'a', 1)", "(1, 'a', 1)"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select id, v from main.di order by id, v')).toEqual([{ id: 1, v: 'A' }, { id: 1, v: 'a' }, { id: 2, v: 'B' }, { id: 3, v: 'C' }]);
    expect(await p.q('select id, v, w from main.mg order by id')).toEqual([{ id: 1, v: 'a', w: 1 }, { id: 2, v: 'B', w: 2 }, { id: 3, v: 'C', w: 3 }]);
    // Without a key dbt's merge matches on FALSE: every new row is inserted.
    expect(await p.q('select count(*)::int as n from main.nokey')).toEqual([{ n: 2 }]);
  });

  it('gets the columns on_schema_change decided (a new one appended), and a redefined built-in strategy is the project\'s', async () => {
    const p = project({
      'macros/strategies.sql': `{% macro get_incremental_copy_sql(arg_dict) %}
  {% do return(get_insert_into_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["dest_columns"])) %}
{% endmacro %}
{#- The project's merge: it never updates a row, it adds the new keys. -#}
{% macro get_incremental_merge_sql(arg_dict) %}
  insert into {{ arg_dict["target_relation"] }} select * from {{ arg_dict["temp_relation"] }} where id not in (select id from {{ arg_dict["target_relation"] }})
{% endmacro %}
`,
      'models/grows.sql': "{{ config(materialized='incremental', incremental_strategy='copy', on_schema_change='append_new_columns') }}\nselect 1 as id{% if is_incremental() %}, 'x' as extra{% endif %}\n",
      'models/merged.sql': model("incremental_strategy='merge', unique_key='id'", "(1, 'a', 1)", "(1, 'changed', 1), (2, 'b', 2)"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select id, extra from main.grows order by extra nulls first')).toEqual([{ id: 1, extra: null }, { id: 1, extra: 'x' }]);
    expect(await p.q('select id, v from main.merged order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  it("is called through the root project's wrapper of a package's macro, as dbt documents", async () => {
    const p = project({
      'dbt_packages/strategies/dbt_project.yml': 'name: strategies\n',
      'dbt_packages/strategies/macros/insert_only.sql': INSERT_ONLY.replaceAll('get_incremental_insert_only_sql', 'get_incremental_insert_only_sql_impl'),
      'macros/wrap.sql': '{% macro get_incremental_insert_only_sql(arg_dict) %}{% do return(strategies.get_incremental_insert_only_sql_impl(arg_dict)) %}{% endmacro %}\n',
      'models/m.sql': model("incremental_strategy='insert_only', unique_key='id'", "(1, 'a', 1)", "(1, 'x', 1), (2, 'b', 2)"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select id, v from main.m order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  });

  it('leaves the previous rows when its SQL fails halfway (the delete is rolled back), and fails the node', async () => {
    const p = project({
      'macros/strategies.sql': `{% macro get_incremental_broken_sql(arg_dict) %}
delete from {{ arg_dict["target_relation"] }};
insert into {{ arg_dict["target_relation"] }} select no_such_column from {{ arg_dict["temp_relation"] }}
{% endmacro %}
`,
      'models/m.sql': model("incremental_strategy='broken'", "(1, 'a', 1), (2, 'b', 2)", "(3, 'c', 3)"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const failed = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(failed.exitCode).toBe(1);
    expect(failed.results.find((r) => r.uniqueId === 'model.p.m')?.message).toContain('no_such_column');
    expect(await p.q('select id from main.m order by id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('with quarantine=true, applies the clean new rows and quarantines the others in the same run', async () => {
    const p = project({
      'macros/strategies.sql': INSERT_ONLY,
      'models/m.sql': model("incremental_strategy='insert_only', unique_key='id', quarantine=true", "(1, 'a', 1)", "(2, 'b', 2), (3, null, 3)"),
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: v\n        data_tests: [not_null]\n',
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select id, v from main.m order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    expect(await p.q('select id, _strata_failed_tests as failed from main.m__quarantine')).toEqual([{ id: 3, failed: 'not_null_m_v' }]);
  });

  it("refuses at parse a strategy that is neither the warehouse's nor a macro's (exit 2, nothing built); dbt's `default` is the warehouse's default", async () => {
    const p = project({
      'models/bad.sql': "-- a model\n{{ config(materialized='incremental', incremental_strategy='insert_only') }}\nselect 1 as id\n",
      'models/ok.sql': model("incremental_strategy='default', unique_key='id'", "(1, 'a', 1)", "(1, 'b', 1)"),
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.file, d.line, d.message])).toEqual([
      ['models/bad.sql', 2, "model 'bad': incremental_strategy 'insert_only' is not one duckdb supports, and no macro get_incremental_insert_only_sql defines it as a custom strategy"],
    ]);
    expect(await p.q("select count(*)::int as n from duckdb_tables() where table_name in ('bad', 'ok')").catch(() => [{ n: 0 }])).toEqual([{ n: 0 }]);
    p.write('models/bad.sql', "select 1 as id\n");
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    // DuckDB's default with a key is delete+insert: the row is replaced, not added.
    expect(await p.q('select id, v from main.ok')).toEqual([{ id: 1, v: 'b' }]);
    expect(resultOf(p.dir, 'model.p.ok')?.adapter_response).toMatchObject({ strategy: 'delete+insert' });
  });

  it("serves a copy of dbt's incremental materialization: the strategy macro from the adapter, schema changes processed (append, fail)", async () => {
    const block = `{% materialization my_incremental, default %}
  {%- set existing = load_cached_relation(this) -%}
  {%- set target = this.incorporate(type='table') -%}
  {%- set temp = make_temp_relation(target) -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {% if existing is none or should_full_refresh() %}
    {% set build_sql = get_create_table_as_sql(False, target, sql) %}
  {% else %}
    {% do run_query(get_create_table_as_sql(True, temp, sql)) %}
    {% set dest_columns = process_schema_changes(on_schema_change, temp, existing) %}
    {% if not dest_columns %}{% set dest_columns = adapter.get_columns_in_relation(existing) %}{% endif %}
    {% set strategy = adapter.get_incremental_strategy_macro(context, config.get('incremental_strategy')) %}
    {% set build_sql = strategy({'target_relation': target, 'temp_relation': temp, 'unique_key': config.get('unique_key'), 'dest_columns': dest_columns, 'incremental_predicates': none}) %}
  {% endif %}
  {% call statement('main') %}{{ build_sql }}{% endcall %}
  {% do adapter.commit() %}
  {{ return({'relations': [target]}) }}
{% endmaterialization %}
`;
    // is_incremental() is false outside materialized='incremental' (dbt's macro checks the name): vars say which run it is.
    const rows = (config: string): string => `{{ config(materialized='my_incremental', ${config}) }}\nselect * from (values (1, 'a'){% if var('second', false) %}, (2, 'b'){% endif %}) as t(id, v){% if var('grow', false) %} cross join (select 'x' as extra){% endif %}\n`;
    const p = project({
      'macros/my_incremental.sql': block,
      'models/di.sql': rows("incremental_strategy='delete+insert', unique_key='id', on_schema_change='append_new_columns'"),
      'models/mg.sql': rows("incremental_strategy='merge', unique_key='id'"),
      'models/strict.sql': rows("incremental_strategy='append', on_schema_change='fail'"),
    });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir, vars: '{second: true}' })).exitCode).toBe(0);
    expect(await p.q('select id, v from main.di order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    expect(await p.q('select id, v from main.mg order by id')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    expect(await p.q('select count(*)::int as n from main.strict')).toEqual([{ n: 3 }]);
    // A new column: appended to di's table; strict's fails as dbt words it, and its table keeps its rows.
    const grown = await run({ projectDir: p.dir, profilesDir: p.dir, vars: '{second: true, grow: true}' });
    expect(grown.exitCode).toBe(1);
    expect(grown.results.find((r) => r.uniqueId === 'model.p.strict')?.message).toContain('The source and target schemas on this incremental model are out of sync!');
    expect(await p.q('select id, v, extra from main.di order by id')).toEqual([{ id: 1, v: 'a', extra: 'x' }, { id: 2, v: 'b', extra: 'x' }]);
    expect(await p.q('select count(*)::int as n from main.strict')).toEqual([{ n: 3 }]);
  });
});
