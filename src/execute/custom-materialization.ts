/**
 * Models whose `materialized` is a project's (or package's) `{% materialization %}` block: the block runs in the
 * model's run context (templating/materialization-call.ts), its `statement('main')` response is the node's,
 * and the relations it returns are told to the run's relation cache.
 */
import type { Connection, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { runRenderContext } from '../compile/index.js';
import { applyGrants, grantMap, persistDocs } from '../materializations/index.js';
import { isBuiltinMaterialization, findMaterialization, type MacroInfo, type TemplateWarehouse } from '../templating/index.js';
import type { NodeOutcome, RunProject } from './types.js';
import { conventionsOf } from '../adapters/registry.js';
import { UserError } from '../diagnostics/index.js';
import { nodeLog, type NodeRunContext } from './node-runner.js';
import { nodeHookContext } from './node-hook-context.js';
import { blockTransaction } from './block-transaction.js';
import { hookSiteOf } from './hook-site.js';

/** The block a model runs with, where its `materialized` is none of Strata's own. */
export function customMaterializationOf(p: Pick<RunProject, 'engine' | 'project'>, node: ManifestNode): MacroInfo | undefined {
  const name = String(node.config.materialized);
  if (node.resourceType !== 'model' || isBuiltinMaterialization(name, conventionsOf(p.project.target.type)?.materializations)) return undefined;
  return findMaterialization(p.engine.materializations ?? [], p.project.config.name, name, p.project.target.type);
}

/** The relations a block may have changed besides those it returns: dbt's intermediate and backup names. */
function touched(relation: Relation): Relation[] {
  return ['', '__dbt_tmp', '__dbt_backup'].map((suffix) => ({ ...relation, identifier: relation.identifier + suffix }));
}

/** A warehouse error met in the block: its message (or its description, warehouse-error.ts) names the block as well. */
function raisedIn(e: unknown, block: MacroInfo): unknown {
  if (!(e instanceof Error) || e instanceof UserError) return e;
  const where = `raised in materialization '${block.name}' (${block.path}:${block.line})`;
  const err = e as Error & { describe?: () => string; brief?: () => string };
  const wrapped = Object.create(err) as Error & { describe?: () => string; brief?: () => string };
  if (typeof err.describe === 'function') {
    const describe = err.describe.bind(err);
    wrapped.describe = () => `${describe()}\n  ${where}`;
    // The message without the warehouse's excerpt, used when the position is mapped (DuckDB's): named too.
    if (typeof err.brief === 'function') {
      const brief = err.brief.bind(err);
      wrapped.brief = () => `${brief()}\n  ${where}`;
    }
  } else Object.defineProperty(wrapped, 'message', { value: `${err.message}\n  ${where}` });
  return wrapped;
}

export async function runCustomMaterialization(ctx: NodeRunContext, node: ManifestNode, connection: Connection, sql: string, tw: TemplateWarehouse, block: MacroInfo): Promise<NodeOutcome> {
  const { engine } = ctx.prepared;
  const { dialect } = ctx.prepared.adapter;
  const relation = ctx.relations.relationOf(node);
  const cache = ctx.state.on(connection);
  if (!engine.runMaterialization) throw new Error('the template engine cannot run materializations');
  const renderNode = { uniqueId: node.uniqueId, name: node.name, resourceType: node.resourceType, packageName: node.packageName, file: node.originalFilePath, fqn: node.fqn, config: node.config };
  // As dbt's connection: the block's statements open its transaction where the warehouse has them (DuckDB), so a
  // block that drops or renames the old table and then fails leaves it as it was; `transaction: false` hooks run
  // before it begins and after it commits (block-transaction.ts).
  const root = ctx.prepared.project.config.rootDir;
  const tx = blockTransaction(connection, tw, node, dialect.capabilities.transactionalDdl, hookSiteOf(root, ctx.prepared.project.config.configFile, node));
  const context = runRenderContext({ dialect, thisRelation: relation, resolver: ctx.compiler.hookResolver(node), warehouse: tx.warehouse, isIncremental: ctx.compiler.isIncremental(node), fullRefresh: ctx.fullRefresh }, nodeHookContext(ctx, node));
  let outcome;
  try {
    outcome = await engine.runMaterialization(renderNode, block, context, {
      sql,
      preHooks: node.config.pre_hook ?? [],
      postHooks: node.config.post_hook ?? [],
      applyGrants: async (target, type, grants, shouldRevoke) => {
        const wanted = grantMap(grants);
        if (wanted) await applyGrants(connection, dialect, target, type === 'view' ? 'view' : 'table', wanted, shouldRevoke);
      },
    });
    await tx.commit();
  } catch (e) {
    await tx.rollback();
    throw raisedIn(e, block);
  } finally {
    // The block ran its own DDL through the adapter: the cache asks the warehouse about these next time.
    for (const r of touched(relation)) cache.forget(r);
  }
  for (const r of outcome.relations) {
    if (r.type === 'table' || r.type === 'view') cache.added(r.relation, r.type);
    else cache.forget(r.relation);
  }
  // dbt's blocks call persist_docs(); Strata's no-op macro leaves it to here, once the node's relation is built.
  const built = outcome.relations.find((r) => dialect.renderRelation(r.relation) === dialect.renderRelation(relation));
  if (node.config.persist_docs && (built?.type === 'table' || built?.type === 'view')) await persistDocs({ node, relation, kind: built.type, dialect, connection, log: nodeLog(ctx) });
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
