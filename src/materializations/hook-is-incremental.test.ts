/**
 * `is_incremental()` in a model's hooks answers as in the model's SQL (dbt renders hooks at run time, in the
 * model's context): false on the run that creates the table and on --full-refresh, true on the runs that add
 * to it; a microbatch model's post-hooks, which run with its last batch, as that batch's SQL. A pre-hook under
 * `{% if is_incremental() %}` is how a project removes rows a merge cannot.
 */
import { describe, it, expect } from 'vitest';
import { build } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
/** A project whose hooks log what `is_incremental()` answered into main.hook_log. */
const LOGGING_PROJECT = PROJECT_YML('p', 'on-run-start: "create table if not exists main.hook_log (hook varchar, incremental boolean)"\n');

describe('is_incremental() in hooks', () => {
  it('is false when the table is created or rebuilt, true when the run adds to it', async () => {
    const hook = (when: string) => `{% if is_incremental() %}insert into main.hook_log values ('${when}', true){% else %}insert into main.hook_log values ('${when}', false){% endif %}`;
    const f = project({
      'project.yml': LOGGING_PROJECT,
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

  it('in a microbatch model, the post-hooks answer as the last batch: true after a first batch, --full-refresh too', async () => {
    const hook = (when: string) => `insert into main.hook_log values ('${when}', {{ 'true' if is_incremental() else 'false' }})`;
    const f = project({
      'project.yml': LOGGING_PROJECT,
      'models/events.sql': "{{ config(materialized='table') }} select 1 as id, timestamp '2024-01-01 10:00:00' as ts union all select 2, timestamp '2024-01-02 10:00:00' union all select 3, timestamp '2024-01-03 10:00:00'",
      'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01', pre_hook="${hook('pre')}", post_hook="${hook('post')}") }}\nselect id, ts from {{ ref('events') }}`,
    });
    const log = async () => (await f.q('select hook, incremental from main.hook_log order by rowid')).map((r) => `${String(r.hook)} ${String(r.incremental)}`);
    const days = (start: string, end: string) => ({ projectDir: f.dir, profilesDir: f.dir, eventTimeStart: start, eventTimeEnd: end });
    // One batch creating the table: the pre- and post-hooks run with it, and answer as its SQL (false).
    expect((await build(days('2024-01-01', '2024-01-02'))).exitCode).toBe(0);
    expect(await log()).toEqual(['pre false', 'post false']);
    // Three batches on --full-refresh: the first creates the table (false), the last adds to it (true).
    expect((await build({ ...days('2024-01-01', '2024-01-04'), fullRefresh: true })).exitCode).toBe(0);
    expect((await log()).slice(2)).toEqual(['pre false', 'post true']);
  });
});
