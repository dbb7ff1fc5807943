/**
 * A result column without a name: BigQuery names the n-th such column `f<n-1>_`, counting only unnamed
 * columns (query-syntax#implicit_aliases: an expression without an implicit alias is anonymous; the REST
 * schema names it f0_, f1_, …). The local BigQuery answered the analyzer's internal `$col1`, `$col3`.
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';
import { useLocalBigQuery } from '../../../test-support/local-bigquery-project.js';

describe.skipIf(analyzerPlatformGap)('the local BigQuery: names of unnamed result columns', () => {
  let bq: LocalBigQuery;
  useLocalBigQuery(undefined, (local) => ({ bq } = local));

  it('names unnamed columns f0_, f1_, … in order, skipping named ones (explicit or implicit)', async () => {
    const answer = await query(bq.endpoint, "select 1, 2 as x, 3, 'a' || 'b', t.y, s.a, count(*) over () from (select 5 as y, struct(6 as a) as s) as t");
    expect(answer.schema?.map((f) => f.name)).toEqual(['f0_', 'x', 'f1_', 'f2_', 'y', 'a', 'f3_']);
    expect(await queryRows(bq.endpoint, 'select 1, 2 as x, 3')).toEqual([{ f0_: '1', x: '2', f1_: '3' }]);
  });

  it('a result with a column name twice answers each column its own value (duplicate-names.test.ts has more)', async () => {
    const answer = await query(bq.endpoint, 'select 1 as k, 2 as k');
    expect(answer.error).toBeUndefined();
    expect(answer.schema?.map((f) => f.name)).toEqual(['k', 'k']);
    expect(answer.rows?.map((r) => r.f.map((c) => c.v))).toEqual([['1', '2']]);
  });

  it('a CREATE TABLE AS SELECT with an unnamed column is refused, as BigQuery does', async () => {
    expect((await query(bq.endpoint, 'create schema `p`.`rn`')).error).toBeUndefined();
    expect((await query(bq.endpoint, 'create table `p`.`rn`.`t` as select 1')).error?.message).toBe('CREATE TABLE columns must be named, but column 1 has no name at [1:30]');
  });
});
