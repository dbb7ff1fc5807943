/**
 * A model killed mid-build (SIGKILL, no cleanup) must leave the previous table and its data intact,
 * and the next run must succeed and leave no staging relation behind.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { repoRoot } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { run } from '../api/index.js';

const SLOW = "{{ config(materialized='table') }}\nselect range as id, md5(cast(range as varchar)) || md5(cast(range * 7 as varchar)) as v from range(0, 60000000)";

function killMidBuild(dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'strata.js'), 'run', '--project-dir', dir, '--profiles-dir', dir, '-s', 'slow'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`never started building:\n${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('START sql table model main.slow')) {
        // Give DuckDB time to be well inside CREATE TABLE … AS, then kill without warning.
        setTimeout(() => child.kill('SIGKILL'), 700);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended by itself (code ${code}) before it could be killed:\n${out}`));
    });
  });
}

describe('atomic replacement', () => {
  const dir = writeProject({ 'models/slow.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'previous' as v" });
  afterAll(() => removeProject(dir));

  it('keeps the previous table when the process is killed during the rebuild', async () => {
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    writeFileSync(join(dir, 'models', 'slow.sql'), SLOW);
    await killMidBuild(dir);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select id, v from main.slow')).toEqual([{ id: 1, v: 'previous' }]);

    writeFileSync(join(dir, 'models', 'slow.sql'), "{{ config(materialized='table') }}\nselect 2 as id, 'next' as v");
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id, v from main.slow')).toEqual([{ id: 2, v: 'next' }]);
    expect(await queryDuckDb(db, "select table_name from information_schema.tables where table_name like '%strata_tmp%'")).toEqual([]);
  });

  it('keeps the previous table when the new SQL fails', async () => {
    writeFileSync(join(dir, 'models', 'slow.sql'), "{{ config(materialized='table') }}\nselect 2 as id, cast('x' as integer) as v");
    const result = await run({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(1);
    expect(result.results[0]?.message).toContain('Conversion Error');
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id, v from main.slow')).toEqual([{ id: 2, v: 'next' }]);
  });
});
