import type { Connection } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { evaluateTest, failingRowsSql, testQuery } from '../data-tests/index.js';
import { buildAndSwap } from '../materializations/index.js';
import { templateWarehouse } from './warehouse-state.js';
import { runUnitTestNode } from './unit-test-runner.js';
import { applySessionSecrets, nodeLog, type NodeRunContext } from './node-runner.js';

/**
 * Where a test keeps its failing rows, as dbt 1.7+: `store_failures_as` (table, view, or ephemeral for
 * nowhere) wins over `store_failures: true` (a table).
 */
function storedAs(node: ManifestNode, flag: boolean): 'table' | 'view' | undefined {
  const as = node.config.store_failures_as;
  if (as === 'table' || as === 'view') return as;
  if (as === 'ephemeral') return undefined;
  // `--store-failures` for every test whose config does not decide (`store_failures: false` still wins).
  return node.config.store_failures === true || (flag && node.config.store_failures === undefined) ? 'table' : undefined;
}

/** The schemas a run's tests have created for their failing rows, each once: by the run's relation cache. */
const createdSchemas = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Creates the schema of a test's stored failures once per run: tests on several threads creating the same
 * schema at once conflict on DuckDB ("Catalog write-write conflict"), so the others wait for the first.
 */
function schemaCreated(ctx: NodeRunContext, connection: Connection, rel: { database?: string; schema: string }): Promise<unknown> {
  let made = createdSchemas.get(ctx.state);
  if (!made) createdSchemas.set(ctx.state, (made = new Map()));
  const key = `${rel.database ?? ''}\u0000${rel.schema}`;
  let pending = made.get(key);
  if (!pending) {
    pending = connection.execute(ctx.prepared.adapter.dialect.createSchema(rel.schema, rel.database));
    // A failed create is tried again by the next test, not remembered.
    pending.catch(() => made!.delete(key));
    made.set(key, pending);
  }
  return pending;
}

/** Runs a data test: compile, count failures against thresholds, store failing rows when asked. */
export async function runTestNode(ctx: NodeRunContext, node: ManifestNode, connection: Connection): Promise<NodeOutcome> {
  const { dialect } = ctx.prepared.adapter;
  if (node.resourceType === 'unit_test') return runUnitTestNode(ctx, node, connection);
  const sql = await ctx.compiler.compile(node.uniqueId, templateWarehouse(connection, dialect), nodeLog(ctx));
  await applySessionSecrets(ctx, connection);
  const result = await connection.query(testQuery(sql, node.config));
  const verdict = evaluateTest(result.rows[0] ?? {}, node.config);
  let relation: string | undefined;
  const kind = storedAs(node, ctx.storeFailures === true);
  if (kind) {
    const rel = { database: node.database, schema: node.schema, identifier: node.alias };
    await schemaCreated(ctx, connection, rel);
    const rows = failingRowsSql(sql, node.config);
    await buildAndSwap(connection, dialect, rel, kind, (target) => connection.execute(kind === 'view' ? dialect.createViewAs(target, rows) : dialect.createTableAs(target, rows)));
    relation = dialect.renderRelation(rel);
  }
  return {
    status: verdict.status,
    // As dbt: a failing test names the compiled SQL to run by hand (on the console; run_results.json holds
    // dbt's build_test_run_result message: none on a pass, `Got N results, configured to …` otherwise).
    message: verdict.status !== 'pass' && node.compiledPath ? `${verdict.message}; compiled code at ${node.compiledPath}` : verdict.message,
    resultMessage: verdict.status === 'pass' ? null : verdict.message,
    failures: verdict.failures,
    blocksDownstream: verdict.status === 'fail',
    // As dbt's execute_data_test: the adapter's response to the test query (dbt-duckdb `{_message: 'OK'}`).
    adapterResponse: result.response ?? {},
    relation,
  };
}
