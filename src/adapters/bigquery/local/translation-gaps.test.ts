/**
 * Statements BigQuery's analyzer accepts that the local server's translation once could not run, through
 * the official client against the loopback server: each gives BigQuery's documented result, or BigQuery's
 * own refusal, or a job that names what the local BigQuery does not support — never other rows.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap } from '../../../test-support/local-bigquery-client.js';

describe.skipIf(analyzerPlatformGap)('the local BigQuery runs what its translation once could not (official client)', () => {
  let bq: LocalBigQuery;
  let client: BigQuery;
  let dir: string;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
    client = new BigQuery({ projectId: 'gaps', apiEndpoint: bq.endpoint, authClient, autoRetry: false } as never);
    dir = mkdtempSync(join(tmpdir(), 'strata-bq-gaps-'));
    await run('create schema `gaps`.`d`');
  });
  afterAll(async () => {
    await bq?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A query job, as Strata's connection runs one (jobs.insert, then getQueryResults). */
  const run = async (sql: string): Promise<Record<string, unknown>[]> => {
    const [job] = await client.createQueryJob({ query: sql, location: 'EU' });
    return (await job.getQueryResults())[0] as Record<string, unknown>[];
  };
  /** The rows of a query, as the client gives them (dates and timestamps as their `value` text). */
  const text = (v: unknown): unknown => (Array.isArray(v) ? v.map(text) : v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v);
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await run(sql)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)])));
  /** A query job's refusal: the reason and message BigQuery's REST API gives. */
  const refusal = async (sql: string): Promise<string> => {
    try {
      await run(sql);
    } catch (e) {
      const err = e as { errors?: { reason: string; message: string }[]; message: string };
      return `${err.errors?.[0]?.reason}: ${err.errors?.[0]?.message ?? err.message}`;
    }
    return 'ran';
  };

  it('an INTERVAL of an expression: (1 + 2), a column, a negative month, row_number() as a date spine does', async () => {
    expect(await rows("select date_add(date '2024-01-31', interval (1 + 2) day) as d, date_add(date '2024-03-31', interval -1 month) as m")).toEqual([{ d: '2024-02-03', m: '2024-02-29' }]);
    expect(await rows("select h, timestamp_add(timestamp '2024-01-01 00:00:00+00', interval h hour) as t from unnest([1, 26]) as h order by h")).toEqual([
      { h: 1, t: '2024-01-01T01:00:00.000Z' },
      { h: 26, t: '2024-01-02T02:00:00.000Z' },
    ]);
    expect(await rows("select datetime_add(datetime '2023-09-07 00:00:00', interval row_number() over (order by n) - 1 day) as d from unnest([10, 20, 30]) as n order by d")).toEqual([
      { d: '2023-09-07T00:00:00' }, { d: '2023-09-08T00:00:00' }, { d: '2023-09-09T00:00:00' },
    ]);
    expect(await rows("select datetime_add(datetime '2024-11-30 08:00:00', interval 1 quarter) as q, datetime_sub(datetime '2024-03-01 00:00:00', interval 2 week) as w")).toEqual([{ q: '2025-02-28T08:00:00', w: '2024-02-16T00:00:00' }]);
  });

  it('names BigQuery allows that DuckDB reserves: a CTE `both`, columns `check`, `unique`, `primary`, `table` (DuckDB refused to parse them)', async () => {
    expect(await rows('with both as (select 1 as check, 2 as unique, 3 as primary, 4 as table) select check, unique, primary, t.table from both as t where check = 1')).toEqual([{ check: 1, unique: 2, primary: 3, table: 4 }]);
    expect(await rows('select x, o from unnest([5, 6]) as x with offset as o order by o limit 1 offset 1')).toEqual([{ x: 6, o: 1 }]);
  });

  it.each([
    // CTE names, and a table right after FROM or JOIN.
    ['with table as (select 1 as x), offset as (select 2 as y) select x, y from table join offset on true', { x: 1, y: 2 }],
    ['with pivot as (select 1 as x), qualify as (select 2 as y), semi as (select 3 as z) select x, y, z from pivot, qualify, semi', { x: 1, y: 2, z: 3 }],
    ['with references as (select 1 as x), asof as (select 2 as y) select x, y from references cross join asof', { x: 1, y: 2 }],
    // Qualifiers before `.`.
    ['select table.x, unique.y from (select 1 as x) as table, (select 2 as y) as unique', { x: 1, y: 2 }],
    ['select only.x + show.x + do.x as s from (select 1 as x) as only, (select 2 as x) as show, (select 3 as x) as do', { s: 6 }],
    // Columns DuckDB reads as its join kinds or clauses.
    ['select qualify, semi, anti, positional, asof from (select 1 as qualify, 2 as semi, 3 as anti, 4 as positional, 5 as asof)', { qualify: 1, semi: 2, anti: 3, positional: 4, asof: 5 }],
  ])('names BigQuery allows that DuckDB reserves, as CTEs, qualifiers and columns: %s', async (sql, expected) => {
    expect(await rows(sql)).toEqual([expected]);
  });

  // An UNNEST of STRUCTs is a value table: its fields are columns (DuckDB's binder missed `x`; `select *` gave the struct's text).
  const ITEMS = 'with o as (select 1 as id, [struct(2 as q, 5 as p), struct(3 as q, 7 as p)] as items union all select 2, [])';
  it.each([
    ['select x * y as m from unnest([struct(2 as x, 3 as y)])', [{ m: 6 }]],
    ['select * from unnest([struct(2 as x, 3 as y)]) as t', [{ x: 2, y: 3 }]],
    ['select x, t.y, t.x + y as s, k from unnest([struct(2 as x, 3 as y), struct(4 as x, 5 as y)]) as t with offset k order by k', [{ x: 2, y: 3, s: 5, k: 0 }, { x: 4, y: 5, s: 9, k: 1 }]],
    [`${ITEMS} select id, q, i.p from o left join unnest(o.items) as i order by id, q`, [{ id: 1, q: 2, p: 5 }, { id: 1, q: 3, p: 7 }, { id: 2, q: null, p: null }]],
    [`${ITEMS} select id, (select sum(q * p) from unnest(items)) as s from o order by id`, [{ id: 1, s: 31 }, { id: 2, s: null }]],
  ])('the fields of an UNNEST of STRUCTs are columns, as in BigQuery: %s', async (sql, expected) => {
    expect(await rows(sql)).toEqual(expected);
  });

  it('a typed array or struct literal, empty arrays included, keeps its type', async () => {
    expect(await rows('select array<int64>[] as e, array_concat(array<int64>[], [4]) as c, array_length(array<string>[]) as n, array<float64>[1, 2] as f')).toEqual([{ e: [], c: [4], n: 0, f: [1, 2] }]);
    expect(await rows("select array<struct<a int64, b string>>[] as e, struct<a int64, b string>(7, 'x') as s")).toEqual([{ e: [], s: { a: 7, b: 'x' } }]);
  });

  it('STRING_AGG and ARRAY_AGG with LIMIT: NULLs skipped first, then the first n in order', async () => {
    const from = "from unnest(['c', null, 'a', 'b', 'a']) as x";
    expect(await rows(`select string_agg(x, ',' order by x limit 2) as two, string_agg(distinct x, '|' order by x desc limit 2) as top, string_agg(x order by x limit 9) as all_of_them ${from}`)).toEqual([
      { two: 'a,a', top: 'c|b', all_of_them: 'a,a,b,c' },
    ]);
    expect(await rows("select string_agg(x, ',' limit 1) as v from unnest(cast([null] as array<string>)) as x")).toEqual([{ v: null }]);
    expect(await rows('select array_agg(n order by n desc limit 2) as v from unnest([3, 1, 2]) as n')).toEqual([{ v: [3, 2] }]);
  });

  it('TIMESTAMP minus an integer is refused as BigQuery refuses it; DATETIME_DIFF by WEEK counts Sundays', async () => {
    expect(await refusal("select timestamp '2024-01-01 00:00:00+00' - 1 as t")).toMatch(/^invalidQuery: No matching signature for operator - for argument types: TIMESTAMP, INT64\. .* at \[1:8\]$/);
    // Friday 1999-12-31 to Monday 2000-01-03: one Sunday boundary.
    expect(await rows("select datetime_diff(datetime '2000-01-03 00:00:00', datetime '1999-12-31 23:59:59.999999', week) as w")).toEqual([{ w: 1 }]);
  });

  it('CURRENT_TIMESTAMP is the function, bare or not; a column of that name is read only when quoted or qualified', async () => {
    const [first] = await rows('select current_timestamp() as current_timestamp, current_date as `current_date`');
    expect(Math.abs(Date.parse(String(first!.current_timestamp)) - Date.now())).toBeLessThan(60_000);
    expect(first!.current_date).toBe(new Date().toISOString().slice(0, 10));
    const [second] = await rows('with t as (select 5 as `current_timestamp`) select current_timestamp as f, `current_timestamp` as q, t.current_timestamp as c from t');
    expect(Math.abs(Date.parse(String(second!.f)) - Date.now())).toBeLessThan(60_000);
    expect({ q: second!.q, c: second!.c }).toEqual({ q: 5, c: 5 });
  });

  it("a CSV load reads only the null marker as NULL: the text null fails an INT64 column, as BigQuery's load job does", async () => {
    const csv = join(dir, 'pairs.csv');
    writeFileSync(csv, 'k,x,label\n1,1,same\n2,,empty\n3,null,null\n');
    const schema = { fields: [{ name: 'k', type: 'INT64' }, { name: 'x', type: 'INT64' }, { name: 'label', type: 'STRING' }] };
    const table = client.dataset('d').table('pairs');
    const failed = await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, writeDisposition: 'WRITE_TRUNCATE' }).then(() => 'loaded', (e: Error) => e.message);
    expect(failed).toBe("Error while reading data, error message: Could not parse 'null' as INT64 for field x (position 1) on line 4");
    // The same file with nullMarker 'null': that text is NULL, and so (no longer the marker) an empty INT64 is an error.
    const marked = await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, nullMarker: 'null' }).then(() => 'loaded', (e: Error) => e.message);
    expect(marked).toBe("Error while reading data, error message: Could not parse '' as INT64 for field x (position 1) on line 3");
    writeFileSync(csv, 'k,x,label\n1,1,same\n2,,empty\n3,,null\n');
    await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, writeDisposition: 'WRITE_TRUNCATE' });
    // An empty field is NULL (the default marker); the text null in a STRING column is that text.
    const loaded = [{ k: 1, x: 1, label: 'same' }, { k: 2, x: null, label: 'empty' }, { k: 3, x: null, label: 'null' }];
    expect(await rows('select k, x, label from `gaps.d.pairs` order by k')).toEqual(loaded);
    // A load that fails changes nothing: the table keeps the rows it had.
    writeFileSync(csv, 'k,x,label\n9,null,gone\n');
    expect(await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, writeDisposition: 'WRITE_TRUNCATE' }).then(() => 'loaded', (e: Error) => e.message)).toMatch(/Could not parse 'null' as INT64/);
    expect(await rows('select k, x, label from `gaps.d.pairs` order by k')).toEqual(loaded);
  });

  it("functions whose DuckDB namesake means something else give BigQuery's values: WEEK, LOG, GREATEST/LEAST with NULL", async () => {
    // WEEK: Sunday-based, days before the year's first Sunday in week 0 (2026-01-03 is a Saturday); DuckDB's week is ISO's.
    expect(await rows("select extract(week from date '2026-01-03') as w0, extract(week from date '2026-01-04') as w1, extract(week from date '2026-12-05') as w48, extract(isoweek from date '2026-01-04') as iso")).toEqual([{ w0: 0, w1: 1, w48: 48, iso: 1 }]);
    // LOG(X) is the natural logarithm and LOG(X, Y) the base-Y one.
    expect(await rows('select log(100, 10) as b10, round(log(exp(2)), 9) as ln')).toEqual([{ b10: 2, ln: 2 }]);
    expect(await rows('select greatest(1, null) as g, least(3, null) as l, greatest(1, 3, 2) as g3')).toEqual([{ g: null, l: null, g3: 3 }]);
  });

  it("casts to BOOL and format elements as BigQuery reads them; a bad cast fails as BigQuery's does", async () => {
    expect(await rows("select cast('TRUE' as bool) as t, safe_cast('yes' as bool) as y, safe_cast('1' as bool) as one")).toEqual([{ t: true, y: null, one: null }]);
    expect(await refusal("select cast('yes' as bool) as b")).toBe('invalidQuery: Bad bool value: yes');
    expect(await refusal("select cast('1.5' as int64) as i")).toBe('invalidQuery: Bad int64 value: 1.5');
    const ts = "timestamp '2026-01-05 10:00:07.25+00'";
    expect(await rows(`select format_timestamp('%H:%M:%E6S', ${ts}) as six, format_timestamp('%E3S', ${ts}) as three, format_timestamp('%H:%M:%E*S', ${ts}) as star, format_timestamp('%E*S', timestamp '2026-01-05 10:00:07+00') as whole, format_timestamp('%FT%T%Ez', ${ts}) as iso, format_date('%x', date '2026-01-04') as x, extract(microsecond from ${ts}) as us, extract(millisecond from ${ts}) as ms`)).toEqual([
      { six: '10:00:07.250000', three: '07.250', star: '10:00:07.25', whole: '07', iso: '2026-01-05T10:00:07+00:00', x: '01/04/26', us: 250000, ms: 250 },
    ]);
  });

  it('epoch conversions, LAST_DAY by part, GENERATE_DATE_ARRAY and UNNEST … WITH OFFSET', async () => {
    expect(await rows("select unix_seconds(timestamp '1969-12-31 23:59:59.5+00') as s, unix_millis(timestamp '2026-01-05 10:00:00.1234+00') as ms, timestamp_millis(1767607200123) as t, unix_date(date '2026-01-05') as d, date_from_unix_date(10) as f")).toEqual([
      { s: -1, ms: 1767607200123, t: '2026-01-05T10:00:00.123Z', d: 20458, f: '1970-01-11' },
    ]);
    expect(await rows("select last_day(date '2024-02-10', quarter) as q, last_day(date '2024-02-10', year) as y, last_day(date '2026-12-05', week) as w, last_day(date '2026-12-06', isoweek) as iso")).toEqual([
      { q: '2024-03-31', y: '2024-12-31', w: '2026-12-05', iso: '2026-12-06' },
    ]);
    expect(await rows("select generate_date_array(date '2026-01-01', date '2026-01-20', interval 1 week) as w, generate_date_array(date '2026-01-05', date '2026-01-01') as none")).toEqual([
      { w: ['2026-01-01', '2026-01-08', '2026-01-15'], none: [] },
    ]);
    expect(await rows('select id, x, o from (select 1 as id, [5, 6] as arr union all select 2, []) as t, unnest(t.arr) as x with offset as o order by id, o')).toEqual([
      { id: 1, x: 5, o: 0 }, { id: 1, x: 6, o: 1 },
    ]);
  });

  it("an INTERVAL value is BigQuery's canonical text; DATETIME - DATETIME is one", async () => {
    expect(await rows("select interval 3 day as d, interval -14 month as m, interval 90061 second as s, datetime '2024-01-05 00:00:00' - datetime '2024-01-01 12:00:00' as dt")).toEqual([
      { d: '0-0 3 0:0:0', m: '-1-2 0 0:0:0', s: '0-0 0 25:1:1', dt: '0-0 3 12:0:0' },
    ]);
  });

  it('what the translation does not cover fails its job naming the construct, instead of running something else', async () => {
    const untranslated = (what: string, statement: string): string =>
      `notImplemented: The local BigQuery accepted this statement but cannot execute it on data (not translated to DuckDB: ${what}). Statement: ${statement}`;
    expect(await refusal("select interval '1-2' year to month as i")).toBe(untranslated('an INTERVAL range (… TO …)', "select interval '…' year to month as i"));
    // DuckDB would give 4 (days) and `4 days`; BigQuery gives INTERVALs written 0-0 4 0:0:0 and 0-0 0 96:0:0.
    expect(await refusal("select date '2024-01-05' - date '2024-01-01' as i")).toBe(untranslated('DATE - DATE (an INTERVAL)', "select date '…' - date '…' as i"));
    expect(await refusal("select timestamp '2024-01-05 00:00:00+00' - timestamp '2024-01-01 00:00:00+00' as i")).toBe(untranslated('TIMESTAMP - TIMESTAMP (an INTERVAL)', "select timestamp '…' - timestamp '…' as i"));
    expect(await refusal('select cast(interval 3 day as string) as i')).toBe(untranslated('an INTERVAL cast to STRING', 'select cast(interval 3 day as string) as i'));
    expect(await refusal("select generate_date_array(date '2026-01-31', date '2026-05-01', interval 1 month) as m")).toBe(
      untranslated('generate_date_array with a step other than days or weeks', "select generate_date_array(date '…', date '…', interval 1 month) as m"),
    );
    expect(await refusal("select format_timestamp('%s', timestamp '2026-01-05 10:00:07+00') as s")).toBe(untranslated("format_timestamp with the format '%s'", "select format_timestamp('…', timestamp '…') as s"));
    // DATE minus an INT64 is a DATE on both.
    expect(await rows("select date '2024-03-01' - 1 as d")).toEqual([{ d: '2024-02-29' }]);
  });
});
