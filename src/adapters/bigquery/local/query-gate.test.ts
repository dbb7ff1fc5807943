/**
 * The analyzer gate of the local BigQuery, over its REST API: what BigQuery would refuse is refused with
 * BigQuery's reason and message (position in the job's SQL), scripts are checked statement by statement
 * with their variables, created tables carry the analyzer's types, and the analyzer process is supervised.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerProcessId } from './zetasql-service.js';
import { startLocalGcs } from './local-gcs-server.js';
import { analyzerPlatformGap, getTable, query } from '../../../test-support/local-bigquery-client.js';

describe.skipIf(analyzerPlatformGap)('the local BigQuery checks every query job with BigQuery\u2019s analyzer', () => {
  let bq: LocalBigQuery;
  const q = (sql: string, o?: Parameters<typeof query>[2]) => query(bq.endpoint, sql, o);
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    const made = await q(
      "create schema `p`.`d`;\ncreate table `p`.`d`.`events` (id INT64, name STRING, ts TIMESTAMP, tags ARRAY<STRING>, amount FLOAT64);\n" +
        "insert into `p`.`d`.`events` values (1, 'a', timestamp '2026-01-01 10:00:00', ['x'], 1.5), (2, 'b', timestamp '2026-01-02 10:00:00', [], 2.5), (3, null, null, ['y', 'z'], null)",
    );
    expect(made.error).toBeUndefined();
  });
  afterAll(async () => bq.close());

  it.each([
    ['an unknown column', 'select id, nme from `p`.`d`.`events`', 'invalidQuery', 'Unrecognized name: nme; Did you mean name? at [1:12]'],
    ['a DuckDB-only function', "select strftime(ts, '%Y') as y from `p`.`d`.`events`", 'invalidQuery', 'Function not found: strftime at [1:8]'],
    ['STRING + INT64', 'select name + id as x from `p.d.events`', 'invalidQuery', 'No matching signature for operator + for argument types: STRING, INT64.'],
    ['a wrong TIMESTAMP_DIFF argument', 'select timestamp_diff(current_timestamp(), name, second) as s from `p`.`d`.`events`', 'invalidQuery', 'No matching signature for function TIMESTAMP_DIFF for argument types: TIMESTAMP, STRING, DATE_TIME_PART.'],
    ['a GROUP BY error', 'select id, count(*) as n from `p`.`d`.`events` group by name', 'invalidQuery', 'SELECT list expression references column id which is neither grouped nor aggregated at [1:8]'],
    ['INSERT arity', 'insert into `p`.`d`.`events` (id, name) values (1)', 'invalidQuery', 'Inserted row has wrong column count; Has 1, expected 2 at [1:48]'],
    ['a missing table', 'select * from `p`.`d`.`nope`', 'notFound', 'Not found: Table p:d.nope was not found in location EU'],
    ['a missing dataset-qualified table', 'select * from `d`.`nope`', 'notFound', 'Not found: Table p:d.nope was not found in location EU'],
    ['a syntax error', 'select id,\n  from from `p`.`d`.`events`', 'invalidQuery', 'Syntax error: Unexpected keyword FROM at [2:8]'],
    ['PARTITION BY a STRING column', 'create or replace table `p`.`d`.`x` partition by name as (select * from `p`.`d`.`events`)', 'invalidQuery', 'PARTITION BY expression must be DATE(<timestamp_column>)'],
    ['PARTITION BY a bare TIMESTAMP column', 'create or replace table `p`.`d`.`x` partition by ts as (select * from `p`.`d`.`events`)', 'invalidQuery', 'PARTITION BY expression must be'],
    ['five clustering columns', "create or replace table `p`.`d`.`x` cluster by id, name, ts, c4, c5 as (select id, name, ts, 'a' as c4, 'b' as c5 from `p`.`d`.`events`)", 'invalidQuery', 'Too many clustering fields: 5, only up to 4 clustering fields are allowed'],
    ['clustering on an ARRAY', 'create or replace table `p`.`d`.`x` cluster by tags as (select * from `p`.`d`.`events`)', 'invalidQuery', 'Clustering is not supported on field tags of type ARRAY<STRING>'],
    ['an unknown table option', "create or replace table `p`.`d`.`x` options(colour = 'red') as (select 1 as a)", 'invalidQuery', 'Unknown option: colour'],
    ['a wrongly typed option', "create or replace table `p`.`d`.`x` options(require_partition_filter = 'yes') as (select 1 as a)", 'invalidQuery', 'require_partition_filter'],
    ['a table option on a view', 'create or replace view `p`.`d`.`v` options(require_partition_filter = true) as (select 1 as a)', 'invalidQuery', 'require_partition_filter is not a supported option for a view'],
    ['a MERGE assigning STRING to TIMESTAMP', 'merge into `p`.`d`.`events` as t using (select 1 as id, \'x\' as ts) as s on t.id = s.id\nwhen matched then update set ts = s.ts', 'invalidQuery', 'Value of type STRING cannot be assigned to ts, which has type TIMESTAMP at [2:35]'],
  ])('refuses %s as BigQuery does', async (_what, sql, reason, message) => {
    const run = await q(sql);
    expect(run.error?.reason).toBe(reason);
    expect(run.error?.message).toContain(message);
    const dry = await q(sql, { dryRun: true });
    expect(dry.status).toBe(reason === 'notFound' ? 404 : 400);
    expect(dry.error?.message).toContain(message);
  });

  it('accepts what Strata emits on BigQuery and keeps the analyzer\u2019s output schema', async () => {
    const ctas = await q("create or replace table `p`.`d`.`daily`\npartition by date(ts)\ncluster by id, name\noptions(description = 'x', labels = [('layer', 'gold')], require_partition_filter = true)\nas (select id, name, ts, tags, struct(amount as a, [1, 2] as b) as s, cast(id as integer) as i, cast(amount as numeric) as n from `p`.`d`.`events`)");
    expect(ctas.error).toBeUndefined();
    expect(ctas.job.statistics.query.statementType).toBe('CREATE_TABLE_AS_SELECT');
    const t = await getTable(bq.endpoint, 'p.d.daily');
    expect(t.schema.fields).toEqual([
      { name: 'id', type: 'INTEGER', mode: 'NULLABLE' },
      { name: 'name', type: 'STRING', mode: 'NULLABLE' },
      { name: 'ts', type: 'TIMESTAMP', mode: 'NULLABLE' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      { name: 's', type: 'RECORD', mode: 'NULLABLE', fields: [{ name: 'a', type: 'FLOAT', mode: 'NULLABLE' }, { name: 'b', type: 'INTEGER', mode: 'REPEATED' }] },
      { name: 'i', type: 'INTEGER', mode: 'NULLABLE' },
      { name: 'n', type: 'NUMERIC', mode: 'NULLABLE' },
    ]);
    expect(t.clustering).toEqual({ fields: ['id', 'name'] });
    const view = await q('create or replace view `p`.`d`.`v_daily` as (select * except (tags) from `p`.`d`.`daily`)');
    expect(view.error).toBeUndefined();
    expect((await getTable(bq.endpoint, 'p.d.v_daily')).schema.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'name', 'ts', 's', 'i', 'n']);
    // require_partition_filter: a query of the table filters on its partition column (ts).
    const select = await q('select id, ts, s.a as a from `p`.`d`.`daily` where ts is not null');
    expect(select.schema).toEqual([{ name: 'id', type: 'INTEGER', mode: 'NULLABLE' }, { name: 'ts', type: 'TIMESTAMP', mode: 'NULLABLE' }, { name: 'a', type: 'FLOAT', mode: 'NULLABLE' }]);
    const params = await q('select to_hex(sha256(name || @PEPPER)) as h from `p`.`d`.`daily` where ts is not null', { parameters: [{ name: 'PEPPER', parameterType: { type: 'STRING' }, parameterValue: { value: 'x' } }] });
    expect(params.error).toBeUndefined();
  });

  it('INFORMATION_SCHEMA reports the analyzer’s types, queried with BigQuery’s semantics (reference evaluator)', async () => {
    const cell = (r: { f: { v: unknown }[] }) => r.f.map((c) => c.v);
    const cols = await q("select column_name, data_type, ordinal_position, clustering_ordinal_position from `p`.`d`.INFORMATION_SCHEMA.COLUMNS where table_name = 'daily' and column_name != 'tags' order by ordinal_position desc limit 3");
    expect(cols.error).toBeUndefined();
    expect(cols.schema!.map((f) => `${f.name} ${f.type}`)).toEqual(['column_name STRING', 'data_type STRING', 'ordinal_position INTEGER', 'clustering_ordinal_position INTEGER']);
    expect(cols.rows!.map(cell)).toEqual([['n', 'NUMERIC', '7', null], ['i', 'INT64', '6', null], ['s', 'STRUCT<a FLOAT64, b ARRAY<INT64>>', '5', null]]);
    const clustered = await q('select string_agg(column_name order by clustering_ordinal_position) as c from d.INFORMATION_SCHEMA.COLUMNS where clustering_ordinal_position is not null');
    expect(clustered.rows!.map(cell)).toEqual([['id,name']]);
    const tables = await q("select table_name, table_type from `p.region-eu`.INFORMATION_SCHEMA.TABLES where table_schema = 'd' order by table_name");
    expect(tables.rows!.map(cell)).toEqual([['daily', 'BASE TABLE'], ['events', 'BASE TABLE'], ['v_daily', 'VIEW']]);
    const wrong = await q('select colum_name from `p`.`d`.INFORMATION_SCHEMA.COLUMNS');
    expect(wrong.error?.message).toBe('Unrecognized name: colum_name; Did you mean column_name? at [1:8]');
  });

  it('accepts QUALIFY without WHERE, as BigQuery now does, and still places errors after it', async () => {
    const ok = await q('select id, name from `p`.`d`.`events` qualify row_number() over (partition by id order by ts desc) = 1');
    expect(ok.error?.message).toBeUndefined();
    expect(ok.schema!.map((f) => f.name)).toEqual(['id', 'name']);
    const wrong = await q('select id from `p`.`d`.`events` qualify row_number() over (partition by nme) = 1');
    expect(wrong.error?.message).toBe('Unrecognized name: nme; Did you mean name? at [1:73]');
  });

  it('checks a script statement by statement, with declared variables as constants and positions in the whole script', async () => {
    const script = [
      'declare strata_partitions array<timestamp> default (',
      '  select array_agg(distinct timestamp_trunc(ts, day)) from `p`.`d`.`events`',
      ');',
      'create temp table staged as (select * from `p`.`d`.`events` where timestamp_trunc(ts, day) in unnest(strata_partitions));',
      'merge into `p`.`d`.`events` as DBT_INTERNAL_DEST',
      'using staged as DBT_INTERNAL_SOURCE',
      'on DBT_INTERNAL_DEST.id = DBT_INTERNAL_SOURCE.id and timestamp_trunc(DBT_INTERNAL_DEST.`ts`, day) in unnest(strata_partitions)',
      'when matched then update set name = DBT_INTERNAL_SOURCE.name',
      'when not matched then insert (id, name, ts, tags, amount) values (DBT_INTERNAL_SOURCE.id, DBT_INTERNAL_SOURCE.name, DBT_INTERNAL_SOURCE.ts, DBT_INTERNAL_SOURCE.tags, DBT_INTERNAL_SOURCE.amount)',
    ].join('\n');
    const ok = await q(script);
    expect(ok.error).toBeUndefined();
    expect(ok.job.statistics.query.statementType).toBe('SCRIPT');
    expect(bq.tables.has('staged')).toBe(false); // a temp table lives only in its script
    const wrongVariable = await q(script.replace('in unnest(strata_partitions)\nwhen', 'in unnest(strata_partition)\nwhen'));
    expect(wrongVariable.error?.message).toBe('Unrecognized name: strata_partition; Did you mean strata_partitions? at [7:109]');
    const wrongDefault = await q('declare n int64 default (select max(nme) from `p`.`d`.`events`);\nselect n');
    expect(wrongDefault.error?.message).toMatch(/^Unrecognized name: nme; Did you mean name\? at \[1:37\]$/);
    const txn = await q('begin transaction;\ninsert into `p`.`d`.`events` (id) values (1), (2);\ndelete from `p`.`d`.`events` where nope;\ncommit transaction');
    expect(txn.error?.message).toBe('Unrecognized name: nope; Did you mean name? at [3:36]');
    expect(bq.tables.get('p.d.events')!.numRows).toBe(3); // the failed transaction inserted nothing
    const outside = await q('insert into `p`.`d`.`events` (id) values (1), (2);\nselect nope from `p`.`d`.`events`');
    expect(outside.error?.message).toBe('Unrecognized name: nope; Did you mean name? at [2:8]');
    expect(bq.tables.get('p.d.events')!.numRows).toBe(5); // outside a transaction, what ran before the failure stays
    const open = await q('begin transaction;\ninsert into `p`.`d`.`events` (id) values (7)');
    expect(open.error?.message).toBe('Transaction is still active at the end of the script; it was rolled back');
    expect(bq.tables.get('p.d.events')!.numRows).toBe(5);
  });

  it('refuses, as BigQuery’s engine does, a MERGE matching one target row to several source rows; one match per row merges', async () => {
    const merge = (source: string): Promise<Awaited<ReturnType<typeof q>>> =>
      q(`merge into \`p\`.\`d\`.\`events\` as DBT_INTERNAL_DEST\nusing (${source}) as DBT_INTERNAL_SOURCE\non DBT_INTERNAL_DEST.id = DBT_INTERNAL_SOURCE.id\nwhen matched then update set name = DBT_INTERNAL_SOURCE.name\nwhen not matched then insert (id, name) values (DBT_INTERNAL_SOURCE.id, DBT_INTERNAL_SOURCE.name)`);
    const twice = await merge("select 3 as id, 'x' as name union all select 3, 'y'");
    expect(twice.error).toEqual({ reason: 'invalidQuery', message: 'UPDATE/MERGE must match at most one source row for each target row', location: 'query' });
    const once = await merge("select 3 as id, 'c3' as name union all select 9, 'new'");
    expect(once.error).toBeUndefined();
    expect(once.job.statistics.query.numDmlAffectedRows).toBe('2');
    const rows = await q('select id, name from `p`.`d`.`events` where id in (3, 9) order by id');
    expect(rows.rows!.map((r) => r.f.map((c) => c.v))).toEqual([['3', 'c3'], ['9', 'new']]);
  });

  it('restarts the analyzer when it dies, and stops it when the last server closes', async () => {
    const pid = await analyzerProcessId();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const after = await q('select 1 as one');
    expect(after.error).toBeUndefined();
    const again = await analyzerProcessId();
    expect(again).toBeGreaterThan(0);
    expect(again).not.toBe(pid);
    const second = await startLocalBigQuery();
    await second.close();
    expect(await analyzerProcessId()).toBe(again); // still used by the first server
  });
});

describe.skipIf(analyzerPlatformGap)('external tables over the local GCS', () => {
  it('get the files\u2019 columns (hive partition keys included), so queries over them are checked', async () => {
    const gcs = await startLocalGcs();
    const bq = await startLocalBigQuery({ gcs });
    try {
      gcs.put('lake', 'calls/month=2026-01/a.csv', 'call_id,secs\n1,30\n2,40\n');
      gcs.put('lake', 'calls/month=2026-02/b.csv', 'call_id,secs\n3,50\n');
      const create = await query(bq.endpoint, "create or replace external table `p`.`raw`.`calls`\nwith partition columns\noptions(format = 'CSV', uris = ['gs://lake/calls/*'], hive_partition_uri_prefix = 'gs://lake/calls/', skip_leading_rows = 1)");
      expect(create.error).toBeUndefined();
      const t = await getTable(bq.endpoint, 'p.raw.calls');
      expect(t.type).toBe('EXTERNAL');
      expect(t.schema.fields.map((f: { name: string; type: string }) => `${f.name} ${f.type}`)).toEqual(['call_id INTEGER', 'secs INTEGER', 'month STRING']);
      expect(t.numRows).toBe('3');
      expect((await query(bq.endpoint, 'select month, sum(secs) as s from `p`.`raw`.`calls` group by month')).error).toBeUndefined();
      expect((await query(bq.endpoint, 'select minutes from `p`.`raw`.`calls`')).error?.message).toBe('Unrecognized name: minutes at [1:8]');
    } finally {
      await bq.close();
      await gcs.close();
    }
  });
});
