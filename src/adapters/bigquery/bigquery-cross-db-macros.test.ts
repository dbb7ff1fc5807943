/**
 * dbt's cross-database macros give the same values on both warehouses: each call is rendered for DuckDB and run on
 * a real DuckDB, and rendered for BigQuery and run by BigQuery's reference evaluator (ZetaSQL), which also checks
 * its types. The expected values are dbt's documented ones.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createTemplateEngine } from '../../templating/index.js';
import { adapterMacroFiles } from '../registry.js';
import type { RunRenderContext, TemplateWarehouse } from '../../templating/types.js';
import { BARE_NODE, bareRunContext } from '../../test-support/bare-render.js';
import { acquireZetaSql, type ZetaSql } from './local/zetasql-service.js';
import { analyzerSettings, type AnalyzerSettings } from './local/analyzer-options.js';
import { evaluateSelect } from './local/reference-evaluator.js';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';

/** [macro call, its value as text]. */
const CASES: [string, string | null][] = [
  ["dbt.datediff(\"'2021-06-14 00:00:00'\", \"'2021-06-12 00:00:00'\", 'week')", '-1'],
  ["dbt.datediff(\"'2021-06-16 00:00:00'\", \"'2021-06-20 01:00:00'\", 'week')", '1'],
  ["dbt.datediff(\"'2021-06-15 00:00:00'\", \"'2021-06-19 23:00:00'\", 'week')", '0'],
  ["dbt.datediff(\"'2021-06-15 23:59:59'\", \"'2021-06-16 00:00:00'\", 'day')", '1'],
  ["dbt.datediff(\"'2021-01-31 00:00:00'\", \"'2021-03-01 00:00:00'\", 'month')", '2'],
  ["dbt.dateadd('month', 1, \"date '2024-01-31'\")", '2024-02-29 00:00:00'],
  ["dbt.last_day(\"date '2024-02-10'\", 'month')", '2024-02-29'],
  ["dbt.last_day(\"date '2024-02-10'\", 'quarter')", '2024-03-31'],
  ['dbt.date(2024, 2, 29)', '2024-02-29'],
  ["dbt.split_part(\"'a.b.c'\", \"'.'\", 2)", 'b'],
  ["dbt.split_part(\"'a.b.c'\", \"'.'\", -1)", 'c'],
  ["dbt.split_part(\"'a--b--c'\", \"'--'\", -2)", 'b'],
  ["dbt.split_part(\"'a.b.c'\", \"'.'\", 4)", null],
  ["dbt.position(\"'b'\", \"'abc'\")", '2'],
  ["dbt.right(\"'abcdef'\", 2)", 'ef'],
  ["dbt.right(\"'abcdef'\", 0)", ''],
  ['dbt.get_powers_of_two(65)', '7'],
  ['dbt.string_literal("it\'s")'.replace("it's", 'ab'), 'ab'],
  ["dbt.cast_bool_to_text('true')", 'true'],
  ["dbt.safe_cast(\"'x'\", dbt.type_int())", null],
  ["dbt.hash(\"'abc'\")", '900150983cd24fb0d6963f7d28e17f72'],
  ["dbt.concat([\"'a'\", \"'b'\"])", 'ab'],
  ['dbt.replace("\'aXa\'", "\'X\'", "\'-\'")', 'a-a'],
  ["dbt.length(\"'abc'\")", '3'],
  ["dbt.equals('1', '1')", 'true'],
  // date_spine asks the warehouse how many periods lie between start and end while rendering.
  ["'(select count(*) from (' ~ dbt.date_spine('day', dbt.date(2024, 2, 27), dbt.date(2024, 3, 2)) ~ '))'", '4'],
  ["'(select sum(generated_number) from (' ~ dbt.generate_series(10) ~ '))'", '55'],
];

const node = BARE_NODE;
const context = (warehouse: TemplateWarehouse): RunRenderContext => bareRunContext(warehouse);
const render = (adapterType: string, sql: string, query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<string> =>
  createTemplateEngine({ projectName: 'p', adapterType, target: { name: 'dev', type: adapterType }, vars: {}, env: {}, docs: {}, macroFiles: adapterMacroFiles().map((f) => ({ ...f, packageName: 'dbt' })) })
    .runRender(node, sql, context({ query: async (q) => { const rows = await query(q); return { columns: Object.keys(rows[0] ?? {}).map((name) => ({ name, dataType: 'INT64' })), rows }; }, getColumns: async () => [], relationExists: async () => false }));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

describe.skipIf(analyzerPlatformGap)("dbt's cross-database macros on DuckDB and on BigQuery's reference evaluator", () => {
  let zs: ZetaSql;
  let settings: AnalyzerSettings;
  let duck: DuckDBConnection;
  beforeAll(async () => {
    zs = await acquireZetaSql();
    settings = analyzerSettings(zs);
    duck = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => {
    duck?.closeSync();
    await zs?.release();
  });

  const onDuckDb = async (sql: string): Promise<Record<string, unknown>[]> => (await duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  // The evaluator gives INT64 as text; Strata's BigQuery connection gives numbers, as run_query's rows hold them.
  const onBigQuery = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await evaluateSelect(zs, settings, sql, [])).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?[0-9]+$/.test(v) ? Number(v) : v])));

  it.each(CASES)('%s', async (call, expected) => {
    const template = `select cast({{ ${call} }} as string) as v`;
    const duckdb = text((await onDuckDb(await render('duckdb', template, onDuckDb)))[0]?.v);
    const bigquery = text((await onBigQuery(await render('bigquery', template, onBigQuery)))[0]?.v);
    expect({ duckdb, bigquery }).toEqual({ duckdb: expected, bigquery: expected });
  });
});
