import type { Connection, Dialect } from '../adapters/contract.js';
import type { LandedFile, TestHistoryEntry, WarehouseFacts } from '../docs/index.js';
import { HISTORY_SCHEMA, HISTORY_TABLE } from '../data-tests/test-history.js';
import { LEDGER } from '../landing/ledger.js';

/** Runs of each test and files of each landing node shown on its page. */
const KEEP = 20;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v ?? ''));

async function exists(connection: Connection, schema: string, identifier: string): Promise<boolean> {
  try {
    return (await connection.listRelations(schema)).some((r) => r.identifier.toLowerCase() === identifier);
  } catch {
    return false;
  }
}

function keepNewest<T>(rows: [string, T][]): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const [key, row] of rows) {
    const list = (out[key] ??= []);
    if (list.length < KEEP) list.push(row);
  }
  return out;
}

/**
 * The data-test history (`strata_dq.test_results`) and the landing ledger (`strata_meta.landed_files`)
 * for the docs site, where the tables exist; an empty object on a warehouse that has neither.
 */
export async function readWarehouseFacts(connection: Connection, dialect: Dialect): Promise<WarehouseFacts> {
  const facts: WarehouseFacts = {};
  if (await exists(connection, HISTORY_SCHEMA, HISTORY_TABLE)) {
    const rel = dialect.renderRelation({ schema: HISTORY_SCHEMA, identifier: HISTORY_TABLE });
    const { rows } = await connection.query(`select invocation_id, unique_id, status, failures, rows_quarantined, started_at, duration_seconds from ${rel} order by started_at desc limit 50000`);
    facts.testHistory = keepNewest(rows.map((r): [string, TestHistoryEntry] => [text(r.unique_id), { invocationId: text(r.invocation_id), status: text(r.status), failures: num(r.failures), rowsQuarantined: num(r.rows_quarantined), startedAt: text(r.started_at), durationSeconds: num(r.duration_seconds) }]));
  }
  if (await exists(connection, LEDGER.schema, LEDGER.identifier)) {
    const rel = dialect.renderRelation(LEDGER);
    const { rows } = await connection.query(`select source, key, size, row_count, loaded_at, status, error from ${rel} order by loaded_at desc limit 50000`);
    facts.landedFiles = keepNewest(rows.map((r): [string, LandedFile] => [text(r.source), { key: text(r.key), size: num(r.size), rowCount: num(r.row_count), loadedAt: text(r.loaded_at), status: text(r.status), error: r.error === null || r.error === undefined ? null : text(r.error) }]));
  }
  return facts;
}
