/** `strata retry`: the last command again, for exactly what it left undone, with its target and vars. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, retry, runOperation } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('retry', () => {
  it('reruns the failed node and what it skipped, on the last target with its vars, then has nothing to retry', async () => {
    // Two targets: the first build goes to `ci`, so a retry on the default target would be wrong.
    const profiles = DUCKDB_PROFILE('p', "    ci:\n      type: duckdb\n      path: target/ci.duckdb\n      schema: main\n      threads: 2\n");
    const dir = writeProject({
      'profiles.yml': profiles,
      'models/ok.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/broken.sql': "{{ config(materialized='table') }} select {{ var('col') }} from {{ ref('ok') }} join no_such_table using (id)",
      'models/after.sql': "{{ config(materialized='table') }} select * from {{ ref('broken') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: after\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    dirs.push(dir);
    const first = await build({ projectDir: dir, profilesDir: dir, target: 'ci', vars: '{col: id}' });
    expect(first.exitCode).toBe(1);
    const short = (id: string): string => id.split('.').slice(0, 3).join('.');
    expect(first.results.filter((r) => r.status !== 'success' && r.status !== 'pass').map((r) => `${short(r.uniqueId)} ${r.status}`).sort()).toEqual(['model.p.after skipped', 'model.p.broken error', 'test.p.not_null_after_id skipped']);

    writeFileSync(join(dir, 'models/broken.sql'), "{{ config(materialized='table') }} select {{ var('col') }} from {{ ref('ok') }}");
    const again = await retry({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(0);
    expect(again.results.map((r) => short(r.uniqueId)).sort()).toEqual(['model.p.after', 'model.p.broken', 'test.p.not_null_after_id']);
    expect(await queryDuckDb(join(dir, 'target', 'ci.duckdb'), 'select id from main.after')).toEqual([{ id: 1 }]);

    const nothing = await retry({ projectDir: dir, profilesDir: dir });
    expect(nothing.exitCode).toBe(0);
    expect(nothing.diagnostics.map((d) => d.code)).toEqual(['nothing-to-retry']);
  });

  it('retries a failed run-operation, and refuses without a previous run', async () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'macros/ops.sql': "{% macro make(name) %}{% do run_query('create table ' ~ name ~ ' as select * from ' ~ var('from_table')) %}{% endmacro %}" });
    dirs.push(dir);
    expect((await retry({ projectDir: dir, profilesDir: dir })).diagnostics[0]).toMatchObject({ code: 'retry-impossible' });
    const failed = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'make', args: '{name: copy}', vars: '{from_table: src}' });
    expect(failed.exitCode).toBe(1);
    // What it lacked appears meanwhile (written directly, so that run_results.json stays the operation's).
    const db = await DuckDBInstance.create(join(dir, 'target', 'test.duckdb'));
    const conn = await db.connect();
    await conn.run('create table src as select 7 as n');
    conn.closeSync();
    db.closeSync();
    expect((await retry({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select n from copy')).toEqual([{ n: 7 }]);
  });
});

describe('retry after a failed on-run-end hook', () => {
  it('has no node to run again: a warning, exit 0, the hook not run, an empty run_results.json (dbt: NothingToDo)', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', "on-run-end:\n  - \"insert into hook_log values ('{{ invocation_id }}')\"\n"),
      'models/a.sql': 'select 1 as id',
    });
    dirs.push(dir);
    const first = await build({ projectDir: dir, profilesDir: dir });
    expect(first.exitCode).toBe(1);
    const again = await retry({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(0);
    expect(again.diagnostics.find((d) => d.code === 'nothing-to-do')?.message).toMatch(/^nothing to do: the last build left no node to run again/);
    expect(JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results).toEqual([]);
  });
});

describe('retry with masked vars', () => {
  it('refuses to reuse vars that were written masked, and asks for them', async () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id' });
    dirs.push(dir);
    mkdirSync(join(dir, 'target'), { recursive: true });
    writeFileSync(join(dir, 'target', 'run_results.json'), JSON.stringify({ args: { which: 'run', vars: { pepper: '****' } }, results: [{ unique_id: 'model.p.a', status: 'error' }] }));
    const r = await retry({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'retry-impossible', hint: 'pass the same --vars to strata retry' });
    expect((await retry({ projectDir: dir, profilesDir: dir, vars: '{pepper: x}' })).exitCode).toBe(0);
  });
});
