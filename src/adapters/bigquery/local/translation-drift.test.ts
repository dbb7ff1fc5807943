/**
 * A guard against translation drift: BigQuery expressions Strata's SQL (and the demo's) relies on, run by
 * the local BigQuery on DuckDB (translated) and by ZetaSQL's reference evaluator (BigQuery's semantics).
 * Any difference fails, except those listed as known and documented in docs/bigquery-local.md.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { acquireZetaSql, type ZetaSql } from './zetasql-service.js';
import { analyzerSettings } from './analyzer-options.js';
import { evaluateSelect } from './reference-evaluator.js';
import { analyzerPlatformGap, queryRows } from '../../../test-support/local-bigquery-client.js';

const EXPRESSIONS = [
  "concat('a', 'b', 'c')", "concat('a', null)", "'a' || cast(null as string)", "regexp_replace('a1b22c', r'[0-9]', '')", "regexp_replace('06-12 34', r'[^0-9]', '')",
  "regexp_contains('ada@example.org', r'^[^@ ]+@[^@ ]+[.][a-z]+$')", "regexp_contains('ada@example', r'^[^@ ]+@[^@ ]+[.][a-z]+$')",
  "regexp_extract('abc123def45', r'[0-9]+')", "regexp_extract('abc123', r'c([0-9])')", "regexp_extract('abc', r'[0-9]+')",
  "to_hex(md5('abc'))", "to_hex(sha256('abc'))", "to_hex(md5(coalesce(cast(1 as string), '') || '|' || coalesce(cast(timestamp '2026-01-04 00:00:00' as string), '')))",
  "date_trunc(date '2026-12-05', week)", "date_trunc(date '2026-12-06', week)", "date_trunc(date '2026-12-05', month)", "date_trunc(date '2026-12-05', year)",
  "timestamp_trunc(timestamp '2026-12-05 13:45:12.5', day)", "timestamp_trunc(timestamp '2026-12-05 13:45:12', hour)", "timestamp_trunc(timestamp '2026-12-05 13:45:12', week)",
  "timestamp_diff(timestamp '2026-01-02 00:00:00', timestamp '2026-01-01 00:00:30', minute)", "timestamp_diff(timestamp '2026-01-01 00:00:00', timestamp '2026-01-02 00:00:30', hour)",
  "datetime_diff(datetime '2026-01-02 00:00:00', datetime '2026-01-01 00:00:30', minute)", "date_diff(date '2026-01-10', date '2026-01-01', day)",
  "date_diff(date '2026-12-06', date '2026-12-05', week)", "date_diff(date '2026-03-01', date '2026-01-31', month)",
  "safe.parse_timestamp('%d/%m/%Y %H:%M', '05/01/2026 10:30')", "safe.parse_timestamp('%d/%m/%Y %H:%M', 'garbage')", "safe.parse_timestamp('%Y-%m-%d %H:%M:%S', '2026-01-05 10:30:15')",
  "format_timestamp('%Y-%m-%d %H:%M', timestamp '2026-01-05 10:00:00')", "format_timestamp('%Y-%m-%d %H:%M:%E*S', timestamp '2026-01-05 10:00:07')", "format_date('%Y/%m', date '2026-01-05')",
  "timestamp_add(timestamp '2026-01-05 10:00:00', interval 3 hour)", "date_add(date '2026-01-31', interval 1 day)", "date_sub(date '2026-03-01', interval 1 day)",
  "safe_cast('12' as int64)", "safe_cast('1.5' as int64)", "safe_cast(' 12 ' as int64)", "cast(1.5 as string)", "cast(1.0 as string)", "cast(0.1 + 0.2 as string)", "safe_cast('x' as int64)", "safe_cast('2026-01-05' as date)", "cast(2.5 as int64)", "cast(-2.5 as int64)", "cast(3.5 as int64)", "cast('7' as int64)", "cast(numeric '2.5' as int64)", "cast(7 as float64) / 2",
  "cast(timestamp '2026-01-05 10:00:00' as string)", "cast(date '2026-01-05' as string)", "cast(true as string)", "cast(12 as string)",
  "extract(dayofweek from date '2026-12-05')", "extract(dayofyear from date '2026-02-01')", "extract(hour from timestamp '2026-01-05 10:11:12')",
  "date(timestamp '2026-01-05 23:30:00')", "timestamp('2026-01-05 10:00:00')", "date(2026, 1, 5)",
  "round(2.5)", "round(-2.5)", "round(1.2345, 2)", "div(7, 2)", "div(-7, 2)", "safe_divide(1, 0)", "safe_divide(6, 4)", "mod(7, 3)",
  "split('a,b,,c', ',')", "array_length([1, 2, 3])", "generate_array(1, 7, 3)", "[10, 20, 30][offset(1)]", "[10, 20, 30][ordinal(1)]", "[10, 20, 30][safe_offset(5)]",
  "(select max(x) from unnest([3, 1, 2]) as x)", "(select sum(y) from unnest([3, 1, 2]) y)", "(select count(*) from unnest(generate_array(1, 4)) as n where n > 2)", "3 in unnest([1, 2, 3])", "(select string_agg(x, ',' order by x) from unnest(['b', 'a', 'c']) as x)",
  "(select countif(x > 1) from unnest([1, 2, 3]) as x)", "(select logical_and(x > 0) from unnest([1, 2, 3]) as x)", "left('abcdef', 2)", "substr('abcdef', 2)", "substr('abcdef', 2, 3)",
  "trim('  a  ')", "upper('abc')", "length('héllo')", "nullif(1, 1)", "ifnull(null, 'x')", "if(1 > 2, 'a', 'b')", "coalesce(null, null, 3)", "5 between 1 and 10",
  "date_add(date '2024-01-31', interval (1 + 2) day)", "date_add(date '2024-03-31', interval -1 month)", "cast(datetime_add(datetime '2024-11-30 08:00:00', interval 1 quarter) as string)",
  "timestamp_sub(timestamp '2026-01-05 10:00:00', interval 90 minute)", "datetime_diff(datetime '2000-01-03 00:00:00', datetime '1999-12-31 23:59:59.999999', week)",
  "array_length(array<int64>[])", "array_concat(array<int64>[], [4])", "(select string_agg(x, ',' order by x limit 2) from unnest(['c', null, 'a', 'b']) as x)",
  "(select string_agg(distinct x, '|' order by x desc limit 2) from unnest(['c', 'c', 'a', 'b']) as x)", "(select array_agg(n order by n desc limit 2) from unnest([3, 1, 2]) as n)",
  "extract(week from date '2026-01-03')", "extract(week from date '2026-12-05')", "log(100, 10)", "log(exp(1))", "greatest(1, null)", "least(2, 1)",
  "unix_seconds(timestamp '1969-12-31 23:59:59.5')", "unix_millis(timestamp '2026-01-05 10:00:00.1234')", "unix_date(date '2026-01-05')", "cast(timestamp_seconds(1767607200) as string)",
  "last_day(date '2024-02-10', quarter)", "last_day(date '2026-12-05', week)", "(select sum(x * o) from unnest([10, 20, 30]) as x with offset as o)",
  "format_timestamp('%H:%M:%E*S', timestamp '2026-01-05 10:00:07.25')", "format_timestamp('%E6S', timestamp '2026-01-05 10:00:07.25')", "format_date('%x', date '2026-01-04')",
  "extract(microsecond from timestamp '2026-01-05 10:00:07.123456')", "safe_cast('yes' as bool)", "safe_cast('False' as bool)",
  "ends_with('abc', 'c')", "starts_with('abc', 'a')", "lower('ÄB')", "replace('a-b-c', '-', '_')", "strpos('abc', 'c')", "lpad('7', 3, '0')", "reverse('abc')",
  // Typed sites (typed-sites.ts): over UNNEST, so that the analyzer does not fold them into constants.
  "(select round(x, 2) from unnest([2.675]) as x)", "(select round(x, 1) from unnest([-1.45]) as x)", "(select round(x, 2) from unnest([numeric '2.675']) as x)",
  "(select 1 / x from unnest([0]) as x)", "(select x / 4 from unnest([numeric '1']) as x)", "(select div(x, 0) from unnest([7]) as x)", "(select div(x, 2) from unnest([numeric '-7']) as x)",
  "(select mod(x, 0) from unnest([7]) as x)", "(select safe.div(x, 0) from unnest([7]) as x)", "(select sum(x) / count(*) from unnest([1, 2]) as x)",
  "(select cast(t as string) from unnest([timestamp '2026-01-05 10:00:00.5']) as t)", "(select cast(t as string) from unnest([timestamp '2026-01-05 10:00:00.1234']) as t)",
  "(select cast(t as string) from unnest([datetime '2026-01-05 10:00:00.25']) as t)", "(select string(t) from unnest([timestamp '2026-01-05 10:00:00']) as t)",
  "array(select cast(x as string) from unnest([1.0, 1e15, 1/3, -0.0, 100.0]) as x)", "(select cast(n as string) from unnest([numeric '1.50']) as n)",
  "(select x / 3 from unnest([numeric '12345678901234567890.123456789']) as x)", "(select div(x, 7) from unnest([numeric '12345678901234567890.123456789']) as x)",
  "(select safe_divide(x, 3) from unnest([numeric '-12345678901234567890.5']) as x)", "(select [10, 20, 30][x] from unnest([1]) as x)", "(select [10, 20, 30][safe_offset(x)] from unnest([-2]) as x)",
  "substr('abcdef', 0, 2)", "substr('abc', -5, 2)", "substr('abc', 2, -1)", "left('abc', -1)", "safe_cast('-0x10' as int64)", "(select avg(x) from unnest([numeric '1', numeric '0', numeric '0']) as x)",
];

/** Differences between the translation and BigQuery that are known and documented (docs/bigquery-local.md). */
const KNOWN: Record<string, string> = {};

describe.skipIf(analyzerPlatformGap)('the DuckDB translation against BigQuery’s reference evaluator', () => {
  let bq: LocalBigQuery;
  let zs: ZetaSql;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    zs = await acquireZetaSql();
  });
  afterAll(async () => {
    await zs.release();
    await bq.close();
  });

  it('gives BigQuery’s value for every expression Strata relies on', async () => {
    const settings = analyzerSettings(zs);
    const differences: string[] = [];
    const plain = (v: unknown): string => JSON.stringify(v === null || v === undefined ? null : Array.isArray(v) ? v.map(plain) : String(v));
    for (const e of EXPRESSIONS) {
      const sql = `select ${e} as v`;
      let expected: string;
      try {
        expected = plain((await evaluateSelect(zs, settings, sql, []))[0]?.v);
      } catch (err) {
        expected = `error: ${(err as { details?: string }).details ?? String(err)}`;
      }
      let got: string;
      try {
        got = plain((await queryRows(bq.endpoint, sql))[0]?.v);
      } catch (err) {
        got = `error: ${(err as Error).message}`;
      }
      const same = got === expected || (got.startsWith('error') && expected.startsWith('error'));
      if (!same && KNOWN[e] === undefined) differences.push(`${e}: BigQuery ${expected}, local ${got}`);
    }
    expect(differences).toEqual([]);
  }, 120_000);
});
