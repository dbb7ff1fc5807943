/** A unit test's expected rows compared with the model's, on a real DuckDB: one query when they match as written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Connection, QueryResult, Warehouse } from '../adapters/contract.js';
import { compareRows, expectedRowsSql, type UnitTestDefinition } from './unit-tests.js';
import { compareUnitTestRows } from './unit-test-compare.js';

let warehouse: Warehouse;
let conn: Connection;
let actual: QueryResult;
beforeAll(async () => {
  warehouse = await duckdbAdapter.open({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { path: ':memory:' } }, { projectRoot: '.' });
  conn = await warehouse.connect();
  actual = await conn.query(
    "select * from (values (1, 'a', date '2026-01-01', timestamp '2026-01-01 09:00:00', 1.5::double, 2.50::decimal(10, 2), true, {'k': 1}, [1, 2]), (2, 'b', null, null, null, null, false, null, null)) v(id, name, day, at_ts, amount, price, flag, s, l)",
  );
});
afterAll(async () => warehouse.close());

const definition = (expect: Record<string, unknown>[], expectSql?: string): UnitTestDefinition => ({ name: 't', model: 'm', given: [], expect, ...(expectSql ? { expectSql } : {}), overrides: {} });

/** The comparison, and the expected-row queries it ran. */
async function compare(def: UnitTestDefinition): Promise<{ ok: boolean; diff: string; queries: string[] }> {
  const queries: string[] = [];
  const cmp = await compareUnitTestRows(def, duckdbAdapter.dialect, actual, async (sql) => {
    queries.push(sql);
    return (await conn.query(sql)).rows;
  });
  return { ...cmp, queries };
}

/** The comparison as it was before: always the typed expected query. */
async function typed(def: UnitTestDefinition): Promise<{ ok: boolean; diff: string }> {
  const sql = def.expectSql ?? expectedRowsSql(duckdbAdapter.dialect, def.expect, actual.columns);
  return compareRows((await conn.query(sql)).rows, actual.rows);
}

describe('unit test comparison', () => {
  it('expected scalars that read as the model returns them match without a query', async () => {
    const def = definition([
      { id: 1, name: 'a', day: '2026-01-01', at_ts: '2026-01-01 09:00:00', amount: 1.5, price: '2.50', flag: true },
      { id: '2', name: 'b', day: null, amount: null, flag: false },
    ]);
    expect(await compare(def)).toEqual({ ok: true, diff: '', queries: [] });
    expect(await typed(def)).toEqual({ ok: true, diff: '' });
  });

  it("values that only match once cast to the model's types are cast by the warehouse, as before", async () => {
    for (const row of [{ id: 1, day: '2026-1-1' }, { id: 1, price: 2.5 }, { id: 1, amount: '1.50' }, { id: 1, at_ts: '2026-01-01 09:00' }]) {
      const def = definition([row, { id: 2 }]);
      const got = await compare(def);
      expect(got.queries).toHaveLength(1);
      expect({ row, ...got }).toMatchObject({ row, ok: true, diff: '' });
      expect(await typed(def)).toEqual({ ok: true, diff: '' });
    }
  });

  it('a wrong expected row gives the same diff as the typed comparison', async () => {
    const def = definition([{ id: 1, amount: '1.50', day: '2026-01-02' }, { id: 2, amount: null, day: null }]);
    const got = await compare(def);
    expect(got.queries).toHaveLength(1);
    expect(got.ok).toBe(false);
    expect(got.diff).toBe((await typed(def)).diff);
    expect(got.diff).toContain('- expected, missing: {id: "1", day: "2026-01-02", amount: "1.5"}');
  });

  it('numbers against text columns, nested values and expected SQL go to the warehouse', async () => {
    const numberForText = await compare(definition([{ name: 1 }, { name: 2 }]));
    expect(numberForText.queries).toHaveLength(1);
    expect(numberForText.ok).toBe(false);
    const nested = await compare(definition([{ id: 1, l: [1, 2] }, { id: 2, l: null }]));
    expect(nested.queries).toHaveLength(1);
    const sql = await compare(definition([], 'select 1 as id union all select 2 as id'));
    expect(sql).toMatchObject({ ok: true, queries: ['select 1 as id union all select 2 as id'] });
  });

  it('no expected rows need no query', async () => {
    expect(await compare(definition([]))).toMatchObject({ ok: false, queries: [] });
  });
});
