/**
 * Post-hooks run in the model's transaction, as dbt's materializations run them (inside_transaction, the
 * default): a failing one rolls the model's change back on DuckDB, so the previous relation and rows stay and
 * a retry adds nothing twice. Hooks made with `after_commit` / `{transaction: false}` run after the commit.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, retry, run, seed } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
const opts = (dir: string, vars?: Record<string, unknown>) => ({ projectDir: dir, profilesDir: dir, ...(vars ? { vars: JSON.stringify(vars) } : {}) });
/** A hook that fails when the run says so: a cast DuckDB refuses. */
const HOOK = "{% if var('fail', false) %}select cast('kaboom' as integer){% else %}select 1{% endif %}";
const statuses = (r: Awaited<ReturnType<typeof build>>): Record<string, string> => Object.fromEntries(r.results.map((x) => [x.uniqueId.split('.').pop()!, x.status]));

describe('post-hooks in the transaction (DuckDB)', () => {
  it('a failing post-hook leaves every materialization as it was before the run', async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', `models:\n  p:\n    hooked:\n      +post-hook: "${HOOK}"\nseeds:\n  p:\n    +post-hook: "${HOOK}"\nsnapshots:\n  p:\n    +post-hook: "${HOOK}"\n`),
      'models/plain/batch_rows.sql': "{{ config(materialized='table') }} select * from (values (1, {{ var('v', 1) }}), (2, {{ var('v', 1) }})) as t(id, v)",
      'models/hooked/as_table.sql': "{{ config(materialized='table') }} select * from {{ ref('batch_rows') }}",
      'models/hooked/as_view.sql': "{{ config(materialized='view') }} select id, {{ var('v', 1) }} as v from {{ ref('batch_rows') }}",
      'models/hooked/by_merge.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }} select * from {{ ref('batch_rows') }}",
      'models/hooked/by_delete_insert.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }} select * from {{ ref('batch_rows') }}",
      'models/hooked/by_append.sql': "{{ config(materialized='incremental', incremental_strategy='append') }} select * from {{ ref('batch_rows') }}",
      'models/hooked/as_file.sql': "{{ config(materialized='external', location='exports/as_file.csv') }} select * from {{ ref('batch_rows') }}",
      'models/hooked/kept_clean.sql': "{{ config(materialized='table', quarantine=true) }} select * from {{ ref('batch_rows') }} union all select null, {{ var('v', 1) }}",
      'models/hooked/schema.yml': 'version: 2\nmodels:\n  - name: kept_clean\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
      'seeds/colours.csv': 'colour_id,name\n1,teal\n',
      'snapshots/rows_history.sql': "{% snapshot rows_history %}\n{{ config(target_schema='main', unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('batch_rows') }}\n{% endsnapshot %}\n",
    });
    const first = await build(opts(f.dir));
    expect(first.exitCode, JSON.stringify(first.results.filter((x) => x.status !== 'success' && x.status !== 'pass'))).toBe(0);
    const before = readFileSync(join(f.dir, 'exports', 'as_file.csv'), 'utf8');

    f.write('seeds/colours.csv', 'colour_id,name\n1,teal\n2,amber\n');
    const failed = await build(opts(f.dir, { fail: true, v: 2 }));
    expect(failed.exitCode).toBe(1);
    expect(statuses(failed)).toMatchObject({ batch_rows: 'success', as_table: 'error', as_view: 'error', by_merge: 'error', by_delete_insert: 'error', by_append: 'error', as_file: 'error', kept_clean: 'error', colours: 'error', rows_history: 'error' });
    expect(failed.results.find((x) => x.uniqueId === 'model.p.as_table')?.message).toContain('kaboom');

    for (const m of ['as_table', 'as_view', 'by_merge', 'by_delete_insert', 'by_append', 'as_file', 'kept_clean']) {
      expect(await f.q(`select id::int as id, v::int as v from main.${m} order by id`), m).toEqual([{ id: 1, v: 1 }, { id: 2, v: 1 }]);
    }
    expect(await f.q('select count(*)::int as n from main.kept_clean__quarantine')).toEqual([{ n: 1 }]);
    expect(await f.q('select colour_id::int as id from main.colours')).toEqual([{ id: 1 }]);
    expect(await f.q('select count(*)::int as n, count(dbt_valid_to)::int as closed from main.rows_history')).toEqual([{ n: 2, closed: 0 }]);
    expect(readFileSync(join(f.dir, 'exports', 'as_file.csv'), 'utf8')).toBe(before);
    expect(await f.q("select count(*)::int as n from information_schema.tables where table_name like '%strata%'")).toEqual([{ n: 0 }]);

    // The same run with a passing hook applies every change once.
    const again = await build(opts(f.dir, { v: 2 }));
    expect(again.exitCode).toBe(0);
    expect(await f.q('select count(*)::int as n, min(v)::int as v from main.by_append')).toEqual([{ n: 4, v: 1 }]);
    expect(await f.q('select id::int as id, v::int as v from main.by_merge order by id')).toEqual([{ id: 1, v: 2 }, { id: 2, v: 2 }]);
    expect(await f.q('select count(*)::int as n from main.colours')).toEqual([{ n: 2 }]);
    expect(await f.q('select count(*)::int as n from main.rows_history')).toEqual([{ n: 4 }]);
  });

  it('a retry after a failing post-hook on an append model writes the rows exactly once', async () => {
    const f = project({
      'models/daily_rows.sql': `{{ config(materialized='incremental', post_hook="${HOOK}") }}\nselect '{{ var('ds') }}' as ds, n from range(3) as t(n)`,
    });
    expect((await run(opts(f.dir, { ds: 'd1' }))).exitCode).toBe(0);
    const failed = await run(opts(f.dir, { ds: 'd2', fail: true }));
    expect(failed.exitCode).toBe(1);
    expect(await f.q('select ds, count(*)::int as n from main.daily_rows group by ds order by ds')).toEqual([{ ds: 'd1', n: 3 }]);
    const retried = await retry({ ...opts(f.dir, { ds: 'd2', fail: false }) });
    expect(retried.exitCode).toBe(0);
    expect(await f.q('select ds, count(*)::int as n from main.daily_rows group by ds order by ds')).toEqual([{ ds: 'd1', n: 3 }, { ds: 'd2', n: 3 }]);
  });

  it('a passing post-hook sees the new rows of {{ this }}', async () => {
    const f = project({
      'models/audit_log.sql': "{{ config(materialized='incremental') }} select '' as model, 0 as n where false",
      'models/counted.sql': "{{ config(materialized='table', post_hook=\"insert into {{ ref('audit_log') }} select 'counted', count(*) from {{ this }}\") }} select * from range({{ var('rows', 2) }})",
    });
    expect((await run(opts(f.dir))).exitCode).toBe(0);
    expect((await run({ ...opts(f.dir, { rows: 5 }), select: ['counted'] })).exitCode).toBe(0);
    expect(await f.q('select n::int as n from main.audit_log order by n')).toEqual([{ n: 2 }, { n: 5 }]);
  });

  it('after_commit and {transaction: false} hooks run after the commit: their failure keeps the new rows', async () => {
    const f = project({
      'models/audit_log.sql': "{{ config(materialized='incremental') }} select '' as what where false",
      'models/committed.sql': `{{ config(materialized='table', pre_hook=before_begin("insert into {{ ref('audit_log') }} values ('before')"), post_hook=after_commit("${HOOK}")) }} select {{ var('v', 1) }} as v`,
      'models/also_committed.sql': "{{ config(materialized='table') }} select {{ var('v', 1) }} as v",
      'models/schema.yml': `version: 2\nmodels:\n  - name: also_committed\n    config:\n      post_hook:\n        - sql: "${HOOK}"\n          transaction: false\n`,
    });
    expect((await run(opts(f.dir))).exitCode).toBe(0);
    const failed = await run(opts(f.dir, { v: 2, fail: true }));
    expect(statuses(failed)).toMatchObject({ committed: 'error', also_committed: 'error' });
    expect(await f.q('select v::int as v from main.committed')).toEqual([{ v: 2 }]);
    expect(await f.q('select v::int as v from main.also_committed')).toEqual([{ v: 2 }]);
    expect(await f.q("select count(*)::int as n from main.audit_log where what = 'before'")).toEqual([{ n: 2 }]);
  });

  it("a microbatch model's post-hooks run in its last batch's transaction: a failure rolls that batch back, retry builds it once", async () => {
    const f = project({
      'models/events.sql': "{{ config(materialized='table', event_time='seen_at') }} select * from (values (timestamp '2025-01-01 10:00', 1), (timestamp '2025-01-02 10:00', 2), (timestamp '2025-01-03 10:00', 3)) as t(seen_at, n)",
      'models/by_day.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='seen_at', batch_size='day', begin='2025-01-01', post_hook="${HOOK}") }} select * from {{ ref('events') }}`,
    });
    const window = { eventTimeStart: '2025-01-01', eventTimeEnd: '2025-01-04' };
    const setup = await run({ ...opts(f.dir), select: ['events'] });
    expect(setup.exitCode, JSON.stringify([setup.diagnostics, setup.results])).toBe(0);
    const failed = await run({ ...opts(f.dir, { fail: true }), ...window, select: ['by_day'] });
    expect(failed.exitCode).toBe(1);
    expect(failed.results[0]?.status).toBe('partial success');
    expect(await f.q('select n::int as n from main.by_day order by n')).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await retry(opts(f.dir, { fail: false }))).exitCode).toBe(0);
    expect(await f.q('select n::int as n from main.by_day order by n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('a seed command with a failing post-hook leaves the previous rows', async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', `seeds:\n  p:\n    +post-hook: "${HOOK}"\n`),
      'seeds/sizes.csv': 'size_id\n1\n',
    });
    expect((await seed(opts(f.dir))).exitCode).toBe(0);
    f.write('seeds/sizes.csv', 'size_id\n1\n2\n');
    expect((await seed(opts(f.dir, { fail: true }))).exitCode).toBe(1);
    expect(await f.q('select count(*)::int as n from main.sizes')).toEqual([{ n: 1 }]);
  });
});
