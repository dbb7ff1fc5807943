/**
 * UNNEST of STRUCTs WITH OFFSET: DuckDB's row of the UNNEST held the offset as a last field, so the element
 * as a whole value carried it (`select distinct t` gave a row per offset where BigQuery gives one). Such a
 * use is refused, named; the fields and the offset as columns run, and `t.*` is the fields alone (it held the
 * offset too, so the columns after it took each other's values).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';
import { useLocalBigQuery } from '../../../test-support/local-bigquery-project.js';

const PAIRS = 'unnest([struct(1 as a, 2 as b), struct(1 as a, 2 as b)]) as t with offset as o';

describe.skipIf(analyzerPlatformGap)('the local BigQuery: UNNEST of STRUCTs WITH OFFSET', () => {
  let bq: LocalBigQuery;
  useLocalBigQuery(undefined, (local) => ({ bq } = local));

  it('runs the fields and the offset as columns', async () => {
    expect(await queryRows(bq.endpoint, `select * from ${PAIRS} order by o`)).toEqual([{ a: '1', b: '2', o: '0' }, { a: '1', b: '2', o: '1' }]);
    expect(await queryRows(bq.endpoint, `select t.*, t.a + o as s from ${PAIRS} order by o`)).toEqual([{ a: '1', b: '2', s: '1' }, { a: '1', b: '2', s: '2' }]);
    expect(await queryRows(bq.endpoint, `select count(distinct t.a) as n from ${PAIRS}`)).toEqual([{ n: '1' }]);
    // `t.*` is the fields only (DuckDB's held the offset, shifting the columns after it).
    expect(await queryRows(bq.endpoint, 'select t.*, 5 as z from unnest([struct(1 as a)]) as t with offset')).toEqual([{ a: '1', z: '5' }]);
  });

  it('refuses the element as a whole value, which would carry the offset', async () => {
    for (const sql of [`select distinct t from ${PAIRS}`, `select count(*) as n from ${PAIRS} group by t`]) {
      expect((await query(bq.endpoint, sql)).error?.message).toMatch(/^The local BigQuery accepted this statement but cannot execute it on data \(not translated to DuckDB: the element of an UNNEST of STRUCTs WITH OFFSET as a whole value \(t; /);
    }
    // Without OFFSET the element is the STRUCT alone.
    expect(await queryRows(bq.endpoint, 'select distinct t from unnest([struct(1 as a), struct(1 as a)]) as t')).toEqual([{ t: { a: '1' } }]);
  });
});
