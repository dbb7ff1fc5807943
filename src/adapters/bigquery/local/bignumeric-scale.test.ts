/**
 * BIGNUMERIC on the local BigQuery (held as DECIMAL(38,9), where BigQuery keeps 38 decimal digits,
 * data-types#decimal_types): values that fit are exact; whatever could need more decimals or integer
 * digits is refused by name (`notImplemented`), never rounded to nine decimals as before. `*`, `/`, DIV
 * and AVG are computed with BigQuery's 38 decimals and refused only when the result does not fit. Expected
 * values and messages: ZetaSQL's reference evaluator (as in translation-drift.test.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';

const HELD = "holds BIGNUMERIC with NUMERIC's 9";

/** [query, what the refusal names]: each gave a value rounded to nine decimals, or a NUMERIC message. */
const REFUSED: [string, string][] = [
  ["select cast(x as string) as v from unnest([bignumeric '1.12345678901']) as x", 'a BIGNUMERIC value with more than 9 decimal digits'],
  ["select bignumeric '123456789012345678901234567890.5' as v", 'a BIGNUMERIC value with more than 9 decimal digits or 29 integer digits'],
  ["select sqrt(x) as v from unnest([bignumeric '2']) as x", 'BIGNUMERIC SQRT'],
  ['select cast(x as bignumeric) as v from unnest([0.1]) as x', 'a FLOAT64 cast to BIGNUMERIC'],
  ["select cast(x as bignumeric) as v from unnest(['1.1234567891']) as x", 'BIGNUMERIC text with more than 9 decimal digits'],
];

describe.skipIf(analyzerPlatformGap)('the local BigQuery: BIGNUMERIC exact while it fits, refused where it would not be', () => {
  let bq: LocalBigQuery;
  let dir: string;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    dir = mkdtempSync(join(tmpdir(), 'strata-bq-bignumeric-'));
  });
  afterAll(async () => {
    await bq?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, sums and casts BIGNUMERICs that fit exactly', async () => {
    const rows = await queryRows(bq.endpoint, "select cast(x + 1 as string) as a, cast(cast(y as bignumeric) as string) as b from unnest([bignumeric '1.123456789', 2]) as x with offset o join unnest([' 1.50 ', '-12.123456789000']) as y with offset p on o = p order by o");
    expect(rows).toEqual([{ a: '2.123456789', b: '1.5' }, { a: '3', b: '-12.123456789' }]);
    expect(await queryRows(bq.endpoint, "select cast(sum(x) as string) as s from unnest([bignumeric '1.5', bignumeric '2']) as x")).toEqual([{ s: '3.5' }]);
  });

  // BigQuery's values (ZetaSQL's reference evaluator): each was refused whatever the values.
  it.each([
    ["select cast(bignumeric '1.5' * 2 as string) as v", '3'],
    ["select cast(x * y as string) as v from unnest([bignumeric '-0.00003']) as x, unnest([bignumeric '0.0001']) as y", '-0.000000003'],
    ["select cast(x / 4 as string) as v from unnest([bignumeric '3']) as x", '0.75'],
    ["select cast(safe_divide(x, 8) as string) as v from unnest([bignumeric '1']) as x", '0.125'],
    ["select cast(div(x, 2) as string) as v from unnest([bignumeric '-7']) as x", '-3'],
    ["select cast(avg(x) as string) as v from unnest([bignumeric '1', bignumeric '2']) as x", '1.5'],
    ["select cast(avg(x) over () as string) as v from unnest([bignumeric '1.25', bignumeric '2']) as x limit 1", '1.625'],
    ["select safe_divide(x, 0) as v from unnest([bignumeric '1']) as x", null],
  ])('%s is BigQuery’s %s', async (sql, value) => {
    expect(await queryRows(bq.endpoint, sql)).toEqual([{ v: value }]);
  });

  it.each([
    ["select x / 0 as v from unnest([bignumeric '1']) as x", 'division by zero: 1 / 0'],
    ["select x * x as v from unnest([bignumeric '99999999999999999999999999999']) as x", 'BIGNUMERIC overflow: 99999999999999999999999999999 * 99999999999999999999999999999'],
  ])('%s fails with BigQuery’s error', async (sql, message) => {
    expect((await query(bq.endpoint, sql)).error).toMatchObject({ reason: 'invalidQuery', message });
  });

  // BigQuery's results have more decimals or integer digits than the server holds: refused on the data, never rounded.
  it.each([
    ["select x / 3 as v from unnest([bignumeric '1']) as x", '1 / 3'],
    ["select safe_divide(x, 3) as v from unnest([bignumeric '1']) as x", '1 / 3'],
    ["select x * y as v from unnest([bignumeric '0.00001']) as x, unnest([bignumeric '0.00001']) as y", '0.00001 * 0.00001'],
    ["select x / 0.5 as v from unnest([bignumeric '99999999999999999999999999999']) as x", '99999999999999999999999999999 / 0.5'],
    ["select avg(x) as v from unnest([bignumeric '1', bignumeric '2', bignumeric '2']) as x", 'AVG of 3 values (sum 5)'],
  ])('%s is refused on the data', async (sql, shown) => {
    const answer = await query(bq.endpoint, sql);
    expect(answer.error?.reason).toBe('notImplemented');
    expect(answer.error?.message).toContain(`not computed as BigQuery does: a BIGNUMERIC result with more than 9 decimal digits or 29 integer digits: ${shown} (`);
    expect(answer.error?.message).toContain(HELD);
  });

  it('fails a cast of text that is no number with BigQuery’s BIGNUMERIC message (it said NUMERIC)', async () => {
    expect((await query(bq.endpoint, "select cast(x as bignumeric) as v from unnest(['abc']) as x")).error).toMatchObject({ reason: 'invalidQuery', message: 'Invalid BIGNUMERIC value: abc' });
  });

  it.each(REFUSED)('%s is refused by name', async (sql, what) => {
    const answer = await query(bq.endpoint, sql);
    expect(answer.error?.reason).toBe('notImplemented');
    expect(answer.error?.message).toContain(what);
    if (!what.startsWith('BIGNUMERIC text')) expect(answer.error?.message).toContain(HELD);
  });

  it('refuses a CSV load of a BIGNUMERIC value with more than 9 decimals, and keeps the table’s rows', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
    const client = new BigQuery({ projectId: 'p', apiEndpoint: bq.endpoint, authClient, autoRetry: false } as never);
    await query(bq.endpoint, 'create schema `p`.`big`');
    const csv = join(dir, 'amounts.csv');
    const schema = { fields: [{ name: 'k', type: 'INT64' }, { name: 'amount', type: 'BIGNUMERIC' }] };
    const table = client.dataset('big').table('amounts');
    writeFileSync(csv, 'k,amount\n1,1.25\n');
    await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, writeDisposition: 'WRITE_TRUNCATE' });
    writeFileSync(csv, 'k,amount\n2,0.12345678912\n');
    const failed = await table.load(csv, { sourceFormat: 'CSV', skipLeadingRows: 1, schema, writeDisposition: 'WRITE_TRUNCATE' }).then(() => 'loaded', (e: Error) => e.message);
    expect(failed).toContain("cannot load '0.12345678912' into BIGNUMERIC field amount");
    expect(await queryRows(bq.endpoint, 'select k, cast(amount as string) as amount from `p`.`big`.`amounts`')).toEqual([{ k: '1', amount: '1.25' }]);
  });
});
