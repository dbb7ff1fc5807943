/** Secrets stay secret (issue 20, item 3): `target` without credentials, DBT_ENV_SECRET_* scrubbed and refused in SQL, secret() everywhere. */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile, debug, runOperation, show } from './index.js';
import { SecretScrubber } from '../diagnostics/index.js';

const project = projectsRemovedAfterAll();

const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

/** Every file under a folder, as text. */
function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'utf8');
  }
  return out;
}

const S3_PROFILE = "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      s3:\n        endpoint: http://127.0.0.1:9\n        access_key_id: AKIAKEYIDVALUE\n        secret_access_key: SECRETKEYVALUE123\n      api_key: APIKEYVALUE4242\n";

describe('target in templates', () => {
  it('has no credentials, nested ones included, and keeps the endpoint', async () => {
    const d = project({ 'profiles.yml': S3_PROFILE, 'models/t.sql': "{{ config(materialized='table') }} select $${{ target }}$$ as t" });
    const r = await build({ projectDir: d, profilesDir: d });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.map((x) => x.message)])).toBe(0);
    const [row] = await queryDuckDb(join(d, 'target', 'test.duckdb'), 'select t from main.t');
    const t = String(row!.t);
    expect(t).toContain('http://127.0.0.1:9');
    expect(t).not.toContain('AKIAKEYIDVALUE');
    expect(t).not.toContain('SECRETKEYVALUE123');
    expect(t).not.toContain('APIKEYVALUE4242');
    expect(allText(join(d, 'target', 'compiled'))).not.toContain('SECRETKEYVALUE123');
  });
});

describe('DBT_ENV_SECRET_* and STRATA_ENV_SECRET_*', () => {
  it('are scrubbed from artifacts, compiled files and events, while the warehouse gets the real value', async () => {
    const d = project({
      'profiles.yml': "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      schema: \"{{ env_var('DBT_ENV_SECRET_SCHEMA') }}\"\n",
      'models/a.sql': "{{ config(materialized='table') }} select '{{ target.schema }}' as s",
    });
    const events: string[] = [];
    // As the CLI: its reporter scrubs through the scrubber the command fills.
    const scrubber = new SecretScrubber();
    const r = await build({ projectDir: d, profilesDir: d, env: { DBT_ENV_SECRET_SCHEMA: 'hushschema' }, scrubber, reporter: { emit: (e) => events.push(scrubber.scrub(JSON.stringify(e))) } });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.map((x) => x.message)])).toBe(0);
    expect(await queryDuckDb(join(d, 'target', 'test.duckdb'), 'select s from hushschema.a')).toEqual([{ s: 'hushschema' }]);
    const leaks = files(join(d, 'target')).filter((f) => !f.endsWith('.duckdb') && !f.endsWith('.wal') && readFileSync(f, 'utf8').includes('hushschema'));
    expect(leaks).toEqual([]);
    expect(readFileSync(join(d, 'target', 'compiled', 'p', 'models', 'a.sql'), 'utf8')).toContain("'****' as s");
    expect(events.join('\n')).not.toContain('hushschema');
  });

  it('are refused where they would be written into SQL, naming the file and line', async () => {
    const d = project({ 'models/a.sql': "select 1 as id,\n  '{{ env_var(\"STRATA_ENV_SECRET_TOKEN\") }}' as token" });
    const r = await compile({ projectDir: d, profilesDir: d, env: { STRATA_ENV_SECRET_TOKEN: 'tok-value' } });
    expect(r.exitCode).toBe(2);
    const e = r.diagnostics.find((x) => x.code === 'env-secret-in-sql');
    expect(e).toMatchObject({ file: 'models/a.sql', line: 2 });
    expect(e?.hint).toMatch(/secret\(/);
    expect(JSON.stringify(r)).not.toContain('tok-value');
  });

  it('are refused in the project file and property files, as dbt refuses them outside profiles.yml and packages.yml', async () => {
    const d = project({
      'project.yml': 'name: p\nprofile: p\nvars:\n  tok: "{{ env_var(\'DBT_ENV_SECRET_TOKEN\') }}"\n',
      'models/a.sql': "select '{{ var(\"tok\") }}' as token",
    });
    const r = await build({ projectDir: d, profilesDir: d, env: { DBT_ENV_SECRET_TOKEN: 'tok-value-77' } });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((x) => x.code === 'env-secret-in-yaml')).toMatchObject({ file: 'project.yml', line: 4 });
    expect(JSON.stringify(r)).not.toContain('tok-value-77');
    expect(existsSync(join(d, 'target', 'test.duckdb'))).toBe(false);
    const props = project({ 'models/a.sql': 'select 1 as id', 'models/a.yml': "models:\n  - name: a\n    config:\n      alias: \"{{ env_var('DBT_ENV_SECRET_TOKEN') }}\"\n" });
    const p = await build({ projectDir: props, profilesDir: props, env: { DBT_ENV_SECRET_TOKEN: 'tok-value-77' } });
    expect(p.exitCode).toBe(2);
    expect(p.diagnostics.map((x) => x.code)).toContain('env-secret-in-yaml');
  });

  it('a short secret is masked; an empty or one-character value, and an endpoint URL, never are', () => {
    const s = new SecretScrubber();
    s.add('', { explicit: true });
    s.add('x', { explicit: true });
    s.add('ab', { explicit: true });
    s.add('http://127.0.0.1:9000', { explicit: true });
    expect(s.scrub('x ab http://127.0.0.1:9000')).toBe('x **** http://127.0.0.1:9000');
  });
});

describe('strata debug', () => {
  it('never prints a line of asterisks for an empty secret, and shows the path it could not open', async () => {
    const d = project({
      'profiles.yml': "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \"{{ env_var('DB_DIR') }}/x.duckdb\"\n      password: \"\"\n      token: \"{{ env_var('EMPTY_TOKEN', '') }}\"\n",
      'project.yml': PROJECT_YML(),
    });
    const r = await debug({ projectDir: d, profilesDir: d, env: { DB_DIR: join(d, 'project.yml') } });
    const detail = r.checks.find((c) => c.name === 'connection')?.detail ?? '';
    expect(detail).not.toMatch(/\*\*\*\*.\*\*\*\*/);
    expect(detail).toContain(join(d, 'project.yml'));
  });
});

describe('secret()', () => {
  const files = {
    'models/m.sql': "select {{ secret('MY_SECRET_PEPPER') }} as pepper",
    'macros/op.sql': "{% macro keep_pepper() %}{% do run_query('create table kept as select ' ~ secret('MY_SECRET_PEPPER') ~ ' as pepper') %}{% endmacro %}",
  };
  it('has its value in show', async () => {
    const d = project(files);
    const r = await show({ projectDir: d, profilesDir: d, select: ['m'], env: { MY_SECRET_PEPPER: 'pepper-value' } });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(r.previews[0]?.rows).toEqual([{ pepper: 'pepper-value' }]);
  });
  it('has its value in run-operation', async () => {
    const d = project(files);
    const r = await runOperation({ projectDir: d, profilesDir: d, macro: 'keep_pepper', env: { MY_SECRET_PEPPER: 'pepper-value' } });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(await queryDuckDb(join(d, 'target', 'test.duckdb'), 'select pepper from kept')).toEqual([{ pepper: 'pepper-value' }]);
  });
});

describe("secret() and DuckDB's own query log", () => {
  it('sets the value with a prepared statement: a run with DuckDB logging queries has the value in no logged statement', async () => {
    const d = project({
      'project.yml': `${PROJECT_YML()}on-run-start: ["call enable_logging('QueryLog')"]\non-run-end: ["create or replace table main.query_log as select message from duckdb_logs"]\n`,
      'models/m.sql': "{{ config(materialized='table') }} select {{ secret('MY_SECRET_PEPPER') }} as pepper",
      'models/n.sql': "{{ config(materialized='table') }} select pepper || '!' as shout from {{ ref('m') }}",
    });
    const r = await build({ projectDir: d, profilesDir: d, env: { MY_SECRET_PEPPER: 'pepper-value-314' } });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const db = join(d, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select pepper from m')).toEqual([{ pepper: 'pepper-value-314' }]);
    const logged = (await queryDuckDb(db, 'select message from query_log')).map((x) => String(x.message));
    // The log holds the run's statements (the model's, and the variable's set), none of them with the value.
    expect(logged.some((m) => m.includes('"main"."m"'))).toBe(true);
    expect(logged.some((m) => /set variable "MY_SECRET_PEPPER" = \$1/.test(m))).toBe(true);
    expect(logged.filter((m) => m.includes('pepper-value-314'))).toEqual([]);
  });
});
