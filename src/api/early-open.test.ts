/**
 * The DuckDB file is opened while the project is read, where opening it writes nothing: the run uses that
 * instance; a command that stops first (a mistake in the project, nothing selected) closes it unused, so the
 * file is as it was and free for the next process.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from './index.js';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { TargetConfig } from '../project/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));
const repoRoot = resolve(import.meta.dirname, '..', '..');
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Whether another process can open the file for writing now (DuckDB refuses a file another process holds). */
function openableElsewhere(db: string): boolean {
  const script = `const { DuckDBInstance } = await import('@duckdb/node-api'); const i = await DuckDBInstance.create(${JSON.stringify(db)}); (await i.connect()).closeSync(); i.closeSync(); console.log('opened');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  return r.stdout.includes('opened');
}

describe('opening the warehouse while the project is read', () => {
  it('builds into the file opened early, and leaves it untouched and free when the command stops first', async () => {
    const dir = writeProject({ 'models/a.sql': "{{ config(materialized='table') }} select 1 as id" });
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    // The second build finds the file: it opens it early and builds into it.
    writeFileSync(join(dir, 'models/a.sql'), "{{ config(materialized='table') }} select 2 as id");
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id from main.a')).toEqual([{ id: 2 }]);

    const before = digest(db);
    // A mistake in the project: exit 2, the file as it was, and not held by this process any more.
    writeFileSync(join(dir, 'models/a.sql'), "{{ config(materialized='table') }} select {{ 1 + }} as id");
    const failed = await build({ projectDir: dir, profilesDir: dir });
    expect(failed.exitCode).toBe(2);
    expect(digest(db)).toBe(before);
    expect(openableElsewhere(db)).toBe(true);

    // Nothing selected: exit 0, the file free as well.
    writeFileSync(join(dir, 'models/a.sql'), "{{ config(materialized='table') }} select 3 as id");
    expect((await build({ projectDir: dir, profilesDir: dir, select: ['nothing_by_this_name'] })).exitCode).toBe(0);
    expect(openableElsewhere(db)).toBe(true);
    expect(await queryDuckDb(db, 'select id from main.a')).toEqual([{ id: 2 }]);
  });

  it('is done only where opening writes nothing: an existing file, with nothing to attach', async () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id' });
    dirs.push(dir);
    const target = (settings: Record<string, unknown>): TargetConfig => ({ name: 'dev', type: 'duckdb', threads: 1, settings } as unknown as TargetConfig);
    const opens = (settings: Record<string, unknown>): boolean | undefined => duckdbAdapter.opensWithoutWriting?.(target(settings), { projectRoot: dir });
    expect(opens({ path: 'target/test.duckdb' })).toBe(false);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(opens({ path: 'target/test.duckdb' })).toBe(true);
    expect(opens({ path: join(dir, 'target', 'test.duckdb') })).toBe(true);
    expect(opens({ path: 'target' })).toBe(false);
    expect(opens({ path: 'target/test.duckdb/inside.duckdb' })).toBe(false);
    expect(opens({ path: ':memory:' })).toBe(false);
    expect(opens({ path: 'target/test.duckdb', attach: [{ path: 'target/other.duckdb', alias: 'other' }] })).toBe(false);
  });
});
