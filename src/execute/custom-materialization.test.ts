/** Projects' `{% materialization %}` blocks, run as dbt runs them, on a real DuckDB file through the api. */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, run } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();

type RunResults = { results: { unique_id: string; status: string; message: string; adapter_response: Record<string, unknown> }[] };
const runResults = (dir: string): RunResults => JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as RunResults;

/** A table built at an intermediate name and swapped in (the old one kept until then), then an audit row. */
const AUDITED = `{% materialization audited_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing = load_relation(this) -%}
  {%- set intermediate = make_intermediate_relation(target_relation) -%}
  {%- set backup = make_backup_relation(target_relation, 'table') -%}
  {{ drop_relation_if_exists(intermediate) }}
  {{ drop_relation_if_exists(backup) }}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, intermediate, sql) }}
  {%- endcall %}
  {% if existing is not none %}{% do adapter.rename_relation(existing, backup) %}{% endif %}
  {% do adapter.rename_relation(intermediate, target_relation) %}
  {% call statement('audit_table') -%}
    create table if not exists {{ target.schema }}.audit_log (model varchar, row_count integer, full_refresh boolean)
  {%- endcall %}
  {% call statement('audit') -%}
    insert into {{ target.schema }}.audit_log select '{{ model.name }}', (select count(*) from {{ target_relation }}), {{ should_full_refresh() }}
  {%- endcall %}
  {{ run_hooks(post_hooks) }}
  {% do adapter.commit() %}
  {{ drop_relation_if_exists(backup) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe('a custom materialization', () => {
  it('builds the model with the block: its rows, its audit row, hooks, run_results; a downstream model and a test read it', async () => {
    const p = project({
      'macros/audited.sql': AUDITED,
      'models/audited.sql': "{{ config(materialized='audited_table', post_hook=\"insert into {{ this }} values (100)\") }} select 1 as id union all select 2",
      'models/downstream.sql': "{{ config(materialized='table') }} select count(*) as n from {{ ref('audited') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: audited\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.results.filter((x) => x.status === "error").map((x) => x.message)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await p.q('select id from main.audited order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 100 }]);
    expect(await p.q('select n::int as n from main.downstream')).toEqual([{ n: 3 }]);
    expect(await p.q('select model, row_count, full_refresh from main.audit_log')).toEqual([{ model: 'audited', row_count: 2, full_refresh: false }]);
    const results = runResults(p.dir).results;
    expect(results.find((x) => x.unique_id === 'model.p.audited')).toMatchObject({ status: 'success', message: 'CREATE TABLE 2', adapter_response: { code: 'CREATE TABLE', rows_affected: 2 } });
    expect(results.filter((x) => x.unique_id.startsWith('test.')).map((x) => x.status)).toEqual(['pass', 'pass']);

    // Again, with --full-refresh: the existing table is replaced through the backup name, and the audit says so.
    const again = await run({ projectDir: p.dir, profilesDir: p.dir, fullRefresh: true });
    expect(again.exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.audited')).toEqual([{ n: 3 }]);
    expect(await p.q('select row_count, full_refresh from main.audit_log order by full_refresh')).toEqual([{ row_count: 2, full_refresh: false }, { row_count: 2, full_refresh: true }]);
    expect(await p.q("select count(*)::int as n from information_schema.tables where table_name like 'audited__dbt%'")).toEqual([{ n: 0 }]);
  });

  it('runs an insert_by_period-like block: config.require, fetched statements read with load_result, a loop of inserts', async () => {
    const p = project({
      'macros/by_period.sql': `{% macro period_bounds(relation) %}
  {% call statement('bounds', fetch_result=True) %}select min(bucket), max(bucket) from ({{ sql }}) as s{% endcall %}
  {{ return(load_result('bounds')['data'][0]) }}
{% endmacro %}
{% materialization by_period, default %}
  {%- set column = config.require('period_column') -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- if load_relation(this) is none or should_full_refresh() -%}
    {% call statement('create') %}{{ create_table_as(False, target_relation, 'select * from (' ~ sql ~ ') as s where false') }}{% endcall %}
  {%- endif -%}
  {%- set bounds = period_bounds(target_relation) -%}
  {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | join(', ') -%}
  {%- set ns = namespace(rows=0) -%}
  {%- for period in range(bounds[0], bounds[1] + 1) -%}
    {% call statement('period') %}insert into {{ target_relation }} ({{ columns }}) select {{ columns }} from ({{ sql }}) as s where {{ column }} = {{ period }} and {{ column }} not in (select {{ column }} from {{ target_relation }}){% endcall %}
    {%- set ns.rows = ns.rows + load_result('period')['response']['rows_affected'] -%}
  {%- endfor -%}
  {% call statement('main') %}select {{ ns.rows }} as inserted{% endcall %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`,
      'models/events.sql': "{{ config(materialized='by_period', period_column='bucket') }} select range as id, range % 3 as bucket from range(7)",
    });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select bucket::int as bucket, count(*)::int as n from main.events group by 1 order by 1')).toEqual([{ bucket: 0, n: 3 }, { bucket: 1, n: 2 }, { bucket: 2, n: 2 }]);
    // Again: every period is there already, nothing is inserted twice.
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.events')).toEqual([{ n: 7 }]);
    p.write('models/events.sql', "{{ config(materialized='by_period') }} select 1 as bucket");
    const missing = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.results[0]?.message).toContain("config 'period_column' is required");
  });

  it("takes the warehouse's own block before a default one, and the root project's before a package's", async () => {
    const marker = (name: string, adapter: string, value: string): string =>
      `{% materialization ${name}, ${adapter} %}{% call statement('main') %}create or replace table {{ this }} as select '${value}' as picked{% endcall %}{{ return({'relations': [this.incorporate(type='table')]}) }}{% endmaterialization %}\n`;
    const p = project({
      'macros/root.sql': marker('specific', 'default', 'root default') + marker('local', 'default', 'root default'),
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\n',
      'dbt_packages/pkg/macros/pkg.sql': marker('specific', "adapter='duckdb'", 'package duckdb') + marker('specific', "adapter='snowflake'", 'package snowflake') + marker('local', 'default', 'package default'),
      'models/a.sql': "{{ config(materialized='specific') }} select 1 as x",
      'models/b.sql': "{{ config(materialized='local') }} select 1 as x",
    });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(await p.q('select (select picked from main.a) as a, (select picked from main.b) as b')).toEqual([{ a: 'package duckdb', b: 'root default' }]);
  });

  it('fails the node on a failing statement with the warehouse message, leaving the previous table and skipping its children', async () => {
    const p = project({
      'macros/audited.sql': AUDITED,
      'models/audited.sql': "{{ config(materialized='audited_table') }} select 1 as id",
      'models/child.sql': "{{ config(materialized='table') }} select * from {{ ref('audited') }}",
    });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/audited.sql', "{{ config(materialized='audited_table') }} select cast('not a number' as integer) as id");
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(1);
    const failed = r.results.find((x) => x.uniqueId === 'model.p.audited')!;
    expect(failed.status).toBe('error');
    expect(failed.message).toContain('Conversion Error');
    expect(failed.message).toContain("raised in materialization 'audited_table' (macros/audited.sql:1)");
    // No stack frames; the one `at` line is the model's position (the block's statement holds the model's SQL).
    expect(failed.message).not.toMatch(/\n\s+at (?!target\/compiled\/p\/models\/audited\.sql:1:9 )/);
    expect(r.results.find((x) => x.uniqueId === 'model.p.child')?.status).toBe('skipped');
    expect(await p.q('select id from main.audited')).toEqual([{ id: 1 }]);
    expect(await p.q('select count(*)::int as n from main.audit_log')).toEqual([{ n: 1 }]);
  });

  it('runs the block in one transaction on DuckDB: a block that drops the old table and then fails leaves it', async () => {
    const p = project({
      'macros/swapper.sql': "{% materialization swapper, default %}{% call statement('drop_old') %}drop table if exists {{ this }}{% endcall %}{% call statement('main') %}create table {{ this }} as ({{ sql }}){% endcall %}{{ adapter.commit() }}{{ return({'relations': [this]}) }}{% endmaterialization %}",
      'models/m.sql': "{{ config(materialized='swapper') }} select {{ var('v', 1) }}::int as x",
    });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select x from main.m')).toEqual([{ x: 1 }]);
    const failed = await run({ projectDir: p.dir, profilesDir: p.dir, vars: { v: '(select 1 from no_such_table)' } });
    expect(failed.exitCode).toBe(1);
    expect(await p.q('select x from main.m')).toEqual([{ x: 1 }]);
  });

  it("gives the block the model's compiled code as model.compiled_code too, as dbt's", async () => {
    const p = project({
      'macros/from_model.sql': "{% materialization from_model, default %}{% call statement('main') %}create or replace table {{ this }} as ({{ model.compiled_code }}){% endcall %}{{ return({'relations': [this]}) }}{% endmaterialization %}",
      'models/a.sql': 'select 7 as n',
      'models/m.sql': "{{ config(materialized='from_model') }} select n * 2 as n from {{ ref('a') }}",
    });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select n from main.m')).toEqual([{ n: 14 }]);
  });

  it('lists the block in manifest.json under macros as dbt does (macro.<package>.materialization_<name>_<adapter>)', async () => {
    const p = project({ 'macros/audited.sql': AUDITED, 'models/m.sql': "{{ config(materialized='audited_table') }} select 1 as id" });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { macros: Record<string, { name: string; original_file_path: string }> };
    expect(manifest.macros['macro.p.materialization_audited_table_default']).toMatchObject({ name: 'materialization_audited_table_default', original_file_path: 'macros/audited.sql' });
  });

  it('is an error when the block returns no relations, or runs no main statement', async () => {
    const p = project({
      'macros/broken.sql': "{% materialization no_return, default %}\n{% call statement('main') %}create table {{ this }} as select 1 as x{% endcall %}\n{% endmaterialization %}\n{% materialization no_main, default %}\n{{ return({'relations': []}) }}\n{% endmaterialization %}\n",
      'models/a.sql': "{{ config(materialized='no_return') }} select 1 as x",
      'models/b.sql': "{{ config(materialized='no_main') }} select 1 as x",
    });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'model.p.a')?.message).toMatch(/macros\/broken.sql:1: .*materialization \("no_return"\) did not explicitly return a list of relations/);
    expect(r.results.find((x) => x.uniqueId === 'model.p.b')?.message).toMatch(/macros\/broken.sql:4: .*ran no statement\('main'\)/);
  });

  it("warns once that a block named after a built-in is not used, and builds with Strata's own", async () => {
    const p = project({
      'macros/table.sql': "-- the project's own table\n{% materialization table, default %}\n{{ return({'relations': []}) }}\n{% endmaterialization %}\n",
      'models/a.sql': "{{ config(materialized='table') }} select 1 as x",
      'models/b.sql': "{{ config(materialized='table') }} select 2 as x",
    });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'materialization-override-ignored')).toEqual([expect.objectContaining({ severity: 'warn', file: 'macros/table.sql', line: 2 })]);
    expect(await p.q('select (select x from main.a) as a, (select x from main.b) as b')).toEqual([{ a: 1, b: 2 }]);
  });

  it('stops before running when the only block is for another warehouse, or there is none (with a did-you-mean)', async () => {
    const other = project({
      'macros/m.sql': "{% materialization snowy, adapter='snowflake' %}{{ return({'relations': []}) }}{% endmaterialization %}\n",
      'models/a.sql': "{{ config(materialized='snowy') }} select 1 as x",
    });
    const r = await run({ projectDir: other.dir, profilesDir: other.dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.code === 'materialization-unknown')).toMatchObject({ file: 'models/a.sql', message: expect.stringContaining("macros/m.sql:1 is for adapter 'snowflake', not 'duckdb'") });
    expect(existsSync(other.db)).toBe(false);

    const typo = project({ 'macros/audited.sql': AUDITED, 'models/a.sql': "{{ config(materialized='audited_tabel') }} select 1 as x" });
    const t = await run({ projectDir: typo.dir, profilesDir: typo.dir });
    expect(t.exitCode).toBe(2);
    expect(t.diagnostics.find((d) => d.code === 'materialization-unknown')).toMatchObject({ hint: "did you mean 'audited_table'?" });
  });
});
