/**
 * Values the local BigQuery once gave silently wrong, where the meaning depends on operand types or on
 * BigQuery's runtime errors: each now gives BigQuery's value or BigQuery's error, never DuckDB's. Expected
 * values are BigQuery's documented results (page cited per case); where the documentation gives no example
 * for the edge case, the value ZetaSQL's reference evaluator gives (the engine BigQuery's semantics are
 * defined by, run offline in translation-drift.test.ts) is used and marked "evaluator".
 * Operands come from UNNEST so that the analyzer cannot fold them into constants.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';

const DOCS = 'https://cloud.google.com/bigquery/docs/reference/standard-sql';

/** [BigQuery expression over x, x's values, expected values in order, source]. */
const VALUES: [string, string, unknown[], string][] = [
  // "Halfway cases such as 2.5 are rounded away from zero"; 2.675 is stored as 2.67499999…, so BigQuery gives 2.67.
  ['round(x, 2)', '[2.675, -2.675, 1.235, 0.125]', ['2.67', '-2.67', '1.24', '0.13'], `${DOCS}/mathematical_functions#round; 2.675: evaluator`],
  ['round(x)', '[2.5, -2.5, 2.3]', ['3', '-3', '2'], `${DOCS}/mathematical_functions#round`],
  ['round(x, -1)', '[123.7]', ['120'], `${DOCS}/mathematical_functions#round`],
  ['round(x, 2)', "[numeric '2.675', numeric '-2.675']", ['2.68', '-2.68'], `${DOCS}/mathematical_functions#round (NUMERIC is exact)`],
  ['x / 4', '[20, 7]', ['5', '1.75'], `${DOCS}/operators#arithmetic_operators (INT64 / INT64 is FLOAT64)`],
  ['x / 3', "[numeric '1', numeric '2']", ['0.333333333', '0.666666667'], `${DOCS}/data-types#numeric_types (9 decimal digits); evaluator`],
  ['ieee_divide(x, 0)', '[20.0, -20.0]', ['Infinity', '-Infinity'], `${DOCS}/mathematical_functions#ieee_divide`],
  ['safe_divide(x, 0)', '[20]', [null], `${DOCS}/mathematical_functions#safe_divide`],
  ['safe.div(x, 0)', '[20]', [null], `${DOCS}/functions-reference#safe_prefix`],
  ['div(x, 4)', "[numeric '20', numeric '-7']", ['5', '-1'], `${DOCS}/mathematical_functions#div`],
  ['x / 0', '[cast(null as int64)]', [null], `${DOCS}/operators#arithmetic_operators (NULL in, NULL out); evaluator`],
  ['cast(x as string)', "[timestamp '2008-12-25 15:30:00', timestamp '2026-01-05 10:00:00.5', timestamp '2026-01-05 10:00:00.1234']", ['2008-12-25 15:30:00+00', '2026-01-05 10:00:00.500+00', '2026-01-05 10:00:00.123400+00'], `${DOCS}/conversion_functions#cast_as_string; fractions: evaluator`],
  ['string(x)', "[timestamp '2026-01-05 10:00:00.5']", ['2026-01-05 10:00:00.500+00'], `${DOCS}/timestamp_functions#string; evaluator`],
  ['cast(x as string)', "[datetime '2026-01-05 10:00:00.5', datetime '2026-01-05 10:00:00']", ['2026-01-05 10:00:00.500', '2026-01-05 10:00:00'], `${DOCS}/conversion_functions#cast_as_string; evaluator`],
  ['cast(x as string)', "[time '10:00:00.5']", ['10:00:00.500'], `${DOCS}/conversion_functions#cast_as_string; evaluator`],
  ['cast(x as string)', '[1.0, 1e15, 0.1, -2.5]', ['1', '1e+15', '0.1', '-2.5'], `${DOCS}/conversion_functions#cast_as_string; evaluator`],
  ['cast(x as string)', "[numeric '1.50', numeric '100']", ['1.5', '100'], `${DOCS}/conversion_functions#cast_as_string; evaluator`],
  ['substr(x, 0, 2)', "['apple']", ['ap'], `${DOCS}/string_functions#substr (position 0 starts at 1)`],
  ['substr(x, -7, 2)', "['apple']", ['ap'], `${DOCS}/string_functions#substr (a position before the start starts at 1)`],
  ['substr(x, -2)', "['apple']", ['le'], `${DOCS}/string_functions#substr`],
  ['safe_cast(x as int64)', "['0x10', '-0x10', '0X1f', '1.5']", ['16', '-16', '31', null], `${DOCS}/conversion_functions#cast_as_int64 (hexadecimal strings)`],
  ['safe_cast(x as date)', "['2026-01-05', '2026/01/05', ' 2026-01-05', '2026-01-05T00:00:00']", ['2026-01-05', null, null, null], `${DOCS}/conversion_functions#cast_as_date (the canonical date format only); evaluator`],
  ['safe_cast(x as timestamp)', "['2026-01-05 10:00:00+02', '2026-01-05 10:00', '2026/01/05 10:00:00', '2026-01-05t10:00:00z']", ['2026-01-05T08:00:00.000Z', null, null, '2026-01-05T10:00:00.000Z'], `${DOCS}/conversion_functions#cast_as_timestamp; evaluator`],
  ['trim(x)', "[' a\\t', '\\n b \\r']", ['a', 'b'], `${DOCS}/string_functions#trim (white space, not only spaces); evaluator`],
  ['rtrim(x)', "['c\\n']", ['c'], `${DOCS}/string_functions#rtrim; evaluator`],
  // NUMERIC is exact (precision 38, scale 9): DuckDB divided DECIMALs as DOUBLEs (`…568227.576610816`).
  ['x / 1', "[numeric '12345678901234567890.123456789']", ['12345678901234567890.123456789'], `${DOCS}/data-types#decimal_types; evaluator`],
  ['x / 3', "[numeric '12345678901234567890.123456789']", ['4115226300411522630.041152263'], `${DOCS}/data-types#decimal_types; evaluator`],
  ['x / 2', "[numeric '-0.000000005', numeric '0.000000001']", ['-0.000000003', '0.000000001'], `${DOCS}/data-types#decimal_types (rounded half away from zero); evaluator`],
  ['div(x, 7)', "[numeric '12345678901234567890.123456789']", ['1763668414462081127'], `${DOCS}/mathematical_functions#div; evaluator`],
  ['safe_divide(x, 3)', "[numeric '12345678901234567890.123456789']", ['4115226300411522630.041152263'], `${DOCS}/mathematical_functions#safe_divide; evaluator`],
  ['safe_divide(x, numeric \'0.1\')', "[numeric '99999999999999999999999999999']", [null], `${DOCS}/mathematical_functions#safe_divide (NULL on overflow)`],
  // DATE_TRUNC of a DATETIME is a DATETIME (it was a DATE here).
  ['date_trunc(x, month)', "[datetime '2026-01-05 10:00:00']", ['2026-01-01T00:00:00'], `${DOCS}/date_functions#date_trunc; evaluator`],
  ['date_trunc(x, week)', "[datetime '2026-01-07 10:00:00']", ['2026-01-04T00:00:00'], `${DOCS}/date_functions#date_trunc; evaluator`],
  // A bare index is an OFFSET (DuckDB's is 1-based); SAFE_OFFSET of a negative index is NULL (DuckDB counts from the end).
  ['[10, 20, 30][x]', '[1]', ['20'], `${DOCS}/operators#array_subscript_operator`],
  ['[10, 20, 30][safe_offset(x)]', '[5, -2]', [null, null], `${DOCS}/operators#array_subscript_operator`],
  // NUMERIC * rounds half away from zero at nine decimals (DuckDB kept eighteen, and failed past twenty integer digits).
  ["x * numeric '0.1'", "[numeric '0.000000005', numeric '-0.000000005']", ['0.000000001', '-0.000000001'], `${DOCS}/data-types#decimal_types; evaluator`],
  ["x * numeric '10000000000'", "[numeric '1000000000000000']", ['10000000000000000000000000'], `${DOCS}/data-types#decimal_types; evaluator`],
  ["safe_multiply(x, numeric '10')", "[numeric '99999999999999999999999999999']", [null], `${DOCS}/mathematical_functions#safe_multiply`],
  ['safe_add(x, 1)', '[9223372036854775807]', [null], `${DOCS}/mathematical_functions#safe_add`],
  // "Unspecified fields … are initialized from 1970-01-01 00:00:00.0" (DuckDB's year is 1900).
  ["cast(parse_datetime('%H:%M', x) as string)", "['10:30']", ['1970-01-01 10:30:00'], `${DOCS}/datetime_functions#parse_datetime`],
  ["cast(parse_date('%m/%d', x) as string)", "['01/04']", ['1970-01-04'], `${DOCS}/date_functions#parse_date`],
  // %E*S reads seconds with a fraction or without one.
  ["cast(parse_timestamp('%Y-%m-%d %H:%M:%E*S', x) as string)", "['2026-01-04 10:00:00.25', '2026-01-04 10:00:01']", ['2026-01-04 10:00:00.250+00', '2026-01-04 10:00:01+00'], `${DOCS}/format-elements#format_elements_date_time; evaluator`],
  // "Extracts a JSON scalar value": an object or an array is NULL (DuckDB gave its text), a number keeps its text.
  ["json_extract_scalar(x, '$.a')", `['{"a": {"b": 1}}', '{"a": 1.50}', '{"a": [1]}', '{"a": "x"}', 'not json']`, [null, '1.50', null, 'x', null], `${DOCS}/json_functions#json_extract_scalar; numbers: evaluator`],
  ["json_value(x, '$.a')", `['{"a": 1e2}', '{"b": 1}']`, ['1e2', null], `${DOCS}/json_functions#json_value; evaluator`],
];

/** [BigQuery aggregate over x, x's values, expected value, source]. */
const AGGREGATES: [string, string, unknown, string][] = [
  // AVG of NUMERICs is exact (DuckDB's went through a DOUBLE: 6172839450617283584).
  ['avg(x)', "[numeric '12345678901234567890.123456789', numeric '1']", '6172839450617283945.561728395', `${DOCS}/aggregate_functions#avg; evaluator`],
  ['avg(distinct x)', "[numeric '1', numeric '1', numeric '2']", '1.5', `${DOCS}/aggregate_functions#avg`],
  ['sum(x)', '[9223372036854775807, 1, -5]', '9223372036854775803', `${DOCS}/aggregate_functions#sum; evaluator`],
];

/** [BigQuery expression over x, x's values, BigQuery's error, source]. */
const ERRORS: [string, string, string, string][] = [
  ['1 / x', '[0]', 'division by zero: 1 / 0', `${DOCS}/operators#arithmetic_operators; message: evaluator`],
  ['x / 0', '[2.5]', 'division by zero: 2.5 / 0', `${DOCS}/operators#arithmetic_operators; message: evaluator`],
  ['div(x, 0)', '[20]', 'division by zero: 20 / 0', `${DOCS}/mathematical_functions#div; message: evaluator`],
  ['mod(x, 0)', '[20]', 'division by zero: MOD(20, 0)', `${DOCS}/mathematical_functions#mod; message: evaluator`],
  ['substr(x, 2, -1)', "['apple']", 'Third argument in SUBSTR() cannot be negative', `${DOCS}/string_functions#substr; message: evaluator`],
  ['left(x, -1)', "['apple']", 'Second argument in LEFT() cannot be negative', `${DOCS}/string_functions#left; message: evaluator`],
  ['cast(x as date)', "['2026/01/05']", "Invalid date: '2026/01/05'", `${DOCS}/conversion_functions#cast_as_date; message: evaluator`],
  ['repeat(x, -1)', "['apple']", 'Second argument (repeat count) for REPEAT cannot be negative', `${DOCS}/string_functions#repeat; message: evaluator`],
  ['x / numeric \'0.1\'', "[numeric '99999999999999999999999999999.999999999']", 'numeric overflow: 99999999999999999999999999999.999999999 / 0.1', `${DOCS}/data-types#decimal_types; message: evaluator`],
  ['div(x, 0)', "[numeric '20']", 'division by zero: DIV(20, 0)', `${DOCS}/mathematical_functions#div; message: evaluator`],
  ['[1, 2, 3][offset(x)]', '[5]', 'Array index 5 is out of bounds', `${DOCS}/operators#array_subscript_operator; message: evaluator`],
  ['[1, 2, 3][ordinal(x)]', '[0]', 'Array index 0 is out of bounds', `${DOCS}/operators#array_subscript_operator; message: evaluator`],
  ["error(concat('bad ', x))", "['row']", 'bad row', `${DOCS}/debugging_functions#error`],
  ['x + 1', '[9223372036854775807]', 'int64 overflow: 9223372036854775807 + 1', `${DOCS}/operators#arithmetic_operators (overflow is an error); message: evaluator`],
  ['-x', '[-9223372036854775808]', 'int64 overflow: --9223372036854775808', `${DOCS}/operators#arithmetic_operators; message: evaluator`],
  ['cast(x as float64)', "['abc']", 'Bad double value: abc', `${DOCS}/conversion_functions#cast_as_floating_point; message: evaluator`],
  ['cast(x as numeric)', "['abc']", 'Invalid NUMERIC value: abc', `${DOCS}/conversion_functions#cast_numeric; message: evaluator`],
  ['cast(x as int64)', '[1e30]', 'int64 out of range: 1e+30', `${DOCS}/conversion_functions#cast_as_int64; message: evaluator`],
  ['cast(x as date)', "['2026-02-30']", "Invalid date: '2026-02-30'", `${DOCS}/conversion_functions#cast_as_date; message: evaluator`],
  // SUM past its type's range fails (DuckDB's sum widened silently).
  ['sum(x)', '[9223372036854775807, 1]', 'int64 overflow', `${DOCS}/aggregate_functions#sum; message: evaluator`],
  ['sum(x)', "[numeric '99999999999999999999999999999', numeric '1']", 'numeric overflow: SUM', `${DOCS}/aggregate_functions#sum; message: evaluator`],
  ["x * numeric '10'", "[numeric '99999999999999999999999999999']", 'numeric overflow: 99999999999999999999999999999 * 10', `${DOCS}/data-types#decimal_types; message: evaluator`],
  ["x + numeric '1'", "[numeric '99999999999999999999999999999']", 'numeric overflow: 99999999999999999999999999999 + 1', `${DOCS}/data-types#decimal_types; message: evaluator`],
  ['generate_array(1, x, 0)', '[10]', 'Sequence step cannot be 0.', `${DOCS}/array_functions#generate_array; message: evaluator`],
];

describe.skipIf(analyzerPlatformGap)('the local BigQuery gives BigQuery’s value or BigQuery’s error where DuckDB’s would differ', () => {
  let bq: LocalBigQuery;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
  });
  afterAll(async () => {
    await bq?.close();
  });

  it.each(VALUES)('%s over %s', async (expression, values, expected) => {
    const rows = await queryRows(bq.endpoint, `select ${expression} as v from unnest(${values}) as x with offset as o order by o`);
    expect(rows.map((r) => (r.v === null ? null : String(r.v)))).toEqual(expected);
  });

  it.each(AGGREGATES)('%s over %s', async (expression, values, expected) => {
    expect(await queryRows(bq.endpoint, `select ${expression} as v from unnest(${values}) as x`)).toEqual([{ v: expected }]);
  });

  it.each(ERRORS)('%s over %s fails as BigQuery does', async (expression, values, message) => {
    const answer = await query(bq.endpoint, `select ${expression} as v from unnest(${values}) as x`);
    expect(answer.error).toMatchObject({ reason: 'invalidQuery', message });
  });

  it('refuses functions called by a dotted name (NET.HOST, HLL_COUNT.INIT) naming the function', async () => {
    for (const [sql, name] of [
      ["select net.host('https://example.org/a') as h", 'net.host'],
      ['select hll_count.init(x) as h from unnest([1, 2]) as x', 'hll_count.init'],
    ]) {
      const answer = await query(bq.endpoint, sql!);
      expect(answer.error?.reason).toBe('notImplemented');
      expect(answer.error?.message).toContain(`not translated to DuckDB: function ${name}`);
    }
  });

  // "BigQuery raises an error if query result has ARRAYs which contain NULL elements, although such ARRAYs can be used inside the query."
  it('refuses an array with a NULL element in a result or a created table, as BigQuery does (data-types#array_type)', async () => {
    const message = 'Array cannot have a null element; error in writing field a';
    expect((await query(bq.endpoint, 'select array_agg(x) as a from unnest([1, null]) as x')).error).toMatchObject({ reason: 'invalidQuery', message });
    expect((await query(bq.endpoint, 'select struct(array_agg(x) as a) as s from unnest([1, null]) as x')).error).toMatchObject({ reason: 'invalidQuery', message: `${message.replace(/a$/, 's.a')}` });
    await query(bq.endpoint, 'create schema if not exists `p`.`arrays`');
    expect((await query(bq.endpoint, 'create table `p`.`arrays`.`t` as select array_agg(x) as a from unnest([1, null]) as x')).error).toMatchObject({ reason: 'invalidQuery', message });
    // Used inside the query, such an array is fine.
    expect(await queryRows(bq.endpoint, 'select array_length(array_agg(x)) as n, [1, 2] as b from unnest([1, null]) as x')).toEqual([{ n: '2', b: ['1', '2'] }]);
  });

  // "NULLS FIRST is applied by default if the sort order is ascending. NULLS LAST is applied by default if the sort order is descending."
  it('sorts NULLs first in ascending order and last in descending, in ORDER BY and in a window (query-syntax#order_by_clause)', async () => {
    const ordered = async (sql: string): Promise<unknown[]> => (await queryRows(bq.endpoint, sql)).map((r) => r.x);
    expect(await ordered('select x from unnest([1, null, 2]) as x order by x')).toEqual([null, '1', '2']);
    expect(await ordered('select x from unnest([1, null, 2]) as x order by x desc')).toEqual(['2', '1', null]);
    expect(await ordered('select x from unnest([1, null, 2]) as x qualify row_number() over (order by x) = 1')).toEqual([null]);
  });

  it('refuses a BIGNUMERIC quotient with more decimals than it holds: BigQuery keeps 38, the local BigQuery 9 (data-types#decimal_types)', async () => {
    const answer = await query(bq.endpoint, "select x / 3 as v from unnest([bignumeric '1']) as x");
    expect(answer.error?.reason).toBe('notImplemented');
    expect(answer.error?.message).toContain('not computed as BigQuery does: a BIGNUMERIC result with more than 9 decimal digits');
  });

  // "BigQuery raises an error if query result has ARRAYs which contain NULL elements"; a table is written the same way.
  it('refuses an INSERT, UPDATE or MERGE writing an array with a NULL element, and leaves the table’s rows (data-types#array_type)', async () => {
    const message = 'Array cannot have a null element; error in writing field a';
    await query(bq.endpoint, 'create schema `p`.`written`');
    await query(bq.endpoint, 'create table `p`.`written`.`t` (k int64, a array<int64>)');
    expect((await query(bq.endpoint, 'insert into `p`.`written`.`t` (k, a) values (1, [1, 2])')).error).toBeUndefined();
    const writes = [
      'insert into `p`.`written`.`t` (k, a) select 2, array_agg(x) from unnest([1, null]) as x',
      'update `p`.`written`.`t` set a = [x, null] from unnest([5]) as x where k = 1',
      'merge `p`.`written`.`t` as t using (select 1 as k, array_agg(x) as a from unnest([3, null]) as x) as s on t.k = s.k when matched then update set a = s.a',
      'merge p.written.t t using (select 3 as k, array_agg(x) as a from unnest([3, null]) as x) as s on t.k = s.k when not matched then insert (k, a) values (s.k, s.a)',
      'begin transaction; insert into `p`.`written`.`t` (k, a) values (7, [7]); insert into `p`.`written`.`t` (k, a) select 8, array_agg(x) from unnest([1, null]) as x; commit transaction',
    ];
    for (const sql of writes) expect((await query(bq.endpoint, sql)).error, sql).toMatchObject({ reason: 'invalidQuery', message });
    expect(await queryRows(bq.endpoint, 'select k, a from `p`.`written`.`t` order by k')).toEqual([{ k: '1', a: ['1', '2'] }]);
  });

  it('keeps a typed operand’s semantics inside a table it creates (ROUND and CAST to STRING in a CTAS)', async () => {
    await query(bq.endpoint, 'create schema `p`.`typed`');
    const created = await query(bq.endpoint, "create table `p`.`typed`.`t` as select round(x, 2) as r, cast(timestamp_add(timestamp '2026-01-05 10:00:00', interval 500 millisecond) as string) as s from unnest([2.675]) as x");
    expect(created.error).toBeUndefined();
    expect(await queryRows(bq.endpoint, 'select r, s from `p`.`typed`.`t`')).toEqual([{ r: '2.67', s: '2026-01-05 10:00:00.500+00' }]);
  });
});
