/**
 * dbt's template context on a real DuckDB file, with macros written the way packages write them
 * (Strata's own fixtures, shaped like dbt_utils' star, union_relations, get_column_values, pivot,
 * generate_surrogate_key, safe_add and date_spine; nothing is downloaded).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile } from './index.js';
import { CapturingReporter } from '../diagnostics/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const UTILS = `
{% macro _is_relation(obj, macro) %}
  {%- if not (obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation')) -%}
    {{ exceptions.raise_compiler_error("Macro " ~ macro ~ " expected a Relation but received the value: " ~ obj) }}
  {%- endif -%}
{% endmacro %}

{% macro star(from, except=[]) -%}
  {%- do _is_relation(from, 'star') -%}
  {%- if not execute -%}{{ return('*') }}{%- endif -%}
  {%- set lowered = {} -%}
  {%- for e in except -%}{%- do lowered.update({e.lower(): e}) -%}{%- endfor -%}
  {%- set cols = [] -%}
  {%- for col in adapter.get_columns_in_relation(from) if col.name.lower() not in lowered -%}
    {%- do cols.append(adapter.quote(col.name)) -%}
  {%- endfor -%}
  {{ cols | join(', ') }}
{%- endmacro %}

{% macro union_relations(relations) -%}
  {%- set columns = {} -%}
  {%- set per_relation = {} -%}
  {%- for relation in relations -%}
    {%- do per_relation.update({relation: []}) -%}
    {%- for col in adapter.get_columns_in_relation(relation) -%}
      {%- do per_relation[relation].append(col.column) -%}
      {%- if col.column not in columns -%}{%- do columns.update({col.column: col}) -%}{%- endif -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- for relation in relations %}
  select {% for name, col in columns.items() -%}
    {%- if name in per_relation[relation] %}{{ name }}{% else %}cast(null as {{ col.data_type }}) as {{ name }}{% endif -%}
    {{ ', ' if not loop.last }}{%- endfor %} from {{ relation }}
  {% if not loop.last %}union all{% endif -%}
  {%- endfor %}
{%- endmacro %}

{% macro get_column_values(table, column) -%}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set result = run_query('select distinct ' ~ column ~ ' as v from ' ~ table ~ ' order by 1') -%}
  {{ return(result.columns[0].values() | list) }}
{%- endmacro %}

{% macro pivot(column, values, alias=True) -%}
  {%- for value in values -%}
    sum(case when {{ column }} = '{{ value }}' then 1 else 0 end){% if alias %} as {{ column ~ '_' ~ value | lower }}{% endif %}{{ ',' if not loop.last }}
  {% endfor -%}
{%- endmacro %}

{% macro generate_surrogate_key(field_list) -%}
  {%- set fields = [] -%}
  {%- for field in field_list -%}
    {%- do fields.append("coalesce(cast(" ~ field ~ " as varchar), '_null_')") -%}
    {%- if not loop.last %}{% do fields.append("'-'") %}{% endif -%}
  {%- endfor -%}
  md5({{ fields | join(' || ') }})
{%- endmacro %}

{% macro safe_add(field_list) -%}
  {%- set fields = [] -%}
  {%- for field in field_list -%}{%- do fields.append("coalesce(" ~ field ~ ", 0)") -%}{%- endfor -%}
  {{ fields | join(' +\\n  ') }}
{%- endmacro %}

{% macro date_spine(start, days) -%}
  {%- set template = '''select cast({start} as date) + {n} as d''' -%}
  {%- for n in range(days) %}
  {{ template.format(start=start, n=n) }}{% if not loop.last %} union all{% endif %}
  {%- endfor %}
{%- endmacro %}
`;

describe('dbt context on DuckDB', () => {
  it('builds models that use relation objects, columns, agate tables and Python values as packages do', async () => {
    const dir = writeProject({
      'macros/utils.sql': UTILS,
      'seeds/a.csv': 'id,color,amount\n1,red,10\n2,blue,\n3,red,5\n',
      'seeds/b.csv': 'id,size\n4,XL\n',
      'models/starred.sql': "{{ config(materialized='table') }} select {{ star(ref('a'), except=['AMOUNT']) }} from {{ ref('a') }}",
      'models/unioned.sql': "{{ config(materialized='table') }} {{ union_relations([ref('a'), ref('b')]) }}",
      'models/pivoted.sql': "{{ config(materialized='table') }} select {{ pivot('color', get_column_values(ref('a'), 'color')) }} from {{ ref('a') }}",
      'models/keyed.sql': "{{ config(materialized='table') }} select {{ generate_surrogate_key(['id', 'color']) }} as k, {{ safe_add(['amount', 'id']) }} as total from {{ ref('a') }} order by id",
      'models/spine.sql': "{{ config(materialized='table') }} {{ date_spine(\"'2024-01-30'\", 3) }}",
      'models/typed.sql': "{{ config(materialized='table') }} {% set cols = adapter.get_columns_in_relation(ref('a')) %} select {% for c in cols %}'{{ c.name }}:{{ c.is_string() }}:{{ c.is_number() }}'{{ ', ' if not loop.last }}{% endfor %}",
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(Object.keys((await queryDuckDb(db, 'select * from main.starred'))[0]!)).toEqual(['id', 'color']);
    expect(await queryDuckDb(db, 'select id::integer as id, color, amount::integer as amount, size from main.unioned order by id')).toEqual([
      { id: 1, color: 'red', amount: 10, size: null },
      { id: 2, color: 'blue', amount: null, size: null },
      { id: 3, color: 'red', amount: 5, size: null },
      { id: 4, color: null, amount: null, size: 'XL' },
    ]);
    expect(await queryDuckDb(db, 'select color_blue::integer as color_blue, color_red::integer as color_red from main.pivoted')).toEqual([{ color_blue: 1, color_red: 2 }]);
    const keyed = await queryDuckDb(db, 'select k, total::integer as total from main.keyed');
    expect(keyed.map((x) => x.total)).toEqual([11, 2, 8]);
    expect(keyed[0]!.k).toBe((await queryDuckDb(db, "select md5('1' || '-' || 'red') as k"))[0]!.k);
    expect(await queryDuckDb(db, "select count(*)::integer as n, strftime(max(d), '%Y-%m-%d') as last from main.spine")).toEqual([{ n: 3, last: '2024-02-01' }]);
    const typed = Object.values((await queryDuckDb(db, 'select * from main.typed'))[0]!);
    expect(typed).toEqual(['id:False:True', 'color:True:False', 'amount:False:True']);
  });

  it("lets a project override ref() with its own macro, and the fast path steps aside", async () => {
    const dir = writeProject({
      'macros/ref.sql': "{% macro ref(name) %}{{ return(builtins.ref(name ~ '_v2')) }}{% endmacro %}",
      'models/src_v2.sql': "{{ config(materialized='table') }} select 1 as x",
      'models/reader.sql': "select * from {{ ref('src') }}",
    });
    dirs.push(dir);
    const r = await compile({ projectDir: dir, profilesDir: dir, offline: true });
    expect(r.exitCode).toBe(0);
    expect(r.compiled?.get('model.p.reader') ?? JSON.stringify(r)).toContain('"src_v2"');
  });

  it('runs the side effects of a render exactly once, in order, with any number of queries', async () => {
    const queries = Array.from({ length: 80 }, (_, i) => `{% do run_query("insert into events values (${i})") %}{% do log('q${i}', info=True) %}`).join('\n');
    const dir = writeProject({
      'macros/setup.sql': "{% macro setup() %}{% do run_query('create table if not exists events (i integer)') %}{% endmacro %}",
      'project.yml': "name: p\nprofile: p\non-run-start: ['{{ setup() }}']\n",
      'models/noisy.sql': `{{ config(materialized='table') }}\n${queries}\nselect count(*) as n, sum(i) as s from events`,
    });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await build({ projectDir: dir, profilesDir: dir, reporter });
    const lines = reporter.events.flatMap((e) => (e.type === 'info' ? [String((e as { message?: string }).message ?? '')] : []));
    expect(r.exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select n::integer as n, s::integer as s from main.noisy')).toEqual([{ n: 80, s: (79 * 80) / 2 }]);
    const logged = lines.filter((l) => /^q\d+$/.test(l.trim()));
    // Two renders (the parse, then the run), each logging every line once and in order.
    const once = Array.from({ length: 80 }, (_, i) => `q${i}`);
    expect(logged.map((l) => l.trim())).toEqual([...once, ...once]);
  });
});
