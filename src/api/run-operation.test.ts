/** `strata run-operation`: a macro called with the warehouse open, on a real DuckDB file. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { run, runOperation } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const MACROS = `{% macro record_audit(days=7, label='none') %}
  {% do run_query("create table if not exists audit (days integer, label varchar, rows_in_m integer)") %}
  {% do run_query("insert into audit select " ~ days ~ ", '" ~ label ~ "', count(*) from " ~ ref('m')) %}
  select 'this text is not run'
{% endmacro %}
{% macro refuse() %}
  {{ exceptions.raise_compiler_error('refusing to run') }}
{% endmacro %}
{% macro bad_sql() %}
  {% do run_query('select * from no_such_table') %}
{% endmacro %}
`;

describe('run-operation', () => {
  it('runs what the macro runs, with --args by name, refs resolved; reports failures with the macro file', async () => {
    const dir = writeProject({ 'models/m.sql': "{{ config(materialized='table') }} select 1 as id union all select 2", 'macros/ops.sql': MACROS });
    dirs.push(dir);
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const ok = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'record_audit', args: '{days: 3, label: nightly}' });
    expect(ok.exitCode).toBe(0);
    expect((await runOperation({ projectDir: dir, profilesDir: dir, macro: 'p.record_audit' })).exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select days, label, rows_in_m from audit order by days')).toEqual([
      { days: 3, label: 'nightly', rows_in_m: 2 },
      { days: 7, label: 'none', rows_in_m: 2 },
    ]);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results).toMatchObject([{ unique_id: 'operation.p.record_audit', status: 'success' }]);

    const refused = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'refuse' });
    expect(refused.exitCode).toBe(1);
    expect(refused.diagnostics.map((d) => [d.code, d.file, d.line, d.message])).toEqual([['compiler-error', 'macros/ops.sql', 6, 'run-operation refuse failed: refusing to run (raised in macros/ops.sql:7)']]);
    const bad = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'bad_sql' });
    expect(bad.exitCode).toBe(1);
    // The line of the run_query that failed, not the macro's first line (9).
    expect(bad.diagnostics[0]).toMatchObject({ code: 'operation-failed', file: 'macros/ops.sql', line: 10 });
    expect(bad.diagnostics[0]!.message).toContain('no_such_table');

    const unknown = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'record_audt' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.diagnostics[0]).toMatchObject({ code: 'operation-invalid', hint: "did you mean 'record_audit'?" });
    const badArgs = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'record_audit', args: '[1, 2]' });
    expect(badArgs.exitCode).toBe(2);
    expect(badArgs.diagnostics[0]!.message).toContain('--args must be a mapping');
  });

  it("runs dbt's built-in drop_schema_named, which drops the schema and what is in it", async () => {
    const dir = writeProject({ 'models/m.sql': "{{ config(materialized='table', schema='scratch') }} select 1 as id" });
    dirs.push(dir);
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const schemas = (): Promise<Record<string, unknown>[]> => queryDuckDb(join(dir, 'target', 'test.duckdb'), "select schema_name from information_schema.schemata where catalog_name = 'test' and schema_name in ('main', 'main_scratch') order by 1");
    expect(await schemas()).toEqual([{ schema_name: 'main' }, { schema_name: 'main_scratch' }]);
    const dropped = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'drop_schema_named', args: '{schema_name: main_scratch}' });
    expect(dropped.diagnostics).toEqual([]);
    expect(dropped.exitCode).toBe(0);
    expect(await schemas()).toEqual([{ schema_name: 'main' }]);
  });

  it("refuses dbt's drop_schema_named without its schema_name, naming it (exit 2), and drops nothing", async () => {
    const dir = writeProject({ 'models/m.sql': 'select 1 as id' });
    dirs.push(dir);
    const r = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'drop_schema_named' });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'operation-invalid', message: expect.stringContaining('needs the argument schema_name') })]);
  });
});
