/**
 * `is_incremental()` in a model's hooks answers as in the model's SQL (dbt renders hooks at run time, in the
 * model's context): false on the run that creates the table and on --full-refresh, true on the runs that add
 * to it. A pre-hook under `{% if is_incremental() %}` is how a project removes rows a merge cannot.
 */
import { describe, it, expect } from 'vitest';
import { build } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

describe('is_incremental() in hooks', () => {
  it('is false when the table is created or rebuilt, true when the run adds to it', async () => {
    const hook = (when: string) => `{% if is_incremental() %}insert into main.hook_log values ('${when}', true){% else %}insert into main.hook_log values ('${when}', false){% endif %}`;
    const f = project({
      'project.yml': PROJECT_YML('p', `on-run-start: "create table if not exists main.hook_log (hook varchar, incremental boolean)"\n`),
      'models/grows.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge', pre_hook="${hook('pre')}", post_hook="${hook('post')}") }}\nselect 1 as id`,
    });
    const log = () => f.q('select hook, incremental from main.hook_log order by rowid');
    expect((await build({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    expect(await log()).toEqual([{ hook: 'pre', incremental: false }, { hook: 'post', incremental: false }]);
    expect((await build({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    expect((await log()).slice(2)).toEqual([{ hook: 'pre', incremental: true }, { hook: 'post', incremental: true }]);
    expect((await build({ projectDir: f.dir, profilesDir: f.dir, fullRefresh: true })).exitCode).toBe(0);
    expect((await log()).slice(4)).toEqual([{ hook: 'pre', incremental: false }, { hook: 'post', incremental: false }]);
  });
});
