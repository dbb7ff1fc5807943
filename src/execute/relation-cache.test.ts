/**
 * The relation cache: one catalog read per schema for a whole run, kept up to date as nodes build, so a
 * table or view node on DuckDB is one `create or replace` statement and no introspection query.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Connection } from '../adapters/contract.js';
import { run } from '../api/index.js';
import { RelationCache } from './relation-cache.js';

/** The connection, counting the catalog questions asked of it. */
function counting(connection: Connection): { connection: Connection; calls: { list: number; get: number } } {
  const calls = { list: 0, get: 0 };
  const wrapped = new Proxy(connection, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'listRelations') calls.list++;
      if (key === 'getRelation') calls.get++;
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { connection: wrapped, calls };
}

describe('RelationCache', () => {
  const dir = writeProject({});
  afterAll(() => removeProject(dir));

  it('reads each schema once, answers from memory, and asks again only what it was told to forget', async () => {
    const warehouse = await duckdbAdapter.open({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { path: join(dir, 'cache.duckdb') } }, { projectRoot: dir });
    const raw = await warehouse.connect();
    try {
      for (const s of ['create schema a', 'create schema b', 'create table a.t as select 1 as x', 'create view b.v as select 1 as x']) await raw.execute(s);
      const { connection, calls } = counting(raw);
      const cache = await RelationCache.load(connection, [{ schema: 'a' }, { schema: 'B' }, { schema: 'A' }]);
      expect(calls.list).toBe(2);
      const lookup = cache.on(connection);
      expect((await lookup.get({ schema: 'a', identifier: 'T' }))?.kind).toBe('table');
      expect((await lookup.get({ schema: 'b', identifier: 'v' }))?.kind).toBe('view');
      expect(await lookup.get({ schema: 'a', identifier: 'missing' })).toBeUndefined();
      expect(calls.get).toBe(0);

      // Told of a change: answered without asking.
      lookup.added({ schema: 'a', identifier: 'new' }, 'view');
      lookup.dropped({ schema: 'a', identifier: 't' });
      expect((await lookup.get({ schema: 'a', identifier: 'new' }))?.kind).toBe('view');
      expect(await lookup.get({ schema: 'a', identifier: 't' })).toBeUndefined();
      expect(calls.get).toBe(0);

      // Forgotten (a failed build): asked once, then known again.
      await raw.execute('create or replace table a.t as select 2 as x');
      lookup.forget({ schema: 'a', identifier: 't' });
      expect((await lookup.get({ schema: 'a', identifier: 't' }))?.kind).toBe('table');
      expect((await lookup.get({ schema: 'a', identifier: 't' }))?.kind).toBe('table');
      expect(calls.get).toBe(1);

      // A schema the run does not build into is asked every time.
      await lookup.get({ schema: 'main', identifier: 'x' });
      await lookup.get({ schema: 'main', identifier: 'x' });
      expect(calls.get).toBe(3);
    } finally {
      await raw.close();
      await warehouse.close();
    }
  });
});

describe('a run with the relation cache', () => {
  const dir = writeProject({
    'models/v.sql': "{{ config(materialized='view') }}\nselect range as id from range(0, 5)",
    'models/t.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('v') }} where id > 0",
    'models/inc.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect id from {{ ref('t') }}\n{% if is_incremental() %}where id > (select max(id) - 2 from {{ this }}){% endif %}",
  });
  afterAll(() => removeProject(dir));
  const ran = (name: string): string => readFileSync(join(dir, 'target', 'run', 'p', 'models', `${name}.sql`), 'utf8');
  const rowsOf = (result: Awaited<ReturnType<typeof run>>, name: string): unknown => result.results.find((r) => r.uniqueId === `model.p.${name}`)?.adapterResponse?.rows_affected;

  it('builds a table or a view with one create or replace and no catalog query, and reports the rows DuckDB wrote', async () => {
    const first = await run({ projectDir: dir, profilesDir: dir });
    expect(first.exitCode).toBe(0);
    for (const name of ['v', 't', 'inc']) expect(ran(name)).not.toMatch(/information_schema|count\(\*\)|strata_tmp/);
    expect(ran('t').match(/create or replace table "test"\."main"\."t"/g)).toHaveLength(1);
    expect(ran('t').split(';').filter((s) => s.trim())).toHaveLength(1);
    expect(ran('v').split(';').filter((s) => s.trim())).toEqual([expect.stringMatching(/^create or replace view "test"\."main"\."v"/)]);
    expect(rowsOf(first, 't')).toBe(4);
    expect(rowsOf(first, 'inc')).toBe(4);

    // The second run knows from its one catalog read that inc exists: is_incremental() holds, rows are merged.
    const second = await run({ projectDir: dir, profilesDir: dir });
    expect(second.exitCode).toBe(0);
    expect(rowsOf(second, 't')).toBe(4);
    expect(rowsOf(second, 'inc')).toBe(2);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select cast(count(*) as integer) as n from main.inc')).toEqual([{ n: 4 }]);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), "select table_name from information_schema.tables where table_name like '%strata_tmp%'")).toEqual([]);
  });

  it('replaces a view with a table (and back) in one transaction, the cache following the change of kind', async () => {
    writeFileSync(join(dir, 'models', 'v.sql'), "{{ config(materialized='table') }}\nselect range as id from range(0, 6)");
    writeFileSync(join(dir, 'models', 't.sql'), "{{ config(materialized='view') }}\nselect id from {{ ref('v') }} where id > 0");
    expect((await run({ projectDir: dir, profilesDir: dir, fullRefresh: true })).exitCode).toBe(0);
    const kinds = await queryDuckDb(join(dir, 'target', 'test.duckdb'), "select table_name, table_type from information_schema.tables where table_schema = 'main' order by table_name");
    expect(kinds).toEqual([{ table_name: 'inc', table_type: 'BASE TABLE' }, { table_name: 't', table_type: 'VIEW' }, { table_name: 'v', table_type: 'BASE TABLE' }]);
    expect(ran('t')).toMatch(/^drop table if exists "test"\."main"\."t";\n\ncreate or replace view/);
    expect(readdirSync(join(dir, 'target', 'run', 'p', 'models')).sort()).toEqual(['inc.sql', 't.sql', 'v.sql']);
  });
});
