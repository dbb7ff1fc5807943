/** run_results.json's `message` of a skipped node, as dbt writes it (RunResult.from_node / on_skip). */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { build } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const messages = (dir: string): Record<string, unknown> =>
  Object.fromEntries((JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results as { unique_id: string; status: string; message: unknown }[])
    .filter((r) => r.status === 'skipped').map((r) => [r.unique_id, r.message]));

describe('skipped results in run_results.json', () => {
  it('have message null when a parent failed, and when an on-run-start hook failed (dbt 1.12: skip_nodes_if_on_run_start_fails by default)', async () => {
    const dir = writeProject({
      'models/kiln.sql': "{{ config(materialized='table') }} select * from no_such_clay",
      'models/glaze.sql': "select * from {{ ref('kiln') }}",
    });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(1);
    expect(messages(dir)).toEqual({ 'model.p.glaze': null });

    const hooked = writeProject({ 'project.yml': PROJECT_YML('p', "on-run-start:\n  - select * from no_such_shelf\n"), 'models/pot.sql': 'select 1 as id' });
    dirs.push(hooked);
    expect((await build({ projectDir: hooked, profilesDir: hooked })).exitCode).toBe(1);
    expect(messages(hooked)).toEqual({ 'model.p.pot': null });
  });

  it("say 'Skipping due to fail_fast' for what --fail-fast left unrun", async () => {
    const dir = writeProject({
      'profiles.yml': DUCKDB_PROFILE().replace('threads: 2', 'threads: 1'),
      'models/a_cracked.sql': 'select * from no_such_clay',
      'models/b_whole.sql': 'select 1 as id',
    });
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir, failFast: true })).exitCode).toBe(1);
    expect(messages(dir)).toEqual({ 'model.p.b_whole': 'Skipping due to fail_fast' });
  });
});
