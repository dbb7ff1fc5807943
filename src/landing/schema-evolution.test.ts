/** Which values of a file's column its table's type would not keep as they are (run on DuckDB, in memory). */
import { describe, it, expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { lossyValuesSql } from './schema-evolution.js';

async function lossy(fileType: string, tableType: string, values: string[]): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const c = await instance.connect();
    const reader = `(select cast(v as ${fileType}) as x from (values ${values.map((v) => `(${v})`).join(', ')}) as t(v))`;
    const rows = (await c.runAndReadAll(lossyValuesSql(duckdbDialect, reader, 'x', fileType, tableType))).getRowObjectsJson();
    c.closeSync();
    return Number(rows[0]!.n);
  } finally {
    instance.closeSync();
  }
}

describe('lossyValuesSql', () => {
  it.each([
    ['DOUBLE', 'BIGINT', ['1.0', '2.0'], 0],
    ['DOUBLE', 'BIGINT', ['1.5', '2.0'], 1],
    ['BIGINT', 'INTEGER', ['1', '5000000000'], 1],
    ['TIMESTAMP', 'DATE', ["'2024-01-01 00:00:00'", "'2024-01-01 10:00:00'"], 1],
    ['VARCHAR', 'BIGINT', ["'12'", "'012'", "'1.5'", "'abc'"], 2],
    ['VARCHAR', 'DOUBLE', ["'1.50'", "'2'"], 0],
    ['VARCHAR', 'DATE', ["'2024-01-01'", "'someday'"], 1],
    // Text that says more than the column keeps: a time of day into a DATE, an offset into a TIMESTAMP.
    ['VARCHAR', 'DATE', ["'2024-01-02'", "'2024-01-02 10:30:00'"], 1],
    ['VARCHAR', 'TIMESTAMP', ["'2024-01-01 10:00:00'", "'2024-01-01 10:00:00+05'"], 1],
    ['VARCHAR', 'TIMESTAMP WITH TIME ZONE', ["'2024-01-01 10:00:00+05'", "'2024-01-01'"], 0],
    ['JSON', 'BIGINT', ["'1'", "'1.5'", "'\"q\"'"], 2],
    ['VARCHAR', 'BIGINT', ['null'], 0],
  ])('%s values into %s: %j → %i lossy', async (fileType, tableType, values, n) => {
    expect(await lossy(fileType, tableType, values)).toBe(n);
  });
});
