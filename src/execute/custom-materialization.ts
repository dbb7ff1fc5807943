/**
 * Models whose `materialized` is a project's (or package's) `{% materialization %}` block: the block runs in the
 * model's run context (templating/materialization-call.ts), its `statement('main')` response is the node's,
 * and the relations it returns are told to the run's relation cache.
 */
import type { Connection, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { indexResolver, runRenderContext } from '../compile/index.js';
import { BUILTIN_MATERIALIZATIONS, findMaterialization, type MacroInfo, type TemplateWarehouse } from '../templating/index.js';
import type { NodeOutcome, RunProject } from './types.js';
import type { NodeRunContext } from './node-runner.js';

/** The block a model runs with, where its `materialized` is none of Strata's own. */
export function customMaterializationOf(p: Pick<RunProject, 'engine' | 'project'>, node: ManifestNode): MacroInfo | undefined {
  const name = String(node.config.materialized);
  if (node.resourceType !== 'model' || BUILTIN_MATERIALIZATIONS.has(name)) return undefined;
  return findMaterialization(p.engine.materializations ?? [], p.project.config.name, name, p.project.target.type);
}

/** The relations a block may have changed besides those it returns: dbt's intermediate and backup names. */
function touched(relation: Relation): Relation[] {
  return ['', '__dbt_tmp', '__dbt_backup'].map((suffix) => ({ ...relation, identifier: relation.identifier + suffix }));
}

export async function runCustomMaterialization(ctx: NodeRunContext, node: ManifestNode, connection: Connection, sql: string, tw: TemplateWarehouse, block: MacroInfo): Promise<NodeOutcome> {
  const { engine } = ctx.prepared;
  const { dialect } = ctx.prepared.adapter;
  const relation = ctx.relations.relationOf(node);
  const cache = ctx.state.on(connection);
  if (!engine.runMaterialization) throw new Error('the template engine cannot run materializations');
  const renderNode = { uniqueId: node.uniqueId, name: node.name, resourceType: node.resourceType, packageName: node.packageName, file: node.originalFilePath, fqn: node.fqn, config: node.config };
  const context = runRenderContext({ dialect, thisRelation: relation, resolver: indexResolver(ctx.relations, node.packageName), warehouse: tw, fullRefresh: ctx.fullRefresh }, ctx.compiler.hookContext(node));
  let outcome;
  try {
    outcome = await engine.runMaterialization(renderNode, block, context, { sql, preHooks: node.config.pre_hook ?? [], postHooks: node.config.post_hook ?? [] });
  } finally {
    // The block ran its own DDL through the adapter: the cache asks the warehouse about these next time.
    for (const r of touched(relation)) cache.forget(r);
  }
  for (const r of outcome.relations) {
    if (r.type === 'table' || r.type === 'view') cache.added(r.relation, r.type);
    else cache.forget(r.relation);
  }
  const rows = outcome.response.rows_affected;
  return {
    status: 'success',
    message: String(outcome.response._message ?? 'OK'),
    ...(typeof rows === 'number' && rows >= 0 ? { rowsAffected: rows } : {}),
    adapterResponse: outcome.response,
    relation: dialect.renderRelation(relation),
    materialized: String(node.config.materialized),
  };
}
