/**
 * A query result may repeat a column name (BigQuery refuses it only with a destination table): each column
 * keeps its own value in the REST rows, which are positional, however the rows were produced (executed on
 * DuckDB, or INFORMATION_SCHEMA on the reference evaluator).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query } from '../../../test-support/local-bigquery-client.js';

describe.skipIf(analyzerPlatformGap)('duplicate column names in a query result', () => {
  let bq: LocalBigQuery;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    const made = await query(bq.endpoint, 'create schema `p`.`shelf`; create table `p`.`shelf`.`books` (isbn string)');
    expect(made.error).toBeUndefined();
  });
  afterAll(() => bq?.close());

  const cells = async (sql: string): Promise<{ schema: string[]; rows: unknown[][] }> => {
    const a = await query(bq.endpoint, sql);
    expect(a.error).toBeUndefined();
    return { schema: (a.schema ?? []).map((f) => `${f.name}:${f.type}`), rows: (a.rows ?? []).map((r) => r.f.map((c) => c.v)) };
  };

  it.each([
    ["select 7 as n, 'seven' as n", ['n:INTEGER', 'n:STRING'], [['7', 'seven']]],
    ['select l.k, r.k from (select 3 as k) l join (select 4 as k) r on true', ['k:INTEGER', 'k:INTEGER'], [['3', '4']]],
    ["select struct(1 as v) as s, struct('w' as v) as s", ['s:RECORD', 's:RECORD'], [[{ f: [{ v: '1' }] }, { f: [{ v: 'w' }] }]]],
  ])('%s keeps each column its value', async (sql, schema, rows) => {
    expect(await cells(sql)).toEqual({ schema, rows });
  });

  it('an INFORMATION_SCHEMA query with a repeated name keeps each column its value', async () => {
    expect(await cells('select table_name as x, table_type as x from `p`.`shelf`.INFORMATION_SCHEMA.TABLES')).toEqual({ schema: ['x:STRING', 'x:STRING'], rows: [['books', 'BASE TABLE']] });
  });
});
