/**
 * A range variable used as a value is the row as a STRUCT in BigQuery, even where a column has its name
 * (the analyzer types it RECORD): `select t from (select 1 as t, 2 as u) t` is {1, 2}. DuckDB binds such a
 * name to the column; the translation writes the row's struct instead (range-variables.ts), and a value of
 * the wrong shape for the analyzer's type fails the job rather than answering NULLs (rest-values.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query } from '../../../test-support/local-bigquery-client.js';
import { restValue, WrongShape } from './rest-values.js';

/** A REST cell as plain values: a record's fields as a list. */
const plain = (v: unknown): unknown => (v && typeof v === 'object' && 'f' in v ? (v as { f: { v: unknown }[] }).f.map((c) => plain(c.v)) : Array.isArray(v) ? v.map((x) => plain(x.v)) : v);

describe.skipIf(analyzerPlatformGap)('a range variable used as a value, where a column has its name', () => {
  let bq: LocalBigQuery;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    const made = await query(bq.endpoint, "create schema `p`.`lib`; create table `p`.`lib`.`shelf` (shelf int64, label string); insert into `p`.`lib`.`shelf` values (1, 'poetry'), (2, 'maps')");
    expect(made.error).toBeUndefined();
  });
  afterAll(() => bq?.close());

  const rows = async (sql: string): Promise<unknown[][]> => {
    const a = await query(bq.endpoint, sql);
    if (a.error) throw new Error(`${a.error.reason}: ${a.error.message}`);
    return (a.rows ?? []).map((r) => r.f.map((c) => plain(c.v)));
  };

  it.each([
    ['a subquery alias', 'select k from (select 10 as k, 20 as m) k', [[['10', '20']]]],
    ["a CTE's name", 'with owner as (select 3 as owner) select owner from owner', [[['3']]]],
    ["an UNNEST of STRUCTs' alias", 'select b from unnest([struct(4 as b)]) as b', [[['4']]]],
    ["a correlated UNNEST's alias", 'select e from (select [struct(5 as e, 6 as f)] as arr) k, unnest(k.arr) as e', [[['5', '6']]]],
    ["a table's alias", 'select shelf from `p`.`lib`.`shelf` as shelf order by shelf.shelf', [[['1', 'poetry']], [['2', 'maps']]]],
    ["a table's alias other than its name", 'select label from `p`.`lib`.`shelf` as label where label.shelf = 2', [[['2', 'maps']]]],
    ["a CTE's alias", 'with w as (select 7 as v) select v from w as v', [[['7']]]],
    ['the column and the row side by side', 'select k.k, k from (select 10 as k, 20 as m) k', [['10', ['10', '20']]]],
    ['another table has a column of the name', 'select k from (select 10 as x) k, (select 11 as k) j', [[['10']]]],
    ['in WHERE', 'select count(*) as n from (select 10 as k, 20 as m) k where k = struct(10 as k, 20 as m)', [['1']]],
    ['in GROUP BY', 'select k, count(*) as n from (select 10 as k, 20 as m union all select 10, 20) k group by k', [[['10', '20'], '2']]],
    ['in an aggregate ordered by a field', 'select array_agg(shelf order by shelf.shelf desc) as a from `p`.`lib`.`shelf`', [[[['2', 'maps'], ['1', 'poetry']]]]],
    ['from a correlated subquery', 'select (select k) as r from (select 10 as k, 20 as m) k', [[['10', '20']]]],
    ['in both arms of a UNION ALL', 'select k from (select 1 as k, 2 as m) k union all select k from (select 3 as k, 4 as m) k', [[['1', '2']], [['3', '4']]]],
    ['with an alias, beside a subquery', 'select (select k from (select 5 as k) j) as a, k as b from (select 10 as k, 20 as m) k', [['5', ['10', '20']]]],
    ["as a call's argument after a comma", 'select coalesce(k, k) as c from (select 10 as k, 20 as m) k', [[['10', '20']]]],
    ['after DISTINCT', 'select distinct k from (select 10 as k, 20 as m union all select 10, 20) k', [[['10', '20']]]],
    ['through a derived table', 's.k.m from (select k from (select 10 as k, 20 as m) k) s', [['20']]],
  ])('%s', async (_what, sql, expected) => {
    expect(await rows(sql.startsWith('select') || sql.startsWith('with') ? sql : `select ${sql}`)).toEqual(expected);
  });

  it.each([
    ['t.*: the columns', 'select k.* from (select 10 as k, 20 as m) k', [['10', '20']]],
    ["a subquery's own column of the name", 'select (select k from (select 9 as k) s) as r from (select 10 as k, 20 as m) k', [['9']]],
    ['ORDER BY a select-list alias of the name', 'select k.k as k from (select 10 as k, 20 as m union all select 11, 21) k order by k desc', [['11'], ['10']]],
  ])('%s: still the column', async (_what, sql, expected) => {
    expect(await rows(sql)).toEqual(expected);
  });

  it('a bare name in two subqueries, the range variable in one and a column in the other: refused, not guessed', async () => {
    const a = await query(bq.endpoint, 'select (select k from (select 5 as k) j) as a, (select k) as b from (select 10 as k, 20 as m) k');
    expect(a.error?.reason).toBe('notImplemented');
    expect(a.error?.message).toContain('a bare k in a subquery that is the outer range variable in one place and a column of the subquery in another');
  });

  it('ORDER BY a name that is both a range variable used as a value and a select-list alias: refused, not guessed', async () => {
    const a = await query(bq.endpoint, 'select k.k as k, k as r from (select 10 as k, 20 as m) k order by k');
    expect(a.error?.reason).toBe('notImplemented');
    expect(a.error?.message).toContain('k in ORDER BY, both a range variable and a select-list alias');
  });
});

describe('a value of the wrong shape for its REST field', () => {
  const record = { name: 'k', type: 'RECORD', fields: [{ name: 'k', type: 'INTEGER' }, { name: 'm', type: 'INTEGER' }] };
  it('throws, naming the column, instead of a record of NULLs', () => {
    expect(() => restValue(10, record)).toThrow(WrongShape);
    expect(() => restValue(10, record)).toThrow('the DuckDB translation gave a value that is not a struct (10) for `k`, a RECORD');
    expect(() => restValue({ entries: { k: 10 } } as never, record)).toThrow('a struct of 1 fields (k) where it has 2');
    expect(() => restValue(10, { name: 'l', type: 'INTEGER', mode: 'REPEATED' })).toThrow(WrongShape);
    expect(() => restValue({ items: [1] } as never, { name: 's', type: 'STRING' })).toThrow(WrongShape);
  });
  it('reads a struct by its fields', () => {
    expect(restValue({ entries: { k: 10, m: 20 } } as never, record)).toEqual({ f: [{ v: '10' }, { v: '20' }] });
  });
});
