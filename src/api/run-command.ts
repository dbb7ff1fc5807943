import { join } from 'node:path';
import { columnSelectionFor } from './column-selection.js';
import { selectForCommand, stateOption } from './state-option.js';
import { unitTestsWithModels, withoutEmptyNodes, type StateManifest } from '../select/index.js';
import { UserError, emitDiagnostics, formatDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { seedSamples, type SeedSample } from './seed-samples.js';
import { RelationIndex } from '../compile/index.js';
import { constraintWarnings, grantWarnings, type BatchResults } from '../materializations/index.js';
import { hasFreshness } from '../data-tests/index.js';
import { countStatuses, writeManifest, writeRunArtifacts, writeRunResults } from './run-artifacts.js';
import { prepareProject, type PreparedProject, type PrepareOptions } from './prepare.js';
import { EarlyOpen } from '../execute/early-open.js';
import type { Warehouse } from '../adapters/contract.js';
import { planPrepared, type PlanOptions } from './plan-command.js';
import { relationOfCall, type NodeRunContext } from '../execute/node-runner.js';
import { RunSession } from '../execute/run-session.js';
import { runCompiler } from '../execute/run-context.js';
import { templateContext } from '../execute/template-context.js';
import { executeSelection, type ExecuteSelectionResult } from '../execute/execute-selection.js';
import { landingLocationDiagnostics } from '../execute/landing-check.js';
import { isBuiltinMaterialization, duplicateMaterialization, findMaterialization, ignoredOverrides } from '../templating/index.js';
import { adapterTypes, conventionsOf } from '../adapters/registry.js';
import { applyDeferral } from './defer.js';
import { warningsAsErrors } from './warn-error.js';
import { warningFails } from './warn-error-options.js';
import { resourceTypeFilter, splitFlagValues } from './resource-types.js';
import { microbatchTimes } from './event-time-options.js';
import { sampleWindow } from './sample-window.js';
import { sampleHardDeleteDiagnostics } from './sample-hard-deletes.js';
import type { MicrobatchTimes } from '../execute/microbatch-runner.js';
import { profileLine, settingOf } from './profile-line.js';
import type { CommandResult, RunOptions } from './types.js';

export type RunKind = 'run' | 'build' | 'seed' | 'test' | 'land' | 'snapshot';

const RESOURCE_TYPES: Record<RunKind, string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  land: ['landing'],
  snapshot: ['snapshot'],
  // dbt 1.10's build runs exposures too, each a no-op.
  build: ['landing', 'seed', 'model', 'snapshot', 'test', 'unit_test', 'exposure'],
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
  /** `seed --show`: the result carries a sample of each loaded seed's rows (`seedSamples`). */
  show?: boolean;
  /** `seed --show`: given the samples before the run's closing summary is reported, to show them there, as dbt does. */
  onSeedSamples?: (samples: SeedSample[]) => void;
  /** `strata retry`: per microbatch model, the last run's batch_results: its failed batches alone run, its successful ones are listed again. */
  retryBatches?: Record<string, BatchResults>;
}

/** Nodes chosen for a command, and the saved state `--defer` reads. */
interface RunSelection {
  ids: string[];
  state?: StateManifest;
  /** `build`: selected unit tests whose model the command does not build, so they do not run (as dbt's). */
  unitTestsAlone?: string[];
}

/** A phase's early end: the command's result. */
type Stop = { stop: CommandResult };
const stopped = <T extends object>(x: T | Stop): x is Stop => 'stop' in x;

/**
 * `run`, `build`, `seed`, `test`, `land`, `snapshot`: load → select → open warehouse → compile → execute →
 * write artifacts. A mistake found before the warehouse opens ends the command with nothing written to it.
 */
export async function runCommand(kind: RunKind, options: RunCommandOptions): Promise<CommandResult> {
  // The warehouse opens while the project is read, where opening it writes nothing (not beside --max-bytes's own dry run).
  const early = new EarlyOpen();
  try {
    return await runPhases(kind, options.maxBytes === undefined ? { ...options, onTarget: early.start } : options, early);
  } finally {
    await early.discard();
  }
}

async function runPhases(kind: RunKind, options: RunCommandOptions & Pick<PrepareOptions, 'onTarget'>, early: EarlyOpen): Promise<CommandResult> {
  const started = Date.now();
  const loaded = await load(kind, options);
  if (stopped(loaded)) return loaded.stop;
  const { p, types, diagnostics, times } = loaded;
  const selection = await select(p, kind, options, types, diagnostics);
  if (stopped(selection)) return selection.stop;
  if (!selection.ids.length) return nothingToDo(p, kind, options, diagnostics, started, selection.unitTestsAlone);
  const checked = await checkBeforeRun(p, { ...options, sampleWindow: times.sample }, types, selection.ids, diagnostics);
  if (checked) return checked;
  // Warnings about what the warehouse will not enforce fail here, before it opens, when --warn-error(-options) says so.
  const strictBeforeRun = warningsAsErrors(diagnostics, options);
  if (strictBeforeRun) return { exitCode: 2, diagnostics: strictBeforeRun, invocationId: p.invocationId, results: [] };
  // The project's warnings before the run's output, as dbt prints them; the closing report leaves them out.
  emitDiagnostics(p.reporter, diagnostics.filter((d) => d.severity !== 'error'));
  const relations = new RelationIndex(p.graph.manifest);
  const threads = Math.max(1, options.threads ?? p.project.target.threads);
  const session = new RunSession(p);
  let executed: ExecuteSelectionResult;
  try {
    await openWarehouse(p, session, selection, options, relations, threads, early.take());
    const { node, context } = compilePhase(p, session, selection.ids, options, relations, times);
    executed = await executeSelection(p, {
      command: kind, ids: selection.ids, session, node, context, threads,
      failFast: options.failFast ?? false, signal: options.signal, testsGateChildren: kind === 'build',
    });
  } catch (e) {
    await session.close();
    return warehouseFailure(e, p, diagnostics);
  }
  // The warehouse finishes its own writing (DuckDB's checkpoint, on the driver's thread) while manifest.json and
  // the template store are written; the elapsed time, as dbt's, counts the close, so run_results.json comes after.
  const closed = session.close();
  diagnostics.push(...executed.diagnostics);
  p.templateCode?.save();
  writeManifest(p);
  await closed;
  const elapsed = (Date.now() - started) / 1000;
  writeRunResults(p, kind, options, executed.records, elapsed);
  const samples = kind === 'seed' && options.show ? seedSamples(p.graph.manifest, executed.records) : undefined;
  if (samples) options.onSeedSamples?.(samples);
  const result = finish(p, options, executed, diagnostics, elapsed);
  return samples ? { ...result, seedSamples: samples } : result;
}

/** Load: the resource types the command runs, and the project prepared (parsed, graph built). */
async function load(kind: RunKind, options: RunCommandOptions & Pick<PrepareOptions, 'onTarget'>): Promise<{ p: PreparedProject; types: string[]; diagnostics: Diagnostic[]; times: MicrobatchTimes } | Stop> {
  // The run's one "now" for microbatch models, and --event-time-start/--event-time-end checked before anything is read.
  const eventTimes = microbatchTimes(options, new Date());
  const sample = sampleWindow(options.sample, eventTimes.times.now);
  const times = { ...eventTimes.times, ...(options.retryBatches ? { retryBatches: options.retryBatches } : {}), ...(sample.window ? { sample: sample.window } : {}) };
  const typeProblems = [...eventTimes.diagnostics, ...sample.diagnostics, ...resourceTypeFilter(options.resourceTypes).diagnostics, ...resourceTypeFilter(options.excludeResourceTypes, '--exclude-resource-type').diagnostics];
  if (typeProblems.length) return { stop: { exitCode: 2, diagnostics: typeProblems, invocationId: '', results: [] } };
  const outcome = await prepareProject({ ...options, command: kind });
  if (!outcome.ok) return { stop: { exitCode: 2, diagnostics: outcome.diagnostics, invocationId: outcome.invocationId, results: [] } };
  const kindTypes = kind === 'build' && options.checkFreshness ? [...RESOURCE_TYPES.build, 'source'] : RESOURCE_TYPES[kind];
  // As dbt ≥ 1.9's: `test` names data tests, `unit_test` unit tests (`--resource-type test` runs no unit test).
  const only = resourceTypeFilter(options.resourceTypes).types;
  const without = splitFlagValues(options.excludeResourceTypes) ?? [];
  const types = kindTypes.filter((t) => (!only || only.includes(t)) && !without.includes(t));
  return { p: outcome.prepared, types, diagnostics: [...outcome.prepared.diagnostics], times };
}

/** Select: the nodes of the selection (or of the retried run), stopping on a selection error or `--warn-error`. */
async function select(p: PreparedProject, kind: RunKind, options: RunCommandOptions, types: string[], diagnostics: Diagnostic[]): Promise<RunSelection | Stop> {
  const selection = options.onlyIds ? retrySelection(p, options.onlyIds, types, options) : selectForCommand(p, options, types, await columnSelectionFor(p, options));
  selection.ids = withoutEmptyNodes(p.graph.manifest, selection.ids);
  const unitTests = kind === 'build' ? unitTestsWithModels(p.graph, selection.ids) : { ids: selection.ids, alone: [] };
  selection.ids = unitTests.ids;
  if (unitTests.alone.length && selection.ids.length) p.reporter.emit({ type: 'info', message: `${unitTests.alone.length} selected unit test(s) not run: build runs a unit test just before its model, which is not selected (strata test runs unit tests alone)` });
  if (kind === 'build' && options.checkFreshness) selection.ids = selection.ids.filter((id) => !p.graph.manifest.sources[id] || hasFreshness(p.graph.manifest.sources[id]!));
  diagnostics.push(...selection.diagnostics);
  if (selection.diagnostics.some((d) => d.severity === 'error')) return { stop: { exitCode: 2, diagnostics, invocationId: p.invocationId, results: [] } };
  const materializations = materializationDiagnostics(p, selection.ids);
  diagnostics.push(...materializations.filter((d) => d.severity === 'warn'));
  // --warn-error: a warning about the project or the selection stops the command before anything runs.
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { stop: { exitCode: 2, diagnostics: strict, invocationId: p.invocationId, results: [] } };
  // A model whose materialization Strata cannot build stops the command before anything runs.
  const unbuildable = [...materializations.filter((d) => d.severity === 'error'), ...landingLocationDiagnostics(p, selection.ids)];
  if (unbuildable.length) return { stop: { exitCode: 2, diagnostics: [...diagnostics, ...unbuildable], invocationId: p.invocationId, results: [] } };
  return { ids: selection.ids, state: selection.state, unitTestsAlone: unitTests.alone };
}

/** Before the warehouse opens: warnings about what it will not enforce, and the `--max-bytes` budget. */
async function checkBeforeRun(p: PreparedProject, options: RunCommandOptions & Pick<PlanOptions, 'sampleWindow'>, types: string[], ids: string[], diagnostics: Diagnostic[]): Promise<CommandResult | undefined> {
  const manifest = p.graph.manifest;
  const history = options.sampleWindow ? sampleHardDeleteDiagnostics(manifest, ids) : [];
  if (history.length) return { exitCode: 2, diagnostics: [...diagnostics, ...history], invocationId: p.invocationId, results: [] };
  // Contract constraints this warehouse will not create or check, as dbt warns before building.
  const relationOf = relationOfCall(new RelationIndex(manifest), p.adapter.dialect);
  for (const id of ids) if (manifest.nodes[id]?.resourceType === 'model') diagnostics.push(...constraintWarnings(manifest.nodes[id]!, p.adapter.dialect, relationOf));
  diagnostics.push(...grantWarnings(ids.map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => !!n), p.adapter.dialect));
  if (options.maxBytes === undefined) return undefined;
  const estimate = await planPrepared(p, { ...options, resourceTypes: types });
  if (estimate.exitCode === 2) return { exitCode: 2, diagnostics: [...diagnostics, ...estimate.diagnostics.filter((d) => !diagnostics.includes(d))], invocationId: p.invocationId, results: [] };
  if (!estimate.overBudget) return undefined;
  const top = [...estimate.nodes].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0)).slice(0, 3).map((n) => `${n.name} ${(n.bytes ?? 0).toLocaleString('en-US')} bytes`).join(', ');
  diagnostics.push({ code: 'over-budget', severity: 'error', message: `the selected nodes would process ${estimate.totalBytes.toLocaleString('en-US')} bytes (≈ $${estimate.totalCostUsd.toFixed(4)}), more than --max-bytes ${options.maxBytes.toLocaleString('en-US')}; nothing was run. Largest: ${top}`, file: p.project.profilesFile ?? 'profiles.yml', hint: 'narrow the selection, add partition filters, or raise --max-bytes (see strata plan)' });
  return { exitCode: 1, diagnostics, invocationId: p.invocationId, results: [] };
}

/** Open warehouse: schemas, what exists, `--defer`'s relations, a connection per thread. */
async function openWarehouse(p: PreparedProject, session: RunSession, selection: RunSelection, options: RunCommandOptions, relations: RelationIndex, threads: number, opening?: Promise<Warehouse>): Promise<void> {
  await session.open(selection.ids.map((id) => p.graph.manifest.nodes[id]).filter((n): n is ManifestNode => !!n), opening);
  // --defer: unselected parents this target lacks are read where the saved manifest says they are.
  if (options.defer && selection.state) await applyDeferral(p, selection.ids, selection.state, options.favorState === true, session.admin, relations);
  await session.openThreads(threads);
}

/** Compile: the command's compiler, and what each node runner is given. */
function compilePhase(p: PreparedProject, session: RunSession, ids: string[], options: RunCommandOptions, relations: RelationIndex, microbatch: MicrobatchTimes): { node: NodeRunContext; context: ReturnType<typeof templateContext> } {
  const fullRefresh = options.fullRefresh ?? false;
  const context = templateContext(p, ids);
  const compiler = runCompiler(p, { relations, state: session.state, selected: ids, fullRefresh, compiledDir: join(p.targetDir, 'compiled'), emptyInputs: options.empty, sample: microbatch.sample, context: options.storeFailures ? { ...context, storeFailures: true } : context });
  const node = { prepared: p, compiler, relations, state: session.state, fullRefresh, relandChanged: options.relandChanged ?? false, storeFailures: options.storeFailures, warehouse: session.warehouse!, microbatch, threads: Math.max(1, options.threads ?? p.project.target.threads) };
  return { node, context };
}

/** A user mistake the warehouse found (its profile settings), or a warehouse refusing before any node ran. */
function warehouseFailure(e: unknown, p: PreparedProject, diagnostics: Diagnostic[]): CommandResult {
  if (e instanceof UserError) {
    // The warehouse refused its profile settings (a DuckDB path that is a folder): point at the line.
    diagnostics.push(...e.diagnostics.map((d) => (d.code === 'profile-invalid' && !d.line ? { ...d, file: p.project.profilesFile ?? d.file, line: profileLine(p.project.profilesFile, p.project.target.name, settingOf(d.message)) } : d)));
    return { exitCode: 2, diagnostics, invocationId: p.invocationId, results: [] };
  }
  // Permissions, quota, a missing project: one line with the fix.
  const described = (e as { describe?: () => string }).describe;
  if (typeof described !== 'function') throw e;
  diagnostics.push({ code: 'warehouse-error', severity: 'error', message: p.scrubber.scrub(described.call(e)), file: p.project.profilesFile ?? 'profiles.yml' });
  return { exitCode: 1, diagnostics, invocationId: p.invocationId, results: [] };
}

/** The summary event, and the command's result. */
function finish(p: PreparedProject, options: RunCommandOptions, executed: ExecuteSelectionResult, diagnostics: Diagnostic[], elapsed: number): CommandResult {
  const all = executed.records;
  // --warn-error: a test that warned fails the command too.
  // A skip counts too, as dbt's: a model skipped for a failed ephemeral model is the only record of that failure
  // (a skipped exposure does not: dbt's interpret_results leaves it out).
  const failed = executed.hookFailed || executed.nodeRecords.some((r) => r.status === 'error' || (r.status === 'skipped' && !p.graph.manifest.exposures[r.uniqueId]) || r.status === 'fail' || r.status === 'runtime error' || r.status === 'partial success' || (r.status === 'warn' && warningFails('test-warned', options)));
  const status = failed || executed.interrupted ? 'error' : 'success';
  p.reporter.emit({ type: 'run-finished', elapsed, counts: countStatuses(all), status, ...(executed.interrupted ? { interrupted: true } : {}) });
  return { exitCode: status === 'error' ? 1 : 0, diagnostics, invocationId: p.invocationId, results: all };
}

/**
 * No node selected: as dbt, a warning and exit 0, with no warehouse opened and no hook run; the manifest
 * and an empty run_results.json are still written, so a reader of the last run does not see an older one.
 */
function nothingToDo(p: PreparedProject, kind: RunKind, options: RunCommandOptions, diagnostics: Diagnostic[], started: number, unitTestsAlone: string[] = []): CommandResult {
  // A retry whose last run failed only in hooks: dbt's retry reruns nodes, never hooks (its NothingToDo, exit 0).
  const what = options.onlyIds
    ? `the last ${kind} left no node to run again (retry reruns nodes that failed or were skipped, not a failed hook)`
    : unitTestsAlone.length
      ? `build runs a unit test just before its model, and no model of the ${unitTestsAlone.length} selected unit test(s) is selected`
      : options.select?.length || options.exclude?.length ? 'no node matches the selection' : `the project has no node that ${kind} runs`;
  const hint = options.onlyIds
    ? `fix the hook and run strata ${kind} again`
    : unitTestsAlone.length ? 'select their models too (-s <model>), or run them alone with strata test' : 'check --select and --exclude, and that the models are enabled';
  diagnostics.push({ code: 'nothing-to-do', severity: 'warn', message: `nothing to do: ${what}`, file: options.onlyIds ? 'run_results.json' : options.select?.length ? '--select' : p.project.config.configFile, hint });
  writeRunArtifacts(p, kind, options, [], (Date.now() - started) / 1000);
  // dbt's NothingToDo is a warning --warn-error (or warn_error_options naming it) turns into an error.
  const strict = warningsAsErrors(diagnostics, options);
  return { exitCode: strict ? 2 : 0, diagnostics: strict ?? diagnostics, invocationId: p.invocationId, results: [] };
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
  // Exposures (a `build`'s skipped ones) last, as selection orders them.
  if (allowed.has('exposure')) kept.push(...ids.filter((id) => manifest.exposures[id]));
  const gone = ids.filter((id) => !manifest.nodes[id] && !manifest.sources[id] && !manifest.exposures[id] && !id.startsWith('operation.'));
  const diagnostics: Diagnostic[] = gone.length ? [{ code: 'retry-node-gone', severity: 'warn', message: `${gone.length} node(s) of the last run are no longer in the project and are not retried: ${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}`, file: 'run_results.json' }] : [];
  return { ids: kept, diagnostics, state: saved.state };
}

/**
 * Selected models whose materialization Strata cannot run: dbt's `materialized_view` (unless the project has a
 * block of that name), or a name with a `{% materialization %}` block only for other warehouses. An error each,
 * before any node runs. Blocks redefining a built-in that the selection uses: a warning each, once.
 */
/** The warehouses that have `name` as a materialization of their own (dbt-duckdb's `external`). */
const otherWarehouses = (name: string): string[] => adapterTypes.filter((t) => conventionsOf(t)?.materializations?.includes(name));

function materializationDiagnostics(p: PreparedProject, ids: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const blocks = p.engine.materializations ?? [];
  const used = new Set<string>();
  const own = conventionsOf(p.project.target.type)?.materializations;
  for (const id of ids) {
    const n = p.graph.manifest.nodes[id];
    if (!n) continue;
    const m = String(n.config.materialized);
    used.add(m);
    if (n.resourceType !== 'model' || isBuiltinMaterialization(m, own)) continue;
    const duplicate = duplicateMaterialization(blocks, p.project.config.name, m, p.project.target.type);
    if (duplicate && !out.some((d) => d.code === duplicate.code && d.message === duplicate.message)) out.push(duplicate);
    if (findMaterialization(blocks, p.project.config.name, m, p.project.target.type)) continue;
    const elsewhere = blocks.find((x) => x.name === m);
    out.push({
      code: 'materialization-unknown',
      severity: 'error',
      message: elsewhere ? `model '${n.name}' uses materialized='${m}', whose {% materialization %} in ${elsewhere.path}:${elsewhere.line} is for adapter '${elsewhere.adapter}', not '${p.project.target.type}'` : `model '${n.name}' uses materialized='${m}', which is not a materialization Strata has`,
      file: n.originalFilePath,
      hint: elsewhere ? `add {% materialization ${m}, adapter='${p.project.target.type}' %} (or one with default) to the macros` : otherWarehouses(m).length ? `'${m}' is built in on ${otherWarehouses(m).join(', ')} targets only: on this target use table or view` : 'use view, table, incremental or ephemeral, or define it with {% materialization %} in a macro file',
    });
  }
  return [...ignoredOverrides(blocks.filter((b) => used.has(b.name)), p.project.config.name, p.project.target.type, own), ...out];
}

export { formatDiagnostic };
