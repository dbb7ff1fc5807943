import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { MaterializeInput, MaterializeResult } from './types.js';
import { buildAndSwap } from './swap.js';
import { applyIncremental } from './incremental.js';

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

/** Builds one node with its materialization: the strategy decides what, the dialect how. */
export async function materializeNode(input: MaterializeInput): Promise<MaterializeResult> {
  const { node, sql, relation, dialect, connection } = input;
  const materialized = String(node.config.materialized);
  await runHooks(input, node.config.pre_hook ?? []);
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
      await buildAndSwap(connection, dialect, relation, 'table', (target) => connection.execute(dialect.createTableAs(target, sql, { config: node.config, description: node.description })));
      const n = await countRows(input);
      result = { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
      break;
    }
    case 'seed': {
      if (!node.seedFile) throw new Error(`seed ${node.uniqueId} has no file`);
      let loaded = 0;
      await buildAndSwap(connection, dialect, relation, 'table', async (target) => {
        const r = await connection.loadCsv(target, node.seedFile!, { columnTypes: node.config.column_types, delimiter: node.config.delimiter });
        loaded = r.rowsAffected ?? 0;
      });
      result = { status: 'success', message: `INSERT ${loaded}`, rowsAffected: loaded, adapterResponse: { code: 'INSERT', rows_affected: loaded }, relationKind: 'table' };
      break;
    }
    case 'incremental': {
      if (input.quarantine) throw new UserError({ code: 'quarantine-unsupported', severity: 'error', message: `quarantine: true works with materialized='table'; '${node.name}' is incremental`, file: node.originalFilePath, hint: "use materialized='table' for the quarantining model and make a downstream model incremental" });
      const existing = await connection.getRelation(relation);
      const fullRefresh = node.config.full_refresh === false ? false : input.fullRefresh || node.config.full_refresh === true;
      if (!existing || existing.kind !== 'table' || fullRefresh) {
        await buildAndSwap(connection, dialect, relation, 'table', (target) => connection.execute(dialect.createTableAs(target, sql, { config: node.config })));
        const n = await countRows(input);
        result = { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
      } else {
        const { rows, strategy } = await applyIncremental(node, sql, relation, dialect, connection);
        const word = strategy === 'merge' ? 'MERGE' : 'INSERT';
        result = { status: 'success', message: `${word} ${rows}`, rowsAffected: rows, adapterResponse: { code: word, rows_affected: rows, strategy }, relationKind: 'table' };
      }
      break;
    }
    default:
      throw new UserError({ code: 'materialization-unknown', severity: 'error', message: `materialized='${materialized}' is not a materialization Strata knows`, file: node.originalFilePath, hint: 'use view, table, incremental, ephemeral (or seed for CSVs)' });
  }
  await runHooks(input, node.config.post_hook ?? []);
  return result;
}
