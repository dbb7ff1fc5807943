import { join, relative } from 'node:path';
import { readDependency, targetFilePath } from '../parse/index.js';
import { describeWarehouseError } from './warehouse-error.js';
import type { Connection, Dialect, Warehouse } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { renderNodeOf, runRenderContext, type Compiler, type RelationIndex } from '../compile/index.js';
import { ChangeCommittedError, failedHook, headerOptions, isMicrobatch, materializeNode, uniqueKeyOf, type MicrobatchRun } from '../materializations/index.js';
import { microbatchRun, type MicrobatchTimes } from './microbatch-runner.js';
import { buildWithQuarantine, mergeWithQuarantine, quarantineRules, rowLevelTests, type ApplyIncremental } from '../data-tests/index.js';
import type { NodeOutcome } from './index.js';
import { UserError, formatDiagnostic } from '../diagnostics/index.js';
import type { RunProject } from './types.js';
import type { RelationCache } from './relation-cache.js';
import { templateWarehouse } from './warehouse-state.js';
import { runTestNode } from './test-runner.js';
import type { RenderAhead } from './render-ahead.js';
import { customMaterializationOf, runCustomMaterialization } from './custom-materialization.js';
import { nodeHookContext } from './node-hook-context.js';
import type { QueryComments } from './query-comments.js';
import { hookSiteOf } from './hook-site.js';
import { strategyMacroRun } from './strategy-macro-run.js';
import { incrementalStrategiesOf } from '../adapters/incremental-strategies.js';
import { writeConflictDiagnostic } from './write-conflict.js';
import type { UnitTestWarehouses } from './unit-test-warehouses.js';

export interface NodeRunContext {
  prepared: RunProject;
  compiler: Compiler;
  relations: RelationIndex;
  /** The run's relation cache: read once per schema at the start, updated as nodes build. */
  state: RelationCache;
  fullRefresh: boolean;
  relandChanged: boolean;
  /** `--store-failures`: tests whose config does not say store their failing rows. */
  storeFailures?: boolean;
  warehouse: Warehouse;
  /** Models rendered while they waited for a thread (render-ahead.ts). */
  renderAhead?: RenderAhead;
  /** The run's time for microbatch models ("now", `--event-time-start`/`--event-time-end`, retried batches). */
  microbatch?: MicrobatchTimes;
  /** dbt's `thread_id` in the node's hooks: the name of the thread running it (`Thread-2`), as run_results.json has it. */
  threadId?: string;
  /** The project's `query-comment`: the statements a unit test runs in its own in-memory DuckDB carry the test's. */
  comments?: QueryComments;
  /** The command's threads (`--threads`, else the profile's), for the diagnostic of two nodes writing one table. */
  threads?: number;
  /** The in-memory warehouses unit tests take on the embedded warehouse (opened ahead, closed off their path). */
  unitTestWarehouses?: UnitTestWarehouses;
}


/** A `ref('x')` or `source('s', 't')` written in YAML (a foreign key's `to:`), as the dialect renders its relation. */
export function relationOfCall(relations: RelationIndex, dialect: Dialect): (call: string) => string | undefined {
  return (call) => {
    const dep = readDependency(call);
    if (!dep || 'metric' in dep) return undefined;
    const found = 'ref' in dep ? relations.resolveRef(dep.ref) : relations.resolveSource(dep.source.source, dep.source.table);
    return 'error' in found ? undefined : dialect.renderRelation(relations.relationOf(found));
  };
}

/** `table model silver.complaints`, `seed file main.customers`, `test not_null_x_id`. */
export function describeNode(node: ManifestNode, relations: RelationIndex, dialect: Dialect): string {
  void dialect;
  const rel = relations.relationOf(node);
  const label = `${rel.schema}.${rel.identifier}`;
  switch (node.resourceType) {
    case 'model':
      return `sql ${node.config.materialized} model ${label}`;
    case 'seed':
      return `seed file ${label}`;
    case 'test':
      return `test ${node.name}`;
    case 'unit_test':
      // As dbt's: `unit_test <model>::<name>` (its unique id is unit_test.<package>.<model>.<name>).
      return `unit_test ${node.uniqueId.split('.')[2]}::${node.name}`;
    case 'landing':
      return `landing ${label}`;
    default:
      return `${node.resourceType} ${label}`;
  }
}

/** Runs one node on a thread's connection. User errors become an `error` outcome with file:line. */
export async function runOneNode(ctx: NodeRunContext, node: ManifestNode, connection: Connection): Promise<NodeOutcome> {
  try {
    if (node.resourceType === 'test' || node.resourceType === 'unit_test') return await runTestNode(ctx, node, connection);
    if (node.resourceType === 'landing') {
      // Landing replaces its table through its own path: the cache asks the warehouse next time.
      ctx.state.forget(ctx.relations.relationOf(node));
      // Loaded with the first landing node: object stores and file formats are no concern of a run without one.
      const { runLandingNode } = await import('./landing-runner.js');
      return await runLandingNode(ctx, node, connection);
    }
    return await runBuildableNode(ctx, node, connection);
  } catch (e) {
    if (e instanceof ChangeCommittedError) return withCommitted(ctx, node, e, failedOutcome(ctx, node, e.failure));
    return failedOutcome(ctx, node, e);
  }
}

function failedOutcome(ctx: NodeRunContext, node: ManifestNode, e: unknown): NodeOutcome {
  if (e instanceof UserError) return { status: 'error', message: e.diagnostics.map(formatDiagnostic).join('\n') };
  // A test's query wraps its compiled SQL: a warehouse error's position is told in the test's compiled file (and its own file, for a singular test).
  const mapped = node.compiledCode && node.compiledPath ? describeWarehouseError(e, node, node.compiledCode, node.compiledPath) : undefined;
  const message = mapped ?? (e instanceof Error ? e.message : String(e));
  return { status: 'error', message: ctx.prepared.scrubber.scrub(`${message}\n  in ${node.originalFilePath}`) };
}

/** A node whose change was committed before `e.failure`: its error outcome, keeping what the change was. */
function withCommitted(ctx: NodeRunContext, node: ManifestNode, e: ChangeCommittedError, failed: NodeOutcome): NodeOutcome {
  const { dialect } = ctx.prepared.adapter;
  const { message, rowsAffected, adapterResponse } = e.result;
  return { ...failed, committed: { message, rowsAffected, adapterResponse, relation: dialect.renderRelation(ctx.relations.relationOf(node)), materialized: String(node.config.materialized) } };
}

/** Makes the `secret()` values known so far available to the connection's statements. */
export async function applySessionSecrets(ctx: { prepared: Pick<RunProject, 'sessionSecrets'> }, connection: Connection): Promise<void> {
  if (!connection.setSessionSecret) return;
  for (const [name, value] of ctx.prepared.sessionSecrets) await connection.setSessionSecret(name, value);
}

/**
 * The connection, setting the `secret()` values known so far before each statement: for SQL run while a
 * template renders (`run_query` in `run-operation`, `show`), whose secrets are known only as it renders.
 */
export function withSessionSecrets(p: Pick<RunProject, 'adapter' | 'sessionSecrets'>, connection: Connection): Connection {
  return new Proxy(connection, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== 'execute' && key !== 'query') return value.bind(target);
      return async (...args: unknown[]) => {
        await applySessionSecrets({ prepared: p }, target);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function runBuildableNode(ctx: NodeRunContext, node: ManifestNode, connection: Connection): Promise<NodeOutcome> {
  const tw = templateWarehouse(connection, ctx.prepared.adapter.dialect);
  if (isMicrobatch(node)) return runMicrobatchNode(ctx, node, connection, tw);
  const pending = ctx.renderAhead?.takeUnrecorded(node.uniqueId);
  const ahead = pending && (await pending);
  const log = nodeLog(ctx);
  // What a render done ahead logged, shown now as if it had rendered in its turn.
  for (const message of ahead?.logs ?? []) log(message);
  const sql = ahead?.sql ?? (await ctx.compiler.compile(node.uniqueId, tw, log));
  // A render done ahead is recorded (compiled_code, its compiled file) once its statement is on its way to the
  // warehouse, which then need not wait for the file; the node finishes only when it is recorded.
  const recorded = ahead ? afterThisTurn(ahead.record) : undefined;
  let outcome: NodeOutcome;
  try {
    outcome = await materializeCompiled(ctx, node, connection, sql, tw);
  } catch (e) {
    await recorded?.catch(() => undefined);
    const compiledPath = join(relative(ctx.prepared.project.config.rootDir, ctx.prepared.targetDir) || '.', 'compiled', targetFilePath(ctx.prepared.graph.manifest.packageDirs, node));
    const cause = e instanceof ChangeCommittedError ? e.failure : e;
    const conflict = conflictOf(ctx, node, cause);
    const mapped = conflict ?? describeWarehouseError(cause, node, sql, compiledPath);
    if (mapped === undefined) throw e;
    const failed: NodeOutcome = { status: 'error', message: ctx.prepared.scrubber.scrub(conflict ?? `${mapped}${hookNote(ctx, node, cause)}\n  in ${node.originalFilePath}`) };
    return e instanceof ChangeCommittedError ? withCommitted(ctx, node, e, failed) : failed;
  }
  await recorded;
  return outcome;
}

/** The hook whose statement raised `e`, and where it is written: `\n  in post-hook 2 (models/m.sql:1)`; else ''. */
function hookNote(ctx: NodeRunContext, node: ManifestNode, e: unknown): string {
  const hook = failedHook(e);
  if (!hook) return '';
  const site = hookSiteOf(ctx.prepared.project.config.rootDir, ctx.prepared.project.config.configFile, node)(hook.place, hook.index);
  return `\n  in ${hook.place} ${hook.index + 1}${site ? ` (${site.file}${site.line ? `:${site.line}` : ''})` : ''}`;
}

/** Two transactions writing one table at once (write-conflict.ts): the diagnostic's text, else undefined. */
function conflictOf(ctx: NodeRunContext, node: ManifestNode, e: unknown): string | undefined {
  const { project, graph } = ctx.prepared;
  const d = writeConflictDiagnostic(e, { node, nodes: Object.values(graph.manifest.nodes), relationOf: (n) => ctx.relations.relationOf(n), siteOf: hookSiteOf(project.config.rootDir, project.config.configFile, node), threads: ctx.threads ?? project.target.threads });
  return d && formatDiagnostic(d);
}

/** A microbatch model: rendered batch by batch as it runs (never ahead); a failed batch fails the node, the others stay. */
async function runMicrobatchNode(ctx: NodeRunContext, node: ManifestNode, connection: Connection, tw: ReturnType<typeof templateWarehouse>): Promise<NodeOutcome> {
  const times = ctx.microbatch ?? { now: new Date() };
  const run = microbatchRun(node, times, ctx.compiler, ctx.prepared.adapter.dialect, tw, nodeLog(ctx));
  try {
    return await materializeCompiled(ctx, node, connection, '', tw, run);
  } catch (e) {
    const compiledPath = join(relative(ctx.prepared.project.config.rootDir, ctx.prepared.targetDir) || '.', 'compiled', node.packageName, node.originalFilePath);
    const conflict = conflictOf(ctx, node, e);
    const mapped = conflict ?? describeWarehouseError(e, node, node.compiledCode ?? '', compiledPath);
    if (mapped === undefined) throw e;
    return { status: 'error', message: ctx.prepared.scrubber.scrub(conflict ?? `${mapped}\n  in ${node.originalFilePath}`) };
  }
}

/**
 * Where a node's render logs (`log(…, info=True)`, `print()`): shown after its START line, which the scheduler
 * queues for the end of this turn of the event loop (later.ts), so each line waits for that turn too.
 */
export function nodeLog(ctx: NodeRunContext): (message: string) => void {
  const { reporter, scrubber } = ctx.prepared;
  return (message) => setImmediate(() => reporter.emit({ type: 'info', message: scrubber.scrub(message) }));
}

/** `work` once this turn of the event loop is over: after the statements the current code is sending have gone out. */
function afterThisTurn(work: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => setImmediate(() => work().then(resolve, reject)));
}

async function materializeCompiled(ctx: NodeRunContext, parsed: ManifestNode, connection: Connection, sql: string, tw: ReturnType<typeof templateWarehouse>, microbatch?: MicrobatchRun): Promise<NodeOutcome> {
  const { dialect } = ctx.prepared.adapter;
  const relation = ctx.relations.relationOf(parsed);
  // Taken before the node builds: its hooks answer `is_incremental()` as its SQL did, the post-hooks of the run
  // that creates the table included.
  const isIncremental = ctx.compiler.isIncremental(parsed);
  const renderHook = async (hook: string, options?: { isIncremental?: boolean; extraContext?: Record<string, unknown> }): Promise<string> => {
    const more = nodeHookContext(ctx, parsed);
    return ctx.prepared.engine.runRender(
      renderNodeOf(parsed, ctx.prepared.graph.manifest.packageDirs),
      hook,
      runRenderContext({ dialect, thisRelation: relation, resolver: ctx.compiler.hookResolver(parsed), warehouse: tw, isIncremental: options?.isIncremental ?? isIncremental, fullRefresh: ctx.fullRefresh }, options?.extraContext ? { ...more, extraContext: { ...more.extraContext, ...options.extraContext } } : more),
    );
  };
  // A sql_header from YAML is kept as written (as hooks are) and rendered here, where `this` and `target` are known.
  const header = parsed.config.sql_header;
  const node = typeof header === 'string' && /\{[{%]/.test(header) ? { ...parsed, config: { ...parsed.config, sql_header: await renderHook(header) } } : parsed;
  if (ctx.prepared.sessionSecrets.size) await applySessionSecrets(ctx, connection);
  const custom = customMaterializationOf(ctx.prepared, node);
  if (custom) return runCustomMaterialization(ctx, node, connection, sql, tw, custom);
  const wantsQuarantine = node.config.quarantine === true || node.config.quarantine === 'true';
  const quarantine = wantsQuarantine
    ? (() => {
        const rules = quarantineRules(rowLevelTests(node, Object.values(ctx.prepared.graph.manifest.nodes)), dialect, (ref) => {
          const t = ctx.relations.resolveRef(ref);
          return 'error' in t ? undefined : ctx.relations.relationOf(t);
        });
        return (rel: typeof relation, body: string, incremental?: ApplyIncremental) =>
          incremental ? mergeWithQuarantine(connection, dialect, rel, body, rules, uniqueKeyOf(node), incremental, headerOptions(node)) : buildWithQuarantine(connection, dialect, rel, body, rules, headerOptions(node));
      })()
    : undefined;
  const result = await materializeNode({
    node,
    sql,
    relation,
    dialect,
    connection,
    cache: ctx.state.on(connection),
    quarantine,
    fullRefresh: ctx.fullRefresh,
    relationOf: relationOfCall(ctx.relations, dialect),
    log: nodeLog(ctx),
    ...(microbatch ? { microbatch } : {}),
    projectRoot: ctx.prepared.project.config.rootDir,
    ...(typeof ctx.prepared.project.target.settings.external_root === 'string' ? { externalRoot: ctx.prepared.project.target.settings.external_root } : {}),
    renderHook,
    strategyMacro: strategyMacroRun(ctx.prepared.engine, node, incrementalStrategiesOf(dialect), renderHook),
    hookSite: hookSiteOf(ctx.prepared.project.config.rootDir, ctx.prepared.project.config.configFile, node),
  });
  return {
    status: result.failedBatches ? (result.partialSuccess ? 'partial success' : 'error') : 'success',
    message: result.failedBatches ? ctx.prepared.scrubber.scrub(`${result.failedBatches}\n  in ${node.originalFilePath}`) : result.message,
    ...(result.batchResults ? { batchResults: result.batchResults } : {}),
    rowsAffected: result.rowsAffected,
    adapterResponse: result.adapterResponse,
    relation: dialect.renderRelation(relation),
    materialized: String(node.config.materialized),
  };
}
