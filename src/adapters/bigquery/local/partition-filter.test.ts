/**
 * A table with `require_partition_filter`: which filters count as ones "that can be used for partition
 * elimination" (querying-partitioned-tables). The local rule (partition-filter.ts): a conjunct of a WHERE,
 * ON or WHEN condition that names the partition column and no other column, or an OR each of whose branches
 * has one; through a CTE, a subquery or a UNION (a filter on a union's column is pushed down to the column at
 * its position in each branch) — not through a window, INTERSECT or EXCEPT, where BigQuery documents no
 * push-down, and a CTE read twice needs it at each reference. dbt-bigquery's own merge relies
 * on `(d is null or d is not null)` counting; an OR with another column is documented not to count, and a
 * join's `t.d = o.d` is the known way a MERGE into such a table fails.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query } from '../../../test-support/local-bigquery-client.js';

const REFUSAL = "Cannot query over table 'p.pf.t' without a filter over column(s) 'd' that can be used for partition elimination";

const ACCEPTED = [
  "select k from `p`.`pf`.`t` where d >= '2026-01-01'",
  'select k from `p`.`pf`.`t` where d is not null',
  'select k from `p`.`pf`.`t` where (d is null or d is not null) and k = 1',
  "select k from `p`.`pf`.`t` where date_trunc(d, month) = '2026-01-01' and k > 0",
  "select t.k from `p`.`pf`.`t` as t join `p`.`pf`.`o` as o on t.k = o.k and t.d between '2026-01-01' and '2026-01-31'",
  // Through a CTE or a subquery's plain (renamed) column: the filter still names the partition column.
  "with x as (select * from `p`.`pf`.`t`) select k from x where d > '2026-01-01'",
  "select k from (select k, d as day from `p`.`pf`.`t`) where day = '2026-01-05'",
  // An OR each of whose branches filters the partition column prunes to the union of their partitions.
  "select k from `p`.`pf`.`t` where (d = '2026-01-01' and k = 1) or (d = '2026-01-02' and k = 2)",
  "select k from `p`.`pf`.`t` where d = '2026-01-01' or (k = 2 and d > '2026-01-03')",
  // A filter on a union's column is pushed down to each branch (dbt_utils.union_relations casts each column to its type).
  "select * from (select k, d from `p`.`pf`.`t` union all select k, d from `p`.`pf`.`o`) where d = '2026-01-05'",
  "select * from (select cast(k as int64) as k, cast(d as date) as d from `p`.`pf`.`t` union all select cast(k as int64) as k, cast(d as date) as d from `p`.`pf`.`o`) where d >= '2026-01-01'",
  "with merged as (select d, k from `p`.`pf`.`o` union distinct select d as day, k from `p`.`pf`.`t`) select k from merged where d between '2026-01-01' and '2026-01-31' and k > 0",
  // A filter below a window (in the window's own query) counts; a CTE read twice, filtered at each reference.
  "select * from (select k, d, row_number() over (partition by k order by d) as rn from `p`.`pf`.`t` where d > '2026-01-01') where rn = 1",
  "with x as (select * from `p`.`pf`.`t`) select k from x where d = '2026-01-05' union all select k from x where d = '2026-01-06'",
];

const REFUSED = [
  "select k from `p`.`pf`.`t` where d = '2026-01-01' or k = 1",
  'select t.k from `p`.`pf`.`t` as t join `p`.`pf`.`o` as o on t.d = o.d',
  'select k from `p`.`pf`.`t` where d > e',
  "with x as (select * from `p`.`pf`.`t`) select k from x where d > '2026-01-01' or k = 2",
  "select k from `p`.`pf`.`t` where (d = '2026-01-01' and k = 1) or k = 2",
  "select * from (select k, d from `p`.`pf`.`t` union all select k, d from `p`.`pf`.`o`) where k = 1",
  // The union's `d` is the table's `e` in the branch that reads it.
  "select * from (select k, e as d from `p`.`pf`.`t` union all select k, d from `p`.`pf`.`o`) where d = '2026-01-05'",
  "select * from (select k, cast(d as timestamp) as d from `p`.`pf`.`t` union all select k, cast(d as timestamp) from `p`.`pf`.`o`) where d = '2026-01-05'",
  'merge `p`.`pf`.`t` as t using `p`.`pf`.`o` as o on t.k = o.k and t.d = o.d when matched then update set k = o.k',
  // Above a window the filter changes what the window sees; BigQuery documents no push-down through one.
  "select * from (select k, d, row_number() over (partition by k order by d) as rn from `p`.`pf`.`t`) where d > '2026-01-01'",
  "select * from (select k, d, sum(k) over (partition by d) as s from `p`.`pf`.`t`) where d = '2026-01-05'",
  // Push-down is documented for UNION, not for INTERSECT or EXCEPT.
  "select * from (select k, d from `p`.`pf`.`t` intersect distinct select k, d from `p`.`pf`.`o`) where d = '2026-01-05'",
  "select * from (select k, d from `p`.`pf`.`t` except distinct select k, d from `p`.`pf`.`o`) where d = '2026-01-05'",
  // A CTE read twice scans the table twice (BigQuery inlines it): one unfiltered reference is a full scan.
  "with x as (select * from `p`.`pf`.`t`) select k from x where d = '2026-01-05' union all select k from x",
  "with x as (select * from `p`.`pf`.`t`) select a.k from x as a join x as b on a.k = b.k where a.d = '2026-01-05'",
];

describe.skipIf(analyzerPlatformGap)('the local BigQuery: require_partition_filter wants a filter on the partition column alone', () => {
  let bq: LocalBigQuery;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    for (const sql of [
      'create schema `p`.`pf`',
      "create table `p`.`pf`.`t` partition by d options(require_partition_filter = true) as select 1 as k, date '2026-01-05' as d, date '2026-01-01' as e",
      "create table `p`.`pf`.`o` as select 1 as k, date '2026-01-05' as d",
    ]) expect((await query(bq.endpoint, sql)).error, sql).toBeUndefined();
  });
  afterAll(async () => {
    await bq?.close();
  });

  it.each(ACCEPTED)('accepts %s', async (sql) => {
    expect((await query(bq.endpoint, sql)).error).toBeUndefined();
  });

  it.each(REFUSED)('refuses %s', async (sql) => {
    const answer = await query(bq.endpoint, sql);
    expect(answer.error?.reason).toBe('invalidQuery');
    expect(answer.error?.message).toContain(REFUSAL);
  });
});
