import type { Connection, Relation } from '../adapters/contract.js';
import type { RelationIndex } from '../compile/index.js';
import { UserError } from '../diagnostics/index.js';
import { executeClone, planClone } from '../materializations/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { StateManifest } from '../select/index.js';
import type { NodeOutcome, RunProject } from './types.js';

/** What `strata clone` needs for each node. */
export interface CloneRunContext {
  p: RunProject;
  state: StateManifest;
  /** The state relation as this target's connection reads it (another DuckDB file is attached under a catalog). */
  locate: (relation: Relation) => Relation;
  relations: RelationIndex;
  fullRefresh: boolean;
}

/** One node of `strata clone`: plan from what the target and the state have, then run the plan. */
export async function runCloneNode(ctx: CloneRunContext, node: ManifestNode, connection: Connection): Promise<NodeOutcome> {
  const { dialect } = ctx.p.adapter;
  const target = ctx.relations.relationOf(node);
  const saved = ctx.state.nodes.get(node.uniqueId)?.relation;
  const state = saved ? ctx.locate(saved) : undefined;
  const relation = dialect.renderRelation(target);
  try {
    const stateExisting = state ? await connection.getRelation(state) : undefined;
    if (state && !stateExisting) return { status: 'error', message: `the state relation ${dialect.renderRelation(state)} does not exist: build it in the state's target first, or leave ${node.name} out of the selection`, relation };
    const plan = planClone({ target, state, stateExisting, existing: await connection.getRelation(target), fullRefresh: ctx.fullRefresh }, dialect);
    if (plan.action === 'skip') {
      ctx.p.reporter.emit({ type: 'info', message: `${node.name}: nothing to clone, ${plan.reason}` });
      return { status: 'success', message: 'No-op', relation };
    }
    const done = await executeClone(connection, dialect, target, plan);
    const what = plan.how === 'zero-copy' ? 'CLONE' : plan.how === 'view' ? 'CREATE VIEW' : `CREATE TABLE${done.rowsAffected === undefined ? '' : ` (${done.rowsAffected} rows)`}`;
    return { status: 'success', message: what, relation, materialized: plan.kind, rowsAffected: done.rowsAffected, adapterResponse: { _message: what, code: plan.how === 'zero-copy' ? 'CLONE' : 'CREATE', ...(done.rowsAffected === undefined ? {} : { rows_affected: done.rowsAffected }) } };
  } catch (e) {
    if (e instanceof UserError) return { status: 'error', message: e.diagnostics.map((d) => d.message).join('; '), relation };
    const describe = (e as { describe?: () => string }).describe;
    return { status: 'error', message: ctx.p.scrubber.scrub(typeof describe === 'function' ? describe.call(e) : (e as Error).message.split('\n')[0]!), relation };
  }
}
