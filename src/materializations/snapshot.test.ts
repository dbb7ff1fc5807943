/** Snapshots (SCD2) on a real DuckDB file, run after run; their BigQuery SQL checked by a real parser. */
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'sql-parser-cst';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, list, seed, snapshot } from '../api/index.js';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { DBT_META_COLUMNS, snapshotCreateSelect, snapshotMerge, snapshotStagingSelect, snapshotUnchangedSelect, type SnapshotSpec } from './snapshot.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function project(files: Record<string, string>): { dir: string; write: (f: string, t: string) => void; q: (sql: string) => Promise<Record<string, unknown>[]>; go: () => ReturnType<typeof snapshot>; load: (csv: string) => Promise<void> } {
  const dir = writeProject({ 'seeds/src.csv': 'id\n1\n', ...files });
  dirs.push(dir);
  const write = (f: string, t: string): void => writeFileSync(join(dir, f), t);
  return {
    dir,
    write,
    q: (sql) => queryDuckDb(join(dir, 'target', 'test.duckdb'), sql),
    go: () => snapshot({ projectDir: dir, profilesDir: dir }),
    load: async (csv) => {
      write('seeds/src.csv', csv);
      expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    },
  };
}

const block = (config: string, select = "select * from {{ ref('src') }}"): string => `{% snapshot snap %}\n{{ config(${config}) }}\n${select}\n{% endsnapshot %}\n`;

describe('snapshots', () => {
  it('timestamp strategy: keeps every version, closes the old one at the new updated_at, and invalidates deleted keys', async () => {
    const p = project({ 'snapshots/snap.sql': block("target_schema='history', unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate'") });
    await p.load('id,status,updated_at\n1,open,2026-01-01 00:00:00\n2,open,2026-01-01 00:00:00\n');
    const first = await p.go();
    expect(first.exitCode).toBe(0);
    expect(first.results[0]!.message).toBe('SNAPSHOT 2');

    await p.load('id,status,updated_at\n1,closed,2026-01-05 00:00:00\n2,open,2026-01-01 00:00:00\n3,open,2026-01-06 00:00:00\n');
    const second = await p.go();
    expect(second.results[0]!.message).toBe('INSERT 2');
    const rows = async (): Promise<Record<string, unknown>[]> =>
      p.q("select id::int as id, status, strftime(dbt_valid_from, '%m-%d') as f, strftime(dbt_valid_to, '%m-%d') as t, length(dbt_scd_id)::int as h from history.snap order by id, dbt_valid_from");
    expect(await rows()).toEqual([
      { id: 1, status: 'open', f: '01-01', t: '01-05', h: 32 },
      { id: 1, status: 'closed', f: '01-05', t: null, h: 32 },
      { id: 2, status: 'open', f: '01-01', t: null, h: 32 },
      { id: 3, status: 'open', f: '01-06', t: null, h: 32 },
    ]);

    // Nothing changed: nothing written.
    expect((await p.go()).results[0]!.message).toBe('INSERT 0');
    expect(await p.q('select count(*)::int as n from history.snap')).toEqual([{ n: 4 }]);

    // Key 2 is gone from the query: its current version is closed (hard_deletes: invalidate).
    await p.load('id,status,updated_at\n1,closed,2026-01-05 00:00:00\n3,open,2026-01-06 00:00:00\n');
    expect((await p.go()).exitCode).toBe(0);
    expect(await p.q('select id::int as id from history.snap where dbt_valid_to is null order by id')).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await p.q('select count(*)::int as n from history.snap')).toEqual([{ n: 4 }]);
  });

  it('reads the target from dbt\'s `database` and `schema` variables: target_database=database, target_schema=schema', async () => {
    const p = project({ 'snapshots/snap.sql': block("target_database=database, target_schema=schema, unique_key='id', strategy='check', check_cols='all'") });
    await p.load('id,v\n1,a\n');
    expect((await p.go()).exitCode).toBe(0);
    expect(await p.q("select table_catalog, table_schema from information_schema.tables where table_name = 'snap'")).toEqual([{ table_catalog: 'test', table_schema: 'main' }]);
  });

  it("hard_deletes='new_record': a key gone gets a deletion record, and a key back a new version", async () => {
    const p = project({ 'snapshots/snap.sql': block("unique_key='id', strategy='check', check_cols=['status'], hard_deletes='new_record'") });
    await p.load('id,status\n1,open\n2,open\n');
    expect((await p.go()).exitCode).toBe(0);
    await p.load('id,status\n1,open\n');
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    // Running again with key 2 still gone adds nothing.
    expect((await p.go()).results[0]!.message).toBe('INSERT 0');
    await p.load('id,status\n1,open\n2,open\n');
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    expect(await p.q('select id::int as id, status, dbt_is_deleted, dbt_valid_to is null as current from main.snap order by id, dbt_valid_from, dbt_is_deleted')).toEqual([
      { id: 1, status: 'open', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'open', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'open', dbt_is_deleted: 'True', current: false },
      { id: 2, status: 'open', dbt_is_deleted: 'False', current: true },
    ]);
  });

  it('check strategy on a composite key: a changed or newly null column makes a new version; new query columns are added', async () => {
    const p = project({
      'snapshots/snap.sql': block("unique_key=['region', 'id'], strategy='check', check_cols=['plan', 'tier']"),
      'models/current_plans.sql': "select region, id, plan from {{ ref('snap') }} where dbt_valid_to is null",
    });
    await p.load('region,id,plan,tier,note\neu,1,basic,1,x\nus,1,basic,1,x\n');
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    // us/1 changes plan; eu/1 only changes an unchecked column; a column appears.
    await p.load('region,id,plan,tier,note,channel\neu,1,basic,1,y,web\nus,1,plus,,x,shop\n');
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    expect(await p.q("select region, id::int as id, plan, tier::int as tier, channel, dbt_valid_to is null as current from main.snap order by region, dbt_valid_from")).toEqual([
      { region: 'eu', id: 1, plan: 'basic', tier: 1, channel: null, current: true },
      { region: 'us', id: 1, plan: 'basic', tier: 1, channel: null, current: false },
      { region: 'us', id: 1, plan: 'plus', tier: null, channel: 'shop', current: true },
    ]);
    // A tier that becomes null alone is a change too.
    await p.load('region,id,plan,tier,note,channel\neu,1,basic,,y,web\nus,1,plus,,x,shop\n');
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    expect((await build({ projectDir: p.dir, profilesDir: p.dir, select: ['current_plans'] })).exitCode).toBe(0);
    expect(await p.q('select region, plan from main.current_plans order by region')).toEqual([{ region: 'eu', plan: 'basic' }, { region: 'us', plan: 'plus' }]);
  });

  it('a row whose key is null never matches the snapshot, as in dbt-duckdb: each run closes its version and inserts a new one', async () => {
    const p = project({ 'snapshots/snap.sql': block("target_schema='history', unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate'") });
    await p.load('id,status,updated_at\n1,open,2026-01-01 00:00:00\n,orphan,2026-01-01 00:00:00\n');
    expect((await p.go()).results[0]!.message).toBe('SNAPSHOT 2');
    // dbt joins the query to the snapshot on the key: null matches nothing, so the null-key row is staged
    // as new and its current version as gone. dbt-duckdb's merge closes the old version (matched on
    // dbt_scd_id) and inserts the new one, though both have the same dbt_scd_id. Key 1 is unchanged.
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    const versions = "select coalesce(id::varchar, 'null') as id, count(*)::int as versions, count(*) filter (where dbt_valid_to is null)::int as current from history.snap group by 1 order by 1";
    expect(await p.q(versions)).toEqual([{ id: '1', versions: 1, current: 1 }, { id: 'null', versions: 2, current: 1 }]);
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    expect(await p.q(versions)).toEqual([{ id: '1', versions: 1, current: 1 }, { id: 'null', versions: 3, current: 1 }]);
  });

  it("a column of the query named rowid hides DuckDB's row numbers: only the changed key gets a new version", async () => {
    const p = project({ 'snapshots/snap.sql': block("target_schema='history', unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate'") });
    await p.load('id,RowId,status,updated_at\n1,1,open,2026-01-01 00:00:00\n2,1,open,2026-01-01 00:00:00\n3,1,open,2026-01-01 00:00:00\n');
    expect((await p.go()).results[0]!.message).toBe('SNAPSHOT 3');
    // Key 2 changes, key 3 is gone; key 1, whose rowid column holds the same value as theirs, stays current.
    await p.load('id,RowId,status,updated_at\n1,1,open,2026-01-01 00:00:00\n2,1,closed,2026-01-02 00:00:00\n');
    expect((await p.go()).results[0]!.message).toBe('INSERT 1');
    expect(await p.q('select id::int as id, status, dbt_valid_to is null as current from history.snap order by id, dbt_valid_from')).toEqual([
      { id: 1, status: 'open', current: true },
      { id: 2, status: 'open', current: false },
      { id: 2, status: 'closed', current: true },
      { id: 3, status: 'open', current: false },
    ]);
  });

  it('reads dbt 1.9 YAML snapshots, and a failed run leaves the snapshot as it was', async () => {
    const p = project({
      'models/bad.sql': 'select 1 as id',
      'snapshots/snaps.yml': "version: 2\nsnapshots:\n  - name: snap\n    relation: ref('src')\n    config:\n      unique_key: id\n      strategy: check\n      check_cols: all\n      schema: hist\n",
    });
    await p.load('id,v\n1,a\n');
    expect((await p.go()).exitCode).toBe(0);
    expect((await list({ projectDir: p.dir, profilesDir: p.dir, select: ['resource_type:snapshot'] })).lines).toEqual(['p.snap']);
    // The new rows carry a column and a value that cannot be cast: the run fails inside its transaction.
    await p.load('id,v,extra\n1,b,x\n2,c,y\n');
    p.write('snapshots/snaps.yml', "version: 2\nsnapshots:\n  - name: snap\n    relation: ref('bad')\n    config:\n      unique_key: id\n      strategy: check\n      check_cols: all\n      schema: hist\n");
    // Fails on the rows themselves (not while planning), after the new columns were added in the transaction.
    p.write('models/bad.sql', "select id, v, extra, cast(v as integer) as boom from {{ ref('src') }}");
    const failed = await build({ projectDir: p.dir, profilesDir: p.dir, select: ['+snap'] });
    expect(failed.exitCode).toBe(1);
    expect(failed.results.find((r) => r.uniqueId === 'snapshot.p.snap')!.message).toMatch(/Could not convert string 'b' to INT32|Conversion Error/);
    expect(await p.q("select column_name from information_schema.columns where table_name = 'snap' order by ordinal_position")).toEqual(['id', 'v', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map((column_name) => ({ column_name })));
    expect(await p.q('select id::int as id, v from main_hist.snap')).toEqual([{ id: 1, v: 'a' }]);
  });

  it('reports a snapshot without unique_key or with an unsupported setting, and refuses an unclosed block', async () => {
    const p = project({ 'snapshots/snap.sql': block("strategy='check', check_cols='all'") });
    // Found at parse time (a seed command stops on it too): exit 2 at the config() line, nothing run.
    const r = await p.go();
    expect(r.exitCode).toBe(2);
    expect(r.results).toEqual([]);
    const error = (x: typeof r): unknown => x.diagnostics.find((d) => d.severity === 'error');
    expect(error(r)).toMatchObject({ code: 'snapshot-invalid', file: 'snapshots/snap.sql', message: "snapshot 'snap': unique_key is not set" });
    p.write('snapshots/snap.sql', block("unique_key='id', strategy='check', check_cols='all', hard_deletes='soft'"));
    const soft = await p.go();
    expect(soft.exitCode).toBe(2);
    expect(error(soft)).toMatchObject({ code: 'config-invalid', file: 'snapshots/snap.sql', message: 'snapshot \'snap\': hard_deletes must be ignore, invalidate or new_record, not "soft"' });
    p.write('snapshots/snap.sql', "-- history\n{% snapshot snap %}\nselect 1 as id\n");
    const open = await p.go();
    expect(open.exitCode).toBe(2);
    expect(open.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'jinja-syntax-error', file: 'snapshots/snap.sql', line: 2 });
  });

  it('on DuckDB, the staged changes read the query at each reference instead of storing all its rows first', async () => {
    // DuckDB stores a CTE read twice whole (its plan shows a CTE operator): for a snapshot of a wide table,
    // every row and column copied each run, when only the keys and the changed keys' rows are needed.
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      await c.run('create table src as select range as customer_id, range::varchar as plan, timestamp \'2026-01-01\' as updated_at from range(1000)');
      await c.run('create table snap as select *, md5(customer_id::varchar) as dbt_scd_id, updated_at as dbt_updated_at, updated_at as dbt_valid_from, null::timestamp as dbt_valid_to from src');
      const spec = { keys: ['customer_id'], strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'invalidate', meta: DBT_META_COLUMNS } as SnapshotSpec;
      const target = { database: 'memory', schema: 'main', identifier: 'snap' };
      const plan = async (d: Parameters<typeof snapshotStagingSelect>[4]): Promise<string> =>
        (await c.runAndReadAll(`explain (format json) ${snapshotStagingSelect('select * from src', target, spec, [], d)}`)).getRows().map((r) => String(r[1])).join('\n');
      const stored = await plan({ ...duckdbDialect, inlineCte: undefined, quoteIdentifier: duckdbDialect.quoteIdentifier.bind(duckdbDialect), renderRelation: duckdbDialect.renderRelation.bind(duckdbDialect), typeName: duckdbDialect.typeName.bind(duckdbDialect), snapshotTime: duckdbDialect.snapshotTime.bind(duckdbDialect), md5Hex: duckdbDialect.md5Hex.bind(duckdbDialect) });
      expect(stored).toMatch(/"CTE Name": "snapshot_query"/);
      expect(await plan(duckdbDialect)).not.toMatch(/snapshot_query/);
      const rows = (await c.runAndReadAll(snapshotStagingSelect('select * from src where customer_id <> 7', target, spec, [], duckdbDialect))).getRowObjectsJson();
      expect(rows).toEqual([expect.objectContaining({ dbt_change_type: 'delete', customer_id: null })]);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });

  it("on DuckDB, finding the changes by rowid stages the same rows as carrying dbt_scd_id, run after run", async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const rows = async (sql: string): Promise<string[]> => (await c.runAndReadAll(sql)).getRowObjectsJson().map((r) => JSON.stringify(r)).sort();
    let seedValue = 7;
    const random = (): number => (seedValue = (seedValue * 1103515245 + 12345) % 2147483648) / 2147483648;
    const target = { database: 'memory', schema: 'main', identifier: 'snap' };
    const staging = { ...target, identifier: 'snap__stage' };
    const columns = ['k1', 'k2', 'v', 'updated_at'];
    let staged = 0;
    try {
      for (const strategy of ['timestamp', 'check'] as const) {
        for (const hardDeletes of ['ignore', 'invalidate', 'new_record'] as const) {
          for (const keys of [['k1'], ['k1', 'k2']]) {
            const spec = { keys, strategy, hardDeletes, meta: DBT_META_COLUMNS, ...(strategy === 'timestamp' ? { updatedAt: 'updated_at' } : { checkCols: ['v'] }) } as SnapshotSpec;
            // Keys come and go, values and times change, and some key parts are null.
            const load = async (): Promise<void> => {
              const values = Array.from({ length: 8 }, (_x, k) => (random() < 0.25 ? null : `(${random() < 0.1 ? 'null' : k}, ${random() < 0.1 ? 'null' : k % 2}, ${random() < 0.2 ? 'null' : `'${random() < 0.5 ? 'a' : 'b'}'`}, timestamp '2026-01-0${1 + Math.floor(random() * 3)}')`)).filter(Boolean);
              await c.run(`create or replace table src (k1 int, k2 int, v varchar, updated_at timestamp)${values.length ? `; insert into src values ${values.join(', ')}` : ''}`);
            };
            await load();
            await c.run(`create or replace table snap as ${snapshotCreateSelect('select * from src', spec, duckdbDialect)}`);
            for (let run = 0; run < 4; run++) {
              await load();
              const stage = (rowId: string | null): string => snapshotStagingSelect('select * from src', target, spec, ['v'], duckdbDialect, columns, rowId);
              // One transaction: a deletion's time (current_timestamp) is the same in both.
              await c.run('begin');
              const [byScdId, byRowId] = [await rows(stage(null)), await rows(stage('rowid'))];
              expect(byRowId, `${strategy} ${hardDeletes} ${keys.join(',')} run ${run}`).toEqual(byScdId);
              staged += byRowId.length;
              await c.run(`create or replace table snap__stage as ${stage('rowid')}`);
              await c.run(snapshotMerge(target, staging, [...columns, 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', ...(hardDeletes === 'new_record' ? ['dbt_is_deleted'] : [])], spec, duckdbDialect));
              await c.run('commit');
            }
          }
        }
      }
      // The runs changed something: the comparison was not between empty sets.
      expect(staged).toBeGreaterThan(100);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });

  it('on DuckDB, a run asks first whether its query has exactly the current rows, and says so only when staging would find nothing', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const count = async (sql: string): Promise<number> => (await c.runAndReadAll(`select count(*)::int as n from (${sql})`)).getRowObjectsJson()[0]!.n as number;
    const unchanged = async (sql: string): Promise<unknown> => (await c.runAndReadAll(sql)).getRowObjectsJson()[0]!.unchanged;
    let seedValue = 11;
    const random = (): number => (seedValue = (seedValue * 1103515245 + 12345) % 2147483648) / 2147483648;
    const target = { database: 'memory', schema: 'main', identifier: 'snap' };
    const staging = { ...target, identifier: 'snap__stage' };
    const columns = ['k1', 'k2', 'v', 'updated_at'];
    const said = { unchanged: 0, changed: 0 };
    try {
      for (const strategy of ['timestamp', 'check'] as const) {
        for (const hardDeletes of ['ignore', 'invalidate'] as const) {
          for (const keys of [['k1'], ['k1', 'k2']]) {
            const spec = { keys, strategy, hardDeletes, meta: DBT_META_COLUMNS, ...(strategy === 'timestamp' ? { updatedAt: 'updated_at' } : { checkCols: ['v'] }) } as SnapshotSpec;
            let rows: string[] = [];
            // Half the runs see the rows of the run before in another order; the others change some.
            const load = async (): Promise<void> => {
              if (rows.length && random() < 0.5) rows = [...rows].sort(() => random() - 0.5);
              else rows = Array.from({ length: 8 }, (_x, k) => (random() < 0.15 ? null : `(${random() < 0.02 ? 'null' : k}, ${k % 2}, ${random() < 0.2 ? 'null' : `'${random() < 0.5 ? 'a' : 'b'}'`}, timestamp '2026-01-0${1 + Math.floor(random() * 3)}')`)).filter((r): r is string => r !== null);
              await c.run(`create or replace table src (k1 int, k2 int, v varchar, updated_at timestamp)${rows.length ? `; insert into src values ${rows.join(', ')}` : ''}`);
            };
            await load();
            await c.run(`create or replace table snap as ${snapshotCreateSelect('select * from src', spec, duckdbDialect)}`);
            for (let run = 0; run < 16; run++) {
              await load();
              const check = snapshotUnchangedSelect('select * from src', target, spec, ['v'], duckdbDialect)!;
              const stage = snapshotStagingSelect('select * from src', target, spec, ['v'], duckdbDialect, columns, 'rowid');
              const [isUnchanged, stagedRows] = [await unchanged(check), await count(stage)];
              // Saying "unchanged" when staging finds a change would lose that change.
              if (isUnchanged === true) expect(stagedRows, `${strategy} ${hardDeletes} ${keys.join(',')} run ${run}`).toBe(0);
              said[isUnchanged === true ? 'unchanged' : 'changed']++;
              await c.run(`create or replace table snap__stage as ${stage}`);
              await c.run(snapshotMerge(target, staging, [...columns, 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'], spec, duckdbDialect));
            }
          }
        }
      }
      // Both answers were given, many times.
      expect(said.unchanged, JSON.stringify(said)).toBeGreaterThan(20);
      expect(said.changed).toBeGreaterThan(20);
      // Each value in its own key's row: the same values under other keys are a change.
      await c.run("create or replace table src as select * from (values (1, 0, 'a', timestamp '2026-01-01'), (2, 0, 'b', timestamp '2026-01-02')) as t(k1, k2, v, updated_at)");
      const spec = { keys: ['k1'], strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'invalidate', meta: DBT_META_COLUMNS } as SnapshotSpec;
      await c.run(`create or replace table snap as ${snapshotCreateSelect('select * from src', spec, duckdbDialect)}`);
      expect(await unchanged(snapshotUnchangedSelect('select * from src', target, spec, [], duckdbDialect)!)).toBe(true);
      await c.run("update src set updated_at = case k1 when 1 then timestamp '2026-01-02' else timestamp '2026-01-01' end");
      expect(await unchanged(snapshotUnchangedSelect('select * from src', target, spec, [], duckdbDialect)!)).toBe(false);
      // A key that may come back as a new version (hard_deletes: new_record), or a warehouse without the fingerprint: always staged.
      expect(snapshotUnchangedSelect('select 1', target, { ...spec, hardDeletes: 'new_record' }, [], duckdbDialect)).toBeUndefined();
      expect(snapshotUnchangedSelect('select 1', target, spec, [], bigqueryDialect)).toBeUndefined();
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  });

  it('writes BigQuery SQL that parses', () => {
    const target = { database: 'acme', schema: 'history', identifier: 'customers' };
    const staging = { ...target, identifier: 'customers__strata_tmp' };
    const sql = 'select * from `acme`.`silver`.`customers`';
    for (const spec of [
      { keys: ['customer_id'], strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'invalidate', meta: DBT_META_COLUMNS },
      { keys: ['region', 'customer_id'], strategy: 'check', checkCols: ['plan'], hardDeletes: 'ignore', validToCurrent: "timestamp('9999-12-31')", meta: DBT_META_COLUMNS },
      { keys: ['customer_id'], strategy: 'check', checkCols: ['plan'], hardDeletes: 'new_record', meta: { ...DBT_META_COLUMNS, validTo: 'valid_until', isDeleted: 'gone' } },
    ] as SnapshotSpec[]) {
      for (const statement of [
        bigqueryDialect.createTableAs(target, snapshotCreateSelect(sql, spec, bigqueryDialect)),
        bigqueryDialect.createTableAs(staging, snapshotStagingSelect(sql, target, spec, ['plan'], bigqueryDialect, ['customer_id', 'plan'])),
        snapshotMerge(target, staging, ['customer_id', 'plan', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'], spec, bigqueryDialect),
      ]) {
        expect(() => parse(statement, { dialect: 'bigquery' }), statement).not.toThrow();
      }
    }
    expect(snapshotCreateSelect(sql, { keys: ['id'], strategy: 'timestamp', updatedAt: 'u', hardDeletes: 'ignore', meta: DBT_META_COLUMNS }, bigqueryDialect)).toContain("to_hex(md5(coalesce(cast(`id` as STRING), '') || '|' || coalesce(cast(`u` as STRING), ''))) as dbt_scd_id");
  });
});
