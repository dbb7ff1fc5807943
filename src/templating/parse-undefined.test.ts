/**
 * dbt's undefined while parsing (dbt_common's create_undefined): chainable and callable, so a model that reads
 * the result of run_query / load_result / adapter.get_relation (None at parse, `execute` being false) parses.
 * Renders at execution stay strict, and the engine keeps no mode between renders.
 */
import { describe, it, expect } from 'vitest';
import { createTemplateEngine } from './index.js';
import type { RenderNode, RunRenderContext, TemplateEnvironmentOptions } from './types.js';
import { quotedRunContext } from '../test-support/bare-render.js';

const macros = `
{% macro latest(rel) %}{% set r = run_query('select max(d) from ' ~ rel) %}{{ return(r.columns[0].values()[0]) }}{% endmacro %}
{% macro nothing() %}{{ return(none) }}{% endmacro %}
{% macro first_value(columns) %}{{ return(columns[0].values()[0]) }}{% endmacro %}
{% macro missing_param(x) %}{{ return(x) }}{% endmacro %}
`;

const engine = (extra: Partial<TemplateEnvironmentOptions> = {}) =>
  createTemplateEngine({
    projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {},
    macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents: macros }],
    ...extra,
  });
const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: {} };

const runContext = (): RunRenderContext => quotedRunContext();

const lenient: [string, string][] = [
  ['run_query result at parse', `{% set results = run_query("select max(d) from " ~ ref('x')) %}\n{% set max_d = results.columns[0].values()[0] %}\nselect * from {{ ref('x') }} where d = '{{ max_d }}'`],
  ['load_result at parse', `{% call statement('stmt', fetch_result=True) %}select 1{% endcall %}\nselect {{ load_result('stmt')['data'][0][0] }} as n from {{ ref('x') }}`],
  ['attribute and method of a macro result', `select '{{ nothing().attr.method() }}' as v from {{ ref('x') }}`],
  ['a relation get_relation did not find', `{% set r = adapter.get_relation(database=none, schema='main', identifier='x') %}select '{{ r.identifier.upper() }}' from {{ ref('x') }}`],
  ['a name set only when executing', `{% if execute %}{% set d = run_query('select 1') %}{% endif %}select '{{ d.columns[0].values()[0].strftime('%Y') }}' from {{ ref('x') }}`],
  ['slices, items and calls on an undefined', `{% set r = run_query('select 1') %}{% for row in r.rows[1:] %}{{ row[0]() }}{% endfor %}select {{ r.rows | length }}, {{ r.x == r.y }} from {{ ref('x') }}`],
  ['an undefined passed to a macro', `{% set r = run_query('select 1') %}select '{{ first_value(r.columns) }}' as d from {{ ref('x') }}`],
  ['a macro defined in the file', `{% macro m(r) %}{{ r.columns[0].values()[0] }}{% endmacro %}select '{{ m(none) }}', '{{ m() }}' from {{ ref('x') }}`],
  ['a missing dict key, chained', `{% set cfg = {'a': 1} %}select '{{ cfg.b.c[0].d() }}' from {{ ref('x') }}`],
];

describe('parse renders: dbt’s chainable undefined', () => {
  it.each(lenient)('%s parses, its ref recorded', (_, src) => {
    const r = engine().parseRender(node, src);
    expect(r.diagnostics).toEqual([]);
    expect(r.refs.map((x) => x.name)).toContain('x');
  });

  it('still reports a call of a macro that does not exist, at its line', () => {
    const r = engine().parseRender(node, "{% set r = run_query('select 1') %}\nselect {{ r.columns[0].values()[0] }},\n{{ lastest(ref('x')) }}");
    expect(r.diagnostics).toMatchObject([{ code: 'macro-not-found', file: 'models/m.sql', line: 3, hint: expect.stringContaining('latest') }]);
  });

  it('still reports a macro of a package that is listed but not installed', () => {
    const r = engine({ declaredPackages: ['dbt_utils'] }).parseRender(node, "{% set r = run_query('select 1') %}\nselect {{ dbt_utils.star(ref('x')) }}");
    expect(r.diagnostics).toMatchObject([{ code: 'macro-not-found', line: 2, message: expect.stringContaining("there is no package 'dbt_utils'") }]);
  });

  it('renders macro files strictly, as dbt’s own environment for macros: their undefined values fail', () => {
    const inMacro = engine().parseRender(node, "select '{{ latest(ref('x')) }}' as d from {{ ref('x') }}");
    expect(inMacro.diagnostics).toMatchObject([{ code: 'jinja-render-error', message: expect.stringContaining("has no attribute 'columns'") }]);
    const returned = engine().parseRender(node, "select '{{ missing_param().attr }}' from {{ ref('x') }}");
    expect(returned.diagnostics).toMatchObject([{ code: 'jinja-render-error', message: expect.stringContaining("parameter 'x' was not provided") }]);
  });

  it('fails on arithmetic and ordering with an undefined, as dbt’s parse does', () => {
    const sum = engine().parseRender(node, "{% set r = run_query('select 1') %}\nselect {{ r.columns[0].values()[0] + 1 }}");
    expect(sum.diagnostics).toMatchObject([{ code: 'jinja-render-error', line: 2 }]);
    const less = engine().parseRender(node, "{% set r = run_query('select 1') %}{% if r.n < 3 %}x{% endif %}");
    expect(less.diagnostics).toMatchObject([{ code: 'jinja-render-error' }]);
  });

  it('is strict again when executing, in the same engine, for the same template and macro', async () => {
    const e = engine();
    const src = `{% set r = load_result('never_run') %}select {{ r['data'][0][0] }}`;
    expect(e.parseRender(node, src).diagnostics).toEqual([]);
    await expect(e.runRender(node, src, runContext())).rejects.toThrow(/NoneType object' has no attribute 'data'/);
    expect(e.parseRender(node, "{% set r = run_query('select 1') %}select '{{ first_value(r.columns) }}'").diagnostics).toEqual([]);
    expect(() => e.callMacro('first_value', [null])).toThrow(/'NoneType object' has no attribute 0/);
    // And lenient again at the next parse render.
    expect(e.parseRender(node, src).diagnostics).toEqual([]);
  });
});
