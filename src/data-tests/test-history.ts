import type { Connection, Dialect } from '../adapters/contract.js';

export interface TestHistoryRow {
  invocationId: string;
  uniqueId: string;
  model: string | null;
  columnName: string | null;
  testName: string;
  status: string;
  failures: number | null;
  rowsQuarantined: number | null;
  startedAt: string;
  durationSeconds: number;
}

export const HISTORY_SCHEMA = 'strata_dq';
export const HISTORY_TABLE = 'test_results';

/** Appends one row per test of this invocation to `strata_dq.test_results`, creating it when missing. */
export async function recordTestHistory(connection: Connection, dialect: Dialect, rows: TestHistoryRow[]): Promise<void> {
  if (!rows.length) return;
  const rel = dialect.renderRelation({ schema: HISTORY_SCHEMA, identifier: HISTORY_TABLE });
  await connection.execute(dialect.createSchema(HISTORY_SCHEMA));
  await connection.execute(
    `create table if not exists ${rel} (invocation_id ${dialect.typeName('string')}, unique_id ${dialect.typeName('string')}, model ${dialect.typeName('string')}, column_name ${dialect.typeName('string')}, test_name ${dialect.typeName('string')}, status ${dialect.typeName('string')}, failures ${dialect.typeName('integer')}, rows_quarantined ${dialect.typeName('integer')}, started_at ${dialect.typeName('timestamp')}, duration_seconds ${dialect.typeName('float')})`,
  );
  const q = (v: string | null): string => (v === null ? 'null' : dialect.quoteString(v));
  const n = (v: number | null): string => (v === null || Number.isNaN(v) ? 'null' : String(v));
  const values = rows.map((r) => `(${q(r.invocationId)}, ${q(r.uniqueId)}, ${q(r.model)}, ${q(r.columnName)}, ${q(r.testName)}, ${q(r.status)}, ${n(r.failures)}, ${n(r.rowsQuarantined)}, cast(${q(r.startedAt.replace('T', ' ').replace('Z', ''))} as ${dialect.typeName('timestamp')}), ${n(r.durationSeconds)})`);
  for (let i = 0; i < values.length; i += 500) {
    await connection.execute(`insert into ${rel} values\n${values.slice(i, i + 500).join(',\n')}`);
  }
}
