import type { Connection } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { evaluateTest, testQuery } from '../data-tests/index.js';
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
    await connection.execute(dialect.createSchema(rel.schema, rel.database));
    await buildAndSwap(connection, dialect, rel, kind, (target) => connection.execute(kind === 'view' ? dialect.createViewAs(target, sql) : dialect.createTableAs(target, sql)));
    relation = dialect.renderRelation(rel);
  }
  return {
    status: verdict.status,
    // As dbt: a failing test names the compiled SQL to run by hand.
    message: verdict.status !== 'pass' && node.compiledPath ? `${verdict.message}; compiled code at ${node.compiledPath}` : verdict.message,
    failures: verdict.failures,
    blocksDownstream: verdict.status === 'fail',
    adapterResponse: { code: 'SELECT', rows_affected: verdict.failures },
    relation,
  };
}
