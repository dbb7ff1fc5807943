import { checkSeedCsv } from './seed-csv-check.js';
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { Connection } from '../adapters/contract.js';
import type { AlongsideStatements, MaterializeInput, MaterializeResult } from './types.js';
import { buildAndSwap } from './swap.js';
import { applyIncremental } from './incremental.js';
import { contractDdl, enforceContract } from './contract.js';
import { applySnapshot } from './snapshot.js';
import { applyGrants, grantsOf } from './grants.js';

/** Nodes that produce a relation when run (ephemerals are inlined, tests are queried). */
export function isRunnable(node: ManifestNode): boolean {
  return node.config.materialized !== 'ephemeral' && ['model', 'seed', 'snapshot'].includes(node.resourceType);
}

async function runHooks(input: MaterializeInput, hooks: string[]): Promise<void> {
  for (const hook of hooks) {
    const sql = input.renderHook ? await input.renderHook(hook) : hook;
    if (sql.trim()) await input.connection.execute(sql);
  }
}

async function countRows(input: MaterializeInput): Promise<number> {
  const r = await input.connection.query(`select count(*) as n from ${input.dialect.renderRelation(input.relation)}`);
  return Number(r.rows[0]?.n ?? 0);
}

/** A connection that adds up what the warehouse reports per job (BigQuery: bytes processed and billed). */
function metered(connection: Connection): { connection: Connection; usage: () => Record<string, unknown> } {
  let processed = 0;
  let billed = 0;
  let seen = false;
  const jobIds: string[] = [];
  const execute = async (sql: string): Promise<Awaited<ReturnType<Connection['execute']>>> => {
    const r = await connection.execute(sql);
    if (r.bytesProcessed !== undefined || r.bytesBilled !== undefined) seen = true;
    processed += r.bytesProcessed ?? 0;
    billed += r.bytesBilled ?? 0;
    if (r.jobId) jobIds.push(r.jobId);
    return r;
  };
  // Every other member goes to the real connection, with `this` bound to it (its state stays in one place).
  const wrapped = new Proxy(connection, {
    get(target, prop) {
      if (prop === 'execute') return execute;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { connection: wrapped, usage: () => (seen ? { bytes_processed: processed, bytes_billed: billed, job_id: jobIds.at(-1), job_ids: jobIds } : {}) };
}

/** Builds one node with its materialization: the strategy decides what, the dialect how. */
export async function materializeNode(input: MaterializeInput): Promise<MaterializeResult> {
  const meter = metered(input.connection);
  // Grants are compared with what the relation has, so whether it existed is asked before it is built.
  const grants = input.dialect.grantSql && input.node.config.materialized !== 'ephemeral' ? grantsOf(input.node) : undefined;
  const existed = grants ? (await input.connection.getRelation(input.relation)) !== undefined : false;
  const result = await materializeWith({ ...input, connection: meter.connection });
  await persistColumnDocs({ ...input, connection: meter.connection }, result);
  if (grants) await applyGrants(meter.connection, input.dialect, input.relation, result.relationKind, grants, existed);
  return { ...result, adapterResponse: { ...result.adapterResponse, ...meter.usage() } };
}

/** `persist_docs: {columns: true}` where the dialect can (BigQuery): column descriptions on the table. */
async function persistColumnDocs(input: MaterializeInput, result: MaterializeResult): Promise<void> {
  const docs = input.node.config.persist_docs as { columns?: boolean } | undefined;
  if (!docs?.columns || !input.dialect.columnDescriptions || result.relationKind !== 'table' || input.node.config.materialized === 'ephemeral') return;
  const columns = Object.values(input.node.columns ?? {}).map((c) => ({ name: c.name, dataType: '', description: c.description }));
  for (const statement of input.dialect.columnDescriptions(input.relation, columns)) await input.connection.execute(statement);
}

async function materializeWith(input: MaterializeInput): Promise<MaterializeResult> {
  const { node, relation, dialect, connection } = input;
  const materialized = String(node.config.materialized);
  await runHooks(input, node.config.pre_hook ?? []);
  // Checked after the pre-hooks (as dbt) and before anything is built: a broken contract leaves the previous relation as it was.
  const sql = materialized === 'seed' || materialized === 'ephemeral' ? input.sql : await enforceContract(node, input.sql, connection, dialect);
  let result: MaterializeResult;
  switch (materialized) {
    case 'ephemeral':
      return { status: 'success', message: 'EPHEMERAL', adapterResponse: {}, relationKind: 'view' };
    case 'view':
      await buildAndSwap(connection, dialect, relation, 'view', (target) => connection.execute(dialect.createViewAs(target, sql, { config: node.config, description: node.description })));
      result = { status: 'success', message: 'OK', adapterResponse: { code: 'CREATE VIEW' }, relationKind: 'view' };
      break;
    case 'table': {
      if (input.quarantine) {
        const { kept, quarantined } = await input.quarantine(relation, sql);
        result = { status: 'success', message: quarantined ? `OK, ${quarantined} quarantined` : 'OK', rowsAffected: kept, adapterResponse: { code: 'CREATE TABLE', rows_affected: kept, rows_quarantined: quarantined }, relationKind: 'table' };
        break;
      }
      await buildAndSwap(connection, dialect, relation, 'table', (target) => connection.execute(dialect.createTableAs(target, sql, { config: node.config, description: node.description, contract: contractDdl(node, input.relationOf, (c) => dialect.quoteIdentifier(c)) })));
      const n = await countRows(input);
      result = { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
      break;
    }
    case 'seed': {
      if (!node.seedFile) throw new Error(`seed ${node.uniqueId} has no file`);
      // Checked before the old table is touched: a bad file leaves it as it was.
      checkSeedCsv(node.seedFile, node.originalFilePath, node.config.delimiter === undefined ? ',' : String(node.config.delimiter));
      let loaded = 0;
      await buildAndSwap(connection, dialect, relation, 'table', async (target) => {
        const r = await connection.loadCsv(target, node.seedFile!, { columnTypes: node.config.column_types, delimiter: node.config.delimiter });
        loaded = r.rowsAffected ?? 0;
      });
      result = { status: 'success', message: `INSERT ${loaded}`, rowsAffected: loaded, adapterResponse: { code: 'INSERT', rows_affected: loaded }, relationKind: 'table' };
      break;
    }
    case 'incremental':
      result = await materializeIncremental(input, sql);
      break;
    case 'snapshot': {
      const { rows, created } = await applySnapshot(node, sql, relation, dialect, connection);
      result = { status: 'success', message: created ? `SNAPSHOT ${rows}` : `INSERT ${rows}`, rowsAffected: rows, adapterResponse: { code: created ? 'CREATE TABLE' : 'MERGE', rows_affected: rows }, relationKind: 'table' };
      break;
    }
    default:
      throw new UserError({ code: 'materialization-unknown', severity: 'error', message: `materialized='${materialized}' is not a materialization Strata knows`, file: node.originalFilePath, hint: 'use view, table, incremental, ephemeral (or seed for CSVs)' });
  }
  await runHooks(input, node.config.post_hook ?? []);
  return result;
}

async function materializeIncremental(input: MaterializeInput, sql: string): Promise<MaterializeResult> {
  const { node, relation, dialect, connection } = input;
  const existing = await connection.getRelation(relation);
  const fullRefresh = node.config.full_refresh === false ? false : input.fullRefresh || node.config.full_refresh === true;
  if (!existing || existing.kind !== 'table' || fullRefresh) {
    if (input.quarantine) {
      const { kept, quarantined } = await input.quarantine(relation, sql);
      return { status: 'success', message: quarantined ? `OK, ${quarantined} quarantined` : 'OK', rowsAffected: kept, adapterResponse: { code: 'CREATE TABLE', rows_affected: kept, rows_quarantined: quarantined }, relationKind: 'table' };
    }
    await buildAndSwap(connection, dialect, relation, 'table', (target) => connection.execute(dialect.createTableAs(target, sql, { config: node.config, contract: contractDdl(node, input.relationOf, (c) => dialect.quoteIdentifier(c)) })));
    const n = await countRows(input);
    return { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
  }
  let strategy = '';
  const apply = async (body: string, alongside?: AlongsideStatements): Promise<{ rows: number }> => {
    const r = await applyIncremental(node, body, relation, dialect, connection, alongside);
    strategy = r.strategy;
    return r;
  };
  const word = (): string => (strategy === 'merge' ? 'MERGE' : 'INSERT');
  if (input.quarantine) {
    const { kept, quarantined } = await input.quarantine(relation, sql, apply);
    return { status: 'success', message: `${word()} ${kept}${quarantined ? `, ${quarantined} quarantined` : ''}`, rowsAffected: kept, adapterResponse: { code: word(), rows_affected: kept, rows_quarantined: quarantined, ...(strategy ? { strategy } : {}) }, relationKind: 'table' };
  }
  const { rows } = await apply(sql);
  return { status: 'success', message: `${word()} ${rows}`, rowsAffected: rows, adapterResponse: { code: word(), rows_affected: rows, strategy }, relationKind: 'table' };
}
