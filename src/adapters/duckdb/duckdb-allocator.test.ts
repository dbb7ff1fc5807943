/** The allocator options a `strata` process gives DuckDB (duckdb-allocator.ts), and that the user's win. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { runProcess, strataBin } from '../../test-support/strata-cli.js';
import { applyWarehouseProcessEnvironment, warehouseProcessVariables } from '../process-environment.js';

const VARIABLE = 'DUCKDB_JE_MALLOC_CONF';
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe("DuckDB's allocator options", () => {
  it('are set when the variable is unset: one arena per CPU, freed memory kept 10 s', () => {
    const env: NodeJS.ProcessEnv = {};
    applyWarehouseProcessEnvironment(env, 2);
    expect(env[VARIABLE]).toBe('narenas:2,dirty_decay_ms:10000,muzzy_decay_ms:10000');
    expect(warehouseProcessVariables(env)).toEqual({ [VARIABLE]: 'narenas:2,dirty_decay_ms:10000,muzzy_decay_ms:10000' });
    const one: NodeJS.ProcessEnv = {};
    applyWarehouseProcessEnvironment(one, 0);
    expect(one[VARIABLE]).toMatch(/^narenas:1,/);
  });

  it("are the user's when the variable is set, even to nothing (DuckDB's own options)", () => {
    for (const value of ['', 'dirty_decay_ms:0']) {
      const env: NodeJS.ProcessEnv = { [VARIABLE]: value };
      applyWarehouseProcessEnvironment(env, 8);
      expect(env[VARIABLE]).toBe(value);
    }
    expect(warehouseProcessVariables({})).toEqual({});
  });

  it('are in the environment of a build\'s process before it opens DuckDB: its log names them', async () => {
    const d = writeProject({ 'models/a.sql': "{{ config(materialized='table') }} select 1 as id" });
    dirs.push(d);
    const build = (env: string[]) => runProcess('env', [...env, process.execPath, strataBin, 'build'], { cwd: d });
    expect((await build(['-u', VARIABLE])).code).toBe(0);
    expect((await build([`${VARIABLE}=narenas:3`])).code).toBe(0);
    const runs = readFileSync(join(d, 'logs', 'strata.log'), 'utf8').split(/^.*==== strata /m).slice(1);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatch(new RegExp(`\\[debug\\] warehouse library option: ${VARIABLE}=narenas:\\d+,dirty_decay_ms:10000,muzzy_decay_ms:10000\\n`));
    expect(runs[0]).toContain('SQL ok');
    expect(runs[1]).toContain(`warehouse library option: ${VARIABLE}=narenas:3\n`);
  });
});
