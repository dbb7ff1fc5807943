/**
 * STRUCTs of different field names brought to one type: BigQuery matches their fields by position and takes
 * the names of the common type (conversion_rules#supertypes: a STRUCT's supertype is field by field, the
 * names from the first input); DuckDB cast named STRUCTs by name, so the local BigQuery answered NULLs
 * (`_field_1` matches no `a`) or swapped values. Each case gives BigQuery's rows, or is refused, named.
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';
import { useLocalBigQuery } from '../../../test-support/local-bigquery-project.js';

const refused = (what: string): RegExp => new RegExp(`^notImplemented: The local BigQuery accepted this statement but cannot execute it on data \\(not translated to DuckDB: ${what}`);

describe.skipIf(analyzerPlatformGap)('the local BigQuery: STRUCTs with other field names, matched by position', () => {
  let bq: LocalBigQuery;
  useLocalBigQuery(undefined, (local) => ({ bq } = local));
  const rows = (sql: string): Promise<Record<string, unknown>[]> => queryRows(bq.endpoint, sql);
  const refusal = async (sql: string): Promise<string> => {
    const answer = await query(bq.endpoint, sql);
    return answer.error ? `${answer.error.reason}: ${answer.error.message}` : 'ran';
  };

  it.each([
    // The first branch names the fields; an unnamed field, or another name, takes its position's.
    ['select s from (select struct(1 as a, 2 as b) as s union all select struct(3, 4)) order by s.a', [{ s: { a: '1', b: '2' } }, { s: { a: '3', b: '4' } }]],
    ['select s from (select struct(1 as a, 2 as b) as s union all select struct(3 as b, 4 as a)) order by s.a', [{ s: { a: '1', b: '2' } }, { s: { a: '3', b: '4' } }]],
    ['select s from (select 1 as k, struct(1, 2) as s union all select 2, struct(3 as a, 4 as b)) order by k', [{ s: { _field_1: '1', _field_2: '2' } }, { s: { _field_1: '3', _field_2: '4' } }]],
    ['select [struct(1 as a), struct(2)] as arr', [{ arr: [{ a: '1' }, { a: '2' }] }]],
    ['select [struct(1 as a, [struct(1 as p)] as q), struct(2, [struct(5 as z)])] as arr', [{ arr: [{ a: '1', q: [{ p: '1' }] }, { a: '2', q: [{ p: '5' }] }] }]],
    ['select if(false, struct(1 as a, 2 as b), struct(3, 4)) as s', [{ s: { a: '3', b: '4' } }]],
    ['select case when false then struct(1 as a, 2 as b) else struct(4 as b, 3) end as s', [{ s: { a: '4', b: '3' } }]],
    ['select coalesce(struct(1, 2), struct(3 as a, 4 as b)) as s', [{ s: { _field_1: '1', _field_2: '2' } }]],
    ['select cast(struct(1 as x, 2 as y) as struct<a int64, b int64>) as s', [{ s: { a: '1', b: '2' } }]],
  ])('%s', async (sql, expected) => {
    expect(await rows(sql)).toEqual(expected);
  });

  it('a STRUCT written as a tuple (…) has its unnamed fields (DuckDB’s row had no names: its values read as NULLs)', async () => {
    expect(await rows("select (1, 'a') as s, [(2, 'b')] as arr")).toEqual([{ s: { _field_1: '1', _field_2: 'a' }, arr: [{ _field_1: '2', _field_2: 'b' }] }]);
    expect(await rows("select (x, 'a') as s, [(x, 2), (3, x)] as arr from unnest([1]) as x")).toEqual([{ s: { _field_1: '1', _field_2: 'a' }, arr: [{ _field_1: '1', _field_2: '2' }, { _field_1: '3', _field_2: '1' }] }]);
    expect(await rows("select s from (select 1 as k, struct(1 as a, 'x' as b) as s union all select 2, (2, 'y')) order by k")).toEqual([{ s: { a: '1', b: 'x' } }, { s: { a: '2', b: 'y' } }]);
    // Not tuples: an IN list, VALUES rows, a bracketed expression.
    expect((await query(bq.endpoint, 'create temp table v (a int64, b int64); insert into v values (1, 2), (3, 4); select a, b, a in (1, 2) as i, (a + b) * 2 as m from v order by a')).rows?.map((r) => r.f.map((c) => c.v))).toEqual([['1', '2', 'true', '6'], ['3', '4', 'false', '14']]);
  });

  it("a script variable's STRUCT value is written with its type's names too", async () => {
    expect(await rows('declare s default if(false, struct(1 as a, 2 as b), struct(3, 4)); select s')).toEqual([{ s: { a: '3', b: '4' } }]);
    expect(await rows('declare s default struct(1 as a, 2); select s')).toEqual([{ s: { a: '1', _field_2: '2' } }]);
  });

  it.each([
    // By position: the subquery's STRUCT takes the tested one's names.
    ['select struct(1 as a, 2 as b) in (select struct(1, 2)) as x', 'true'],
    ['select struct(1 as a, 2 as b) in (select struct(2 as b, 1 as a)) as x', 'false'],
    // A NULL field makes `=` NULL (DuckDB's IN found struct(1, null) in itself); another pair that differs makes it false.
    ['select struct(1 as a, cast(null as int64) as b) in (select struct(1 as a, cast(null as int64) as b)) as x', null],
    ['select struct(1 as a, cast(null as int64) as b) in (select struct(2 as a, cast(null as int64) as b)) as x', 'false'],
    ['select struct(1 as a, cast(null as int64) as b) not in (select struct(1 as a, cast(null as int64) as b) from unnest([1]) where false) as x', 'true'],
    ['select [1, 2] in (select [1, 2] union all select [3]) as x, [1] in (select [cast(null as int64)]) as y', ['true', null]],
    ["select struct(1.0 as f) in (select struct(cast('nan' as float64) as f)) as x, struct(cast('nan' as float64) as f) in (select struct(cast('nan' as float64) as f)) as y", ['false', 'false']],
  ])('IN (subquery) of STRUCTs and ARRAYs as BigQuery compares them: %s', async (sql, expected) => {
    const [row] = await rows(sql);
    expect(Array.isArray(expected) ? Object.values(row!) : row!.x).toEqual(expected);
  });

  it('INSERT … SELECT and VALUES into a STRUCT column write by position', async () => {
    expect((await query(bq.endpoint, 'create schema `p`.`sc`')).error).toBeUndefined();
    expect((await query(bq.endpoint, 'create table `p`.`sc`.`t` (s struct<a int64, b int64>)')).error).toBeUndefined();
    // INTO is optional in BigQuery's INSERT (DuckDB's parser wanted it).
    for (const sql of ['insert into `p`.`sc`.`t` (s) select struct(1 as x, 2 as y)', 'insert `p`.`sc`.`t` (s) select struct(4 as b, 3)', '/* c */ insert `p`.`sc`.`t` values (struct(6 as b, 5 as a))']) {
      expect((await query(bq.endpoint, sql)).error).toBeUndefined();
    }
    expect(await rows('select s.a as a, s.b as b from `p`.`sc`.`t` order by s.a')).toEqual([{ a: '1', b: '2' }, { a: '4', b: '3' }, { a: '6', b: '5' }]);
  });

  it('a STRUCT that is not a literal and changes names is refused', async () => {
    expect(await refusal('with t as (select struct(1 as x, 2 as y) as s) select struct(0 as a, 0 as b) as s union all select s from t')).toMatch(refused('a STRUCT value converted to a STRUCT type with other field names'));
    expect(await refusal('select if(n > 5, struct(1 as a, 2 as b), struct(n, 4)) as s from unnest([3]) as n')).toMatch(refused('a STRUCT of expressions whose field names BigQuery takes from another STRUCT'));
    // The same names written elsewhere, unchanged there, do not cover the one the analyzer renamed (DuckDB gave p NULL).
    expect(await refusal('select if(n > 5, struct(1 as p, 2 as b), struct(n as a, n as b)) as s1, struct(n as a, n as b) as s2 from unnest([3]) as n')).toMatch(refused('a STRUCT of expressions whose field names BigQuery takes from another STRUCT'));
    expect(await rows('select struct(n as a, n as b) as s1, struct(n as a, n as b) as s2, safe_divide(struct(n as a).a, 2) as h from unnest([3]) as n')).toEqual([{ s1: { a: '3', b: '3' }, s2: { a: '3', b: '3' }, h: '1.5' }]);
  });
});
