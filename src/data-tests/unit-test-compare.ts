import type { ColumnDef, Dialect, QueryResult } from '../adapters/contract.js';
import { compareRows, expectedRowsSql, type UnitTestDefinition } from './unit-tests.js';
import { castKind, castText } from './unit-test-cast.js';

type Row = Record<string, unknown>;

/**
 * Compares a unit test's actual rows with its expected ones as dbt does: expected values cast to the types of
 * the model's columns. Expected rows given as values (dict, csv) are first cast in JS where that is exact
 * (`unit-test-cast.ts`: text, integers, booleans, doubles, decimals, dates and times as the warehouse prints
 * them) and compared with the model's rows read the same way: a match is the answer and no second query runs
 * (on BigQuery, no second job). When a row differs, or any value is one the warehouse might refuse or cast
 * otherwise (`'3.0'` or `'abc'` for an INT64, a number for an ENUM, a nested value), or the expected rows are
 * SQL, the typed expected rows are read from the warehouse, as always: they decide (a refused cast is the
 * warehouse's error, as in dbt), and give the diff. `plain` reads a warehouse client's cells as the embedded
 * path gives them (applied to both sides).
 */
export async function compareUnitTestRows(
  def: UnitTestDefinition,
  dialect: Dialect,
  actual: QueryResult,
  query: (sql: string) => Promise<Row[]>,
  plain: (r: Row) => Row = (r) => r,
): Promise<{ ok: boolean; diff: string }> {
  const actualRows = actual.rows.map(plain);
  const modelColumns = actual.columns.map((c) => c.name);
  if (!def.expectSql && !def.expect.length) return compareRows([], actualRows, modelColumns);
  if (!def.expectSql && matchesOnceCast(def.expect.map(plain), actualRows, actual.columns)) return { ok: true, diff: '' };
  const expectedSql = def.expectSql ?? expectedRowsSql(dialect, def.expect, actual.columns);
  return compareRows((await query(expectedSql)).map(plain), actualRows, modelColumns);
}

/** Every expected value is certainly castable to its column's type, and the rows equal the model's once cast. */
function matchesOnceCast(expected: Row[], actualRows: Row[], columns: ColumnDef[]): boolean {
  const names = [...new Set(expected.flatMap((r) => Object.keys(r)))];
  const casts = new Map(columns.map((c) => [c.name, castKind(c.dataType)]));
  const cast = (rows: Row[]): Row[] | undefined => {
    const out: Row[] = [];
    for (const r of rows) {
      const row: Row = {};
      for (const n of names) {
        const kind = casts.get(n);
        const text = kind && castText(kind, r[n]);
        if (text === undefined) return undefined;
        row[n] = text;
      }
      out.push(row);
    }
    return out;
  };
  const want = cast(expected);
  const got = want && cast(actualRows);
  return !!got && compareRows(want!, got).ok;
}
