/**
 * `select *` over a join USING has the USING columns first on BigQuery (query-syntax#using_clause); DuckDB
 * kept the left side's order, and the local BigQuery answered (and wrote a CTAS's table) by position, so the
 * values stood under each other's names: `j` answered `1` here where BigQuery answers `2` (ZetaSQL's
 * reference evaluator gives the rows below).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';
import { useLocalBigQuery } from '../../../test-support/local-bigquery-project.js';

const JOINED = "select * from (select 1 as k, 2 as j) as a left join (select 2 as j, 'r' as s) as b using (j)";

describe.skipIf(analyzerPlatformGap)('the local BigQuery: select * over a join USING', () => {
  let bq: LocalBigQuery;
  useLocalBigQuery(undefined, (local) => ({ bq } = local));

  it('answers the USING column first, each value under its own name', async () => {
    expect(await queryRows(bq.endpoint, JOINED)).toEqual([{ j: '2', k: '1', s: 'r' }]);
    expect(await queryRows(bq.endpoint, `with x as (${JOINED}) select * from x join (select 'r' as s) using (s)`)).toEqual([{ s: 'r', j: '2', k: '1' }]);
  });

  it('puts an unnamed column (BigQuery’s f0_, f1_) where the analyzer has it, values under their own names', async () => {
    const from = "from (select 1 as k, 2 as j) as a left join (select 2 as j, 'r' as s) as b using (j)";
    expect(await queryRows(bq.endpoint, `select *, j + 1 ${from}`)).toEqual([{ j: '2', k: '1', s: 'r', f0_: '3' }]);
    expect(await queryRows(bq.endpoint, `select j * 10, *, 'x' ${from}`)).toEqual([{ f0_: '20', j: '2', k: '1', s: 'r', f1_: 'x' }]);
    // A name twice in a result: each column keeps its own value (rows are answered by position).
    expect((await query(bq.endpoint, `select a.k, b.s as k ${from}`)).rows?.map((r) => r.f.map((c) => c.v))).toEqual([['1', 'r']]);
    expect((await query(bq.endpoint, `select *, j ${from}`)).error?.message).toMatch(/not translated to DuckDB: select \* over a join USING with the column name j twice in its result/);
  });

  it('writes a view and an INSERT … SELECT * with each value in its own column', async () => {
    expect((await query(bq.endpoint, 'create schema `p`.`uv`')).error).toBeUndefined();
    expect((await query(bq.endpoint, `create view \`p\`.\`uv\`.\`v\` as ${JOINED}`)).error).toBeUndefined();
    expect(await queryRows(bq.endpoint, 'select * from `p`.`uv`.`v`')).toEqual([{ j: '2', k: '1', s: 'r' }]);
    expect((await query(bq.endpoint, 'create table `p`.`uv`.`t` (j int64, k int64, s string)')).error).toBeUndefined();
    expect((await query(bq.endpoint, `insert into \`p\`.\`uv\`.\`t\` ${JOINED}`)).error).toBeUndefined();
    expect((await query(bq.endpoint, `insert into \`p\`.\`uv\`.\`t\` with w as (select 8 as k, 7 as j) select * from w join (select 7 as j, 'w' as s) using (j)`)).error).toBeUndefined();
    expect(await queryRows(bq.endpoint, 'select j, k, s from `p`.`uv`.`t` order by j')).toEqual([{ j: '2', k: '1', s: 'r' }, { j: '7', k: '8', s: 'w' }]);
  });

  it('writes a CTAS’s table with each value in its own column', async () => {
    expect((await query(bq.endpoint, 'create schema `p`.`uo`')).error).toBeUndefined();
    expect((await query(bq.endpoint, `create table \`p\`.\`uo\`.\`t\` as ${JOINED}`)).error).toBeUndefined();
    expect(await queryRows(bq.endpoint, 'select j, k, s from `p`.`uo`.`t`')).toEqual([{ j: '2', k: '1', s: 'r' }]);
  });
});
