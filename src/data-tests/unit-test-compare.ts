import type { ColumnDef, Dialect, QueryResult } from '../adapters/contract.js';
import { compareRows, expectedRowsSql, type UnitTestDefinition } from './unit-tests.js';

type Row = Record<string, unknown>;

/** Column types whose values are text: a number or a boolean expected there is left to the warehouse's cast. */
const TEXT_TYPE = /CHAR|TEXT|STRING|CLOB/i;

/**
 * Compares a unit test's actual rows with its expected ones as dbt does: expected values cast to the types of
 * the model's columns. Expected rows given as values (dict, csv) are first compared as written: a scalar that
 * already reads as the model's value (`3` or `'3'` where an INT64 column holds 3) reads the same once cast to
 * that column's type, so a match is the answer and no second query runs (on BigQuery, no second job). When a
 * row differs, or a value is nested, a number or boolean stands against a text column, or the expected rows
 * are SQL, the typed expected rows are read from the warehouse, as always: they decide, and give the diff.
 * `plain` reads a warehouse client's cells as the embedded path gives them (applied to both sides).
 */
export async function compareUnitTestRows(
  def: UnitTestDefinition,
  dialect: Dialect,
  actual: QueryResult,
  query: (sql: string) => Promise<Row[]>,
  plain: (r: Row) => Row = (r) => r,
): Promise<{ ok: boolean; diff: string }> {
  const actualRows = actual.rows.map(plain);
  if (!def.expectSql && !def.expect.length) return compareRows([], actualRows);
  if (!def.expectSql && readsAsWritten(def.expect, actual.columns) && compareRows(def.expect.map(plain), actualRows).ok) return { ok: true, diff: '' };
  const expectedSql = def.expectSql ?? expectedRowsSql(dialect, def.expect, actual.columns);
  return compareRows((await query(expectedSql)).map(plain), actualRows);
}

/** Every expected value is a scalar the cast to its column's type leaves reading as it does (nulls, text; numbers and booleans outside text columns). */
function readsAsWritten(expected: Row[], columns: ColumnDef[]): boolean {
  const text = new Set(columns.filter((c) => TEXT_TYPE.test(c.dataType)).map((c) => c.name));
  return expected.every((r) =>
    Object.entries(r).every(([k, v]) => v === null || v === undefined || typeof v === 'string' || (((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'bigint') && !text.has(k))),
  );
}
