/**
 * The parse-time static scan (parse-scan.ts) records what a full parse render records, for every shape it
 * takes; every shape it must not take is rendered. A full render is forced by appending `{{ '' }}`, which
 * outputs nothing and changes nothing a parse records.
 */
import { describe, it, expect } from 'vitest';
import { createTemplateEngine } from './index.js';
import type { ParseRenderResult, RenderNode } from './types.js';

const MACROS = `
{% macro cents(col, scale=2) %}({{ col }} / 100.0){% endmacro %}
{% macro clean(col) -%} lower(trim({{ col }})) {%- endmacro %}
{% macro reads_var(col) %}{{ col }} * {{ var('factor', 1) }}{% endmacro %}
{% macro refs(col) %}{{ ref('orders') }}.{{ col }}{% endmacro %}
{% macro logs(col) %}{{ log('x', info=True) }}{{ col }}{% endmacro %}
{% macro loops(cols) %}{% for c in cols %}{{ c }}{% endfor %}{% endmacro %}
{% macro default_reads(col, f=var('f', 1)) %}{{ col }}{% endmacro %}
`;

const engine = (extra = '') =>
  createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {}, macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents: MACROS + extra }] });
const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: { materialized: 'view' } };
const comparable = (r: ParseRenderResult): unknown => ({ refs: r.refs, sources: r.sources, config: r.config, docRefs: r.docRefs, macrosUsed: [...r.macrosUsed].sort(), diagnostics: r.diagnostics, envVars: r.envVars, varsRead: r.varsRead });

const INCREMENTAL = "{{ config(materialized='incremental', unique_key=['id'], tags=['silver', 'a'], meta={'owner': 'team_1', 'tier': 2, 'nested': {'x': [1, 'y']}}) }}\nselect id, {{ cents('amount') }} as amount, {{ clean(col='label') }} as label\nfrom {{ ref('orders') }}\n{% if is_incremental() %}\nwhere updated_at > (select max(updated_at) from {{ this }}) and x = '{{ var(\"y\") }}'\n{% endif %}\n";

describe('parse-time static scan', () => {
  it.each([
    ['macros in the select list, an is_incremental() block, config with lists and dicts', INCREMENTAL],
    ['a whitespace-controlled block and two configs', "{{ config(tags=['a']) }}{{ config(meta={'k': 'v'}, tags=['b']) }}select {{ cents('a', 3) }} from {{ source('crm', 'c') }}\n{%- if is_incremental() -%} where 1 = 1 {%- endif %}"],
    ['a macro called with fewer arguments than it takes', "select {{ cents() }} from {{ ref('a') }}"],
  ])('takes %s, recording what a render records', (_name, source) => {
    const e = engine();
    const scanned = e.parseRender(node, source);
    const rendered = e.parseRender(node, `${source}{{ '' }}`);
    expect(scanned.fastPath).toBe(true);
    expect(rendered.fastPath).toBe(false);
    expect(comparable(scanned)).toEqual(comparable(rendered));
  });

  it.each([
    ['a macro that reads a var', "select {{ reads_var('a') }} from {{ ref('a') }}"],
    ['a macro that calls ref', "select {{ refs('a') }}"],
    ['a macro that logs', "select {{ logs('a') }} from {{ ref('a') }}"],
    ['a macro with statements', "select {{ loops(['a']) }} from {{ ref('a') }}"],
    ['a macro whose default reads a var', "select {{ default_reads('a') }} from {{ ref('a') }}"],
    ['too many arguments (an error when rendered)', "select {{ clean('a', 'b') }} from {{ ref('a') }}"],
    ['an unknown keyword (an error when rendered)', "select {{ clean(column='a') }} from {{ ref('a') }}"],
    ['a variable as argument', "select {{ clean(col) }} from {{ ref('a') }}"],
    ['an is_incremental() block with an else', "select 1 from {{ ref('a') }} {% if is_incremental() %}x{% else %}{{ ref('b') }}{% endif %}"],
    ['an is_incremental() block with a statement', "select 1 from {{ ref('a') }} {% if is_incremental() %}{% set x = 1 %}{% endif %}"],
    ['an is_incremental() block with an expression', "select 1 from {{ ref('a') }} {% if is_incremental() %}{{ 1 + }}{% endif %}"],
    ['not is_incremental()', "select 1 from {{ ref('a') }} {% if not is_incremental() %}{{ ref('b') }}{% endif %}"],
    ['a config() with a variable', "{{ config(meta={'k': v}) }}select 1"],
  ])('renders %s', (_name, source) => {
    const e = engine();
    const r = e.parseRender(node, source);
    expect(r.fastPath).toBe(false);
  });

  it('renders is_incremental() blocks when the project defines its own is_incremental', () => {
    const e = engine('{% macro is_incremental() %}{{ return(true) }}{% endmacro %}');
    const r = e.parseRender(node, "select 1 from {{ ref('a') }} {% if is_incremental() %}{{ ref('b') }}{% endif %}");
    expect(r.fastPath).toBe(false);
    expect(r.refs.map((x) => x.name)).toEqual(['a', 'b']);
  });

  it('keeps the lines of refs after skipped blocks and macro calls', () => {
    const r = engine().parseRender(node, "select {{ cents(\n'a') }}\n{% if is_incremental() %}\n\n{% endif %}\nfrom {{ ref('orders') }}");
    expect(r.fastPath).toBe(true);
    expect(r.refs[0]!.at).toMatchObject({ line: 6 });
  });
});
