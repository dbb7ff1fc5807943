/** dbt's cross-database macros: run on a real DuckDB, and parsed as BigQuery SQL by a real parser. */
import { describe, it, expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'sql-parser-cst';
import { createTemplateEngine } from './index.js';
import { adapterMacroFiles } from '../adapters/registry.js';
import type { MacroFile } from './types.js';
import { BARE_NODE, bareRunContext } from '../test-support/bare-render.js';

const node = BARE_NODE;
const context = bareRunContext();
const render = (adapterType: string, sql: string, projectMacros: MacroFile[] = [], behaviorFlags: Record<string, boolean> = {}): Promise<string> =>
  createTemplateEngine({ projectName: 'p', adapterType, target: { name: 'dev', type: adapterType }, vars: {}, env: {}, docs: {}, behaviorFlags, macroFiles: [...adapterMacroFiles().map((f) => ({ ...f, packageName: 'dbt' })), ...projectMacros] }).runRender(node, sql, context);
const duckRows = async (sql: string): Promise<Record<string, unknown>[]> => (await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll(sql)).getRowObjectsJson();

const SELECT = `select
  {{ dbt.dateadd('day', 1, "date '2024-01-31'") }} as d1,
  {{ dbt.last_day("date '2024-02-10'", 'month') }} as ld,
  {{ dbt.split_part("'a.b.c'", "'.'", 2) }} as sp,
  {{ dbt.split_part("'a.b.c'", "'.'", -1) }} as sp_neg,
  {{ dbt.position("'b'", "'abc'") }} as pos,
  {{ dbt.right("'abcdef'", 2) }} as r,
  {{ dbt.replace("'aXa'", "'X'", "'-'") }} as rep,
  {{ dbt.length("'abc'") }} as len,
  '{{ dbt.escape_single_quotes("it's") }}' as esc,
  {{ dbt.cast('1.5', dbt.type_numeric()) }} as num,
  {{ dbt.cast_bool_to_text('true') }} as bt,
  {{ dbt.array_concat(dbt.array_append(dbt.array_construct(['1']), '2'), dbt.array_construct(['3'])) }} as arr,
  case when {{ dbt.equals('null', 'null') }} then 'eq' end as eqn,
  (select {{ dbt.listagg('x', "','", 'order by x') }} from (select 'b' as x union all select 'a') t) as la,
  (select {{ dbt.bool_or('x') }} from (select true as x union all select false) t) as bo,
  (select {{ dbt.any_value('x') }} from (select 1 as x) t) as av
{{ dbt.except() }} select null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null`;

describe("dbt's cross-database macros", () => {
  it('compute the same values on DuckDB', async () => {
    const sql = await render('duckdb', SELECT);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson();
    expect(rows).toEqual([{ d1: '2024-02-01 00:00:00', ld: '2024-02-29', sp: 'b', sp_neg: 'c', pos: '2', r: 'ef', rep: 'a-a', len: '3', esc: "it's", num: '1.500000', bt: 'true', arr: [1, 2, 3], eqn: null, la: 'a,b', bo: true, av: 1 }]);
  });

  it("dbt's backcompat timestamps, as elementary reads them (dbt.current_timestamp_backcompat or dbt_utils.current_timestamp)", async () => {
    const sql = await render('duckdb', "{% set m = dbt.current_timestamp_backcompat or dbt_utils.current_timestamp %}select typeof({{ m() }}) as t, typeof({{ dbt.current_timestamp_in_utc_backcompat() }}) as u");
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    expect((await conn.runAndReadAll(sql)).getRowObjectsJson()).toEqual([{ t: 'TIMESTAMP', u: 'TIMESTAMP' }]);
    const bigquery = await render('bigquery', 'select {{ dbt.current_timestamp_backcompat() }}');
    expect(() => parse(bigquery, { dialect: 'bigquery' })).not.toThrow();
  });

  it("count week boundaries (weeks from Sunday), not 7-day spans, in datediff('week') on DuckDB", async () => {
    const week = (a: string, b: string): string => `{{ dbt.datediff("${a}", "${b}", 'week') }}`;
    const sql = await render('duckdb', `select ${week("timestamp '2021-06-14 00:00:00'", "timestamp '2021-06-12 00:00:00'")} as back_over_sunday,
      ${week("timestamp '2021-06-15 00:00:00'", "timestamp '2021-06-19 23:00:00'")} as same_week,
      ${week("timestamp '2021-06-16 00:00:00'", "timestamp '2021-06-20 01:00:00'")} as next_sunday,
      ${week("'2021-06-19 23:59:59'", "'2021-06-20 00:00:00'")} as one_second,
      ${week("date '2021-06-01'", "date '2021-06-29'")} as four`);
    expect(await duckRows(sql)).toEqual([{ back_over_sunday: '-1', same_week: '0', next_sunday: '1', one_second: '1', four: '4' }]);
  });

  it('current_timestamp is now() on DuckDB, so a column may be named current_timestamp', async () => {
    const sql = await render('duckdb', 'select {{ dbt.current_timestamp() }} as current_timestamp, {{ dbt.current_timestamp_backcompat() }} as current_timestamp_backcompat');
    expect(await duckRows(`select typeof(current_timestamp) as a, typeof(current_timestamp_backcompat) as b from (${sql})`)).toEqual([{ a: 'TIMESTAMP WITH TIME ZONE', b: 'TIMESTAMP' }]);
  });

  it('date, get_powers_of_two and generate_series, as dbt defines them', async () => {
    const sql = await render('duckdb', `select {{ dbt.date(2024, 2, 29) }} as leap, {{ dbt.get_powers_of_two(1) }} as p1, {{ dbt.get_powers_of_two(64) }} as p64, {{ dbt.get_powers_of_two(65) }} as p65,
      (select count(*) || ':' || min(generated_number) || '-' || max(generated_number) from ({{ dbt.generate_series(37) }})) as series,
      {{ dbt.string_literal("a b") }} as lit`);
    expect(await duckRows(sql)).toEqual([{ leap: '2024-02-29', p1: 1, p64: 6, p65: 7, series: '37:1-37', lit: 'a b' }]);
    await expect(render('duckdb', '{{ dbt.get_powers_of_two(0) }}')).rejects.toThrow(/upper bound must be positive/);
  });

  it("equals is SQL's = unless the project sets flags.enable_truthy_nulls_equals_macro (then nulls are equal), as dbt's; on BigQuery always null-safe, as dbt-bigquery's", async () => {
    const sql = "select {% for p in [('1', '1'), ('1', '2'), ('null', 'null'), ('1', 'null')] %}{{ ', ' if not loop.first }}{{ dbt.equals(*p) }} as e{{ loop.index }}{% endfor %}";
    expect(await duckRows(await render('duckdb', sql))).toEqual([{ e1: true, e2: false, e3: null, e4: null }]);
    expect(await duckRows(await render('duckdb', sql, [], { enable_truthy_nulls_equals_macro: true }))).toEqual([{ e1: true, e2: false, e3: true, e4: false }]);
    expect(await render('duckdb', '{% if adapter.behavior.enable_truthy_nulls_equals_macro %}on{% else %}off{% endif %}', [], { enable_truthy_nulls_equals_macro: false })).toBe('off');
    expect(await render('bigquery', sql)).toContain('(null is not distinct from null)');
  });

  it('an empty array_construct has the element type asked for (integer by default), as dbt\'s array[]::<type>[]', async () => {
    const sql = await render('duckdb', "select typeof({{ dbt.array_construct([], 'varchar') }}) as v, typeof({{ dbt.array_construct() }}) as i");
    expect(await duckRows(sql)).toEqual([{ v: 'VARCHAR[]', i: 'INTEGER[]' }]);
  });

  it("dispatch: a project's duckdb__ version of any dbt cross-database macro wins over dbt's", async () => {
    const names = ['any_value', 'cast', 'length', 'replace', 'last_day', 'string_literal', 'equals', 'type_timestamp', 'date_spine', 'generate_series'];
    const contents = names.map((n) => `{% macro duckdb__${n}() -%}mine_${n}{%- endmacro %}`).join('\n');
    const calls = "{{ dbt.any_value('x') }} {{ dbt.cast('x', 'int') }} {{ dbt.length('x') }} {{ dbt.replace('x', 'a', 'b') }} {{ dbt.last_day('x', 'month') }} {{ dbt.string_literal('x') }} {{ dbt.equals('x', 'y') }} {{ dbt.type_timestamp() }} {{ dbt.date_spine('day', 'a', 'b') }} {{ dbt.generate_series(3) }}";
    const out = await render('duckdb', calls, [{ path: 'macros/mine.sql', packageName: 'p', contents: contents.replace(/\(\)/g, '(a=none, b=none, c=none)') }]);
    expect(out.split(' ')).toEqual(names.map((n) => `mine_${n}`));
  });

  it('are valid BigQuery SQL in BigQuery spelling', async () => {
    const sql = await render('bigquery', SELECT);
    expect(() => parse(sql, { dialect: 'bigquery' })).not.toThrow();
    for (const part of ['datetime_add(cast(', 'split(', '[safe_offset(1)]', 'strpos(', "substr('abcdef', -1 * (2))", "'it\\'s'", 'logical_or(x)', 'array_concat(', 'except distinct']) expect(sql).toContain(part);
  });
});
