import type { Connection, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { renderNodeOf, runRenderContext } from '../compile/index.js';
import { compareUnitTestRows, givenTableSql, macroOverrides, normaliseInput, unitTestFailure, type UnitTestDefinition } from '../data-tests/index.js';
import { templateWarehouse } from './warehouse-state.js';
import { applySessionSecrets, type NodeRunContext } from './node-runner.js';

/**
 * Runs a unit test on the target warehouse itself (as dbt does), creating nothing: each given input is a
 * CTE (`__strata_given_<n>`), the model rendered in the target's SQL with its refs, sources and `this`
 * pointing at those CTEs, and the rows it returns compared with the expected ones.
 */
export async function runUnitTestOnTarget(
  ctx: NodeRunContext,
  node: ManifestNode,
  connection: Connection,
  realRelation: (key: string) => Relation | undefined,
): Promise<NodeOutcome> {
  const def = node.extra?.unitTest as UnitTestDefinition;
  const model = ctx.prepared.graph.manifest.nodes[node.attachedNode!]!;
  const { dialect } = ctx.prepared.adapter;
  const ctes: string[] = [];
  const names = new Map<string, Relation>();
  for (const given of def.given) {
    const key = normaliseInput(given.input);
    const real = realRelation(key);
    // Types come from the real relation when the warehouse has it, in its own spelling; else from the values.
    const columns = real && (await connection.getRelation(real)) ? await connection.getColumns(real) : undefined;
    const rel = { schema: '', identifier: `__strata_given_${ctes.length}` };
    ctes.push(`${dialect.quoteIdentifier(rel.identifier)} as (\n${given.sql ?? givenTableSql(dialect, given.rows, columns)}\n)`);
    names.set(key, rel);
  }
  const missing = (what: string): { error: string; hint: string } => ({ error: `unit test '${def.name}' gives no rows for ${what}`, hint: `add under given:  - input: ${what}\n      rows: []` });
  const resolver = {
    ref: (ref: { name: string }) => names.get(`ref('${ref.name}')`) ?? missing(`ref('${ref.name}')`),
    source: (s: string, t: string) => names.get(`source('${s}', '${t}')`) ?? missing(`source('${s}', '${t}')`),
  };
  const thisRelation = names.get('this') ?? { schema: '', identifier: '__strata_this_not_given' };
  const isIncremental = def.overrides.macros?.is_incremental === true;
  const modelSql = await ctx.prepared.engine.runRender(renderNodeOf(model, ctx.prepared.graph.manifest.packageDirs), model.rawCode, runRenderContext(
    { dialect, thisRelation, resolver, warehouse: templateWarehouse(connection, dialect), isIncremental },
    { varsOverride: def.overrides.vars, ...macroOverrides(def), secretReference: (name) => dialect.secretReference(name) },
  ));
  const sql = `${ctes.length ? `with ${ctes.join(',\n')}\n` : ''}select * from (\n${modelSql}\n) as strata_unit`;
  await applySessionSecrets(ctx, connection);
  const actual = await connection.query(sql);
  const cmp = await compareUnitTestRows(def, dialect, actual, async (expectedSql) => (await connection.query(expectedSql)).rows, plainRow);
  // As dbt's build_unit_test_run_result: no message in run_results.json on a pass.
  // dbt's unit test result carries the adapter's response to its query (dbt-bigquery's SELECT response).
  const adapterResponse = actual.response ?? {};
  if (cmp.ok) return { status: 'pass', message: 'PASS', resultMessage: null, failures: 0, adapterResponse };
  return { status: 'fail', ...unitTestFailure(cmp.diff), failures: 1, adapterResponse, blocksDownstream: true };
}

/** A warehouse client's cell as the embedded path gives it: a timestamp as an ISO instant in milliseconds. */
export function plainCell(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) return new Date(v).toISOString();
  return v;
}

const plainRow = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainCell(v)]));
