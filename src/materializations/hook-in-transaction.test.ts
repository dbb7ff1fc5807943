/**
 * A hook in the node's transaction that DuckDB cannot run there (`checkpoint`) or that would end the
 * transaction half-way (`commit`) fails the node with a diagnostic naming the model's file, the hook and the
 * fix, before it runs: the previous relation stays, and the same statement written `after_commit` runs.
 */
import { describe, it, expect } from 'vitest';
import { build, run } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { statementOutsideTransaction } from './hook-in-transaction.js';

const project = duckDbProjectsRemovedAfterAll();
const opts = (dir: string, vars: Record<string, unknown> = {}) => ({ projectDir: dir, profilesDir: dir, vars: JSON.stringify(vars) });

describe('statements a hook cannot run in the transaction', () => {
  it.each([
    ['checkpoint', 'checkpoint'],
    ['  FORCE CHECKPOINT;', 'checkpoint'],
    ['select 1; call checkpoint()', 'checkpoint'],
    ['/* tidy */ checkpoint my_db', 'checkpoint'],
    ['commit', 'transaction-control'],
    ['begin transaction; update t set n = 1; commit', 'transaction-control'],
  ])('%s is found', (sql, kind) => {
    expect(statementOutsideTransaction(sql)?.kind).toBe(kind);
  });

  it.each(['vacuum', 'analyze', 'pragma force_checkpoint', "select 'checkpoint'", 'select 1 -- checkpoint', 'create index if not exists i on t (x)', "update t set state = 'commit'"])('%s runs in it', (sql) => {
    expect(statementOutsideTransaction(sql)).toBeUndefined();
  });
});

describe('a hook DuckDB refuses in the transaction (DuckDB)', () => {
  it('fails the node with the hook and the fix, leaves the previous table, and runs after_commit', async () => {
    const hooks = "(['checkpoint', 'create index if not exists parcels_i on {{ this }} (parcel_id)'] if var('hooked', false) else [])";
    const f = project({
      'models/parcels.sql': `{{ config(materialized='table', post_hook=${hooks}) }} select range as parcel_id, {{ var('v', 1) }} as v from range(3)`,
      'models/late.sql': "{{ config(materialized='table', pre_hook=\"{{ 'commit' if var('hooked', false) else 'select 1' }}\") }} select {{ var('v', 1) }} as v",
      'models/tidy.sql': "{{ config(materialized='table', post_hook=after_commit('force checkpoint')) }} select {{ var('v', 1) }} as v",
    });
    const first = await run(opts(f.dir));
    expect(first.exitCode, JSON.stringify(first.results.map((r) => r.message))).toBe(0);
    const failed = await build(opts(f.dir, { hooked: true, v: 2 }));
    expect(failed.exitCode).toBe(1);
    const parcels = failed.results.find((r) => r.uniqueId === 'model.p.parcels');
    expect(parcels?.status).toBe('error');
    expect(parcels?.message).toContain('models/parcels.sql');
    expect(parcels?.message).toContain('[hook-needs-no-transaction]');
    expect(parcels?.message).toContain("post-hook 1 runs 'checkpoint'");
    expect(parcels?.message).toContain('after_commit("checkpoint")');
    expect(parcels?.message).not.toContain('TransactionContext');
    const late = failed.results.find((r) => r.uniqueId === 'model.p.late');
    expect(late?.message).toContain("pre-hook 1 runs 'commit'");
    expect(failed.results.find((r) => r.uniqueId === 'model.p.tidy')?.status).toBe('success');
    // Nothing of the failed nodes changed: the previous rows, and no index from the hook after it.
    expect(await f.q('select min(v)::int as v, count(*)::int as n from main.parcels')).toEqual([{ v: 1, n: 3 }]);
    expect(await f.q('select v::int as v from main.late')).toEqual([{ v: 1 }]);
    expect(await f.q("select count(*)::int as n from duckdb_indexes() where index_name = 'parcels_i'")).toEqual([{ n: 0 }]);
    expect(await f.q('select v::int as v from main.tidy')).toEqual([{ v: 2 }]);
  });
});
