/**
 * dbt's `query-comment` on DuckDB: every statement a command sends carries the comment (DuckDB's own query log
 * is the witness), a project's Jinja comment renders per node, `append` puts it after, a bad one stops the
 * command before the warehouse opens, and target/compiled/ and target/run/ stay without it, as dbt's.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { withQueryComment } from '../adapters/query-comment.js';
import { build, runOperation, test as runTests } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/**
 * A project whose hooks keep DuckDB's log of the statements sent while it builds (all but the first hook's).
 * A transaction's begin and commit carry no comment, as dbt's (its `add_begin_query` / `add_commit_query` send
 * them bare; `sent` leaves them out, `sentAll` keeps them).
 */
function project(extra: string, files: Record<string, string> = {}): string {
  const dir = writeProject({
    'dbt_project.yml': `name: bakery\nprofile: bakery\non-run-start:\n  - "call enable_logging('QueryLog')"\non-run-end:\n  - "create or replace table main.sent as select message from duckdb_logs where type = 'QueryLog'"\n${extra}`,
    'profiles.yml': DUCKDB_PROFILE('bakery'),
    'seeds/loaves.csv': 'loaf_id,flour\n1,rye\n2,spelt\n',
    'models/daily_bakes.sql': "{{ config(materialized='incremental', unique_key='loaf_id') }}\nselect loaf_id, flour, current_query() as sent_as from {{ ref('loaves') }}",
    'models/flours.sql': "select distinct flour from {{ ref('daily_bakes') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: flours\n    columns:\n      - name: flour\n        data_tests: [not_null]\n',
    ...files,
  }, false);
  dirs.push(dir);
  return dir;
}

const sentAll = async (dir: string): Promise<string[]> => (await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select message from main.sent')).map((r) => String(r.message));
const sent = async (dir: string): Promise<string[]> => (await sentAll(dir)).filter((s) => !/^(begin transaction|commit|rollback)$/.test(s));

describe('withQueryComment (dbt placement)', () => {
  it('puts the comment on a line before, or with append after the statement and before its final semicolon', () => {
    expect(withQueryComment('select 1', ' hi ', false)).toBe('/* hi */\nselect 1');
    expect(withQueryComment('select 1;  \n', 'hi', true)).toBe('select 1\n/* hi */;');
    expect(withQueryComment('select 1 -- note', 'hi', true)).toBe('select 1 -- note\n/* hi */');
    expect(withQueryComment('select 1', '  ', false)).toBe('select 1');
  });
});

describe('query-comment on DuckDB', () => {
  it("sends dbt's default comment with every statement: seeds' loads, models, tests, hooks, introspection", async () => {
    const dir = project('');
    const logged: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await build({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => void (e.type === 'sql' && logged.push(e.sql)) } });
      expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
      const statements = await sent(dir);
      expect(statements.length).toBeGreaterThan(5);
      const prefix = '/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "bakery", "target_name": "dev", ';
      for (const s of statements) expect(s.startsWith(prefix), s).toBe(true);
      const ids = new Set(statements.map((s) => /"(node_id|connection_name)": "([^"]+)"/.exec(s)![2]));
      expect([...ids].sort()).toEqual(['master', 'model.bakery.daily_bakes', 'model.bakery.flours', 'seed.bakery.loaves', expect.stringMatching(/^test\.bakery\.not_null_flours_flour/)]);
      expect(statements.find((s) => s.includes('read_csv'))).toContain('"node_id": "seed.bakery.loaves"');
    }
    // The second build merged into the incremental model: its rows were written by a commented statement.
    const rows = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select sent_as from main.daily_bakes');
    for (const r of rows) expect(String(r.sent_as)).toMatch(/^\/\* \{"app": "dbt".*"node_id": "model\.bakery\.daily_bakes"\} \*\/\n/);
    // The log (--debug, logs/strata.log) shows each node's statements as sent, as dbt's debug log does.
    expect(logged.length).toBeGreaterThan(3);
    for (const s of logged) expect(s, s).toMatch(/^\/\* \{"app": "dbt", .*"node_id": "(seed|model|test)\.bakery\./);
    // As dbt: the comment is added when a statement is sent, so the compiled and run files are without it.
    for (const folder of ['compiled', 'run']) expect(readFileSync(join(dir, 'target', folder, 'bakery', 'models', 'daily_bakes.sql'), 'utf8')).not.toContain('/*');
  });

  it("renders a project's Jinja comment per node (a project macro given node), appended with append: true", async () => {
    const dir = project('query-comment:\n  comment: "{{ query_comment(node) }}"\n  append: true\n', {
      'macros/query_comment.sql': "{% macro query_comment(node) -%}\n{{ return(tojson({'team': 'bakery', 'what': node.unique_id if node is not none else 'setup', 'by': env_var('BAKER', 'nobody')})) }}\n{%- endmacro %}\n",
    });
    const r = await build({ projectDir: dir, profilesDir: dir, env: { ...process.env, BAKER: 'ada' } });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const [row] = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select sent_as from main.daily_bakes limit 1');
    expect(String(row!.sent_as)).toMatch(/^create or replace table .*\n\/\* \{"team": "bakery", "what": "model\.bakery\.daily_bakes", "by": "ada"\} \*\/$/s);
    // Outside any node (the test results' bookkeeping after the tests), node is none.
    expect((await sent(dir)).filter((s) => s.endsWith('/* {"team": "bakery", "what": "setup", "by": "ada"} */')).length).toBeGreaterThan(0);
  });

  it('a comment that does not render (or would hold a secret) is a diagnostic at the key of dbt_project.yml, exit 2, the warehouse never opened', async () => {
    for (const [comment, message] of [['"{{ bakers( }}"', /does not render/], ['"{{ no_such_macro() }}"', /does not render: .*no_such_macro/], ['"ends */ early"', /holding "\*\/"/], [`"{{ env_var('DBT_ENV_SECRET_OVEN') }}"`, /would write a secret/]] as const) {
      const dir = project(`query-comment: ${comment}\n`);
      const r = await build({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_ENV_SECRET_OVEN: 'hot-oven-42' } });
      expect(r.exitCode).toBe(2);
      expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'query-comment-invalid', file: 'dbt_project.yml', line: 7, message: expect.stringMatching(message) }));
      expect(existsSync(join(dir, 'target', 'test.duckdb'))).toBe(false);
      expect(JSON.stringify(r.diagnostics)).not.toContain('hot-oven-42');
    }
  });

  it('a comment that fails only for a node fails that node, with the reason, and skips what reads it', async () => {
    const dir = project(`query-comment: "{{ 'setup' if node is none else node.config.owner.upper() }}"\n`);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['loaves', 'daily_bakes'] });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'seed.bakery.loaves')).toMatchObject({ status: 'error', message: expect.stringContaining('query-comment does not render') });
    expect(r.results.find((x) => x.uniqueId === 'model.bakery.daily_bakes')?.status).toBe('skipped');
  });

  it("sends secret()'s set variable with the node's comment (never the value), and begin/commit bare, as dbt's", async () => {
    const dir = project('', { 'models/peppered.sql': "{{ config(materialized='table') }}\nselect {{ secret('BAKERY_SECRET_SALT') }} as salt" });
    // Twice: the second build merges into the incremental model, in a transaction.
    for (let i = 0; i < 2; i++) {
      const r = await build({ projectDir: dir, profilesDir: dir, env: { ...process.env, BAKERY_SECRET_SALT: 'salt-9921' } });
      expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    }
    const all = await sentAll(dir);
    const sets = all.filter((s) => s.includes('set variable "BAKERY_SECRET_SALT" = $1'));
    expect(sets.length).toBeGreaterThan(0);
    for (const s of sets) expect(s).toMatch(/^\/\* \{"app": "dbt", .*"node_id": "[a-z_]+\.bakery\.[a-z_]+"\} \*\/\nset variable/);
    expect(sets.some((s) => s.includes('"node_id": "model.bakery.peppered"'))).toBe(true);
    expect(all.filter((s) => s.includes('salt-9921'))).toEqual([]);
    // dbt sends BEGIN and COMMIT without the comment (add_begin_query / add_commit_query), and so does Strata.
    expect(all).toContain('begin transaction');
    expect(all.filter((s) => /\*\/\n(begin transaction|commit|rollback)$/.test(s))).toEqual([]);
  });

  it("comments the statements a unit test runs in its in-memory DuckDB with the unit test's comment", async () => {
    const dir = project('', {
      'models/marked.sql': "select loaf_id, current_query() like '/* {\"app\": \"dbt\"%\"node_id\": \"unit_test.bakery.marked.sees_its_comment\"} */%' as commented from {{ ref('loaves') }}",
      'models/unit.yml': 'unit_tests:\n  - name: sees_its_comment\n    model: marked\n    given:\n      - input: ref(\'loaves\')\n        rows:\n          - {loaf_id: 7, flour: oat}\n    expect:\n      rows:\n        - {loaf_id: 7, commented: true}\n',
    });
    // test, not build: build runs a unit test only with its model (as dbt's), and the model is not built here.
    const r = await runTests({ projectDir: dir, profilesDir: dir, select: ['marked'], resourceTypes: ['unit_test'] });
    expect(r.results.filter((x) => x.uniqueId.startsWith('unit_test.')).map((x) => `${x.uniqueId} ${x.status} ${x.message ?? ''}`)).toEqual(['unit_test.bakery.marked.sees_its_comment pass PASS']);
  });

  it("comments a source's freshness check in build --check-freshness with the source's comment", async () => {
    // The check's max() is of a timestamp only when the query carries the source's comment: else no rows, an error.
    // (The pattern is split so that the query's own text does not match it.)
    const field = `case when current_query() like '%"node_id": "source.' || 'bakery.oven.loaves"%' then now() end`;
    const dir = project('', { 'models/sources.yml': `version: 2\nsources:\n  - name: oven\n    schema: main\n    loaded_at_field: "${field.replace(/"/g, '\\"')}"\n    freshness: {error_after: {count: 1, period: day}}\n    tables:\n      - name: loaves\n` });
    expect((await build({ projectDir: dir, profilesDir: dir, select: ['loaves'] })).exitCode).toBe(0);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['source:oven.loaves+'], checkFreshness: true });
    expect(r.results.find((x) => x.uniqueId === 'source.bakery.oven.loaves'), JSON.stringify(r.results)).toMatchObject({ status: 'pass' });
  });

  it("comments run-operation's statements as ones outside any node", async () => {
    const dir = project('', { 'macros/note_query.sql': "{% macro note_query() %}{% do run_query('create table main.op_seen as select current_query() as q') %}{% endmacro %}\n" });
    expect((await runOperation({ projectDir: dir, profilesDir: dir, macro: 'note_query' })).exitCode).toBe(0);
    const [row] = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select q from main.op_seen');
    expect(String(row!.q)).toMatch(/^\/\* \{"app": "dbt", .*"connection_name": "master"\} \*\/\ncreate table main\.op_seen/);
  });

  it("sends no comment with query-comment: null or ''", async () => {
    for (const value of ['null', "''"]) {
      const dir = project(`query-comment: ${value}\n`);
      expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
      const statements = await sent(dir);
      expect(statements.length).toBeGreaterThan(5);
      expect(statements.filter((s) => s.includes('/*'))).toEqual([]);
    }
  });
});
