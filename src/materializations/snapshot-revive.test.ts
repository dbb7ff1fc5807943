/**
 * A key deleted from a snapshot's query and then back gets a current version again (dbt's
 * test_revives_are_captured_by_snapshot), for both strategies and every way of recording hard deletes; the
 * INSERT count a run reports is the rows it inserted. On a real DuckDB file, run after run.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { seed, snapshot } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

// Three parcels; parcel 3 leaves the depot's list, then returns exactly as it was (same updated_at).
const ALL = 'parcel_id,depot,updated_at\n1,north,2026-03-01 08:00:00\n2,south,2026-03-01 08:00:00\n3,east,2026-03-02 09:30:00\n';
const WITHOUT_3 = 'parcel_id,depot,updated_at\n1,north,2026-03-01 08:00:00\n2,south,2026-03-01 08:00:00\n';

const STRATEGIES = { timestamp: "strategy='timestamp', updated_at='updated_at'", check: "strategy='check', check_cols=['depot']" };
const DELETES = { invalidate_hard_deletes: 'invalidate_hard_deletes=True', invalidate: "hard_deletes='invalidate'", new_record: "hard_deletes='new_record'" };
const cases = Object.entries(STRATEGIES).flatMap(([strategy, s]) => Object.entries(DELETES).map(([deletes, h]) => ({ strategy, deletes, config: `unique_key='parcel_id', ${s}, ${h}` })));

describe('snapshots: a hard-deleted key that comes back', () => {
  it.each(cases)('$strategy strategy, $deletes: gets a new current version, once', async ({ deletes, config }) => {
    const dir = writeProject({
      'seeds/parcels.csv': ALL,
      'snapshots/parcel_history.sql': `{% snapshot parcel_history %}\n{{ config(target_schema='history', ${config}) }}\nselect * from {{ ref('parcels') }}\n{% endsnapshot %}\n`,
    });
    dirs.push(dir);
    const load = async (csv: string): Promise<void> => {
      writeFileSync(join(dir, 'seeds', 'parcels.csv'), csv);
      expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    };
    const run = async (): Promise<string | undefined> => {
      const r = await snapshot({ projectDir: dir, profilesDir: dir });
      expect(r.exitCode).toBe(0);
      return r.results[0]?.message;
    };
    const count = async (): Promise<number> => Number((await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select count(*)::int as n from history.parcel_history'))[0]!.n);
    const newRecord = deletes === 'new_record';

    await load(ALL);
    expect(await run()).toBe('SNAPSHOT 3');
    await load(WITHOUT_3);
    // new_record inserts a deletion record; invalidate only closes the current version.
    expect(await run()).toBe(newRecord ? 'INSERT 1' : 'INSERT 0');
    await load(ALL);
    const before = await count();
    expect(await run()).toBe('INSERT 1');
    expect(await count()).toBe(before + 1);

    // A revived timestamp version starts at its updated_at, before the deletion: ordered closed first.
    const history = await queryDuckDb(
      join(dir, 'target', 'test.duckdb'),
      `select parcel_id::int as id, depot, dbt_valid_to is null as current${newRecord ? ', dbt_is_deleted as deleted' : ''} from history.parcel_history order by parcel_id, dbt_valid_to is null${newRecord ? ', dbt_is_deleted' : ''}`,
    );
    const version = (id: number, depot: string, current: boolean, deleted = 'False'): Record<string, unknown> => ({ id, depot, current, ...(newRecord ? { deleted } : {}) });
    expect(history).toEqual([
      version(1, 'north', true),
      version(2, 'south', true),
      version(3, 'east', false),
      ...(newRecord ? [version(3, 'east', false, 'True')] : []),
      version(3, 'east', true),
    ]);

    // Nothing changed since: nothing inserted, and the revived version stays the current one.
    expect(await run()).toBe('INSERT 0');
    expect(await count()).toBe(before + 1);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select parcel_id::int as id from history.parcel_history where dbt_valid_to is null order by 1')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
