import { applySessionSecrets } from '../execute/node-runner.js';
import { adapterTypesWith } from '../adapters/registry.js';
import { join, relative } from 'node:path';
import { targetFilePath } from '../parse/index.js';
import { describeWarehouseError } from '../execute/warehouse-error.js';
import { selectForCommand } from './state-option.js';
import type { Connection, Dialect, Relation, Warehouse } from '../adapters/contract.js';
import { partitionSpecOf } from '../adapters/partition-spec.js';
import { maxPartitionDeclaration } from '../materializations/index.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { Compiler, RelationIndex } from '../compile/index.js';
import { testQuery } from '../data-tests/index.js';
import { writeJsonArtifact } from '../artifacts/index.js';
import { prepareProject, type PreparedProject } from './prepare.js';
import { WarehouseState, templateWarehouse } from '../execute/warehouse-state.js';
import { runCompiler } from '../execute/run-context.js';
import type { CommonOptions, ExitCode, SelectionOptions } from './types.js';
import { sampleWindow, type SampleWindow } from './sample-window.js';
import { commentOutsideNodes } from '../execute/query-comments.js';
import { dryRunQuery } from './plan-header.js';

export interface PlanOptions extends CommonOptions, SelectionOptions {
  fullRefresh?: boolean;
  /** Refuse (exit 1) when the estimated total is above this many bytes. */
  maxBytes?: number;
  /** The resource types considered (build's by default). */
  resourceTypes?: string[];
  /** `--sample`'s spec: the estimate is of the sampled SQL (read once, as `build --sample --max-bytes` runs it). */
  sample?: string;
  /** The window of `sample` when the caller has read it already (the run's own, at its "now"). */
  sampleWindow?: SampleWindow;
}

export interface PlannedNode {
  uniqueId: string;
  name: string;
  resourceType: string;
  /** What would run: `table`, `incremental (merge)`, `view`, `test`, `load job`… */
  action: string;
  relation?: string;
  /** Bytes the dry run says the job would process; undefined when it could not be estimated. */
  bytes?: number;
  costUsd?: number;
  note?: string;
  /** What the estimate left out (a `sql_header`'s statements a dry run cannot estimate before the query). */
  caveat?: string;
  error?: string;
  /** Where an error points: the compiled file's line and, where its text allows, the model file's (`… from models/x.sql:8:3`). */
  errorAt?: string;
  /** The node's own file (`models/x.sql`). */
  file?: string;
}

export interface PlanResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  invocationId: string;
  nodes: PlannedNode[];
  totalBytes: number;
  totalCostUsd: number;
  /** Nodes whose cost is unknown (they read relations not built yet). */
  unknown: number;
  pricePerTib: number;
  overBudget: boolean;
}

const TIB = 2 ** 40;

/**
 * `strata plan` (`build --dry-run`): a dry run of every selected node, in graph order, before anything
 * runs — bytes each job would process, the estimated on-demand cost, and the total. Nothing is written.
 */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const sample = sampleWindow(options.sample, new Date());
  if (sample.diagnostics.length) return empty(2, sample.diagnostics, '');
  const outcome = await prepareProject(options);
  if (!outcome.ok) return empty(2, outcome.diagnostics, outcome.invocationId);
  return planPrepared(outcome.prepared, { ...options, sampleWindow: sample.window });
}

const empty = (exitCode: ExitCode, diagnostics: Diagnostic[], invocationId: string): PlanResult => ({ exitCode, diagnostics, invocationId, nodes: [], totalBytes: 0, totalCostUsd: 0, unknown: 0, pricePerTib: 0, overBudget: false });

/** The plan of an already prepared project (so `build --max-bytes` parses once). */
export async function planPrepared(p: PreparedProject, options: PlanOptions): Promise<PlanResult> {
  const diagnostics = [...p.diagnostics];
  const { dialect } = p.adapter;
  if (!dialect.capabilities.dryRun) {
    diagnostics.push({ code: 'dry-run-unsupported', severity: 'error', message: `target '${p.project.target.name}' is ${p.project.target.type}, which has no dry-run cost estimates`, file: p.project.profilesFile ?? 'profiles.yml', hint: `use --target with a ${(await adapterTypesWith('dryRun')).join(' or ')} output; a local warehouse bills nothing` });
    return empty(2, diagnostics, p.invocationId);
  }
  const selection = selectForCommand(p, options, options.resourceTypes ?? ['landing', 'seed', 'model', 'snapshot', 'test']);
  diagnostics.push(...selection.diagnostics);
  if (selection.diagnostics.some((d) => d.severity === 'error')) return empty(2, diagnostics, p.invocationId);
  const manifest = p.graph.manifest;
  const relations = new RelationIndex(manifest);
  const pricePerTib = Number(p.project.target.settings.price_per_tib ?? 6.25);
  let warehouse: Warehouse | undefined;
  let connection: Connection | undefined;
  const nodes: PlannedNode[] = [];
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    connection = await commentOutsideNodes(p, await warehouse.connect());
    await applySessionSecrets({ prepared: p }, connection);
    const targets = selection.ids.map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => !!n);
    const state = await WarehouseState.introspect(connection, targets.filter((n) => n.schema).map((n) => ({ schema: n.schema, database: n.database })));
    const compiler = runCompiler(p, { relations, state, selected: selection.ids, fullRefresh: options.fullRefresh, compiledDir: join(p.targetDir, 'compiled'), sample: options.sampleWindow });
    const tw = templateWarehouse(connection, dialect);
    const conn = connection;
    const estimateOf = async (node: ManifestNode, query: string, compiled = query, declaration?: string): Promise<Estimate> => {
      const sent = await dryRunQuery(p, node, query, relations, tw, declaration);
      const check = await estimate(conn, sent.sql);
      if (check.error && check.cause) return { error: check.error, ...errorLocation(p, node, check.cause, compiled) };
      return sent.note && !check.error ? { ...check, caveat: sent.note } : check;
    };
    for (const node of targets) {
      const planned = await planNode(node, compiler, tw, estimateOf, state, relations, dialect, options.fullRefresh ?? false);
      if (planned.bytes !== undefined) planned.costUsd = (planned.bytes / TIB) * pricePerTib;
      nodes.push({ ...planned, file: node.originalFilePath, error: planned.error && p.scrubber.scrub(planned.error) });
    }
  } catch (e) {
    if (e instanceof UserError) return empty(2, [...diagnostics, ...e.diagnostics], p.invocationId);
    throw e;
  } finally {
    await connection?.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
  const totalBytes = nodes.reduce((n, x) => n + (x.bytes ?? 0), 0);
  const unknown = nodes.filter((x) => x.bytes === undefined && !x.error).length;
  const overBudget = options.maxBytes !== undefined && totalBytes > options.maxBytes;
  const result: PlanResult = { exitCode: nodes.some((x) => x.error) || overBudget ? 1 : 0, diagnostics, invocationId: p.invocationId, nodes, totalBytes, totalCostUsd: (totalBytes / TIB) * pricePerTib, unknown, pricePerTib, overBudget };
  writeJsonArtifact(
    join(p.targetDir, 'plan.json'),
    { metadata: { invocation_id: p.invocationId, generated_at: new Date().toISOString(), price_per_tib_usd: pricePerTib, max_bytes: options.maxBytes ?? null }, total_bytes_processed: totalBytes, total_cost_usd: result.totalCostUsd, unknown_nodes: unknown, over_budget: overBudget, nodes: nodes.map((n) => ({ unique_id: n.uniqueId, resource_type: n.resourceType, action: n.action, relation_name: n.relation ?? null, bytes_processed: n.bytes ?? null, cost_usd: n.costUsd ?? null, note: n.note ?? null, ...(n.caveat ? { caveat: n.caveat } : {}), original_file_path: n.file ?? null, error: n.error ?? null, ...(n.errorAt ? { error_at: n.errorAt } : {}) })) },
    p.scrubber,
  );
  return result;
}

async function planNode(
  node: ManifestNode,
  compiler: Compiler,
  tw: ReturnType<typeof templateWarehouse>,
  estimateOf: (node: ManifestNode, query: string, compiled?: string, declaration?: string) => Promise<Estimate>,
  state: WarehouseState,
  relations: RelationIndex,
  dialect: Dialect,
  fullRefresh: boolean,
): Promise<PlannedNode> {
  const render = (r: Relation): string => dialect.renderRelation(r);
  const base = { uniqueId: node.uniqueId, name: node.name, resourceType: node.resourceType };
  const materialized = String(node.config.materialized ?? '');
  if (node.resourceType === 'landing' || node.resourceType === 'seed') return { ...base, action: 'load job', relation: render(relations.relationOf(node)), bytes: 0, note: 'load jobs are not billed' };
  if (node.resourceType === 'model' && materialized === 'ephemeral') return { ...base, action: 'ephemeral', bytes: 0, note: 'inlined into the models that use it' };
  if (node.resourceType === 'model' && materialized === 'view') {
    const sql = await compiler.compile(node.uniqueId, tw);
    const check = await estimateOf(node, sql);
    return { ...base, action: 'view', relation: render(relations.relationOf(node)), ...(check.error ? { error: check.error, ...(check.errorAt ? { errorAt: check.errorAt } : {}) } : check.missing ? { note: check.missing } : { bytes: 0, note: 'creating a view reads no data', ...(check.caveat ? { caveat: check.caveat } : {}) }) };
  }
  const sql = await compiler.compile(node.uniqueId, tw);
  const query = node.resourceType === 'test' ? testQuery(sql, node.config) : sql;
  const existing = node.resourceType === 'model' ? state.get(relations.relationOf(node)) : undefined;
  const incrementalRun = materialized === 'incremental' && existing?.kind === 'table' && !fullRefresh;
  const action = node.resourceType === 'test' ? 'test' : materialized === 'incremental' ? (incrementalRun ? `incremental (${String(node.config.incremental_strategy ?? (node.config.unique_key ? 'merge' : 'append'))})` : 'incremental (first build)') : materialized || node.resourceType;
  const check = await estimateOf(node, query, sql, incrementalRun ? maxPartitionOf(node, sql, relations.relationOf(node), dialect) : undefined);
  return { ...base, action, ...(node.resourceType === 'model' ? { relation: render(relations.relationOf(node)) } : {}), ...(check.error ? { error: check.error, ...(check.errorAt ? { errorAt: check.errorAt } : {}) } : check.missing ? { note: check.missing } : { bytes: check.bytes, ...(check.caveat ? { caveat: check.caveat } : {}) }) };
}

/** What the incremental run declares before the model's SQL (`_dbt_max_partition`); a bad partition_by is the build's to report. */
function maxPartitionOf(node: ManifestNode, sql: string, target: Relation, dialect: Dialect): string | undefined {
  try {
    return maxPartitionDeclaration(sql, target, dialect, partitionSpecOf(node.config.partition_by));
  } catch {
    return undefined;
  }
}

/** A dry run's answer: bytes, or why none (a relation not built yet, an error); `caveat`: what the estimate left out. */
type Estimate = { bytes?: number; missing?: string; error?: string; errorAt?: string; caveat?: string; cause?: unknown };

async function estimate(connection: Connection, sql: string): Promise<Estimate> {
  try {
    return { bytes: (await connection.dryRun!(sql)).bytesProcessed };
  } catch (e) {
    const err = e as { kind?: string; message?: string };
    if (err.kind === 'not-found') return { missing: `not estimable yet: ${err.message?.split('\n')[0]} (built earlier in this run)` };
    return { error: err.message?.split('\n')[0] ?? String(e), cause: e };
  }
}

/** A dry run's error mapped as a build's: the compiled file's line, and the model file's where its text allows. */
function errorLocation(p: PreparedProject, node: ManifestNode, cause: unknown, compiled: string): { errorAt?: string } {
  const compiledPath = join(relative(p.project.config.rootDir, p.targetDir) || '.', 'compiled', targetFilePath(p.graph.manifest.packageDirs, node));
  const described = describeWarehouseError(cause, node, compiled, compiledPath);
  const at = described?.split('\n').slice(1).map((l) => l.trim().replace(/^at /, '')).join('; ');
  return { errorAt: at || node.originalFilePath };
}
