import type { Connection, Relation } from '../adapters/contract.js';
import { embeddedConventions, loadAdapter } from '../adapters/registry.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { renderNodeOf, runRenderContext } from '../compile/index.js';
import { compareUnitTestRows, foldFixtureColumns, givenTableSql, macroOverrides, normaliseInput, unitTestFailure, type UnitTestDefinition } from '../data-tests/index.js';
import { templateWarehouse } from './warehouse-state.js';
import { applySessionSecrets, type NodeRunContext } from './node-runner.js';
import { runUnitTestOnTarget } from './unit-test-on-target.js';
import { commentConnection } from '../adapters/query-comment.js';

/**
 * Runs a unit test. On the embedded warehouse: in memory, given rows as tables, the model rendered for that
 * warehouse against them, rows compared. On any other target (BigQuery): on the target itself, given rows as
 * CTEs (unit-test-on-target.ts).
 */
export async function runUnitTestNode(ctx: NodeRunContext, node: ManifestNode, warehouseConnection: Connection): Promise<NodeOutcome> {
  const def = node.extra?.unitTest as UnitTestDefinition;
  const manifest = ctx.prepared.graph.manifest;
  const model = manifest.nodes[node.attachedNode!]!;
  const embedded = embeddedConventions();
  if (ctx.prepared.adapter.type !== embedded.type) return runUnitTestOnTarget(ctx, node, warehouseConnection, (key) => realRelation(ctx, model, key));
  const adapter = (await loadAdapter(embedded.type))!;
  const dialect = adapter.dialect;
  const pool = ctx.unitTestWarehouses;
  const memory = await (pool ? pool.take() : adapter.open(embedded.embedded.memoryTarget, { projectRoot: ctx.prepared.project.config.rootDir }));
  const conn = await commentedMemory(ctx, node, await memory.connect());
  try {
    const tables = new Map<string, Relation>();
    let index = 0;
    for (const given of def.given) {
      const key = normaliseInput(given.input);
      const real = realRelation(ctx, model, key);
      // Types come from the real relation when the warehouse has it (as dbt does); otherwise from the values.
      const columns = real && (await warehouseConnection.getRelation(real)) ? await warehouseConnection.getColumns(real) : undefined;
      const rel = { schema: 'main', identifier: `__strata_given_${index++}` };
      const rows = foldFixtureColumns(given.rows, columns?.map((c) => c.name), fixtureName(key));
      if ('error' in rows) return { status: 'error', message: `${rows.error}\n  in unit test ${def.name}` };
      await conn.execute(dialect.createTableAs(rel, given.sql ?? givenTableSql(dialect, rows.rows, columns)));
      tables.set(key, rel);
    }
    const missing = (what: string): { error: string; hint: string } => ({ error: `unit test '${def.name}' gives no rows for ${what}`, hint: `add under given:  - input: ${what}\n      rows: []` });
    const isIncremental = def.overrides.macros?.is_incremental === true;
    const resolver = {
      ref: (ref: { name: string }) => tables.get(`ref('${ref.name}')`) ?? missing(`ref('${ref.name}')`),
      source: (s: string, t: string) => tables.get(`source('${s}', '${t}')`) ?? missing(`source('${s}', '${t}')`),
    };
    const thisRelation = tables.get('this') ?? { schema: 'main', identifier: '__strata_this_not_given' };
    const sql = await ctx.prepared.engine.runRender(renderNodeOf(model, ctx.prepared.graph.manifest.packageDirs), model.rawCode, runRenderContext(
      { dialect: dialect, thisRelation, resolver, warehouse: templateWarehouse(conn, dialect), isIncremental },
      {
        varsOverride: def.overrides.vars,
        ...macroOverrides(def),
        // The embedded warehouse runs the test, so the model renders in its SQL whatever the target's.
        adapterType: embedded.type,
        secretReference: (name) => dialect.secretReference(name),
      },
    ));
    await applySessionSecrets(ctx, conn);
    const actual = await conn.query(sql);
    const expect = foldFixtureColumns(def.expect, actual.columns.map((c) => c.name));
    if ('error' in expect) return { status: 'error', message: `${expect.error}\n  in unit test ${def.name}` };
    const cmp = await compareUnitTestRows({ ...def, expect: expect.rows }, dialect, actual, async (expectedSql) => (await conn.query(expectedSql)).rows);
    // As dbt's build_unit_test_run_result: no message on a pass, failures 0 / 1; dbt-duckdb's adapter response `{_message: 'OK'}`.
    const adapterResponse = { _message: 'OK' };
    if (cmp.ok) return { status: 'pass', message: 'PASS', resultMessage: null, failures: 0, adapterResponse };
    return { status: 'fail', ...unitTestFailure(cmp.diff), failures: 1, adapterResponse, blocksDownstream: true };
  } finally {
    await conn.close();
    if (pool) pool.release(memory);
    else await memory.close();
  }
}

/**
 * The in-memory connection, its statements carrying the unit test's query comment: dbt runs a unit test's
 * statements on a connection named after the test, with the test as the comment's node.
 */
async function commentedMemory(ctx: NodeRunContext, node: ManifestNode, raw: Connection): Promise<Connection> {
  const placement = ctx.comments?.placement;
  return placement ? commentConnection(raw, { ...placement, jobLabel: false }, await ctx.comments!.forNode(node)).connection : raw;
}

function realRelation(ctx: NodeRunContext, model: ManifestNode, key: string): Relation | undefined {
  if (key === 'this') return ctx.relations.relationOf(model);
  const ref = /^ref\('(.+)'\)$/.exec(key);
  if (ref) {
    const t = ctx.relations.resolveRef({ name: ref[1]! });
    return 'error' in t ? undefined : ctx.relations.relationOf(t);
  }
  const src = /^source\('(.+)', '(.+)'\)$/.exec(key);
  if (src) {
    const s = ctx.relations.resolveSource(src[1]!, src[2]!);
    return 'error' in s ? undefined : ctx.relations.relationOf(s);
  }
  return undefined;
}

/** The name dbt gives an input in its fixture errors: the model's or the source table's (`this`: the model tested). */
function fixtureName(key: string): string {
  return /^ref\('(.+)'\)$/.exec(key)?.[1] ?? /^source\('.+', '(.+)'\)$/.exec(key)?.[1] ?? key;
}
