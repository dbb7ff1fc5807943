/**
 * A var whose value is Jinja calling a project macro, as dbt renders it: when `var()` reads it, with the reading
 * template's whole context (macros included), from the project file or `--vars` alike, while parsing (a config)
 * and at run time, where the macro may query the warehouse.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const MACROS = [
  '{% macro greeting(who) %}hello {{ who }}{% endmacro %}',
  '{% macro answer() %}{% if execute %}{{ return(run_query("select 40 + 2 as x").columns[0].values()[0]) }}{% else %}{{ return(0) }}{% endif %}{% endmacro %}',
].join('\n');

describe('var() text calling macros', () => {
  it('renders project and --vars values with the macros, in SQL, in configs and in expressions', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', 'vars:\n  hello: "{{ greeting(\'world\') }}"\n  again: "{{ var(\'hello\') }} again"\n  answer: "{{ answer() }}"\n'),
      'macros/m.sql': MACROS,
      'models/a.sql': [
        "{{ config(materialized='table', alias=var('suffix') ~ '_a') }}",
        "select '{{ var('hello') }}' as hello, '{{ var('again') }}' as again, '{{ var('hello') | upper }}' as up,",
        "  {{ 1 if var('hello') == 'hello world' else 0 }} as matched, {{ var('answer') }} as answer, '{{ var('from_cli') }}' as from_cli",
      ].join('\n'),
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir, vars: '{suffix: "{{ greeting(\'x\') | replace(\' \', \'_\') }}", from_cli: "{{ greeting(\'cli\') }}"}' });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.map((x) => x.message)])).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select hello, again, up, matched, answer::int as answer, from_cli from main.hello_x_a')).toEqual([
      { hello: 'hello world', again: 'hello world again', up: 'HELLO WORLD', matched: 1, answer: 42, from_cli: 'hello cli' },
    ]);
  });
});
