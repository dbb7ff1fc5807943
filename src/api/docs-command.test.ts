/** `strata docs generate`: catalog.json from the warehouse, in dbt's catalog v1 shape. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { build, docsGenerate } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('docs generate', () => {
  it("stops at a node that does not compile, as dbt's: exit 2, the error, manifest.json but no catalog, run_results.json or site", async () => {
    const dir = writeProject({
      'models/ledger.sql': 'select 1 as id',
      'models/audit.sql': "select * from {{ ref('ledger') }} {% if execute %}{{ exceptions.raise_compiler_error('audit needs a period') }}{% endif %}",
    });
    dirs.push(dir);
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(2);
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringContaining('audit needs a period'), file: 'models/audit.sql' }));
    expect(out.site).toBeUndefined();
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(true);
    for (const absent of ['catalog.json', 'run_results.json', 'lineage.json', 'docs']) expect(existsSync(join(dir, 'target', absent))).toBe(false);
  });

  it("--no-compile (dbt's) writes the catalog but no manifest.json, and no site without one", async () => {
    const dir = writeProject({ 'models/m.sql': "{{ config(materialized='table') }} select 1 as id" });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    rmSync(join(dir, 'target', 'manifest.json'));
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir, noCompile: true });
    expect(out).toMatchObject({ exitCode: 0, nodes: 1 });
    expect(out.site).toBeUndefined();
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(false);
    expect(Object.keys((JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8')) as { nodes: object }).nodes)).toEqual(['model.p.m']);
  });

  it("writes the DBT_ENV_CUSTOM_ENV_* variables, prefix removed, to every artifact's metadata.env, as dbt", async () => {
    const dir = writeProject({ 'models/m.sql': 'select 1 as id' });
    dirs.push(dir);
    const envOf = (file: string): unknown => (JSON.parse(readFileSync(join(dir, 'target', file), 'utf8')) as { metadata: { env: unknown } }).metadata.env;
    const env = (job: string): NodeJS.ProcessEnv => ({ ...process.env, DBT_ENV_CUSTOM_ENV_job_id: job, DBT_ENV_CUSTOM_ENV_: 'no key', DBT_ENV_OTHER: 'not custom' });
    expect((await build({ projectDir: dir, profilesDir: dir, env: env('first') })).exitCode).toBe(0);
    expect(envOf('run_results.json')).toEqual({ job_id: 'first' });
    expect(envOf('manifest.json')).toEqual({ job_id: 'first' });
    // The same graph again: the manifest's body is reused, its metadata written anew.
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, env: env('second') })).exitCode).toBe(0);
    expect(envOf('manifest.json')).toEqual({ job_id: 'second' });
    expect(envOf('catalog.json')).toEqual({ job_id: 'second' });
    // As dbt's, docs generate writes its compile's run_results.json; the build's is kept for the site.
    expect(envOf('run_results.json')).toEqual({ job_id: 'second' });
    expect(envOf('docs/last_node_run.json')).toEqual({ job_id: 'first' });
  });

  it('copies the asset-paths folders into the target folder, replacing the last copy; a missing folder is skipped', async () => {
    const dir = writeProject({ 'project.yml': PROJECT_YML('p', 'asset-paths: [pictures, not_there]\n'), 'models/m.sql': 'select 1 as id', 'pictures/flow.svg': '<svg/>', 'pictures/old/a.txt': 'a' });
    dirs.push(dir);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'target', 'pictures', 'flow.svg'), 'utf8')).toBe('<svg/>');
    expect(existsSync(join(dir, 'target', 'pictures', 'old', 'a.txt'))).toBe(true);
    expect(existsSync(join(dir, 'target', 'not_there'))).toBe(false);
    // The folder as it is now: what was removed from it is gone from the copy too.
    writeFileSync(join(dir, 'pictures', 'flow.svg'), '<svg id="2"/>');
    mkdirSync(join(dir, 'pictures', 'new'));
    rmSync(join(dir, 'pictures', 'old'), { recursive: true });
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'target', 'pictures', 'flow.svg'), 'utf8')).toBe('<svg id="2"/>');
    expect(existsSync(join(dir, 'target', 'pictures', 'old'))).toBe(false);
  });

  it('leaves an asset folder that is the target folder, or holds it or lies in it, as it is, with a warning', async () => {
    const dir = writeProject({ 'project.yml': PROJECT_YML('p', "asset-paths: [pictures]\ntarget-path: '.'\n"), 'models/m.sql': 'select 1 as id', 'pictures/flow.svg': '<svg/>' });
    dirs.push(dir);
    const same = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(same.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'pictures', 'flow.svg'), 'utf8')).toBe('<svg/>');
    expect(same.diagnostics).toContainEqual(expect.objectContaining({ code: 'asset-path-skipped', severity: 'warn', file: 'project.yml' }));
    const inside = writeProject({ 'project.yml': PROJECT_YML('p', 'asset-paths: [target]\n'), 'models/m.sql': 'select 1 as id' });
    dirs.push(inside);
    const r = await docsGenerate({ projectDir: inside, profilesDir: inside });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.map((d) => d.code)).toContain('asset-path-skipped');
    expect(existsSync(join(inside, 'target', 'catalog.json'))).toBe(true);
    expect(existsSync(join(inside, 'target', 'target'))).toBe(false);
  });

  it("writes every built node's and source's columns, in warehouse order with their types; unbuilt and ephemeral nodes are left out", async () => {
    const dir = writeProject({
      'seeds/raw.csv': 'id,name\n1,a\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: ext\n    schema: main\n    tables:\n      - name: raw\n',
      'models/e.sql': "{{ config(materialized='ephemeral') }} select id from {{ ref('raw') }}",
      'models/t.sql': "{{ config(materialized='table') }} select id, cast(id as double) as amount from {{ ref('e') }}",
      'models/later.sql': 'select 1 as x',
    });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir, exclude: ['later'] })).exitCode).toBe(0);
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out).toMatchObject({ exitCode: 0, nodes: 2, sources: 1 });
    const catalog = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8')) as { metadata: { dbt_schema_version: string }; nodes: Record<string, { metadata: Record<string, unknown>; columns: Record<string, unknown> }>; sources: Record<string, unknown>; errors: unknown };
    expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.p.t', 'seed.p.raw']);
    expect(catalog.nodes['model.p.t']!.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'main', name: 't' });
    expect(catalog.nodes['model.p.t']!.columns).toEqual({ id: { type: 'INTEGER', index: 1, name: 'id', comment: null }, amount: { type: 'DOUBLE', index: 2, name: 'amount', comment: null } });
    expect(Object.keys(catalog.sources)).toEqual(['source.p.ext.raw']);
    expect(catalog.errors).toBeNull();
    // lineage.json: the ephemeral model, inlined as a CTE, is read as itself; models not built are traced too.
    const lineage = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as { nodes: Record<string, { status: string; columns: Record<string, { upstream: unknown[] }> }> };
    expect(out.lineage).toEqual({ traced: 3, partial: 0, untraced: 0 });
    expect(lineage.nodes['model.p.t']!.columns).toEqual({
      id: { upstream: [{ node: 'model.p.e', column: 'id', kind: 'direct' }] },
      amount: { upstream: [{ node: 'model.p.e', column: 'id', kind: 'cast' }] },
    });
    expect(lineage.nodes['model.p.e']!.columns).toEqual({ id: { upstream: [{ node: 'seed.p.raw', column: 'id', kind: 'direct' }] } });
    expect(lineage.nodes['model.p.later']!.columns).toEqual({ x: { upstream: [] } });
  });
});
