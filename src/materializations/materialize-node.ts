import { checkSeedCsv } from './seed-csv-check.js';
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { Connection, Relation } from '../adapters/contract.js';
import type { AlongsideStatements, MaterializeInput, MaterializeResult, RelationLookup } from './types.js';
import { buildAndSwap, directLookup, stagingRelation } from './swap.js';
import { applyIncremental } from './incremental.js';
import { materializeMicrobatch } from './microbatch.js';
import { contractDdl, contractEnforced, enforceContract } from './contract.js';
import { applySnapshot } from './snapshot.js';
import { applyGrants, grantsOf } from './grants.js';
import { materializeExternal } from './external.js';
import { persistDocs } from './persist-docs.js';
import { grantAccessTo } from './grant-access.js';
import { hookOf } from '../project/index.js';
import { ChangeCommittedError } from './change-committed.js';
import { checkHookInTransaction, type HookPlace } from './hook-in-transaction.js';
import { asHook } from './failed-hook.js';
import { replaceableInPlace } from './replaceable.js';

/** Nodes that produce a relation when run (ephemerals are inlined, tests are queried). */
export function isRunnable(node: ManifestNode): boolean {
  return node.config.materialized !== 'ephemeral' && ['model', 'seed', 'snapshot'].includes(node.resourceType);
}

/** A hook's SQL and its place in the node's whole list (as the user counts them: a diagnostic says `post-hook 2`). */
interface PlacedHook {
  sql: string;
  index: number;
  place: HookPlace;
}

/** A node's hooks by when they run: dbt's `before_begin`, in the transaction (pre, post), `after_commit`. */
interface NodeHooks {
  beforeBegin: PlacedHook[];
  pre: PlacedHook[];
  post: PlacedHook[];
  afterCommit: PlacedHook[];
}

function hooksOf(node: ManifestNode): NodeHooks {
  const split = (texts: string[] | undefined, place: HookPlace): [PlacedHook[], PlacedHook[]] => {
    const hooks = (texts ?? []).map((text, index) => ({ ...hookOf(text), index, place }));
    return [hooks.filter((h) => h.transaction), hooks.filter((h) => !h.transaction)];
  };
  const [pre, beforeBegin] = split(node.config.pre_hook, 'pre-hook');
  const [post, afterCommit] = split(node.config.post_hook, 'post-hook');
  return { beforeBegin, pre, post, afterCommit };
}

/** The input whose hooks render `is_incremental()` as `isIncremental` (a microbatch model's last batch). */
function withHookAnswer(input: MaterializeInput, isIncremental: boolean): MaterializeInput {
  const render = input.renderHook;
  return render ? { ...input, renderHook: (hook) => render(hook, { isIncremental }) } : input;
}

/** Runs hooks in order; `inTransaction` when they run inside the node's transaction (checked for statements that cannot). */
async function runHooks(input: MaterializeInput, hooks: PlacedHook[], inTransaction = false): Promise<void> {
  for (const { place, index, sql: text } of hooks) {
    const sql = input.renderHook ? await input.renderHook(text) : text;
    if (inTransaction && input.dialect.capabilities.transactionalDdl) checkHookInTransaction(input.node, sql, place, index, input.hookSite?.(place, index));
    if (sql.trim()) await asHook({ place, index, sql }, () => input.connection.execute(sql));
  }
}

/**
 * Rows in the table just built: the warehouse's answer where it gives one (DuckDB; BigQuery's new table's
 * numRows, as dbt-bigquery), else a `count(*)` — left out for a table that refuses an unfiltered query
 * (`require_partition_filter`, when a BigQuery script such as an `sql_header` gave no count).
 */
function countRows(input: MaterializeInput, answered: number | undefined): number | undefined | Promise<number> {
  if (answered !== undefined && input.dialect.capabilities.ctasRowCount) return answered;
  if (input.node.config.require_partition_filter === true) return undefined;
  return input.connection.query(`select count(*) as n from ${input.dialect.renderRelation(input.relation)}`).then((r) => Number(r.rows[0]?.n ?? 0));
}

/**
 * Builds a table with `create table … as` and returns the rows the warehouse says it wrote. An enforced
 * contract is two statements (create, then insert): where DDL is transactional they run in one transaction.
 */
async function createTable(input: MaterializeInput, target: Relation, sql: string, withDescription: boolean): Promise<number | undefined> {
  const { node, dialect, connection } = input;
  const contract = contractDdl(node, input.relationOf, (c) => dialect.quoteIdentifier(c));
  const statement = dialect.createTableAs(target, sql, { config: node.config, ...(withDescription ? { description: node.description } : {}), contract });
  const run = (): Promise<number | undefined> => connection.execute(statement).then((r) => r.rowsAffected);
  return contract && dialect.capabilities.transactionalDdl ? connection.transaction(run) : run();
}

/** A connection that adds up what the warehouse reports per job (BigQuery: bytes processed and billed). */
function metered(connection: Connection): { connection: Connection; usage: () => Record<string, unknown> } {
  const bound = new Map<PropertyKey, { value: unknown; fn: unknown }>();
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
      if (typeof value !== 'function') return value;
      const known = bound.get(prop);
      if (known?.value === value) return known.fn;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      bound.set(prop, { value, fn });
      return fn;
    },
  });
  return { connection: wrapped, usage: () => (seen ? { bytes_processed: processed, bytes_billed: billed, job_id: jobIds.at(-1), job_ids: jobIds } : {}) };
}

/**
 * Builds one node with its materialization: the strategy decides what, the dialect how. As dbt's
 * materializations: the pre-hooks, the build, its docs and grants and the post-hooks run in one transaction
 * where the warehouse has them (DuckDB), so a failing post-hook leaves the previous relation and rows; hooks
 * with `transaction: false` run before it begins and after it commits. A microbatch model commits batch by
 * batch: its post-hooks run in its last batch's transaction. Without transactions (BigQuery) the post-hooks run
 * after the build, as dbt-bigquery's: a failing one leaves the new relation.
 */
export async function materializeNode(input: MaterializeInput): Promise<MaterializeResult> {
  const meter = metered(input.connection);
  const relations = input.cache ?? directLookup(meter.connection);
  const hooks = hooksOf(input.node);
  const metering = { ...input, connection: meter.connection };
  await runHooks(metering, hooks.beforeBegin);
  // Without hooks in it, each strategy's own statements are already atomic: no transaction around them.
  const inTransaction = (hooks.pre.length > 0 || hooks.post.length > 0) && !input.microbatch;
  // Files an external model replaced: kept until the transaction commits, put back if it rolls back.
  const outside: { commit(): void; rollback(): void }[] = [];
  let result: MaterializeResult;
  try {
    const build = (): Promise<MaterializeResult> => buildNode({ ...metering, relations, ...(inTransaction ? { afterwards: (c) => outside.push(c) } : {}) }, hooks);
    result = inTransaction ? await meter.connection.transaction(build) : await build();
  } catch (e) {
    forgetNode(relations, input.relation);
    for (const change of outside.reverse()) change.rollback();
    throw e;
  }
  for (const change of outside) change.commit();
  if (!result.failedBatches) await runHooks(metering, hooks.afterCommit).catch((e: unknown) => Promise.reject(new ChangeCommittedError(result, e)));
  return { ...result, adapterResponse: { ...result.adapterResponse, ...meter.usage() } };
}

/** The node's pre-hooks, relation, docs, grants and post-hooks, telling the relation cache what it built. */
async function buildNode(input: MaterializeInput & { relations: RelationLookup }, hooks: NodeHooks): Promise<MaterializeResult> {
  const { relations } = input;
  // Grants are compared with what the relation has, so whether it existed is asked before it is built.
  const grants = input.dialect.grantSql && input.node.config.materialized !== 'ephemeral' ? grantsOf(input.node) : undefined;
  const existed = grants ? (await relations.get(input.relation)) !== undefined : false;
  const result = await materializeWith(input, hooks);
  // After a failed microbatch batch the table may or may not exist (its first batch creates it): asked again.
  if (result.failedBatches) forgetNode(relations, input.relation);
  else if (input.node.config.materialized !== 'ephemeral') relations.added(input.relation, result.relationKind);
  if (input.node.config.persist_docs && input.node.config.materialized !== 'ephemeral' && !result.failedBatches) {
    await persistDocs({ node: input.node, relation: input.relation, kind: result.relationKind, dialect: input.dialect, connection: input.connection, ...(input.log ? { log: input.log } : {}) });
  }
  if (grants) await applyGrants(input.connection, input.dialect, input.relation, result.relationKind, grants, existed);
  if (input.node.config.grant_access_to && input.node.config.materialized !== 'ephemeral' && !result.failedBatches) {
    await grantAccessTo(input.node, input.relation, result.relationKind, input.connection, input.dialect, input.log);
  }
  return result;
}

/** After a failure the node's relation, and any staging one, may be in either state. */
function forgetNode(relations: RelationLookup, relation: Relation): void {
  relations.forget(relation);
  relations.forget(stagingRelation(relation));
}

async function materializeWith(input: MaterializeInput & { relations: RelationLookup }, hooks: NodeHooks): Promise<MaterializeResult> {
  const { node, relation, dialect, connection, relations } = input;
  const materialized = String(node.config.materialized);
  await runHooks(input, hooks.pre, !input.microbatch);
  // Checked after the pre-hooks (as dbt) and before anything is built: a broken contract leaves the previous relation as it was.
  const sql = materialized === 'seed' || materialized === 'ephemeral' || input.microbatch || !contractEnforced(node) ? input.sql : await enforceContract(node, input.sql, connection, dialect);
  let result: MaterializeResult;
  switch (materialized) {
    case 'ephemeral':
      return { status: 'success', message: 'EPHEMERAL', adapterResponse: {}, relationKind: 'view' };
    case 'view':
      await buildAndSwap(connection, dialect, relation, 'view', (target) => connection.execute(dialect.createViewAs(target, sql, { config: node.config, description: node.description })), relations);
      result = { status: 'success', message: 'OK', adapterResponse: { code: 'CREATE VIEW' }, relationKind: 'view' };
      break;
    case 'table': {
      if (input.quarantine) {
        const { kept, quarantined } = await input.quarantine(relation, sql);
        result = { status: 'success', message: quarantined ? `OK, ${quarantined} quarantined` : 'OK', rowsAffected: kept, adapterResponse: { code: 'CREATE TABLE', rows_affected: kept, rows_quarantined: quarantined }, relationKind: 'table' };
        break;
      }
      let answered: number | undefined;
      const inPlace = await replaceableInPlace(connection, node, relation, relations);
      await buildAndSwap(connection, dialect, relation, 'table', async (target) => (answered = await createTable(input, target, sql, true)), relations, inPlace);
      const n = await countRows(input, answered);
      result = { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
      break;
    }
    case 'seed': {
      if (!node.seedFile) throw new Error(`seed ${node.uniqueId} has no file`);
      // Checked before the old table is touched: a bad file leaves it as it was.
      checkSeedCsv(node.seedFile, node.originalFilePath, node.config.delimiter === undefined ? ',' : String(node.config.delimiter), node.config.quote_columns !== false);
      let loaded = 0;
      await buildAndSwap(connection, dialect, relation, 'table', async (target) => {
        const r = await connection.loadCsv(target, node.seedFile!, { columnTypes: node.config.column_types, delimiter: node.config.delimiter });
        loaded = r.rowsAffected ?? 0;
      }, relations);
      result = { status: 'success', message: `INSERT ${loaded}`, rowsAffected: loaded, adapterResponse: { code: 'INSERT', rows_affected: loaded }, relationKind: 'table' };
      break;
    }
    case 'external':
      result = await materializeExternal(input, sql);
      break;
    case 'incremental':
      result = input.microbatch ? await materializeMicrobatch(input, input.microbatch, (isIncremental) => runHooks(withHookAnswer(input, isIncremental), hooks.post, true)) : await materializeIncremental(input, sql);
      break;
    case 'snapshot': {
      const { rows, created } = await applySnapshot(node, sql, relation, dialect, connection, relations);
      result = { status: 'success', message: created ? `SNAPSHOT ${rows}` : `INSERT ${rows}`, rowsAffected: rows, adapterResponse: { code: created ? 'CREATE TABLE' : 'MERGE', rows_affected: rows }, relationKind: 'table' };
      break;
    }
    default:
      throw new UserError({ code: 'materialization-unknown', severity: 'error', message: `materialized='${materialized}' is not a materialization Strata knows`, file: node.originalFilePath, hint: 'use view, table, incremental, ephemeral (or seed for CSVs)' });
  }
  // A microbatch model's run them in its last batch's transaction.
  // Without transactions the change is in place before the post-hooks run: a failing one cannot undo it.
  if (!input.microbatch) await runHooks(input, hooks.post, true).catch((e: unknown) => Promise.reject(dialect.capabilities.transactionalDdl ? e : new ChangeCommittedError(result, e)));
  return result;
}

async function materializeIncremental(input: MaterializeInput & { relations: RelationLookup }, sql: string): Promise<MaterializeResult> {
  const { node, relation, dialect, connection, relations } = input;
  const existing = await relations.get(relation);
  const fullRefresh = node.config.full_refresh === false ? false : input.fullRefresh || node.config.full_refresh === true;
  if (!existing || existing.kind !== 'table' || fullRefresh) {
    if (input.quarantine) {
      const { kept, quarantined } = await input.quarantine(relation, sql);
      return { status: 'success', message: quarantined ? `OK, ${quarantined} quarantined` : 'OK', rowsAffected: kept, adapterResponse: { code: 'CREATE TABLE', rows_affected: kept, rows_quarantined: quarantined }, relationKind: 'table' };
    }
    let answered: number | undefined;
    const inPlace = await replaceableInPlace(connection, node, relation, relations);
    await buildAndSwap(connection, dialect, relation, 'table', async (target) => (answered = await createTable(input, target, sql, false)), relations, inPlace);
    const n = await countRows(input, answered);
    return { status: 'success', message: 'OK', rowsAffected: n, adapterResponse: { code: 'CREATE TABLE', rows_affected: n }, relationKind: 'table' };
  }
  let strategy = '';
  const apply = async (body: string, alongside?: AlongsideStatements): Promise<{ rows: number }> => {
    const r = await applyIncremental(node, body, relation, dialect, connection, relations, alongside, undefined, input.strategyMacro);
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
