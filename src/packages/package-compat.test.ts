/**
 * Constructs met in widely used dbt packages (dbt-project-evaluator, dbt-expectations, dbt-date), each
 * reproduced in a few lines of our own, built on a real DuckDB file. The packages sit in dbt_packages/ as
 * `strata deps` leaves them, so nothing is resolved or downloaded.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, run, runOperation } from '../api/index.js';
import { CapturingReporter } from '../diagnostics/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

async function built(files: Record<string, string>): Promise<{ dir: string; exitCode: number; messages: string[] }> {
  const dir = writeProject({ 'dbt_project.yml': 'name: p\nprofile: p\n', ...files }, false);
  dirs.push(dir);
  const result = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
  const run = existsSync(join(dir, 'target/run_results.json')) ? (JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message?: string }[] }).results : [];
  const failures = run.filter((x) => x.status === 'error').map((x) => `${x.unique_id}: ${x.message}`);
  return { dir, exitCode: result.exitCode, messages: [...failures, ...result.diagnostics.map((d) => `${d.file}:${d.line ?? ''} ${d.code} ${d.message}`)] };
}

describe('constructs of real dbt packages', () => {
  it('renders target in dbt_project.yml folder configs (root and package) and in property-file configs', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      // dbt-cloud: is dbt's too (jaffle-shop has it): no unknown-key warning.
      // +persist_docs with Jinja inside, as Fivetran's integration projects write it: rendered, not refused.
      'dbt_project.yml': "name: p\nprofile: p\ndbt-cloud:\n  project-id: 1\nmodels:\n  +persist_docs:\n    columns: \"{{ false if target.type in ('databricks') else true }}\"\n  p:\n    +materialized: \"{{ 'table' if target.type == 'duckdb' else 'view' }}\"\n",
      'models/root_model.sql': 'select 1 as id',
      'models/props.sql': 'select 2 as id',
      'models/props.yml': "version: 2\nmodels:\n  - name: props\n    config:\n      alias: \"props_{{ target.name }}\"\n",
      'dbt_packages/pkg/dbt_project.yml': "name: pkg\nmodels:\n  pkg:\n    +materialized: \"{{ 'table' if target.type in ['duckdb'] else 'view' }}\"\n    +schema: \"{{ target.schema }}_pkg\"\n",
      'dbt_packages/pkg/models/pkg_model.sql': 'select 3 as id',
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    const rows = await queryDuckDb(join(r.dir, 'target/test.duckdb'), "select table_schema, table_name, table_type from information_schema.tables where table_name in ('root_model', 'props_dev', 'pkg_model') order by table_name");
    expect(rows).toEqual([
      { table_schema: 'main_main_pkg', table_name: 'pkg_model', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'props_dev', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'root_model', table_type: 'BASE TABLE' },
    ]);
  });
});

describe('project configs as packages write them', () => {
  it('applies configs at the top of seeds: / models: (beside the project names) to every node, packages too', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      // dbt-codegen's integration project: `seeds: {+schema: raw_data}`, not under its name.
      'dbt_project.yml': 'name: p\nprofile: p\nseeds:\n  +schema: raw\nmodels:\n  +materialized: table\n  pkg:\n    +materialized: view\n  p:\n    views:\n      +materialized: view\n',
      'seeds/s.csv': 'id\n1\n',
      'models/t.sql': 'select 1 as id',
      'models/views/v.sql': 'select 1 as id',
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\n',
      'dbt_packages/pkg/models/pkg_view.sql': 'select 1 as id',
      'dbt_packages/other/dbt_project.yml': 'name: other\n',
      'dbt_packages/other/models/other_table.sql': 'select 1 as id',
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), "select table_schema, table_name, table_type from information_schema.tables where table_name in ('s', 't', 'v', 'pkg_view', 'other_table') order by table_name")).toEqual([
      { table_schema: 'main', table_name: 'other_table', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'pkg_view', table_type: 'VIEW' },
      { table_schema: 'main_raw', table_name: 's', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 't', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'v', table_type: 'VIEW' },
    ]);
  });
});

describe('the Tuva project', () => {
  it("renders vars where var() reads them, skips disabled models' missing vars, shows builtins.ref.config, leaves seeds' batch_size alone", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'dbt_project.yml': 'name: p\nprofile: p\nversion: 2.5.0\nseeds:\n  p:\n    +batch_size: 200\n',
      'seeds/s.csv': 'id\n1\n',
      'dbt_packages/pkg/dbt_project.yml': "name: pkg\nversion: '1.2.3'\nvars:\n  payment_year: '{{ run_started_at.strftime(\"%Y\") }}'\n  last_run: '{{ run_started_at.astimezone(modules.pytz.timezone(\"UTC\")) }}'\n",
      'dbt_packages/pkg/macros/version.sql': "{% macro package_version() %}{{ return(builtins.ref.config.dependencies['pkg'].version) }}{% endmacro %}",
      'dbt_packages/pkg/models/pkg_m.sql': "select {{ var('payment_year') | int }} as y, '{{ var('last_run') }}' as last_run, '{{ pkg.package_version() }}' as v, '{{ builtins.ref.config.version }}' as root_v",
      'dbt_packages/pkg/models/predictions.sql': "{{ config(enabled=var('predictions_ready', false)) }}select * from {{ var('predictions_table') }}",
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    const [row] = await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select * from main.pkg_m');
    expect(row).toEqual({ y: new Date().getUTCFullYear(), last_run: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00$/), v: '1.2.3', root_v: '2.5.0' });
  });
});

describe('project vars', () => {
  it("a var may read another project var, resolved when var() reads it, as dbt's", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'dbt_project.yml': "name: p\nprofile: p\nvars:\n  base_year: 2020\n  report_year: \"{{ var('base_year') + 5 }}\"\n",
      'models/m.sql': "{{ config(materialized='table') }} select {{ var('report_year') }} as y",
    });
    expect(r.messages).toEqual([]);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select y from main.m')).toEqual([{ y: 2025 }]);
  });
});

describe('generic test entries as dbt 1.8–1.10 write them', () => {
  it('reads name:, arguments:, description: and test_name:, and names namespaced tests as dbt (<namespace>_<test>_…)', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/m.sql': 'select 1 as id union all select 2',
      'models/m.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    data_tests:',
        '      - pkg.at_least:',
        '          name: m_has_two_rows',
        '          description: two rows or more',
        '          config: {severity: warn}',
        '          arguments: {n: 2}',
        '      - test_name: pkg.at_least',
        '        name: m_has_five_rows',
        '        arguments: {n: 5}',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - pkg.at_least:',
        '              arguments: {n: 1}',
        '',
      ].join('\n'),
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\n',
      'dbt_packages/pkg/macros/at_least.sql': '{% test at_least(model, n, column_name=none) %}select 1 from (select count(*) as c from {{ model }}) where c < {{ n }}{% endtest %}',
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(1);
    const results = JSON.parse(readFileSync(join(r.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    const statuses = Object.fromEntries(results.results.filter((x) => x.unique_id.startsWith('test.')).map((x) => [x.unique_id.split('.')[2], x.status]));
    expect(statuses).toEqual({ m_has_two_rows: 'pass', m_has_five_rows: 'fail', pkg_at_least_m_id__1: 'pass' });
    // depends_on.macros names the package's test macro, then get_where_subquery, as dbt's (dbt-project-evaluator finds primary-key tests by it).
    const manifest = JSON.parse(readFileSync(join(r.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { name: string; description: string; depends_on: { macros: string[] } }> };
    expect(Object.values(manifest.nodes).find((n) => n.name === 'm_has_two_rows')?.description).toBe('two rows or more');
    const macrosOf = Object.fromEntries(Object.values(manifest.nodes).filter((n) => n.name.includes('least') || n.name.includes('rows')).map((n) => [n.name, n.depends_on.macros]));
    const both = ['macro.pkg.test_at_least', 'macro.dbt.get_where_subquery'];
    expect(macrosOf).toEqual({ m_has_two_rows: both, m_has_five_rows: both, pkg_at_least_m_id__1: both });
  });

  it('renders Jinja in test arguments natively, as dbt (a var list, a macro value, refs in a list), and lets a package macro get a missing argument undefined', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'dbt_project.yml': 'name: p\nprofile: p\nvars:\n  kinds: [a, b]\n',
      'models/m.sql': "select 'a' as kind union all select 'b'",
      'models/other.sql': "select 'a' as kind",
      'macros/type_text.sql': "{% macro type_text() %}varchar{% endmacro %}",
      'models/m.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    data_tests:',
        '      - pkg.same_rows:',
        '          arguments: {models: [ref("m"), "ref(\'other\')"], nothing: null}',
        '      - pkg.same_rows:',
        '          arguments: {models: [ref("m")], expect_type: "{{ type_text() }}", label: "kinds {{ var(\'kinds\') | length }}", nothing: ~}',
        '      - pkg.compare_to',
        '    columns:',
        '      - name: kind',
        '        data_tests:',
        '          - accepted_values:',
        '              values: "{{ var(\'kinds\') }}"',
        '',
      ].join('\n'),
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\n',
      // Fails (returns a row) unless every argument arrived as a value, not as the text written in YAML.
      'dbt_packages/pkg/macros/same_rows.sql': [
        "{% test same_rows(model, models, expect_type='varchar', label='kinds 2', nothing=1) %}",
        "{% if models is string or expect_type != 'varchar' or label != 'kinds 2' or nothing is not none %}select 'bad arguments' as problem",
        "{% else %}select 1 as problem from (select count(*) as n from {{ model }}) where n < {{ models | length }} - 1{% endif %}",
        '{% endtest %}',
        // compare_model is required, and not given: undefined, so the macro falls back to the model, as dbt-expectations' do.
        '{% test compare_to(model, compare_model) %}',
        'select 1 from {{ model }} where 1 = 0 and (select count(*) from {{ compare_model if compare_model else model }}) = 0',
        '{% endtest %}',
      ].join('\n'),
    });
    // dbt says nothing of it: no warning either (one would print before every run).
    expect(r.messages).toEqual([]);
    const results = JSON.parse(readFileSync(join(r.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results.filter((x) => x.unique_id.startsWith('test.')).map((x) => x.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(r.exitCode).toBe(0);
  });
});

describe('template constructs of real packages', () => {
  it('iterates run_query rows, reads dates and timestamps as Python datetimes, set_strict, datetime() by keyword', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'seeds/exceptions.csv': 'column_name,pattern\nname,x%\nname,y%\n',
      'models/m.sql': [
        "-- depends_on: {{ ref('exceptions') }}",
        "{% set kept = [] %}",
        "{% if execute %}",
        // dbt-project-evaluator's filter_exceptions: a for loop over the table itself.
        "{% for row in run_query('select column_name, pattern from ' ~ ref('exceptions') ~ ' order by 2') %}{% do kept.append(row[1]) %}{% endfor %}",
        // dbt-expectations' date checks: DATE and TIMESTAMP values are date / datetime objects.
        "{% set dr = run_query(\"select cast('2021-10-19' as date) as d, cast('2021-10-19 01:02:03.456789' as timestamp) as t\") %}",
        "{% set d = dr.columns[0].values()[0] %}{% set t = dr.rows[0][1] %}",
        "{% endif %}",
        "select '{{ kept | join(',') }}' as kept,",
        "  '{{ d.strftime('%Y/%m/%d') if execute }}|{{ d is string }}' as d,",
        "  '{{ t if execute }}|{{ t.microsecond if execute }}' as t,",
        "  {{ set_strict([1, 1, 2]) | length }} as n,",
        "  '{{ modules.datetime.datetime(year=2024, month=2, day=3, hour=4, microsecond=5, tzinfo=modules.pytz.utc) }}' as dt,",
        "  '{{ modules.datetime.date(year=2024, month=2, day=3) }}' as dd,",
        // elementary lowercases a result's column names with agate's rename().
        "  '{% if execute %}{% set t = run_query('select 1 as A, 2 as B').rename({'A': 'a'}) %}{{ t.column_names | join(',') }}:{{ t.rows[0]['a'] }}:{{ t.columns['B'] | list }}:{{ t.columns['a'] | length }}:{{ 2 in t.columns['B'] }}:{% for k, v in t.rows[0].items() %}{{ k }}={{ v }};{% endfor %}{{ t.rows[0].get('B') }}{% endif %}' as renamed",
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select * from main.m')).toEqual([
      { kept: 'x%,y%', d: '2021/10/19|False', t: '2021-10-19 01:02:03.456789|456789', n: 2, dt: '2024-02-03 04:00:00.000005+00:00', dd: '2024-02-03', renamed: 'a,B:1:[2]:1:True:a=1;B=2;2' },
    ]);
  });

  it('post-hooks see graph and their package vars; package vars render target; column data_type renders; sources have config.freshness', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/m.yml': [
        'version: 2',
        'models:',
        '  - name: typed',
        '    config: {contract: {enforced: true}}',
        '    columns:',
        '      - name: id',
        "        data_type: \"{{ 'integer' if target.type == 'duckdb' else 'int64' }}\"",
        'sources:',
        '  - name: raw',
        '    schema: main',
        '    freshness: {warn_after: {count: 1, period: day}}',
        '    loaded_at_field: at',
        '    tables: [{name: events}]',
        '',
      ].join('\n'),
      'models/typed.sql': 'select 1 as id',
      'dbt_packages/pkg/dbt_project.yml': "name: pkg\nvars:\n  batch: \"{{ 500 if target.type == 'bigquery' else 2 }}\"\n",
      // dbt-project-evaluator's shape: an empty table, filled by its post-hook from the graph, in batches of a package var.
      'dbt_packages/pkg/models/resources.sql': "{{ config(materialized='table', post_hook=\"{{ pkg.fill(this) }}\") }}select cast(null as varchar) as id, cast(null as varchar) as freshness where 1 = 0",
      'dbt_packages/pkg/macros/fill.sql': [
        '{% macro fill(relation, batch_size=var("batch") | int) %}',
        '  {%- set values = [] -%}',
        "  {%- for n in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}{%- do values.append(\"('\" ~ n.unique_id ~ \"', null)\") -%}{%- endfor -%}",
        "  {%- for s in graph.sources.values() -%}{%- do values.append(\"('\" ~ s.unique_id ~ \"', '\" ~ s.config.freshness.warn_after.period ~ \"')\") -%}{%- endfor -%}",
        '  {%- for batch in values | batch(batch_size) -%}',
        "    {% call statement('insert') %}insert into {{ relation }} values {{ batch | join(', ') }}{% endcall %}",
        '  {%- endfor -%}',
        '{% endmacro %}',
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    const db = join(r.dir, 'target/test.duckdb');
    expect(await queryDuckDb(db, 'select * from main.resources order by id')).toEqual([
      { id: 'model.p.typed', freshness: null },
      { id: 'model.pkg.resources', freshness: null },
      { id: 'source.p.raw.events', freshness: 'day' },
    ]);
    expect(await queryDuckDb(db, "select data_type from information_schema.columns where table_name = 'typed'")).toEqual([{ data_type: 'INTEGER' }]);
  });

  it('unit tests in format: sql, inline and as fixtures/*.sql files (which are not singular tests), as dbt-audit-helper writes them', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select id, {'k': id} as s from {{ ref('a') }}",
      'tests/fixtures/struct_rows.sql': "select 1 as id union all select 2 as id;\n",
      'models/unit.yml': [
        'unit_tests:',
        '  - name: from_fixture',
        '    model: b',
        '    given:',
        "      - input: ref('a')",
        '        format: sql',
        '        fixture: struct_rows',
        '    expect:',
        '      format: sql',
        '      rows: |',
        "        select 1 as id, {'k': 1} as s union all select 2, {'k': 2}",
        '  - name: inline_and_wrong',
        '    model: b',
        '    given:',
        "      - input: ref('a')",
        '        format: sql',
        '        rows: select 3 as id',
        '    expect:',
        '      rows: [{id: 4}]',
        '',
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    const results = JSON.parse(readFileSync(join(r.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(Object.fromEntries(results.results.map((x) => [x.unique_id, x.status]))).toEqual({
      // As dbt ≥ 1.8's build: the failing unit test skips its model.
      'model.p.a': 'success', 'model.p.b': 'skipped', 'unit_test.p.b.from_fixture': 'pass', 'unit_test.p.b.inline_and_wrong': 'fail',
    });
  });

  it("unit tests' overrides.macros replace any macro by its value, called by name or through its package", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\n',
      'dbt_packages/pkg/macros/bounds.sql': "{% macro bounds() %}{{ return({'lo': 0, 'hi': 100}) }}{% endmacro %}\n{% macro lo_of() %}{{ return(pkg.bounds()['lo']) }}{% endmacro %}",
      'macros/label.sql': "{% macro label() %}real{% endmacro %}",
      'models/src.sql': 'select 5 as n',
      'models/m.sql': "select n, '{{ label() }}' as label from {{ ref('src') }} where n between {{ pkg.lo_of() }} and {{ pkg.bounds()['hi'] }}",
      'models/unit.yml': [
        'unit_tests:',
        '  - name: narrowed',
        '    model: m',
        '    overrides:',
        '      macros:',
        "        pkg.bounds: {lo: 2, hi: 3}",
        '        label: fake',
        '    given:',
        "      - input: ref('src')",
        '        rows: [{n: 1}, {n: 2}, {n: 3}, {n: 4}]',
        '    expect:',
        '      rows: [{n: 2, label: fake}, {n: 3, label: fake}]',
        '',
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it("unit tests compare expected rows typed as the model's columns, as dbt (jaffle-shop's date_trunc returns a TIMESTAMP on DuckDB)", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/raw.sql': "select 1 as id, timestamp '2016-09-01 10:00:00' as opened_at, 0.2 as rate",
      'models/m.sql': "select id, {{ dbt.date_trunc('day', 'opened_at') }} as opened_date, rate from {{ ref('raw') }}",
      'models/unit.yml': [
        'unit_tests:',
        '  - name: truncates',
        '    model: m',
        '    given:',
        "      - input: ref('raw')",
        "        rows: [{id: 1, opened_at: '2016-09-01T23:59:59.9999', rate: 0.20}]",
        '    expect:',
        "      rows: [{id: 1, opened_date: '2016-09-01', rate: 0.2}]",
        '  - name: still_fails_on_another_day',
        '    model: m',
        '    given:',
        "      - input: ref('raw')",
        "        rows: [{id: 1, opened_at: '2016-09-02T00:00:01', rate: 0.2}]",
        '    expect:',
        "      rows: [{id: 1, opened_date: '2016-09-01'}]",
        '',
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    const results = JSON.parse(readFileSync(join(r.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(Object.fromEntries(results.results.filter((x) => x.unique_id.startsWith('unit_test.')).map((x) => [x.unique_id, x.status]))).toEqual({
      'unit_test.p.m.truncates': 'pass', 'unit_test.p.m.still_fails_on_another_day': 'fail',
    });
  });

  it('flags.WHICH and invocation_args_dict.which name the command in run renders, as dbt (elementary runs its tests only under test and build; automate-dv logs its loads unless docs)', async () => {
    const r = await built({ 'profiles.yml': DUCKDB_PROFILE(), 'models/w.sql': "select '{{ flags.WHICH }}' as which, '{{ invocation_args_dict.get(\"which\") }}' as args_which, {{ invocation_args_dict.get('full_refresh', false) }} as fr" });
    expect(r.messages).toEqual([]);
    const db = join(r.dir, 'target/test.duckdb');
    expect(await queryDuckDb(db, 'select which, args_which, fr from main.w')).toEqual([{ which: 'build', args_which: 'build', fr: false }]);
    expect((await run({ projectDir: r.dir, profilesDir: r.dir, reporter: new CapturingReporter(), fullRefresh: true })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select which, args_which, fr from main.w')).toEqual([{ which: 'run', args_which: 'run', fr: true }]);
  });

  it("on-run-end results are dbt's RunResults, with to_dict() and their whole node (elementary and dbt_artifacts upload them)", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'dbt_project.yml': [
        'name: p',
        'profile: p',
        'on-run-end:',
        '  - "create table main.uploaded as select {% for r in results %}{% set d = r.to_dict() %}\'{{ d.status }}:{{ r.node.to_dict()[\'unique_id\'] }}:{{ d | length }}\' as c{{ loop.index }}{% endfor %}"',
        // dbt_artifacts' model executions: the node's config, schema, alias and database; the result's timing and thread.
        '  - "create table main.executions as select {% for r in results %}\'{{ r.node.config.materialized }}|{{ r.node.schema }}|{{ r.node.alias }}|{{ r.node.database }}|{{ r.node.original_file_path }}|{{ r.thread_id is string }}|{{ r.timing | map(attribute=\'name\') | join(\'+\') }}\' as c{{ loop.index }}{% endfor %}"',
        '',
      ].join('\n'),
      'models/m.sql': "{{ config(materialized='table') }}select 1 as id",
    });
    expect(r.messages).toEqual([]);
    const db = join(r.dir, 'target/test.duckdb');
    expect(await queryDuckDb(db, 'select * from main.uploaded')).toEqual([{ c1: 'success:model.p.m:9' }]);
    // As dbt's: a compile and an execute timing (dbt_artifacts' postgres SQL counts on both).
    expect(await queryDuckDb(db, 'select * from main.executions')).toEqual([{ c1: 'table|main|m|test|models/m.sql|True|compile+execute' }]);
    const results = JSON.parse(readFileSync(join(r.dir, 'target/run_results.json'), 'utf8')) as { results: { timing: { name: string }[] }[] };
    expect(results.results[0]!.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
  });

  it('load_relation() is dbt\'s: none for a relation that does not exist, the relation for one that does', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/there.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/probe.sql': "{{ config(materialized='table') }}\n-- depends_on: {{ ref('there') }}\n{% set missing = load_relation(api.Relation.create(schema='main', identifier='nope')) %}{% set found = load_relation(ref('there')) %}select {{ 'true' if missing is none else 'false' }} as missing_is_none, {{ 'true' if found is not none else 'false' }} as found",
    });
    expect(r.messages).toEqual([]);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select * from main.probe')).toEqual([{ missing_is_none: true, found: true }]);
  });

  it('dbt.create_table_as creates, never replaces: an existing table is an error and keeps its rows, as dbt and dbt-duckdb', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/keep.sql': "{{ config(materialized='table') }} select 1 as id",
      'macros/overwrite.sql': "{% macro overwrite() %}{% do run_query(dbt.create_table_as(false, ref('keep'), 'select 2 as id')) %}{% endmacro %}",
    });
    expect(r.exitCode).toBe(0);
    const op = await runOperation({ projectDir: r.dir, profilesDir: r.dir, macro: 'overwrite' });
    expect(op.exitCode).toBe(1);
    expect(op.diagnostics[0]?.message).toMatch(/already exists/);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select id from main.keep')).toEqual([{ id: 1 }]);
  });

  it("dbt's relation macros as elementary calls them: make_temp_relation, get_create_table_as_sql, get_or_create_relation, load_relation, drop_relation_if_exists", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/src.sql': 'select 1 as id union all select 2',
      'models/m.sql': [
        "{{ config(post_hook=\"{{ copy_through_temp(this) }}\") }}",
        "select count(*) as n from {{ ref('src') }}",
      ].join('\n'),
      'macros/copy.sql': [
        '{% macro copy_through_temp(rel) %}',
        "  {% set tmp = dbt.make_temp_relation(rel) %}",
        "  {% do run_query(dbt.get_create_table_as_sql(true, tmp, 'select n * 10 as n from ' ~ rel)) %}",
        "  {% set existed, copy = dbt.get_or_create_relation(database=rel.database, schema=rel.schema, identifier='m_copy', type='table') %}",
        "  {% do run_query('create table ' ~ copy ~ ' as select n, ' ~ existed ~ ' as existed, ' ~ (dbt.load_relation(tmp) is not none) ~ ' as tmp_found, ' ~ (adapter.get_columns_in_relation(tmp) | length) ~ ' as tmp_columns from ' ~ tmp) %}",
        '  {% do dbt.drop_relation_if_exists(tmp) %}',
        '  select 1',
        '{% endmacro %}',
      ].join('\n'),
    });
    expect(r.messages).toEqual([]);
    expect(r.exitCode).toBe(0);
    const db = join(r.dir, 'target/test.duckdb');
    // The temporary table lived in DuckDB's temp catalog, where the catalog queries find it too.
    expect(await queryDuckDb(db, 'select * from main.m_copy')).toEqual([{ n: '20', existed: false, tmp_found: true, tmp_columns: 1 }]);
    expect(await queryDuckDb(db, "select count(*) as n from information_schema.tables where table_name like 'm__dbt_tmp%'")).toEqual([{ n: '0' }]);
  });
});

describe("dbt-unit-testing's ref() override", () => {
  it('config.get() answers the empty string while parsing, as dbt: a ref() override that mocks tagged nodes still records the builtin ref', async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      // As dbt-unit-testing's: while parsing (dbt's config.get() is ''), ref() is the builtin and records the
      // edge; when run, a node tagged 'unit' reads a CTE in its place.
      'macros/refs.sql': "{% macro ref(name) %}{% if 'unit' in config.get('tags', {}) %}{{ return('\"cte_' ~ name ~ '\"') }}{% else %}{{ return(builtins.ref(name)) }}{% endif %}{% endmacro %}",
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{{ config(tags=['unit'], materialized='table') }}with \"cte_a\" as (select 42 as id) select id from {{ ref('a') }}",
    });
    expect(r.messages).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(r.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    expect(manifest.nodes['model.p.b']!.depends_on.nodes).toEqual(['model.p.a']);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select id from main.b')).toEqual([{ id: 42 }]);
  });
});

describe("graph's nodes in a DuckDB file", () => {
  it("name the target's database, as dbt-duckdb's (dbt-unit-testing quotes node.database.node.schema.name)", async () => {
    const r = await built({
      'profiles.yml': DUCKDB_PROFILE(),
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "-- depends_on: {{ ref('a') }}\n{% set n = graph.nodes['model.p.a'] if execute else {} %}{{ config(materialized='table') }}select '{{ n.database }}' as db, '{{ target.database }}' as target_db, (select id from \"{{ n.database }}\".\"{{ n.schema }}\".\"{{ n.name }}\") as id",
    });
    expect(r.messages).toEqual([]);
    expect(await queryDuckDb(join(r.dir, 'target/test.duckdb'), 'select db, target_db, id from main.b')).toEqual([{ db: 'test', target_db: 'test', id: 1 }]);
  });
});
