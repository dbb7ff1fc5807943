/**
 * FLOAT64 equality the text does not write with `=` — IN, NOT IN, IN UNNEST, IN (subquery), BETWEEN,
 * CASE x WHEN, NULLIF — where the local BigQuery held NaN equal to itself (and above +inf), as DuckDB does;
 * BigQuery compares NaN as IEEE does (data-types#floating_point_semantics), but groups NaNs together in
 * GROUP BY and DISTINCT (data-types#groupable_data_types), which the local analyzer refused. Expected rows are those of
 * ZetaSQL's reference evaluator, run offline as in translation-drift.test.ts. Also: a join USING FLOAT64 columns
 * (refused before; NaN matches nothing, as in BigQuery), ORDER BY a position and
 * a DECLARE's window function in a statement that sorts by FLOAT64 (refused before), and a typed site
 * after a clause word's bracket (`where (x + 0.0) * 10 > 0` ran without its overflow check); `=`, `!=` and
 * `IN` of STRUCTs and ARRAYs, NULL and NaN inside compared as BigQuery does.
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows, queryRowsAsText } from '../../../test-support/local-bigquery-client.js';
import { useLocalBigQuery } from '../../../test-support/local-bigquery-project.js';

const NAN = "cast('nan' as float64)";
const ONE_NAN = `unnest([${NAN}]) as x`;

/** [query, expected rows as text]. */
const VALUES: [string, unknown[][]][] = [
  [`select x in (1.0, x) as a, x not in (1.0, x) as b, x in (1.0, null) as c, x not in (2.0, x, null) as d, 1.0 in (x, 1.0) as e from ${ONE_NAN}`, [['false', 'true', null, null, 'true']]],
  [`select x * 2 in (1.0, x) as a, (x) in (x) and true as b from ${ONE_NAN}`, [['false', 'false']]],
  [`select x in unnest([1.0, x]) as a, x not in unnest([x]) as b, x in unnest([1.0, null]) as c, x in unnest(cast([] as array<float64>)) as d from ${ONE_NAN}`, [['false', 'true', null, 'false']]],
  [`select x in (select y from unnest([1.0, ${NAN}]) as y) as a, x not in (select y from unnest([${NAN}]) as y) as b, x in (select y from unnest([${NAN}, null]) as y) as c from ${ONE_NAN}`, [['false', 'true', null]]],
  [`select 1.0 between 0 and x as a, 1.0 not between 0 and x as b, x between x and x as c, 2.0 between x and 3 as d, 1.5 between null and x as e from ${ONE_NAN}`, [['false', 'true', 'false', 'false', 'false']]],
  [`select t.x between 0 and t.x + 1 as a from (select ${NAN} as x) as t`, [['false']]],
  [`select case x when x then 'same' else 'other' end as a, case x * 1 when 1.0 then 'one' else 'other' end as b from ${ONE_NAN}`, [['other', 'other']]],
  [`select cast(nullif(x, x) as string) as a, cast(nullif(1.0, x) as string) as b, cast(nullif(x, 1.0) as string) as c from ${ONE_NAN}`, [['nan', '1', 'nan']]],
  // GROUP BY and DISTINCT of FLOAT64 (refused here before, as BigQuery once did): NaNs are one group, and so are 0 and -0.
  [`select cast(a as string) as g, count(*) as n from unnest([${NAN}, ${NAN}, 1.0, 0.0, -0.0]) as a group by a order by a`, [['nan', '2'], ['0', '2'], ['1', '1']]],
  [`select (select count(*) from (select distinct a from unnest([${NAN}, ${NAN}, null, 0.0, -0.0]) as a)) as d, (select count(distinct a) from unnest([${NAN}, ${NAN}, 1.0]) as a) as c`, [['3', '2']]],
  // STRUCT and ARRAY equality, field by field with SQL's three values (DuckDB held NULL equal to NULL and NaN to NaN inside them).
  [`select struct(x) = struct(x) as a, [x] = [x] as b, [x] != [x] as c, struct(x as f, [struct(x as g)] as h) = struct(1.0 as f, [struct(1.0 as g)] as h) as d from ${ONE_NAN}`, [['false', 'false', 'true', 'false']]],
  ['select s = t as a, s != t as b, [k, n] = [k, n] as c, [k, n] = [k] as d, struct(k + 1 as a, n as b) = s as e from (select struct(k as a, n as b) as s, struct(k as a, n as b) as t, k, n from unnest([1]) as k, unnest([cast(null as int64)]) as n)', [[null, null, null, 'false', 'false']]],
  [`select count(*) as n from (select struct(x as f) as s from unnest([${NAN}, 1.0]) as x) as l join (select struct(y as f) as s from unnest([${NAN}, 1.0]) as y) as r on l.s = r.s`, [['1']]],
  // A join USING STRUCT columns keeps DuckDB's USING: its list is names.
  ['select count(*) as n from (select struct(x as f) as s from unnest([1, 2]) as x) join (select struct(y as f) as s from unnest([2, 3]) as y) using (s)', [['1']]],
  ['select s in (t, u) as a, s not in (t, u) as b, s in (s, t) as c, s in unnest([t, u]) as d, s in unnest([s]) as e from (select struct(k as a) as s, struct(k + 1 as a) as t, struct(cast(null as int64) as a) as u from unnest([1]) as k)', [[null, null, 'true', null, 'true']]],
  [`select s in (t) as a, s in unnest([t]) as b, o from (select struct(x as f) as s, struct(x as f) as t, o from unnest([${NAN}, 1.0]) as x with offset o) order by o`, [['false', 'false', '0'], ['true', 'true', '1']]],
  // Sorting by FLOAT64 through a select-list position: NaN first ascending, last (before NULL) descending.
  [`select x from unnest([1.0, ${NAN}, null]) as x order by 1`, [[null], ['NaN'], ['1']]],
  [`select k, sum(x) as s from unnest([1.0, ${NAN}, 3.0]) as x with offset k group by k order by 2 desc, 1`, [['2', '3'], ['0', '1'], ['1', 'NaN']]],
];

describe.skipIf(analyzerPlatformGap)('the local BigQuery: FLOAT64 NaN in IN, BETWEEN, CASE and NULLIF; ORDER BY a position', () => {
  let bq: LocalBigQuery;
  useLocalBigQuery(undefined, (local) => ({ bq } = local));

  it.each(VALUES)('%s', async (sql, expected) => {
    expect(await queryRowsAsText(bq.endpoint, sql)).toEqual(expected);
  });

  it('refuses a window PARTITION BY of FLOAT64 as BigQuery does', async () => {
    const answer = await query(bq.endpoint, `select count(*) over (partition by a) as c from unnest([${NAN}, 1.0]) as a`);
    expect(answer.error).toMatchObject({ reason: 'invalidQuery', message: 'Partitioning by expressions of type FLOAT64 is not allowed at [1:36]' });
  });

  // BigQuery's analyzer accepts a USING of FLOAT64 columns; NaN matches no key there (it was refused here by name).
  it.each([
    [`select count(*) as n from (select x as k from unnest([${NAN}, 1.0]) as x) join (select y as k from unnest([${NAN}, 1.0]) as y) using (k)`, [['1']]],
    [`with a as (select * from unnest([1.0, ${NAN}, 2.0]) as x), b as (select * from unnest([1.0, ${NAN}]) as x) select cast(x as string) as x, cast(b.x as string) as bx from a left join b using (x) order by x`, [['1', '1'], ['2', null], ['nan', null]]],
    [`select cast(k as string) as k, j, s from (select x as k, 1 as j from unnest([${NAN}, 1.0]) as x) as l left outer join (select y as k, 1 as j, 'r' as s from unnest([${NAN}, 1.0]) as y) as r using (j, k) order by k`, [['1', '1', 'r'], ['nan', '1', null]]],
    [`select cast(k as string) as k, count(*) as n from (select x as k from unnest([${NAN}, 1.0]) as x) as t left join unnest([${NAN}, 1.0, 1.0]) as k using (k) group by k order by k`, [['1', '2'], ['nan', '1']]],
  ])('joins USING a FLOAT64 column as BigQuery does, NaN matching nothing: %s', async (sql, expected) => {
    expect(await queryRowsAsText(bq.endpoint, sql)).toEqual(expected);
  });

  // A STRUCT or ARRAY key holding a NULL or NaN matches nothing in BigQuery (DuckDB's USING matched it to itself).
  const KEYS = `select struct(1 as a, cast(null as int64) as b) as s, [1.0, ${NAN}] as f, 'null' as t union all select struct(1 as a, 2 as b), [2.0], 'set' union all select struct(3 as a, 4 as b), [1.0, null], 'other'`;
  it.each([
    [`with l as (${KEYS}), r as (${KEYS}) select l.t from l join r using (s) order by t`, [['other'], ['set']]],
    [`with l as (${KEYS}), r as (${KEYS}) select l.t, r.t as rt from l left join r using (s) order by t`, [['null', null], ['other', 'other'], ['set', 'set']]],
    [`with l as (${KEYS}), r as (${KEYS}) select l.t, r.t as rt from l left join r using (f) order by t`, [['null', null], ['other', null], ['set', 'set']]],
    [`with l as (${KEYS}), r as (select struct(1 as a, [struct(cast(null as int64) as c)] as d) as s, 'x' as u) select count(*) as n from (select struct(1 as a, [struct(cast(null as int64) as c)] as d) as s) left join r using (s) where u is null`, [['1']]],
  ])('joins USING a STRUCT or ARRAY column as BigQuery does, a NULL or NaN inside matching nothing: %s', async (sql, expected) => {
    expect(await queryRowsAsText(bq.endpoint, sql)).toEqual(expected);
  });

  it('refuses a RIGHT or FULL join USING a STRUCT or ARRAY column by name', async () => {
    for (const [type, key] of [['right', 'STRUCT'], ['full', 'ARRAY']]) {
      const column = key === 'STRUCT' ? 'struct(1 as a) as k' : '[1] as k';
      const answer = await query(bq.endpoint, `select count(*) as n from (select ${column}) ${type} join (select ${column}) using (k)`);
      expect(answer.error?.reason).toBe('notImplemented');
      expect(answer.error?.message).toContain(`not translated to DuckDB: a ${type.toUpperCase()} JOIN USING a ${key} column`);
    }
  });

  it('refuses a RIGHT or FULL join USING a FLOAT64 column by name (its unmatched NaN keys are shown)', async () => {
    for (const type of ['right', 'full']) {
      const answer = await query(bq.endpoint, `select count(*) as n from (select x as k from unnest([${NAN}, 1.0]) as x) ${type} join (select y as k from unnest([${NAN}]) as y) using (k)`);
      expect(answer.error?.reason).toBe('notImplemented');
      expect(answer.error?.message).toContain(`not translated to DuckDB: a ${type.toUpperCase()} JOIN USING a FLOAT64 column`);
    }
  });

  it('refuses ORDER BY a position after `*`, or of a set operation, in a statement that sorts by FLOAT64, and sorts by an item\'s position otherwise', async () => {
    const answer = await query(bq.endpoint, `select * from unnest([1.0, ${NAN}]) as x order by 1`);
    expect(answer.error?.message).toContain('not translated to DuckDB: ORDER BY a select-list position after select *');
    const set = await query(bq.endpoint, `select x from unnest([1.0, ${NAN}]) as x union all select 2.0 order by x`);
    expect(set.error?.message).toContain('not translated to DuckDB: ORDER BY of a UNION, INTERSECT or EXCEPT in a statement that sorts by FLOAT64');
    const rows = await queryRows(bq.endpoint, `select cast(x as string) as s, x * 2 as d from unnest([1.0, ${NAN}, -1.0]) as x order by 2`);
    expect(rows.map((r) => r.s)).toEqual(['nan', '-1', '1']);
  });

  it('computes a DECLARE default and a SET value with their typed sites (a window MAX, an overflow, a zero divisor)', async () => {
    const max = await queryRows(bq.endpoint, `declare m float64 default (select max(x) over () from unnest([1.0, ${NAN}]) as x limit 1); select cast(m as string) as v`);
    expect(max).toEqual([{ v: 'nan' }]);
    const sum = await query(bq.endpoint, 'declare d int64 default (select sum(x) over () from unnest([9223372036854775807, 1]) as x limit 1); select d');
    expect(sum.error).toMatchObject({ reason: 'invalidQuery', message: 'int64 overflow' });
    const divided = await query(bq.endpoint, 'declare q float64 default 1.0; set q = (select 1 / x from unnest([0]) as x); select q');
    expect(divided.error).toMatchObject({ reason: 'invalidQuery', message: 'division by zero: 1 / 0' });
  });

  it('keeps a typed site that starts at a bracket after a clause word', async () => {
    const answer = await query(bq.endpoint, 'select x from unnest([1e308]) as x where (x + 0.0) * 10 > 0');
    expect(answer.error).toMatchObject({ reason: 'invalidQuery', message: 'double overflow: 1e+308 * 10' });
  });
});
