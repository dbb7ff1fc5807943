/**
 * A DuckDB error about a place in a model's SQL points at the model's own file and line, as a BigQuery error
 * does: DuckDB's `LINE n:` counts the lines of the statement Strata sent (the model wrapped in DDL), which the
 * user never sees.
 */
import { describe, it, expect } from 'vitest';
import { build, runOperation } from '../../api/index.js';
import { projectsRemovedAfterAll } from '../../test-support/temp-projects.js';
import { excerptPosition } from './duckdb-errors.js';

const project = projectsRemovedAfterAll();

describe('where a DuckDB error in a model points', () => {
  it.each([
    // A parse error on line 6 of the file, which the DDL around the model moves down in the statement.
    ['table', "-- totals\nselect\n  1 as a,\n  2 as b\nfrom {{ ref('base') }}\nwhere id = = 3\n", 'Parser Error: syntax error at or near "="', ':6:12 (compiled SQL of models/bad.sql, from models/bad.sql:6:12)'],
    // A binder error after Jinja that renders to nothing: the compiled line (2) is not the file's (4).
    ['view', "{{ config(materialized='view') }}\n{#- notes\n    on two lines -#}\nselect idd from {{ ref('base') }}\n", 'Referenced column "idd" not found', ':1:8 (compiled SQL of models/bad.sql, from models/bad.sql:4:8)'],
  ])('a %s model: the compiled line and the file line, without DuckDB\'s excerpt of the statement', async (_, sql, error, at) => {
    const dir = project({ 'models/base.sql': 'select 1 as id', 'models/bad.sql': sql });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const msg = r.results.find((x) => x.uniqueId === 'model.p.bad')!.message!;
    expect(msg).toContain(error);
    expect(msg).toContain(`at target/compiled/p/models/bad.sql${at}`);
    expect(msg).not.toMatch(/LINE \d+:/);
  });

  it("an incremental model's filter inside {% if is_incremental() %}, on its second run", async () => {
    const dir = project({ 'models/base.sql': 'select 1 as id', 'models/inc.sql': "{{ config(materialized='incremental') }}\nselect id from {{ ref('base') }}\n{% if is_incremental() %} where idd > 0 {% endif %}\n" });
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'model.p.inc')!.message).toContain('from models/inc.sql:3:33)');
  });
});

describe('excerptPosition', () => {
  it("reads DuckDB's LINE and caret, also from a long line DuckDB shortened with ...", () => {
    expect(excerptPosition('Parser Error: syntax error at or near "="\n\nLINE 2:  2 = = 3\n             ^', 'select 1,\n 2 = = 3')).toEqual({ line: 2, column: 6 });
    const long = 'select ' + 'aaaa, '.repeat(40) + 'idd from t';
    const message = `Binder Error: Referenced column "idd" not found\n\nLINE 2: ..., aaaa, aaaa, idd from t\n${' '.repeat('LINE 2: ..., aaaa, aaaa, '.length)}^`;
    expect(excerptPosition(message, `create table x as (\n${long}\n)`)).toEqual({ line: 2, column: long.indexOf('idd') + 1 });
    expect(excerptPosition('Catalog Error: Table with name t does not exist!', 'select * from t')).toBeUndefined();
  });
});

describe('a line DuckDB counts in display cells', () => {
  const project = projectsRemovedAfterAll();
  it('with a tab or non-ASCII text before the error, the position gives the line and claims no column', async () => {
    expect(excerptPosition('Binder Error: x\n\nLINE 2: \tidd from t\n        ^', 'select\n\tidd from t')).toEqual({ line: 2 });
    const dir = project({ 'models/base.sql': 'select 1 as id', 'models/bad.sql': "select\n  '日本' as x, idd\nfrom {{ ref('base') }}\n" });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.results.find((x) => x.uniqueId === 'model.p.bad')!.message).toContain('at target/compiled/p/models/bad.sql:2 (compiled SQL of models/bad.sql, from models/bad.sql:2)');
  });
});

describe('where a DuckDB error in a singular test points', () => {
  const project = projectsRemovedAfterAll();
  it("names the test's compiled line and its file's line, not the line of the query around it", async () => {
    const dir = project({ 'models/base.sql': 'select 1 as id', 'tests/bad_test.sql': "select *\nfrom {{ ref('base') }}\nwhere idd > 0\n" });
    const r = await build({ projectDir: dir, profilesDir: dir });
    const msg = r.results.find((x) => x.uniqueId === 'test.p.bad_test')!.message!;
    expect(msg).toContain('Referenced column "idd" not found');
    expect(msg).toContain('at target/compiled/p/tests/bad_test.sql:3:7 (compiled SQL of tests/bad_test.sql, from tests/bad_test.sql:3:7)');
    expect(msg).not.toMatch(/LINE \d+:/);
  });
});

describe("where a DuckDB error in a hook or a macro's statement points", () => {
  const project = projectsRemovedAfterAll();
  it("a hook's error counts the hook's own lines (not the query comment before it) and names the hook and where it is written", async () => {
    const dir = project({ 'models/m.sql': '{{ config(post_hook=["select 1", "select *\\nfrom {{ this }}\\nwhere id = = 3"]) }}\nselect 1 as id\n' });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const msg = r.results.find((x) => x.uniqueId === 'model.p.m')!.message!;
    expect(msg).toContain('Parser Error: syntax error at or near "="');
    expect(msg).toContain('\n\nLINE 3: where id = = 3\n                   ^');
    expect(msg).toContain('\n  in post-hook 2 (models/m.sql:1)\n  in models/m.sql');
  });

  it("run-operation: a run_query's error counts the lines of the SQL the macro gave", async () => {
    const dir = project({ 'macros/op.sql': '{% macro op() %}\n  {% do run_query("select 1 as a,\\n  2 as b\\nfrom nowhere_table") %}\n{% endmacro %}\n' });
    const r = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'op' });
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.at(-1)!.message).toContain('\n\nLINE 3: from nowhere_table\n             ^');
  });
});
