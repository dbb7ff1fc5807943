import type { Connection } from '../adapters/contract.js';
import type { NodeRunRecord } from '../artifacts/index.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode, SourceDefinition } from '../parse/types.js';
import type { CommentedNode } from './query-comments.js';
import type { RunRenderContext } from '../templating/types.js';
import { HISTORY_SCHEMA, HISTORY_TABLE, checkFreshness, recordTestHistory } from '../data-tests/index.js';
import { mapsWithExposures } from '../graph/index.js';
import { runGraph } from './run-graph.js';
import { schedulingParents } from './build-order.js';
import { lastRunTimes } from './critical-path.js';
import { describeNode, runOneNode, type NodeRunContext } from './node-runner.js';
import { hookResults, runProjectHooks } from './project-hooks.js';
import { observeConnection, runFileWriter, type Statement } from './statement-log.js';
import { runRecord, testHistory } from './run-records.js';
import { RenderAhead } from './render-ahead.js';
import { Later } from './later.js';
import { HOOKS_CANCELLED, cancelOnAbort, cancelledOutcome, stoppedByAbort } from './interrupt.js';
import type { RunSession } from './run-session.js';
import type { NodeOutcome, RunProject } from './types.js';

export interface ExecuteSelectionInput {
  /** The command's name, for the `run-started` event. */
  command: string;
  ids: string[];
  session: RunSession;
  node: NodeRunContext;
  /** dbt's `graph` and `selected_resources`, for the project hooks. */
  context: Pick<RunRenderContext, 'graph' | 'selectedResources'>;
  threads: number;
  failFast: boolean;
  signal?: AbortSignal;
  /** `build`: a test's failure skips the children of the node it tests. */
  testsGateChildren: boolean;
}

export interface ExecuteSelectionResult {
  /** on-run-start results, then the nodes', then on-run-end's, as dbt orders them in run_results.json. */
  records: NodeRunRecord[];
  /** The nodes' own results. */
  nodeRecords: NodeRunRecord[];
  diagnostics: Diagnostic[];
  interrupted: boolean;
  hookFailed: boolean;
}

/** on-run-start hooks, the selected nodes in dependency order on the session's threads, on-run-end hooks. */
export async function executeSelection(p: RunProject, input: ExecuteSelectionInput): Promise<ExecuteSelectionResult> {
  const diagnostics: Diagnostic[] = [];
  const nodeRecords: NodeRunRecord[] = [];
  // Ctrl-C cancels what every connection runs, the admin connection's project hooks too.
  const stopListening = cancelOnAbort(input.session, input.signal);
  try {
    return await hooksAndNodes(p, input, diagnostics, nodeRecords);
  } finally {
    stopListening();
  }
}

/** The body of `executeSelection`, with Ctrl-C listened for. */
async function hooksAndNodes(p: RunProject, input: ExecuteSelectionInput, diagnostics: Diagnostic[], nodeRecords: NodeRunRecord[]): Promise<ExecuteSelectionResult> {
  const { ids, session, context } = input;
  const { relations } = input.node;
  const manifest = p.graph.manifest;
  const aborted = (): boolean => input.signal?.aborted === true;
  let interrupted = false;
  let hookFailed = false;
  // A Ctrl-C before a hook's statement starts (while the warehouse opened, between two hooks) fails it at once:
  // the abort has fired already, so nothing would cancel the statement once it runs.
  const admin = stoppedByAbort(session.admin, input.signal);
  const counted = ids.filter((id) => !isEphemeralModel(p, id));
  // As dbt's Concurrency line: before the on-run-start hooks' lines.
  p.reporter.emit({ type: 'run-started', command: input.command, total: counted.length, threads: input.threads, invocationId: p.invocationId });
  const start = await runProjectHooks(p, relations, admin, 'on-run-start', {}, context);
  if (start.failure) {
    hookFailed = true;
    interrupted = aborted();
    diagnostics.push({ code: 'hook-failed', severity: 'error', message: start.failure, ...start.failureAt, hint: startFailureHint(p, interrupted) });
  }
  if (start.failure && (interrupted || skipsNodesAfterStartFailure(p))) {
    // dbt's skip_nodes_if_on_run_start_fails: no node runs; each is skipped (told as dbt's SkippingDetails), and on-run-end still runs.
    const at = new Date().toISOString();
    for (const [i, id] of counted.entries()) {
      nodeRecords.push({ uniqueId: id, status: 'skipped', message: 'skipped: an on-run-start hook failed', resultMessage: null, threadId: 'main', startedAt: at, completedAt: at, executionTime: 0, failures: null });
      if (!interrupted) p.reporter.emit({ type: 'node-finished', index: i + 1, total: counted.length, result: { uniqueId: id, description: describeId(p, relations, id), ...nodeLabel(manifest, id), status: 'skipped', message: 'skipped: an on-run-start hook failed', executionTime: 0 } });
    }
  } else {
    const outcome = await runNodes(p, input);
    interrupted = outcome.interrupted || aborted();
    for (const r of outcome.results.filter((x) => x.hooksCancelled)) {
      diagnostics.push({ code: 'after-commit-cancelled', severity: 'warn', message: `${manifest.nodes[r.uniqueId]?.name ?? r.uniqueId}: ${HOOKS_CANCELLED}`, file: manifest.nodes[r.uniqueId]?.originalFilePath, hint: 'its change stands and retry will not apply it again; run what the hooks do yourself if it matters' });
    }
    input.node.compiler.saveCompiledIndex();
    const historyFailure = await writeTestHistory(p, session, outcome.results);
    if (historyFailure) diagnostics.push(historyFailure);
    for (const r of outcome.results) nodeRecords.push(runRecord(r, manifest.nodes[r.uniqueId], p.scrubber, input.node.compiler.compileTimings.get(r.uniqueId)));
  }
  // As dbt: after Ctrl-C the on-run-end hooks do not run.
  if (interrupted) return { records: [...start.records, ...nodeRecords], nodeRecords, diagnostics, interrupted, hookFailed };
  const end = await runProjectHooks(p, relations, admin, 'on-run-end', {
    results: hookResults(nodeRecords, (id) => {
      const graph = context.graph as { nodes: Record<string, Record<string, unknown>>; sources: Record<string, Record<string, unknown>> } | undefined;
      const n = manifest.nodes[id] ?? manifest.sources[id];
      return graph?.nodes[id] ?? graph?.sources[id] ?? (n ? { unique_id: id, name: n.name, resource_type: n.resourceType } : undefined);
    }),
    schemas: session.schemas.map((s) => s.schema),
    database_schemas: session.schemas.map((s) => [s.database ?? null, s.schema]),
  }, context);
  if (end.failure) {
    hookFailed = true;
    interrupted = aborted();
    diagnostics.push({ code: 'hook-failed', severity: 'error', message: end.failure, ...end.failureAt, hint: aborted() ? 'Ctrl-C cancelled the on-run-end hook' : 'fix the on-run-end hook' });
  }
  return { records: [...start.records, ...nodeRecords, ...end.records], nodeRecords, diagnostics, interrupted, hookFailed };
}

/** The scheduler over the selection: each node on its worker's connection, its statements logged to `target/run/`. */
async function runNodes(p: RunProject, input: ExecuteSelectionInput): ReturnType<typeof runGraph> {
  const { ids, session } = input;
  const { relations } = input.node;
  const manifest = p.graph.manifest;
  const runFiles = runFileWriter(p);
  const renderAhead = new RenderAhead(input.node.compiler, manifest);
  const nodeContext = { ...input.node, renderAhead, comments: session.comments, unitTestWarehouses: session.unitTests };
  const later = new Later();
  // Each worker's connection, observed once: what it runs is told to the node it is running now.
  const told: ((s: Statement) => void)[] = [];
  const observed: Connection[] = [];
  const observedOf = (worker: number): Connection => (observed[worker] ??= observeConnection(stoppedByAbort(session.connectionOf(worker), input.signal), (s) => told[worker]?.(s)));
  const outcome = await runGraph({
    ids,
    // `build` runs the selected exposures too (dbt 1.10), after what they depend on and its tests.
    parents: schedulingParents({ ...p.graph, ...mapsWithExposures(p.graph) }, new Set(ids), input.testsGateChildren),
    // With more ready nodes than threads, the one with the longest chain behind it (as the last run timed it) first.
    ...(input.threads > 1 ? { lastTimes: lastRunTimes(p.targetDir) } : {}),
    threads: input.threads,
    failFast: input.failFast,
    signal: input.signal,
    reporter: p.reporter,
    later,
    ephemeral: (id) => isEphemeralModel(p, id),
    describe: (id) => describeId(p, relations, id),
    label: (id) => nodeLabel(manifest, id),
    ahead: (next) => renderAhead.start(next.map((id) => manifest.nodes[id]).filter((n): n is NonNullable<typeof n> => n !== undefined)),
    runNode: async (id, worker) => {
      // As dbt 1.10's ExposureRunner: nothing to run, a `no-op` result.
      if (manifest.exposures[id]) return { status: 'no-op', message: 'NO-OP' };
      const source = manifest.sources[id];
      if (source) {
        // As dbt's freshness runner: the source's query carries the source's comment.
        const commented = await nodeComment(session, worker, source);
        try {
          return commented ?? (await runFreshnessNode(p, source, session.connectionOf(worker)));
        } finally {
          await session.commentFor(worker, undefined);
        }
      }
      // Each statement is told to the reporter (--debug, the log file) and kept for target/run/.
      const ran: string[] = [];
      // target/run/ holds the statement as the node wrote it, the log as it was sent (with the query comment), as dbt's.
      told[worker] = (s) => {
        ran.push(s.sql);
        const sent = session.asSent(worker, s.sql);
        later.add(() => p.reporter.emit({ type: 'sql', uniqueId: id, sql: sent, elapsed: s.elapsed, ok: s.ok }));
      };
      try {
        // Every statement of the node carries its query comment (the statements outside any node, the master one).
        const commented = await nodeComment(session, worker, manifest.nodes[id]!);
        if (commented) return commented;
        return cancelledOutcome(await runOneNode({ ...nodeContext, threadId: `Thread-${worker + 1}` }, manifest.nodes[id]!, observedOf(worker)), input.signal);
      } finally {
        later.add(() => runFiles.write(manifest.nodes[id]!, ran));
        await session.commentFor(worker, undefined);
      }
    },
  });
  await runFiles.settled();
  return outcome;
}

/** Sets the node's query comment on its worker's connection; a comment that does not render fails the node. */
async function nodeComment(session: RunSession, worker: number, node: CommentedNode): Promise<NodeOutcome | undefined> {
  try {
    await session.commentFor(worker, node);
    return undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { status: 'error', message: e.diagnostics.map((d) => d.message).join('; ') };
  }
}

/**
 * Appends the tests' results to Strata's own history table. That table is Strata's bookkeeping, not the
 * user's data: when it cannot be written (no CREATE SCHEMA right, a view or an older table in its place),
 * the run still ends as its nodes earned, with a warning, its artifacts and its on-run-end hooks.
 */
async function writeTestHistory(p: RunProject, session: RunSession, results: Parameters<typeof testHistory>[0]): Promise<Diagnostic | undefined> {
  try {
    await recordTestHistory(session.admin, p.adapter.dialect, testHistory(results, p.graph.manifest.nodes, p.invocationId));
    return undefined;
  } catch (e) {
    const table = `${HISTORY_SCHEMA}.${HISTORY_TABLE}`;
    const reason = p.scrubber.scrub(e instanceof Error ? e.message : String(e));
    return {
      code: 'test-history-not-written',
      severity: 'warn',
      message: `the tests' results were not appended to Strata's history table ${table}: ${reason}`,
      hint: `let the target's role create schema ${HISTORY_SCHEMA} and write ${table}, or drop what stands in its place (Strata creates the table when it is missing); the tests' results are in run_results.json`,
    };
  }
}

/** What a node's console line says it builds (a source: its freshness check). */
/** A node's name, kind and schema for its output line (an exposure has no schema). */
function nodeLabel(manifest: RunProject['graph']['manifest'], id: string): { name: string; resourceType: string; schema?: string } {
  const n = (manifest.nodes[id] ?? manifest.sources[id] ?? manifest.exposures[id])!;
  return { name: n.name, resourceType: n.resourceType, schema: 'schema' in n ? n.schema : undefined };
}

function describeId(p: RunProject, relations: NodeRunContext['relations'], id: string): string {
  const source = p.graph.manifest.sources[id];
  const exposure = p.graph.manifest.exposures[id];
  if (exposure) return `exposure ${exposure.name}`;
  return source ? `freshness of source ${source.sourceName}.${source.name}` : describeNode(p.graph.manifest.nodes[id]!, relations, p.adapter.dialect);
}

/**
 * dbt's behaviour flag `skip_nodes_if_on_run_start_fails` (project `flags:` only; dbt has no CLI or env form):
 * true by default since dbt 1.12 (and always in dbt 2.0), as dbt's docs now give it; `false` keeps dbt
 * 1.9-1.11's default, where the nodes run after a failed on-run-start hook.
 */
function skipsNodesAfterStartFailure(p: RunProject): boolean {
  return p.project.config.behaviorFlags?.skip_nodes_if_on_run_start_fails !== false;
}

function startFailureHint(p: RunProject, interrupted: boolean): string {
  if (interrupted) return 'Ctrl-C cancelled the on-run-start hook; no node ran';
  if (skipsNodesAfterStartFailure(p)) return 'fix the on-run-start hook; no node ran (as dbt 1.12: set flags: skip_nodes_if_on_run_start_fails: false in the project file to run them anyway)';
  return 'fix the on-run-start hook; the nodes ran anyway (flags: skip_nodes_if_on_run_start_fails is false)';
}

/** dbt runs an ephemeral model (its render can fail) but neither counts it nor records a result for it. */
function isEphemeralModel(p: RunProject, id: string): boolean {
  const node = p.graph.manifest.nodes[id];
  return node?.resourceType === 'model' && node.config.materialized === 'ephemeral';
}

/** `build --check-freshness`: a source past `error_after` is an error, and skips what reads it. */
async function runFreshnessNode(p: RunProject, source: SourceDefinition, connection: Connection): Promise<NodeOutcome> {
  const r = await checkFreshness(connection, p.adapter.dialect, source);
  if (r.status === 'pass') return { status: 'pass', message: r.message };
  if (r.status === 'warn') return { status: 'warn', message: r.message };
  return { status: 'error', message: `source ${source.sourceName}.${source.name} is stale: ${r.message}` };
}
