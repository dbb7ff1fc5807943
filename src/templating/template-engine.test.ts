import { describe, it, expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTemplateEngine } from './index.js';
import { conventionsOf } from '../adapters/registry.js';
import type { RenderNode, RunRenderContext, TemplateWarehouse } from './types.js';

const macros = `
{% macro mask(c) %}left({{ c }}, 1) || '***'{% endmacro %}
{% macro numbers() %}{{ return([1, 2, 3]) }}{% endmacro %}
{% macro total(xs) %}{% set ns = namespace(t=0) %}{% for x in xs %}{% set ns.t = ns.t + x %}{% endfor %}{{ return(ns.t) }}{% endmacro %}
{% macro default__greet() %}hello{% endmacro %}
{% macro duckdb__greet() %}quack{% endmacro %}
{% macro greet() %}{{ return(adapter.dispatch('greet')()) }}{% endmacro %}
{% macro uses_ref() %}{{ ref('orders') }}{% endmacro %}
`;

const engine = (extra: { vars?: Record<string, unknown>; env?: Record<string, string>; files?: string } = {}) =>
  createTemplateEngine({
    projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: extra.vars ?? { region: 'eu' }, env: extra.env ?? {}, docs: { about: 'About text' },
    macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents: extra.files ?? macros }],
    columnConventions: (type) => conventionsOf(type)?.column,
  });
const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: { materialized: 'view' } };

function runContext(warehouse?: TemplateWarehouse, incremental = false): RunRenderContext {
  return {
    thisRelation: { schema: 'main', identifier: 'm' },
    renderRelation: (r) => `"${r.schema}"."${r.identifier}"`,
    quoteIdentifier: (n) => `"${n}"`,
    resolveRef: (r) => (r.name === 'missing' ? { error: `ref('missing') not found`, hint: "did you mean 'mising'?" } : { schema: 'main', identifier: r.name }),
    resolveSource: (s, t) => ({ schema: s, identifier: t }),
    isIncremental: incremental,
    fullRefresh: false,
    warehouse,
  };
}
const render = (src: string, ctx = runContext(), e = engine()) => e.runRender(node, src, ctx);

describe('parse render', () => {
  it('records refs, sources and config without a full render on simple files', () => {
    const r = engine().parseRender(node, "{{ config(materialized='table', unique_key=['a', 'b']) }}\nselect * from {{ ref('orders') }} join {{ source('crm', 'customers') }}");
    expect(r.fastPath).toBe(true);
    expect(r.refs).toEqual([{ name: 'orders', at: { file: 'models/m.sql', line: 2, column: 18 } }]);
    expect(r.sources.map((s) => [s.source, s.table])).toEqual([['crm', 'customers']]);
    expect(r.config).toEqual({ materialized: 'table', unique_key: ['a', 'b'] });
  });

  it('falls back to nunjucks for anything else and records the same things', () => {
    const r = engine().parseRender(node, "{% set t = 'orders' %}{{ config(materialized='table') }}select * from {{ ref(t) }}, {{ ref('p', 'payments') }} {{ uses_ref() }}");
    expect(r.fastPath).toBe(false);
    expect(r.refs.map((x) => [x.package, x.name])).toEqual([[undefined, 'orders'], ['p', 'payments'], [undefined, 'orders']]);
    expect(r.config).toEqual({ materialized: 'table' });
    expect(r.macrosUsed).toContain('macro.p.uses_ref');
  });

  it('lists the macros the template calls, not SQL functions of the same name', () => {
    const r = engine().parseRender(node, "{% set x = 1 %}select length(name), replace(a, 'b', 'c'), {{ hash('a') }}, {{ dbt.concat(['a']) }}");
    expect(r.macrosUsed.sort()).toEqual(['macro.dbt.concat', 'macro.dbt.hash']);
  });

  it('reports template errors with file and line instead of throwing', () => {
    const r = engine().parseRender(node, 'select 1\n\n{{ unknown_macro() }}');
    expect(r.diagnostics[0]).toMatchObject({ code: 'macro-not-found', file: 'models/m.sql', line: 3 });
    const s = engine().parseRender(node, 'select 1\n{% if x %}\n');
    expect(s.diagnostics[0]).toMatchObject({ code: 'jinja-syntax-error', file: 'models/m.sql' });
  });
});

describe('run render (dbt Jinja on nunjucks)', () => {
  it('renders refs, this, vars, macros and loops like dbt', async () => {
    const src = `{% set payment_methods = ['credit_card', 'coupon'] %}select
{%- for m in payment_methods %}
  sum(case when method = '{{ m }}' then amount else 0 end) as {{ m }}_amount{% if not loop.last %},{% endif %}
{%- endfor %}
from {{ ref('payments') }} -- {{ this }} {{ var('region') }} {{ mask('name') }}`;
    expect(await render(src)).toBe(`select
  sum(case when method = 'credit_card' then amount else 0 end) as credit_card_amount,
  sum(case when method = 'coupon' then amount else 0 end) as coupon_amount
from "main"."payments" -- "main"."m" eu left(name, 1) || '***'`);
  });

  it('return() hands real values to the caller', async () => {
    expect(await render('{% set xs = numbers() %}{{ xs | length }} {{ xs[2] }} {{ total(xs) + 1 }}')).toBe('3 3 7');
  });

  it("zip gives its default when an argument is not iterable, zip_strict raises, as dbt's", async () => {
    expect(await render("{{ zip([1, 2], 'ab') | list }} {{ zip([1], 5, default='none') }} {{ zip([1], 5) }} {{ zip_strict([1, 2], [3, 4]) | list }}")).toBe("[(1, 'a'), (2, 'b')] none None [(1, 3), (2, 4)]");
    await expect(render('{{ zip_strict([1], 5) }}')).rejects.toThrow(/zip_strict: every argument must be iterable/);
  });

  it('adapter.dispatch prefers <adapter>__ over default__', async () => {
    expect(await render('{{ greet() }}')).toBe('quack');
    expect(await render('{{ greet() }}', runContext(), createTemplateEngine({ projectName: 'p', adapterType: 'bigquery', target: {}, vars: {}, env: {}, docs: {}, macroFiles: [{ path: 'm.sql', packageName: 'p', contents: macros }] }))).toBe('hello');
  });

  it('supports Jinja idioms nunjucks lacks: do, is none, items(), string methods, filters', async () => {
    const out = await render(`{% set l = [] %}{% do l.append(3) %}{% do l.extend([4]) %}{{ l | join(',') }}|{{ none is none }}|{% for k, v in {'a': 1}.items() %}{{ k }}={{ v }}{% endfor %}|{{ 'A,b'.split(',') | map('lower') | join('') }}|{{ ' x '.strip() ~ 'y' }}|{{ 'a_b'.replace('_', '-') }}|{{ [1, 1, 2] | unique | list | length }}|{{ {'k': 1} | tojson }}|{{ fromjson('[1,2]')[1] }}|{{ 'abc'.startswith('a') }}|{{ [{'n': 'x'}] | map(attribute='n') | first }}`);
    expect(out).toBe('3,4|True|a=1|ab|xy|a-b|2|{"k": 1}|2|True|x');
  });

  // Each expected value is what Jinja2 3.1 renders for the same template.
  it('renders Python operators, values and filters as Jinja does', async () => {
    const cases: [string, string][] = [
      ['{{ "%s.%s" % ("a", "b") }} {{ "%d%%" % 5 }} {{ "%05.1f" % 3.14159 }} {{ -7 % 3 }}', 'a.b 5% 003.1 2'],
      ["{% if 'prod' in ('prod', 'ci') %}yes{% endif %} {% for a, b in [(1, 'a'), (2, 'b')] %}{{ a }}{{ b }}{% endfor %} {{ (1, 2)[0] }}", 'yes 1a2b 1'],
      ["{{ 'a.b.c'.split('.')[-1] }} {{ [1, 2] + [3] }} {{ 'abcdef'[-10:] }} {{ 'abcdef'[::-1] }} {{ [1, 2, 3, 4][1:-1] }}", 'c [1, 2, 3] abcdef fedcba [2, 3]'],
      ["{{ none }}|{{ true }}|{{ [1, 'a', none] }}|{{ {'a': 1} }}|{{ 'x' ~ none ~ false }}|{{ undefined_name }}", "None|True|[1, 'a', None]|{'a': 1}|xNoneFalse|"],
      ["{{ '%s-%s' | format(1, 2) }} {{ [1, 2] | count }} {{ [{'n': 'a'}, {'n': 'b'}] | join(', ', attribute='n') }} {{ [true, 1] | join('/') }}", '1-2 2 a, b True/1'],
      ["{{ [{'n': 'a', 'k': 1}, {'n': 'b', 'k': 2}] | selectattr('k', 'equalto', 2) | map(attribute='n') | list }} {{ [{'n': 'a', 'k': 1}, {'n': 'b', 'k': 2}] | rejectattr('k', '>=', 2) | map(attribute='n') | first }}", "['b'] a"],
      ["{% set l = [1, 2, 3] %}{{ l.pop() }}{{ l.pop(0) }}{{ l }} {{ 'hello world foo bar baz' | truncate(9) }} {{ 'Hello' | truncate(3, True, '') }} {{ {'b': 1, 'a': '<'} | tojson }}", '31[2] hello... Hello {"a": "\\u003c", "b": 1}'],
      ["{% for c in ['a', 'b', 'c'] if c != 'b' %}{{ loop.index }}{{ c }}{{ loop.length }}{% else %}none{% endfor %} {% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}{% endfor %} {% for x in [1] if x > 5 %}x{% else %}empty{% endfor %}", '1a22c2 b empty'],
      ["{% for i in [4, 5, 6] %}{{ loop.cycle('a', 'b') }}{% endfor %} {% set a, b = 1, 2 %}{{ b }}{{ a }} {% set c, d = [3, 4] %}{{ d }}{{ c }}", 'aba 21 43'],
      ["{{ 'a' * 3 }} {{ [0] * 3 }} {{ '-' * 0 }}| {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ [1] != [1] }} {{ 1 < 2 < 3 }}", 'aaa [0, 0, 0] | True True False True'],
      ["{{ [{'v': 1}, {'v': 2}] | sum(attribute='v') }} {% for g in [{'k': 1, 'n': 'a'}, {'k': 2, 'n': 'c'}, {'k': 1, 'n': 'b'}] | groupby('k') %}{{ g.grouper }}:{{ g.list | map(attribute='n') | join }} {% endfor %}", '3 1:ab 2:c '],
      ["{{ {'a': 1} | list }} {{ 'x' | int }} {{ '3.7' | int }} {{ 'hello'.replace('l', 'L', 1) }} {{ 'a_b'.title() }} {{ 'Ab'.swapcase() }} {{ 'abc'.index('b') }}", "['a'] 0 3 heLlo A_B aB 1"],
      ["{% set l = [10, 9, 1] %}{% do l.sort() %}{{ l }} {{ l.append(2) }} {{ l.insert(0, 5) }}{{ l }} {{ l.index(9) }}", '[1, 9, 10] None None[5, 1, 9, 10, 2] 2'],
      ["{% if [] %}yes{% else %}no{% endif %} {% if {} %}yes{% else %}no{% endif %} {% if not [] %}empty{% endif %} {{ [] or 'dflt' }} {{ {} and 'x' }} {{ [] | default('d', true) }} {{ 0 or none }}|{{ '' or 'e' }}", 'no no empty dflt {} d None|e'],
      ["{{ '{:02d}'.format(5) }} {{ '{0}-{1}'.format('a', 'b') }} {{ '{name}'.format(name='x') }} {{ '{:.2f}'.format(3.14159) }} {{ '{:>5}|'.format('ab') }} {{ '{:,}'.format(1234567) }} {{ '{!r}'.format('q') }}", "05 a-b x 3.14    ab| 1,234,567 'q'"],
      ["{{ none | string }} {{ true | string }} {{ [1] | string }} {% set x = namespace(items=[]) %}{% for i in range(3) %}{% set x.items = x.items + [i] %}{% endfor %}{{ x.items }} {{ {'b': 1, 'a': 2} | dictsort(reverse=true) | first | first }}", 'None True [1] [0, 1, 2] b'],
      ["{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }} {{ m(1, 3, 4, 5, k=6) }} {{ m(b=5, a=0) }} {{ {'a': 1}.items() | list }} {{ zip([1, 2], 'ab') | list }} {{ (1, 'y') }} {{ ['a', 'b',] }} {{ {'k': 1,} }}", "12(){} 13(4, 5){'k': 6} 05(){} [('a', 1)] [(1, 'a'), (2, 'b')] (1, 'y') ['a', 'b'] {'k': 1}"],
      ["{% set col = 'a' %}{% for c in ['x', 'y'] %}{% set col = c %}{{ col }}{% endfor %}{{ col }} {% for i in [1] %}{% set inner = 5 %}{{ inner }}{% endfor %}[{{ inner }}] {% set n = namespace(t=0) %}{% for i in [1, 2] %}{% set n.t = n.t + i %}{% endfor %}{{ n.t }} {% for a in [1, 2] %}{% for b in [3] %}{% set a = b %}{% endfor %}{{ a }}{% endfor %} {% for k in [1] %}{% set p, q = 1, 2 %}{{ p }}{{ q }}{% endfor %} {% set b = 'out' %}{% for k in [1] %}{% set b %}in{{ k }}{% endset %}{{ b }}{% endfor %}{{ b }}", 'xya 5[] 3 12 12 in1out'],
      ["{{ 'xxaxx' | trim('x') }} {{ ['A', 'a'] | unique | list }} {{ [{'x': 2}, {'x': 1}] | min(attribute='x') }} {{ ['b', 'A'] | max }} {{ range(10) | batch(4, 0) | list | last }}", "a ['A'] {'x': 1} b [8, 9, 0, 0]"],
      ["{% macro inner(a, b=2, c=3) %}{{ a }}{{ b }}{{ c }}{{ kwargs }}{% endmacro %}{% macro outer() %}{{ inner(*varargs, **kwargs) }}{% endmacro %}{{ outer(1, c=9) }} {{ inner(*[4, 5]) }} {{ inner(**{'a': 7, 'z': 0}) }} {% set kw = {'b': 8} %}{{ inner(1, c=6, **kw) }} {{ inner(1,) }}", "129{} 453{} 723{'z': 0} 186{} 123{}"],
      ["{{ 9 is divisibleby 3 }} {{ 10 is divisibleby(3) }} {{ none is sameas none }} {{ 'a' is equalto 'a' }} {{ 5 is not divisibleby 2 }} {% if x is defined and 1 is number %}no{% else %}yes{% endif %}", 'True False True True True yes'],
      ["{% set x = {'a': {'b': 1}} %}{{ x.a.b }} {{ {'a': {'b': {'c': 1}}}}} {# {'x': {}} #}{% raw %}{{ {'a': {}}}}{% endraw %} {{ 'a}}b' }}", "1 {'a': {'b': {'c': 1}}} {{ {'a': {}}}} a}}b"],
    ];
    for (const [template, jinja] of cases) expect(await render(template), template).toBe(jinja);
    // A nested dict in config() (BigQuery's range partitioning, meta): nunjucks alone reads its `}}` as the tag's end.
    const r = engine().parseRender(node, "{{ config(materialized='table', partition_by={'field': 'id', 'range': {'start': 0, 'end': 100, 'interval': 10}}) }}\nselect 1 as id");
    expect(r.diagnostics).toEqual([]);
    expect(r.config.partition_by).toEqual({ field: 'id', range: { start: 0, end: 100, interval: 10 } });
  });

  it('modules.datetime and run_started_at as Python and dbt have them', async () => {
    const out = await render("{{ modules.datetime.datetime(2024, 1, 31, 5).strftime('%Y-%m-%d %H %b %A') }} {{ (modules.datetime.date(2024, 1, 31) + modules.datetime.timedelta(days=1)).isoformat() }} {{ modules.datetime.datetime(2024, 3, 1) - modules.datetime.datetime(2024, 2, 1) }} {{ modules.datetime.datetime.strptime('2024-02-03 04:05', '%Y-%m-%d %H:%M') }} {{ modules.datetime.date.fromisoformat('2024-02-03').weekday() }} {{ modules.datetime.datetime(2024, 1, 2) < modules.datetime.datetime(2024, 1, 3) }} {{ modules.datetime.date(2024, 1, 2) == modules.datetime.date.fromisoformat('2024-01-02') }}");
    expect(out).toBe('2024-01-31 05 Jan Wednesday 2024-02-01 29 days, 0:00:00 2024-02-03 04:05:00 5 True True');
    expect(await render("{{ run_started_at.strftime('%Y') | length }} {{ run_started_at.isoformat()[-6:] }}")).toBe('4 +00:00');
  });

  it('time zones as pytz and datetime.timezone give them (expected values printed by CPython with zoneinfo)', async () => {
    const la = "modules.pytz.timezone('America/Los_Angeles')";
    expect(await render(`{% set a = ${la}.localize(modules.datetime.datetime(2026, 9, 1)) %}{{ a }}|{{ a.strftime('%z %Z') }}|{{ a.timestamp() }}`)).toBe('2026-09-01 00:00:00-07:00|-0700 PDT|1788246000.0');
    expect(await render(`{% set b = ${la}.localize(modules.datetime.datetime(2026, 1, 15, 8, 30)) %}{{ b }}|{{ b.astimezone(modules.pytz.utc) }}`)).toBe('2026-01-15 08:30:00-08:00|2026-01-15 16:30:00+00:00');
    expect(await render("{% set f = modules.datetime.datetime.fromisoformat('2026-08-15T12:00:00+05:30') %}{{ f }}|{{ modules.datetime.datetime.fromisoformat('2026-08-15T12:00:00+00:00').tzinfo }}|{{ f.tzinfo }}|{{ modules.datetime.datetime.fromisoformat('2026-08-15').tzinfo is none }}"))
      .toBe('2026-08-15 12:00:00+05:30|UTC|UTC+05:30|True');
    expect(await render("{{ modules.datetime.datetime(2026, 9, 1, tzinfo=modules.pytz.utc).astimezone(modules.pytz.timezone('Asia/Tokyo')) }}")).toBe('2026-09-01 09:00:00+09:00');
    // The same instant compares equal whatever its zone; before and after are instants too.
    expect(await render(`{{ ${la}.localize(modules.datetime.datetime(2026, 8, 31, 17)) == modules.datetime.datetime(2026, 9, 1, tzinfo=modules.pytz.utc) }} {{ ${la}.localize(modules.datetime.datetime(2026, 8, 31, 23)) > modules.datetime.datetime(2026, 9, 1, 5, tzinfo=modules.pytz.utc) }}`)).toBe('True True');
    await expect(render("{{ modules.pytz.timezone('Mars/Olympus') }}")).rejects.toMatchObject({ diagnostics: [{ code: 'jinja-render-error', message: expect.stringContaining("UnknownTimeZoneError: 'Mars/Olympus'") }] });
  });

  it('api.Relation.create without an identifier names the schema, as dbt (dbt-codegen creates its source schema so)', async () => {
    expect(await render("{{ api.Relation.create(schema='raw') }}|{{ api.Relation.create(schema='raw', identifier='t') }}|{{ api.Relation.create(database=none, schema='raw', identifier=none).schema }}")).toBe('"raw"|"raw"."t"|raw');
  });

  it("dbt's global-project macros that are context functions here answer through dbt. too (dbt.run_query, dbt.is_incremental)", async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const warehouse: TemplateWarehouse = {
      query: async (sql) => ({ columns: [{ name: 'n', dataType: 'INTEGER' }], rows: (await conn.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[] }),
      getColumns: async () => [],
      relationExists: async () => true,
    };
    expect(await render('{{ dbt.run_query("select 42 as n").rows[0][0] }} {{ dbt.is_incremental() }} {{ dbt.current_timestamp() }}', runContext(warehouse))).toBe('42 False current_timestamp');
    conn.closeSync();
    instance.closeSync();
  });

  it('modules.re takes global flags in several leading groups, as Python (expected values printed by CPython)', async () => {
    expect(await render("{{ modules.re.search('(?i)(?s)(^.*\\s*|\\s+|,)with\\s', 'a\\nWITH x as').group(0) | tojson }}|{{ modules.re.findall('(?i)(?m)^b', 'a\\nB\\nb') }}")).toBe('"a\\nWITH "|[\'B\', \'b\']');
  });

  it('this and ref() are relations while parsing too; include(), builtins and config.require as dbt', async () => {
    const r = engine().parseRender(node, "{{ config(materialized='table') }}select '{{ this.name }}', '{{ this.render() }}', '{{ ref('orders').identifier }}', '{{ config.require('unique_key') }}' from {{ builtins.ref('orders') }}");
    expect(r.diagnostics).toEqual([]);
    expect(r.refs.map((x) => x.name)).toEqual(['orders', 'orders']);
    expect(await render("{{ this.include(database=false) }} {{ this.include(database=false, schema=false) }} {{ builtins.ref('orders') }} {{ config.require('materialized') }}")).toBe('"main"."m" "m" "main"."orders" view');
    await expect(render("{{ config.require('unique_key') }}")).rejects.toMatchObject({ diagnostics: [{ code: 'config-missing' }] });
  });

  it('reads the template as Jinja does: \\n line ends, one trailing newline dropped', async () => {
    expect([await render('select 1\n'), await render('select 1\n\n'), await render("select {{ 1 }}\r\nfrom {{ ref('orders') }}\r\n")]).toEqual(['select 1', 'select 1\n', 'select 1\nfrom "main"."orders"']);
  });

  it("dbt's tojson, fromyaml, toyaml, local_md5 and dict", async () => {
    expect(await render("{{ tojson({'b': 'é', 'a': [1, true, none]}) }} {{ tojson({'b': 1, 'a': 2}, sort_keys=True) }}")).toBe('{"b": "\\u00e9", "a": [1, true, null]} {"a": 2, "b": 1}');
    expect(await render("{{ fromyaml('a: [1, 2]\\nb: yes')['a'][1] }} {{ fromyaml('a: yes').a }} {{ fromyaml('[', 'dflt') }} {{ toyaml({'a': [1, 2], 'b': {'c': 'x y'}}) }}")).toBe('2 True dflt a:\n- 1\n- 2\nb:\n  c: x y\n');
    expect(await render("{{ local_md5('x') }} {{ dict(a=1, b=2) | tojson }}")).toBe('9dd4e461268c8034f5c8564e155c67a6 {"a": 1, "b": 2}');
  });

  it('is_incremental(), env_var and doc()', async () => {
    const e = engine({ env: { REGION: 'north' } });
    expect(await render("{% if is_incremental() %}inc{% else %}full{% endif %} {{ env_var('REGION') }} {{ env_var('NOPE', 'dflt') }} {{ doc('about') }}", runContext(undefined, true), e)).toBe('inc north dflt About text');
  });

  it('unknown refs and raise_compiler_error become user errors with the line', async () => {
    await expect(render("select 1\nfrom {{ ref('missing') }}")).rejects.toMatchObject({ diagnostics: [{ code: 'ref-not-found', line: 2, hint: "did you mean 'mising'?" }] });
    await expect(render("{% set x = 1 %}\n{{ exceptions.raise_compiler_error('bad input') }}")).rejects.toMatchObject({ diagnostics: [{ code: 'compiler-error', message: 'bad input', line: 2 }] });
    // Python's errors from Python's operators, at their line.
    await expect(render("select 1\n-- {{ '%s %s' % 1 }}")).rejects.toMatchObject({ diagnostics: [{ code: 'jinja-render-error', message: 'not enough arguments for format string', line: 2 }] });
  });

  it('run_query and statement blocks read a real warehouse (replayed render)', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run("create table methods as select * from (values ('card'), ('cash')) t(m)");
    let queries = 0;
    const warehouse: TemplateWarehouse = {
      query: async (sql) => {
        queries++;
        const r = await conn.runAndReadAll(sql);
        const names = r.columnNames();
        return { columns: names.map((name) => ({ name, dataType: 'VARCHAR' })), rows: r.getRowObjects() as Record<string, unknown>[] };
      },
      getColumns: async () => [{ name: 'm', dataType: 'VARCHAR' }],
      relationExists: async () => true,
    };
    const src = `{% set r = run_query('select m from methods order by m') %}{% if execute %}{% for m in r.columns[0].values() %}{{ m }};{% endfor %}{% endif %}
{%- call statement('n', fetch_result=True) %}select count(*) as n from methods{% endcall %}{{ load_result('n')['data'][0][0] }}
{%- for c in adapter.get_columns_in_relation(this) %}|{{ c.name }}{% endfor %}`;
    expect(await render(src, runContext(warehouse))).toBe('card;cash;2|m');
    expect(queries).toBe(2);
    conn.closeSync();
    instance.closeSync();
  });

  it('project macros override built-ins such as generate_schema_name', () => {
    const plain = engine();
    expect(plain.callMacro('generate_schema_name', ['silver', {}])).toBe('main_silver');
    expect(plain.callMacro('generate_schema_name', [null, {}])).toBe('main');
    const custom = engine({ files: '{% macro generate_schema_name(custom, node) %}{{ custom or target.schema }}{% endmacro %}' });
    expect(custom.callMacro('generate_schema_name', ['silver', {}])).toBe('silver');
  });
});

describe('api.Column', () => {
  it("translates types as dbt's Column does, per adapter", async () => {
    expect(await render("{{ api.Column.translate_type('string') }} {{ api.Column.translate_type('integer') }} {{ api.Column.translate_type('decimal') }} {{ api.Column.numeric_type('numeric', 12, 2) }} {{ api.Column.create('id', 'int').name }}")).toBe('TEXT INT decimal numeric(12,2) id');
    expect(await render("{{ api.Column.translate_type('string') }} {{ api.Column.translate_type('integer') }} {{ api.Column.string_type(10) }}", { ...runContext(), adapterType: 'bigquery' })).toBe('string INT64 STRING');
  });

  it("is callable as dbt's class, and its Columns answer literal, string_type and numeric_type per adapter", async () => {
    const bq = { ...runContext(), adapterType: 'bigquery' };
    expect(await render("{% set c = api.Column('qty', 'INT64') %}{{ c.name }}|{{ c.data_type }}|{{ c.mode }}|{{ c.literal(3) }}|{{ c.string_type(5) }}|{{ c.numeric_type('NUMERIC', 10, 2) }}|{{ api.Column.numeric_type('NUMERIC', 10, 2) }}|{{ c.quoted }}", bq)).toBe(
      'qty|INT64|NULLABLE|cast(3 as INT64)|STRING|NUMERIC|NUMERIC|`qty`',
    );
    expect(await render("{% set c = api.Column('qty', 'integer') %}{{ c.literal(3) }}|{{ c.string_type(5) }}|{{ c.numeric_type('numeric', 10, 2) }}|{{ c.flatten() | map(attribute='name') | join(',') }}")).toBe('3::integer|character varying(5)|numeric(10,2)|qty');
  });
});

describe('{% with %}', () => {
  it('scopes its names as Jinja does: values computed outside, nothing leaks, an outer loop stays visible', async () => {
    expect(await render('{% set a = 5 %}{% with a = 1, b = a %}{{a}}-{{b}}{% endwith %}|{{a}}')).toBe('1-5|5');
    expect(await render('{% for x in [1,2] %}{% with y = x * 10 %}{{ loop.index }}:{{ y }} {% endwith %}{% endfor %}')).toBe('1:10 2:20 ');
    expect(await render('{% with %}{% set foo = 42 %}{{ foo }}{% endwith %}[{{ foo }}]')).toBe('42[]');
    expect(await render('a\n{%- with z = {"k": [1, 2]} -%}\n  {{ z.k | length }}\n{%- endwith %}\nb')).toBe('a2\nb');
  });
});

describe('Python errors from dbt modules', () => {
  it('refuses an impossible date as Python does', async () => {
    await expect(render('{{ modules.datetime.datetime(2020, 13, 1) }}')).rejects.toMatchObject({ diagnostics: [{ code: 'jinja-render-error', message: expect.stringContaining('month must be in 1..12') }] });
    await expect(render('{{ modules.datetime.date(2021, 2, 29) }}')).rejects.toMatchObject({ diagnostics: [{ message: expect.stringContaining('day is out of range for month') }] });
    expect(await render('{{ modules.datetime.date(2024, 2, 29) }}')).toBe('2024-02-29');
  });
});

describe('one compile per shape', () => {
  it('renders one-expression templates that differ only in their literals with their own values', async () => {
    const e = engine();
    const a = await render("{{ mask('first_name') }}", runContext(), e);
    const b = await render("{{ mask('it''s') }}".replace("''", "\\'"), runContext(), e);
    const c = await render('{{ mask("a\\"b") ~ \'|\' ~ \'x\' }}', runContext(), e);
    expect([a, b, c]).toEqual(["left(first_name, 1) || '***'", "left(it's, 1) || '***'", 'left(a"b, 1) || \'***\'|x']);
    const parsed = e.parseRender(node, "{{ config(materialized='table') }}{{ ref('orders') }}");
    expect(parsed.refs.map((r) => r.name)).toEqual(['orders']);
  });
});

describe("dbt's context dict", () => {
  it('keeps what one macro stores for another in the same render, and reads the render\'s names through it (dbt-unit-testing)', async () => {
    const files = `
{% macro put(k, v) %}{% set c = context.get('__STATE__', {}) %}{% do c.update({k: v}) %}{% do context.update({'__STATE__': c}) %}{% endmacro %}
{% macro take(k) %}{{ return(context.get('__STATE__', {}).get(k, 'none')) }}{% endmacro %}
`;
    const e = engine({ files });
    expect(await render("{{ take('a') }} {% do put('a', 1) %}{{ take('a') }} {{ 'ref' in context }} {{ context['project_name'] }} {{ context.get('nope', 'dflt') }}", runContext(), e)).toBe('none 1 True p dflt');
    // Nothing is left for the next render.
    expect(await render("{{ take('a') }}", runContext(), e)).toBe('none');
  });
});

describe("dbt's render()", () => {
  it('renders a text as a template with the names of the render that calls it, in parse and run renders', async () => {
    const files = `{% macro twice(t) %}{{ return(render(t) ~ render(t)) }}{% endmacro %}`;
    const e = engine({ files });
    expect(await render("{{ render('{{ project_name }}-{{ this.name }}') }} {{ twice(\"{{ ref('orders') }}\") }}", runContext(), e)).toBe('p-m "main"."orders""main"."orders"');
    const parsed = e.parseRender(node, "{{ render(\"{{ ref('customers') }}\") }}");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.refs.map((r) => r.name)).toEqual(['customers']);
  });
});

describe('macros of one file', () => {
  it("a package's macro does not hide a context name from the macros beside it; a project macro does override it", async () => {
    const e = createTemplateEngine({
      projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {},
      macroFiles: [
        // As dbt-unit-testing's utils.sql: a macro named model beside one that reads the node's model.
        { path: 'dbt_packages/pkg/macros/u.sql', packageName: 'pkg', contents: "{% macro model() %}{{ return('the macro') }}{% endmacro %}{% macro owner() %}{{ return(model.package_name ~ ' ' ~ helper()) }}{% endmacro %}{% macro helper() %}sibling{% endmacro %}" },
        { path: 'macros/m.sql', packageName: 'p', contents: "{% macro this_name() %}{{ return('override') }}{% endmacro %}{% macro show() %}{{ return(this_name()) }}{% endmacro %}" },
      ],
    });
    expect(await render('{{ pkg.owner() }} {{ pkg.model() }} {{ show() }}', runContext(), e)).toBe('p sibling the macro override');
  });
});

describe('dbt_metadata_envs', () => {
  it('holds the DBT_ENV_CUSTOM_ENV_ variables without their prefix, and nothing else', async () => {
    const e = engine({ env: { DBT_ENV_CUSTOM_ENV_JOB_ID: '42', DBT_ENV_SECRET_TOKEN: 'hidden', HOME: '/root' } });
    expect(await render('{{ dbt_metadata_envs | tojson }}', runContext(), e)).toBe('{"JOB_ID": "42"}');
  });
});

describe("a relation's information_schema()", () => {
  it("renders dbt's InformationSchema: the database when the relation has one, INFORMATION_SCHEMA, the view (dbt-profiler reads its COLUMNS)", async () => {
    expect(await render("{{ ref('orders').information_schema() }}.COLUMNS {{ this.information_schema('tables') }} {{ api.Relation.create(database='wh', schema='s', identifier='t').information_schema() }}")).toBe('INFORMATION_SCHEMA.COLUMNS INFORMATION_SCHEMA.tables "wh".INFORMATION_SCHEMA');
  });
});
