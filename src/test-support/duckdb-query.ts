/** Reads a DuckDB file directly (not through Strata) so tests check what really landed in the warehouse. */
import { DuckDBInstance } from '@duckdb/node-api';

export async function queryDuckDb(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll(sql);
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    conn.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

/** Runs statements on a DuckDB file directly (not through Strata): a test's change to the warehouse behind Strata's back. */
export async function runDuckDb(path: string, statements: string | string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  try {
    const conn = await instance.connect();
    for (const sql of typeof statements === 'string' ? [statements] : statements) await conn.run(sql);
    conn.closeSync();
  } finally {
    instance.closeSync();
  }
}
