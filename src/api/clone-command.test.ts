/** `strata clone` on real DuckDB files: the state in another file, relations left alone unless --full-refresh. */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, clone } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const PROFILE = `p:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: dev.duckdb
      schema: ci
      threads: 2
    prod:
      type: duckdb
      path: prod.duckdb
      schema: main
      threads: 2
`;

const FILES = {
  'project.yml': PROJECT_YML(),
  'profiles.yml': PROFILE,
  'seeds/raw.csv': 'id,name\n1,a\n2,b\n3,c\n',
  'models/e.sql': "{{ config(materialized='ephemeral') }} select id, upper(name) as name from {{ ref('raw') }}",
  'models/m.sql': "{{ config(materialized='table') }} select * from {{ ref('e') }}",
  'models/v.sql': "{{ config(materialized='view') }} select id from {{ ref('m') }} where id > 1",
};

async function exec(path: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(sql);
  conn.closeSync();
  instance.closeSync();
}

/** The production run: built with --target prod, its target/ kept as the state folder. */
async function prodState(files: Record<string, string> = FILES): Promise<{ dir: string; state: string }> {
  const dir = writeProject(files, false);
  dirs.push(dir);
  const built = await build({ projectDir: dir, profilesDir: dir, target: 'prod' });
  expect(built.exitCode).toBe(0);
  const state = join(dir, 'prod-state');
  mkdirSync(state);
  for (const f of ['manifest.json', 'run_results.json']) cpSync(join(dir, 'target', f), join(state, f));
  return { dir, state };
}

const rowsOf = (dir: string, sql: string): Promise<Record<string, unknown>[]> => queryDuckDb(join(dir, 'dev.duckdb'), sql);

describe('clone', () => {
  it('copies the state relations from another DuckDB file into this target, keeps them unless --full-refresh, and they outlive the state file', async () => {
    const { dir, state } = await prodState();
    const first = await clone({ projectDir: dir, profilesDir: dir, state });
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(Object.fromEntries(first.results.map((r) => [r.uniqueId, r.message]))).toEqual({ 'seed.p.raw': 'CREATE TABLE (3 rows)', 'model.p.m': 'CREATE TABLE (3 rows)', 'model.p.v': 'CREATE TABLE (2 rows)' });
    expect(await rowsOf(dir, "select table_schema, table_name, table_type from information_schema.tables where table_schema = 'ci' order by 2")).toEqual([
      { table_schema: 'ci', table_name: 'm', table_type: 'BASE TABLE' },
      { table_schema: 'ci', table_name: 'raw', table_type: 'BASE TABLE' },
      { table_schema: 'ci', table_name: 'v', table_type: 'BASE TABLE' },
    ]);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { args: Record<string, unknown>; results: { unique_id: string; status: string }[] };
    expect(results.args).toMatchObject({ which: 'clone', target: 'dev', full_refresh: false });
    expect(results.results.map((r) => `${r.unique_id} ${r.status}`).sort()).toEqual(['model.p.m success', 'model.p.v success', 'seed.p.raw success']);

    // A relation the target has is left alone (here emptied by hand) unless --full-refresh.
    await exec(join(dir, 'dev.duckdb'), 'delete from ci.m');
    const again = await clone({ projectDir: dir, profilesDir: dir, state, select: ['m'] });
    expect(again.exitCode).toBe(0);
    expect(again.results.map((r) => r.message)).toEqual(['No-op']);
    expect(await rowsOf(dir, 'select count(*)::int as n from ci.m')).toEqual([{ n: 0 }]);
    const refreshed = await clone({ projectDir: dir, profilesDir: dir, state, select: ['m'], fullRefresh: true });
    expect(refreshed.results.map((r) => r.message)).toEqual(['CREATE TABLE (3 rows)']);
    expect(await rowsOf(dir, 'select name from ci.m order by id')).toEqual([{ name: 'A' }, { name: 'B' }, { name: 'C' }]);

    // --resource-type, as dbt's clone takes it: only the seed this time; an unknown type is a usage error.
    const seeds = await clone({ projectDir: dir, profilesDir: dir, state, fullRefresh: true, resourceTypes: ['seed'] });
    expect(seeds.results.map((r) => [r.uniqueId, r.message])).toEqual([['seed.p.raw', 'CREATE TABLE (3 rows)']]);
    const typo = await clone({ projectDir: dir, profilesDir: dir, state, resourceTypes: ['sede'] });
    expect(typo.exitCode).toBe(2);
    expect(typo.diagnostics.map((d) => d.code)).toContain('resource-type-unknown');

    // The copies need nothing of the state: its database file gone, they still read.
    rmSync(join(dir, 'prod.duckdb'));
    expect(await rowsOf(dir, 'select count(*)::int as n from ci.v')).toEqual([{ n: 2 }]);
  });

  it('reads state relations named with a database (dbt-duckdb manifests) from the profile output of that name, and refuses one it cannot find', async () => {
    const { dir, state } = await prodState();
    const manifestFile = join(state, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes: Record<string, { database: string | null }> };
    for (const n of Object.values(manifest.nodes)) n.database = 'prod';
    writeFileSync(manifestFile, JSON.stringify(manifest));
    rmSync(join(state, 'run_results.json'));
    const ok = await clone({ projectDir: dir, profilesDir: dir, state, select: ['raw'] });
    expect(ok.exitCode).toBe(0);
    expect(await rowsOf(dir, 'select count(*)::int as n from ci.raw')).toEqual([{ n: 3 }]);

    for (const n of Object.values(manifest.nodes)) n.database = 'elsewhere';
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const bad = await clone({ projectDir: dir, profilesDir: dir, state, select: ['m'] });
    expect(bad.exitCode).toBe(2);
    expect(bad.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'clone-state-unreadable', file: manifestFile, message: expect.stringContaining("'elsewhere'") });
  });

  it('finds the state of an output without path: in the file DuckDB opens for it (strata.duckdb)', async () => {
    const files = { ...FILES, 'profiles.yml': PROFILE.replace('      path: prod.duckdb\n', '') };
    const { dir, state } = await prodState(files);
    const r = await clone({ projectDir: dir, profilesDir: dir, state, select: ['raw'] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await rowsOf(dir, 'select count(*)::int as n from ci.raw')).toEqual([{ n: 3 }]);
  });

  it('skips nodes the state lacks, fails (exit 1) on a state relation that is gone, and needs --state (exit 2)', async () => {
    const { dir, state } = await prodState();
    writeFileSync(join(dir, 'models', 'n.sql'), "{{ config(materialized='table') }} select 1 as x");
    await exec(join(dir, 'prod.duckdb'), 'drop view main.v');
    const out = await clone({ projectDir: dir, profilesDir: dir, state, select: ['n', 'v'] });
    expect(out.exitCode).toBe(1);
    expect(Object.fromEntries(out.results.map((r) => [r.uniqueId, r.status]))).toEqual({ 'model.p.n': 'success', 'model.p.v': 'error' });
    expect(out.results.find((r) => r.uniqueId === 'model.p.n')!.message).toBe('No-op');
    expect(out.results.find((r) => r.uniqueId === 'model.p.v')!.message).toContain('does not exist');
    const usage = await clone({ projectDir: dir, profilesDir: dir });
    expect(usage.exitCode).toBe(2);
    expect(usage.diagnostics[0]).toMatchObject({ code: 'clone-invalid', file: '--state' });
  });
});
