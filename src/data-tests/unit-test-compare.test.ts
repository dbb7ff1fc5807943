/** A unit test's expected rows compared with the model's, on a real DuckDB: one query when they match as written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Connection, QueryResult, Warehouse } from '../adapters/contract.js';
import { compareRows, expectedRowsSql, type UnitTestDefinition } from './unit-tests.js';
import { compareUnitTestRows } from './unit-test-compare.js';
import { castKind, castText } from './unit-test-cast.js';

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

  it('values equal once cast, where JS casts exactly as the warehouse, match without a query', async () => {
    for (const row of [{ id: '1', price: 2.5 }, { id: 1, amount: '1.50' }, { id: 1n, price: '002.5' }, { id: 1, flag: 'true' }]) {
      const def = definition([row, 'flag' in row ? { id: 2, flag: false } : { id: 2 }]);
      expect({ row, ...(await compare(def)) }).toEqual({ row, ok: true, diff: '', queries: [] });
      expect(await typed(def)).toEqual({ ok: true, diff: '' });
    }
  });

  it("values that only match once the warehouse casts them are cast by the warehouse, as before", async () => {
    for (const row of [{ id: 1, day: '2026-1-1' }, { id: 1, at_ts: '2026-01-01 09:00' }, { id: 1, amount: 1.5, day: '2026-01-01T00:00:00' }]) {
      const def = definition([row, { id: 2 }]);
      const got = await compare(def);
      expect(got.queries).toHaveLength(1);
      expect({ row, ...got }).toMatchObject({ row, ok: true, diff: '' });
      expect(await typed(def)).toEqual({ ok: true, diff: '' });
    }
  });

  it("'3.0' and 'abc' for an INTEGER column: the warehouse's cast decides, as before the one-query path", async () => {
    const three = definition([{ id: '1.0' }, { id: 2 }]);
    const got = await compare(three);
    expect(got).toMatchObject({ ok: true, queries: [expect.stringContaining("cast('1.0' as INTEGER)")] }); // DuckDB casts '1.0' to 1
    expect(await typed(three)).toEqual({ ok: true, diff: '' });
    const abc = definition([{ id: 'abc' }, { id: 2 }]);
    await expect(compare(abc)).rejects.toThrow(/Could not convert string 'abc' to INT32/);
    await expect(typed(abc)).rejects.toThrow(/Could not convert string 'abc' to INT32/);
  });

  it("a value the warehouse cannot cast is its error even when it reads as the model's value", async () => {
    const enumResult = await conn.query("select '1'::ENUM('1', '2') as e, 'true'::ENUM('true', 'false') as b");
    for (const row of [{ e: 1 }, { b: true }]) {
      const queries: string[] = [];
      const run = compareUnitTestRows(definition([row]), duckdbAdapter.dialect, enumResult, async (sql) => {
        queries.push(sql);
        return (await conn.query(sql)).rows;
      });
      await expect(run).rejects.toThrow(/Unimplemented type for cast \((INTEGER|BOOLEAN) -> ENUM/);
      expect(queries).toHaveLength(1);
    }
  });

  it('a wrong expected row gives the same diff as the typed comparison', async () => {
    const def = definition([{ id: 1, amount: '1.50', day: '2026-01-02' }, { id: 2, amount: null, day: null }]);
    const got = await compare(def);
    expect(got.queries).toHaveLength(1);
    expect(got.ok).toBe(false);
    expect(got.diff).toBe((await typed(def)).diff);
    expect(got.diff).toBe(['@@,id,day                  ,amount', '→ ,1 ,2026-01-02→2026-01-01,1.5', '  ,2 ,NULL                 ,NULL'].join('\n'));
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

describe('casting expected values in JS', () => {
  it.each([
    ['INTEGER', '3', '3'], ['INT64', 3, '3'], ['BIGINT', 9007199254740993n, '9007199254740993'], ['INTEGER', '3.0', undefined], ['INTEGER', 3.5, undefined], ['INTEGER', ' 3', undefined],
    ['DECIMAL(10,2)', '2.50', '2.5'], ['NUMERIC', 2.5, '2.5'], ['DECIMAL(10,2)', '2.555', undefined], ['DECIMAL(10,2)', '1e2', undefined],
    ['DOUBLE', '1.50', '1.5'], ['FLOAT64', 1e21, '1e+21'], ['FLOAT', 0.1, undefined], ['DOUBLE', 'nan', undefined],
    ['BOOLEAN', 'true', 'true'], ['BOOL', 'yes', undefined], ['VARCHAR', 'x', 'x'], ['STRING', 1, undefined],
    ['DATE', '2026-01-01', '2026-01-01'], ['DATE', '2026-1-1', undefined], ['TIMESTAMP', '2026-01-01T09:00:00.000Z', '2026-01-01T09:00:00.000Z'],
    ["ENUM('a', 'b')", 'a', undefined], ['BLOB', 'abc', undefined], ['INTEGER', null, null],
  ])('%s from %s reads %s', (type, value, text) => {
    const kind = castKind(type);
    expect(kind ? castText(kind, value) : undefined).toBe(text);
  });
});
