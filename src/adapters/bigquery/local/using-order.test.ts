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

  it('writes a CTAS’s table with each value in its own column', async () => {
    expect((await query(bq.endpoint, 'create schema `p`.`uo`')).error).toBeUndefined();
    expect((await query(bq.endpoint, `create table \`p\`.\`uo\`.\`t\` as ${JOINED}`)).error).toBeUndefined();
    expect(await queryRows(bq.endpoint, 'select j, k, s from `p`.`uo`.`t`')).toEqual([{ j: '2', k: '1', s: 'r' }]);
  });
});
