/** `strata clean` never deletes the warehouse (issue 20, item 2). */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, clean, init } from './index.js';
import { repoRoot } from '../test-support/demo-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('strata clean', () => {
  it('keeps a profile database inside a clean target, with a warning, and deletes the rest', async () => {
    const dir = writeProject({ 'models/a.sql': "{{ config(materialized='table') }} select 1 as id" });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(true);
    const r = await clean({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(0);
    const warning = r.diagnostics.find((d) => d.code === 'clean-keeps-database');
    expect(warning?.severity).toBe('warn');
    expect(warning?.message).toContain('target/test.duckdb');
    expect(warning?.hint).toMatch(/path:/);
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(false);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id from main.a')).toEqual([{ id: 1 }]);
  });

  it('a project made by init keeps its database outside target/, so clean deletes all of target/', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strata-init-'));
    dirs.push(parent);
    expect(init({ name: 'shop', dir: parent }).exitCode).toBe(0);
    const dir = join(parent, 'shop');
    expect(readFileSync(join(dir, 'profiles.yml'), 'utf8')).toContain('path: shop.duckdb');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['*.duckdb', '*.duckdb.wal', '/*_bronze/']));
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const r = await clean({ projectDir: dir, profilesDir: dir });
    expect(r.diagnostics).toEqual([]);
    expect(existsSync(join(dir, 'target'))).toBe(false);
    expect(await queryDuckDb(join(dir, 'shop.duckdb'), 'select count(*)::int as n from main.my_first_model')).toEqual([{ n: 2 }]);
  });

  it('the bundled demo keeps its database outside target/', () => {
    expect(readFileSync(join(repoRoot, 'profiles.yml'), 'utf8')).toMatch(/path: complaints\.duckdb/);
  });
});
