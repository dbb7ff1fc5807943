/**
 * Incremental configs as dbt's adapter suites write them: the older name `predicates` for
 * incremental_predicates, and a microbatch `begin` given as a Python datetime.
 */
import { describe, it, expect } from 'vitest';
import { run } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

describe('incremental configs from dbt projects', () => {
  it('`predicates` narrows the delete of delete+insert, as incremental_predicates does', async () => {
    const model = (rows: string): string => `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', predicates=['id != 2']) }}\n${rows}\n`;
    const p = project({ 'models/colours.sql': model("select 1 as id, 'red' as colour union all select 2, 'blue'") });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/colours.sql', model("select 1 as id, 'pink' as colour union all select 2, 'teal'"));
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    // Row 2 is outside the predicate: kept, and its new version added beside it.
    expect(await p.q('select id::int as id, colour from main.colours order by id, colour')).toEqual([
      { id: 1, colour: 'pink' },
      { id: 2, colour: 'blue' },
      { id: 2, colour: 'teal' },
    ]);
  });

  it('a microbatch begin written as modules.datetime.datetime(…) is read as its ISO date', async () => {
    const p = project({
      'models/visits.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='seen_at', batch_size='day', begin=modules.datetime.datetime(2025, 3, 1, 0, 0, 0)) }}\nselect 1 as id, timestamp '2025-03-02 08:00:00' as seen_at\n",
    });
    // The second run reads the config from the parse kept in target/, as JSON.
    for (let i = 0; i < 2; i++) {
      const r = await run({ projectDir: p.dir, profilesDir: p.dir, eventTimeStart: '2025-03-01', eventTimeEnd: '2025-03-03', fullRefresh: true });
      expect(r.results.map((x) => x.status)).toEqual(['success']);
    }
    expect(await p.q('select count(*)::int as n from main.visits')).toEqual([{ n: 1 }]);
  });

  it('a microbatch batch writes only the rows of its window, so an input without event_time adds no duplicates', async () => {
    const p = project({
      'models/orders.sql': "select 1 as id, date '2025-03-01' as placed union all select 2, date '2025-03-02' union all select 3, date '2025-03-03'\n",
      'models/daily.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='placed_at', batch_size='day', begin='2025-03-01') }}\nselect id, placed as placed_at from {{ ref('orders') }}\n",
    });
    const times = { eventTimeStart: '2025-03-01', eventTimeEnd: '2025-03-04' };
    expect((await run({ projectDir: p.dir, profilesDir: p.dir, ...times, fullRefresh: true })).exitCode).toBe(0);
    expect((await run({ projectDir: p.dir, profilesDir: p.dir, ...times, select: ['daily'] })).exitCode).toBe(0);
    expect(await p.q('select id::int as id from main.daily order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it("dbt-duckdb's merge_update_condition fails the model's incremental run, leaving its table, instead of being ignored", async () => {
    const model = (name: string): string => `{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id', merge_update_condition='DBT_INTERNAL_DEST.n < DBT_INTERNAL_SOURCE.n') }}\nselect 1 as id, '${name}' as name, 5 as n\n`;
    const p = project({ 'models/people.sql': model('ann'), 'models/other.sql': 'select 1 as id\n' });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/people.sql', model('bea'));
    const second = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(second.exitCode).toBe(1);
    expect(second.results.find((x) => x.uniqueId === 'model.p.people')?.message).toContain('merge_update_condition');
    expect(second.results.find((x) => x.uniqueId === 'model.p.other')?.status).toBe('success');
    expect(await p.q('select name from main.people')).toEqual([{ name: 'ann' }]);
  });
});
