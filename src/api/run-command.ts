import { templateContext } from '../execute/template-context.js';
import { columnSelectionFor } from './column-selection.js';
import { selectForCommand, stateOption } from './state-option.js';
import { Ledger } from '../landing/index.js';
import type { Connection, Warehouse } from '../adapters/contract.js';
import type { StateManifest } from '../select/index.js';
import { UserError, formatDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { Compiler, RelationIndex } from '../compile/index.js';
import { runGraph } from '../execute/index.js';
import { constraintWarnings, grantWarnings } from '../materializations/index.js';
import { checkFreshness, hasFreshness, recordTestHistory } from '../data-tests/index.js';
import type { SourceDefinition } from '../parse/types.js';
import type { NodeOutcome } from '../execute/index.js';
import type { NodeRunRecord } from '../artifacts/index.js';
import { countStatuses, runRecord, testHistory, writeRunArtifacts } from './run-artifacts.js';
import { join } from 'node:path';
import { prepareProject, type PreparedProject } from './prepare.js';
import { planPrepared } from './plan-command.js';
import { hookResults, runProjectHooks } from '../execute/project-hooks.js';
import { schedulingParents } from '../execute/build-order.js';
import { RelationCache } from '../execute/relation-cache.js';
import { runOneNode, describeNode, relationOfCall, type NodeRunContext } from '../execute/node-runner.js';
import { applyDeferral } from './defer.js';
import { warningsAsErrors } from './warn-error.js';
import { landingLocationDiagnostics } from '../execute/landing-check.js';
import { resourceTypeFilter } from './resource-types.js';
import { observeConnection, runFileWriter } from '../execute/statement-log.js';
import { profileLine, settingOf } from './profile-line.js';
import type { CommandResult, RunOptions } from './types.js';

export type RunKind = 'run' | 'build' | 'seed' | 'test' | 'land' | 'snapshot';

const RESOURCE_TYPES: Record<RunKind, string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  land: ['landing'],
  snapshot: ['snapshot'],
  build: ['landing', 'seed', 'model', 'snapshot', 'test', 'unit_test'],
};

export interface RunCommandOptions extends RunOptions {
  /** `land` / `build`: reload objects whose ETag changed. */
  relandChanged?: boolean;
  /** `build`: check source freshness first; a source past `error_after` skips everything downstream of it. */
  checkFreshness?: boolean;
  /** Dry-run the selection first and refuse (exit 1, nothing run) when the estimate is above this many bytes. */
  maxBytes?: number;
  /** `build --resource-type` / `--exclude-resource-type` (dbt 1.8): only, or all but, these types. */
  resourceTypes?: string[];
  excludeResourceTypes?: string[];
  /** `--store-failures`: tests store their failing rows unless their config says otherwise. */
  storeFailures?: boolean;
  /** `strata retry`: run exactly these nodes (those of the last run that failed or were skipped), instead of a selection. */
  onlyIds?: string[];
}

/** `run`, `build`, `seed`, `test`, `land`: prepare, select, open the warehouse, execute, write artifacts. */
export async function runCommand(kind: RunKind, options: RunCommandOptions): Promise<CommandResult> {
  const started = Date.now();
  const typeProblems = [...resourceTypeFilter(options.resourceTypes).diagnostics, ...resourceTypeFilter(options.excludeResourceTypes, '--exclude-resource-type').diagnostics];
  if (typeProblems.length) return { exitCode: 2, diagnostics: typeProblems, invocationId: '', results: [] };
  const outcome = await prepareProject(options);
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, invocationId: outcome.invocationId, results: [] };
  const p = outcome.prepared;
  const diagnostics: Diagnostic[] = [...p.diagnostics];
  const kindTypes = kind === 'build' && options.checkFreshness ? [...RESOURCE_TYPES.build, 'source'] : RESOURCE_TYPES[kind];
  // `unit_test` follows `test` when only one is named, as the two are one kind to a user choosing types.
  const named = (list?: string[]): string[] | undefined => (list?.length ? [...list, ...(list.includes('test') ? ['unit_test'] : [])] : undefined);
  const only = named(resourceTypeFilter(options.resourceTypes).types);
  const without = named(options.excludeResourceTypes) ?? [];
  const types = kindTypes.filter((t) => (!only || only.includes(t)) && !without.includes(t));
  const selection = options.onlyIds ? retrySelection(p, options.onlyIds, types, options) : selectForCommand(p, options, types, await columnSelectionFor(p, options));
  if (kind === 'build' && options.checkFreshness) selection.ids = selection.ids.filter((id) => !p.graph.manifest.sources[id] || hasFreshness(p.graph.manifest.sources[id]!));
  diagnostics.push(...selection.diagnostics);
  if (selection.diagnostics.some((d) => d.severity === 'error')) {
    return { exitCode: 2, diagnostics, invocationId: p.invocationId, results: [] };
  }
  // --warn-error: a warning about the project or the selection stops the command before anything runs.
  const strict = warningsAsErrors(diagnostics, options.warnError);
  if (strict) return { exitCode: 2, diagnostics: strict, invocationId: p.invocationId, results: [] };
  const ids = selection.ids;
  const manifest = p.graph.manifest;
  // A model whose materialization Strata cannot build stops the command before anything runs.
  const unbuildable = [...unknownMaterializations(p, ids), ...landingLocationDiagnostics(p, ids)];
  if (unbuildable.length) return { exitCode: 2, diagnostics: [...diagnostics, ...unbuildable], invocationId: p.invocationId, results: [] };
  if (!ids.length) return nothingToDo(p, kind, options, diagnostics, started);
  // Contract constraints this warehouse will not create or check, as dbt warns before building.
  const relationOf = relationOfCall(new RelationIndex(manifest), p.adapter.dialect);
  for (const id of ids) if (manifest.nodes[id]?.resourceType === 'model') diagnostics.push(...constraintWarnings(manifest.nodes[id]!, p.adapter.dialect, relationOf));
  diagnostics.push(...grantWarnings(ids.map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => !!n), p.adapter.dialect));
  if (options.maxBytes !== undefined) {
    const estimate = await planPrepared(p, { ...options, resourceTypes: types });
    if (estimate.exitCode === 2) return { exitCode: 2, diagnostics: [...diagnostics, ...estimate.diagnostics.filter((d) => !diagnostics.includes(d))], invocationId: p.invocationId, results: [] };
    if (estimate.overBudget) {
      const top = [...estimate.nodes].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0)).slice(0, 3).map((n) => `${n.name} ${(n.bytes ?? 0).toLocaleString('en-US')} bytes`).join(', ');
      diagnostics.push({ code: 'over-budget', severity: 'error', message: `the selected nodes would process ${estimate.totalBytes.toLocaleString('en-US')} bytes (≈ $${estimate.totalCostUsd.toFixed(4)}), more than --max-bytes ${options.maxBytes.toLocaleString('en-US')}; nothing was run. Largest: ${top}`, file: p.project.profilesFile ?? 'profiles.yml', hint: 'narrow the selection, add partition filters, or raise --max-bytes (see strata plan)' });
      return { exitCode: 1, diagnostics, invocationId: p.invocationId, results: [] };
    }
  }
  const relations = new RelationIndex(manifest);
  const threads = Math.max(1, options.threads ?? p.project.target.threads);

  let warehouse: Warehouse | undefined;
  const connections: Connection[] = [];
  const records: NodeRunRecord[] = [];
  // on-run-start results first, on-run-end results last, as dbt orders them in run_results.json.
  const hookRecords: NodeRunRecord[] = [];
  const endHookRecords: NodeRunRecord[] = [];
  let interrupted = false;
  let hookFailed = false;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    const admin = await warehouse.connect();
    connections.push(admin);
    const targets = ids.map((id) => manifest.nodes[id]).filter((n): n is NonNullable<typeof n> => !!n && n.resourceType !== 'test' && n.resourceType !== 'unit_test');
    const schemas = uniqueSchemas(targets);
    for (const s of schemas) await admin.execute(p.adapter.dialect.createSchema(s.schema, s.database));
    // The landing ledger is created once, up front: concurrent landing nodes creating it would conflict.
    if (targets.some((n) => n.resourceType === 'landing')) await new Ledger(admin, p.adapter.dialect).ensure();
    // The relation cache: one catalog read per schema for the whole run.
    const state = await RelationCache.load(admin, schemas);
    // --defer: unselected parents this target lacks are read where the saved manifest says they are.
    if (options.defer && selection.state) await applyDeferral(p, ids, selection.state, options.favorState === true, admin, relations);
    for (let i = 1; i < threads; i++) connections.push(await warehouse.connect());

    const fullRefresh = options.fullRefresh ?? false;
    const context = templateContext(p, ids);
    const compiler = new Compiler({
      manifest,
      scrub: (t) => p.scrubber.scrub(t),
      engine: p.engine,
      dialect: p.adapter.dialect,
      relations,
      fullRefresh,
      packageVars: p.project.config.packageVars,
      compiledDir: join(p.targetDir, 'compiled'),
      compiledPathPrefix: join(p.project.config.targetPath, 'compiled'),
      context,
      emptyInputs: options.empty,
      isIncremental: (node) => {
        if (node.config.materialized !== 'incremental') return false;
        const full = node.config.full_refresh ?? fullRefresh;
        if (full) return false;
        return state.get(relations.relationOf(node))?.kind === 'table';
      },
    });
    const ctx: NodeRunContext = { prepared: p, compiler, relations, state, fullRefresh, relandChanged: options.relandChanged ?? false, storeFailures: options.storeFailures, warehouse };
    const start = await runProjectHooks(p, relations, admin, 'on-run-start', {}, context);
    hookRecords.push(...start.records);
    p.reporter.emit({ type: 'run-started', command: kind, total: ids.length, threads, invocationId: p.invocationId });
    if (start.failure) {
      // As dbt 1.9: no node runs after a failed on-run-start hook; each is skipped, and on-run-end still runs.
      diagnostics.push({ code: 'hook-failed', severity: 'error', message: start.failure, file: p.project.config.configFile, hint: 'fix the on-run-start hook; no node ran' });
      hookFailed = true;
      const at = new Date().toISOString();
      for (const id of ids) records.push({ uniqueId: id, status: 'skipped', message: 'skipped: an on-run-start hook failed', threadId: 'main', startedAt: at, completedAt: at, executionTime: 0, failures: null });
    } else {
      const runFiles = runFileWriter(p);
      const outcome = await runGraph({
        ids,
        parents: schedulingParents(p.graph, new Set(ids), kind === 'build'),
        threads,
        failFast: options.failFast ?? false,
        signal: options.signal,
        reporter: p.reporter,
        describe: (id) => (manifest.sources[id] ? `freshness of source ${manifest.sources[id]!.sourceName}.${manifest.sources[id]!.name}` : describeNode(manifest.nodes[id]!, relations, p.adapter.dialect)),
        label: (id) => ({ name: (manifest.nodes[id] ?? manifest.sources[id])!.name, resourceType: (manifest.nodes[id] ?? manifest.sources[id])!.resourceType }),
        runNode: async (id, worker) => {
          const source = manifest.sources[id];
          if (source) return runFreshnessNode(p, source, connections[worker % connections.length]!);
          // Each statement is told to the reporter (--debug, the log file) and kept for target/run/.
          const ran: string[] = [];
          const connection = observeConnection(connections[worker % connections.length]!, (s) => {
            ran.push(s.sql);
            p.reporter.emit({ type: 'sql', uniqueId: id, sql: s.sql, elapsed: s.elapsed, ok: s.ok });
          });
          try {
            return await runOneNode(ctx, manifest.nodes[id]!, connection);
          } finally {
            runFiles.write(manifest.nodes[id]!, ran);
          }
        },
      });
      await runFiles.settled();
      interrupted = outcome.interrupted;
      compiler.saveCompiledIndex();
      await recordTestHistory(admin, p.adapter.dialect, testHistory(outcome.results, manifest.nodes, p.invocationId));
      for (const r of outcome.results) records.push(runRecord(r, manifest.nodes[r.uniqueId], p.scrubber));
    }
    const end = await runProjectHooks(p, relations, admin, 'on-run-end', {
      results: hookResults(records, (id) => manifest.nodes[id] ?? manifest.sources[id]),
      schemas: schemas.map((s) => s.schema),
      database_schemas: schemas.map((s) => [s.database ?? null, s.schema]),
    }, context);
    if (end.failure) {
      hookFailed = true;
      diagnostics.push({ code: 'hook-failed', severity: 'error', message: end.failure, file: p.project.config.configFile, hint: 'fix the on-run-end hook' });
    }
    endHookRecords.push(...end.records);
  } catch (e) {
    if (e instanceof UserError) {
      // The warehouse refused its profile settings (a DuckDB path that is a folder): point at the line.
      diagnostics.push(...e.diagnostics.map((d) => (d.code === 'profile-invalid' && !d.line ? { ...d, file: p.project.profilesFile ?? d.file, line: profileLine(p.project.profilesFile, p.project.target.name, settingOf(d.message)) } : d)));
      return { exitCode: 2, diagnostics, invocationId: p.invocationId, results: records };
    }
    // A warehouse refusing before any node ran (permissions, quota, a missing project): one line with the fix.
    const described = (e as { describe?: () => string }).describe;
    if (typeof described === 'function') {
      diagnostics.push({ code: 'warehouse-error', severity: 'error', message: p.scrubber.scrub(described.call(e)), file: p.project.profilesFile ?? 'profiles.yml' });
      return { exitCode: 1, diagnostics, invocationId: p.invocationId, results: records };
    }
    throw e;
  } finally {
    for (const c of connections) await c.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }

  const elapsed = (Date.now() - started) / 1000;
  // Hook results count like node results, in run_results.json and in the summary line, as in dbt 1.9.
  const all = [...hookRecords, ...records, ...endHookRecords];
  writeRunArtifacts(p, kind, options, all, elapsed);
  // --warn-error: a test that warned fails the command too.
  const failed = hookFailed || records.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'runtime error' || (options.warnError === true && r.status === 'warn'));
  const counts = countStatuses(all);
  p.reporter.emit({ type: 'run-finished', elapsed, counts, status: failed || interrupted ? 'error' : 'success' });
  return { exitCode: failed || interrupted ? 1 : 0, diagnostics, invocationId: p.invocationId, results: all };
}

/**
 * No node selected: as dbt, a warning and exit 0, with no warehouse opened and no hook run; the manifest
 * and an empty run_results.json are still written, so a reader of the last run does not see an older one.
 */
function nothingToDo(p: PreparedProject, kind: RunKind, options: RunCommandOptions, diagnostics: Diagnostic[], started: number): CommandResult {
  const what = options.select?.length || options.exclude?.length ? 'no node matches the selection' : `the project has no node that ${kind} runs`;
  diagnostics.push({ code: 'nothing-to-do', severity: 'warn', message: `nothing to do: ${what}`, file: options.select?.length ? '--select' : p.project.config.configFile, hint: 'check --select and --exclude, and that the models are enabled' });
  writeRunArtifacts(p, kind, options, [], (Date.now() - started) / 1000);
  return { exitCode: 0, diagnostics, invocationId: p.invocationId, results: [] };
}

/** The nodes a retry runs, in graph order: those still in the project, of the command's resource types. */
function retrySelection(p: PreparedProject, ids: string[], types: string[], options: RunCommandOptions): { ids: string[]; diagnostics: Diagnostic[]; state?: StateManifest } {
  // A retried run defers as the run it retries did.
  const saved = stateOption(options);
  if (saved.diagnostics.length) return { ids: [], diagnostics: saved.diagnostics };
  const wanted = new Set(ids);
  const allowed = new Set(types);
  const manifest = p.graph.manifest;
  const kept = p.graph.order.filter((id) => wanted.has(id) && allowed.has(manifest.nodes[id]?.resourceType ?? (manifest.sources[id] ? 'source' : '')));
  const gone = ids.filter((id) => !manifest.nodes[id] && !manifest.sources[id] && !id.startsWith('operation.'));
  const diagnostics: Diagnostic[] = gone.length ? [{ code: 'retry-node-gone', severity: 'warn', message: `${gone.length} node(s) of the last run are no longer in the project and are not retried: ${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}`, file: 'run_results.json' }] : [];
  return { ids: kept, diagnostics, state: saved.state };
}

async function runFreshnessNode(p: PreparedProject, source: SourceDefinition, connection: Connection): Promise<NodeOutcome> {
  const r = await checkFreshness(connection, p.adapter.dialect, source);
  if (r.status === 'pass') return { status: 'pass', message: r.message };
  if (r.status === 'warn') return { status: 'warn', message: r.message };
  return { status: 'error', message: `source ${source.sourceName}.${source.name} is stale: ${r.message}` };
}

const MODEL_MATERIALIZATIONS = new Set(['view', 'table', 'incremental', 'ephemeral']);

/**
 * Selected models with a materialization Strata does not have: dbt's `materialized_view`, or a custom
 * `{% materialization %}` of the project (found, named, not run). An error each, before any node runs.
 */
function unknownMaterializations(p: PreparedProject, ids: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const id of ids) {
    const n = p.graph.manifest.nodes[id];
    if (!n || n.resourceType !== 'model' || MODEL_MATERIALIZATIONS.has(String(n.config.materialized))) continue;
    const m = String(n.config.materialized);
    const custom = p.engine.materializations?.find((x) => x.name === m);
    out.push({
      code: 'materialization-unknown',
      severity: 'error',
      message: custom ? `model '${n.name}' uses materialized='${m}', the custom materialization in ${custom.path}:${custom.line}: Strata does not run custom materializations yet` : `model '${n.name}' uses materialized='${m}', which is not a materialization Strata has`,
      file: n.originalFilePath,
      hint: custom ? 'use view, table, incremental or ephemeral for it, with pre_hook/post_hook for the extra statements, or keep it on dbt' : 'use view, table, incremental or ephemeral',
    });
  }
  return out;
}

function uniqueSchemas(nodes: ManifestNode[]): { schema: string; database?: string }[] {
  const seen = new Map<string, { schema: string; database?: string }>();
  for (const n of nodes) {
    if (n.config.materialized === 'ephemeral' || !n.schema) continue;
    seen.set(`${n.database ?? ''}.${n.schema}`, { schema: n.schema, database: n.database });
  }
  return [...seen.values()];
}

export { formatDiagnostic };
