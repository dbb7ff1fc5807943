import { installedVersionWarnings } from '../packages/semver.js';
import { DBT_COMPAT_VERSION } from '../project/dbt-compat.js';
import { resolve } from 'node:path';
import { loadAdapter, adapterTypes, targetRules } from '../adapters/registry.js';
import { DiagnosticBag, SecretScrubber, scrubberFor, silentReporter, type Diagnostic } from '../diagnostics/index.js';
import { FilePrefetch, LazyProjectFile, loadProject } from '../project/index.js';
import type { LoadedProject, ProjectFile } from '../project/types.js';
import type { Adapter } from '../adapters/contract.js';
import { TemplateCodeCache } from '../templating/index.js';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { diskFileSource } from '../project/index.js';
import { readGraphSnapshot, type SnapshotCheck, type SnapshotInputs } from '../graph/index.js';
import { envDigest, parseCacheVars, varDigest } from '../templating/render-scope.js';
import { STRATA_VERSION } from '../artifacts/index.js';
import type { ParseCounts } from '../parse/index.js';
import type { CommonOptions } from './types.js';
import type { RunProject } from '../execute/index.js';
import { newInvocationId } from './invocation.js';
import { ensureDir } from '../adapters/ensure-dir.js';
import { profileLine, settingOf } from './profile-line.js';
import { templateTarget } from './template-target.js';
import { projectEngine, projectMacroFiles } from './project-engine.js';
import { projectGraph, snapshotFacts, type PhaseTimer } from './project-graph.js';

/** Everything known before a warehouse is opened. */
export interface PreparedProject extends RunProject {
  diagnostics: Diagnostic[];
  /** `snapshot` when no project file changed since the last clean parse and its result was reused. */
  /** The stored graph as it was, the stored graph with edited models' SQL (partial parsing), or a parse of the files. */
  parsedFrom: 'snapshot' | 'patched' | 'files';
  /** Identity of the graph in the graph snapshot (read from it or stored into it); the same id, the same graph. */
  graphId?: string;
  /** What the parse did and how long each phase took (seconds), for `target/perf_info.json`. */
  perf: ParsePerf;
  /** Compiled templates (run renders') and macro files, kept for the next command: a command that renders saves them when done. */
  templateCode?: { save(): void };
}

export interface ParsePerf {
  /** false with `--no-partial-parse`. */
  partialParse: boolean;
  pathCount: number;
  /** SQL files rendered by nunjucks, read by the ref/source scanner, or taken from the render cache. */
  counts: ParseCounts;
  /** Files read and hashed on a second thread while macros and property files were parsed (file-prefetch.ts). */
  readAhead: number;
  /** Worker threads that rendered files of this parse, and how many files they rendered (templating/parse-render-pool.ts). */
  renderThreads: { workers: number; files: number };
  elapsed: Record<string, number>;
}

export interface PrepareOptions extends CommonOptions {
  /** Commands that never open a warehouse (ls, parse) work without a profile. */
  profileOptional?: boolean;
  /** Store the parsed graph now, not only once a parse finds no file changed (`strata parse`). */
  storeGraph?: boolean;
  /** The command, as dbt's `flags.WHICH` shows it to run renders (`build`, `test`, `compile`, `run-operation`…). */
  command?: string;
  /** Told the target and its adapter as soon as they are known and valid, while the project is still being read. */
  onTarget?: (target: { project: LoadedProject; adapter: Adapter; invocationId: string }) => void;
}

export type PrepareOutcome = { ok: true; prepared: PreparedProject } | { ok: false; diagnostics: Diagnostic[]; invocationId: string };

/**
 * This build of Strata: its version and when this module was compiled, so a rebuilt Strata never trusts an old
 * snapshot. The CLI's bundle (dist/cli-bundle/, one folder below dist/ as dist/api/ is) names the same file, so the
 * library and the CLI of one build share their caches; run from its sources, this module is its own witness.
 */
const STRATA_BUILD = `${STRATA_VERSION}:${builtAt(new URL('../api/prepare.js', import.meta.url)) ?? builtAt(new URL(import.meta.url)) ?? 0}`;

function builtAt(file: URL): number | undefined {
  return statSync(fileURLToPath(file), { throwIfNoEntry: false })?.mtimeMs;
}

/** What, besides project files and env vars, a parse depends on. */
function snapshotKey(project: LoadedProject, adapterType: string): string {
  // Vars are left out: the snapshot records the vars its parse read, and only those void it; so are the threads
  // (`--threads`), recorded as a var when a render reads `target.threads`. The target path and the airflow: block
  // change nothing a parse reads, so a cache copied into another target path (one per Airflow task) stays valid.
  return createHash('sha256').update(JSON.stringify({ build: STRATA_BUILD, config: { ...project.config, vars: undefined, targetPath: undefined, airflow: undefined }, target: { ...templateTarget(project), threads: undefined }, adapterType })).digest('hex');
}

/**
 * The SQL files a full parse reads, in the order it reads them (parse-project.ts): models first. Seeds are
 * read where they are hashed: a large CSV would be copied between the threads.
 */
const PREFETCH_ORDER: ProjectFile['kind'][] = ['model', 'snapshot', 'analysis', 'test'];

function prefetchSqlFiles(files: ProjectFile[]): number {
  const unread: LazyProjectFile[] = [];
  for (const kind of PREFETCH_ORDER) {
    for (const f of files) if (f.kind === kind && f instanceof LazyProjectFile && f.onDisk && !f.isLoaded() && !f.knowsChecksum()) unread.push(f);
  }
  return FilePrefetch.start(unread) ? unread.length : 0;
}

/** A timer of named phases: `time(phase, f)` runs f and adds its seconds to `elapsed[phase]`. */
function phaseTimer(): { elapsed: Record<string, number>; time: PhaseTimer } {
  const elapsed: Record<string, number> = {};
  const time: PhaseTimer = (phase, f) => {
    const t0 = performance.now();
    try {
      return f();
    } finally {
      elapsed[phase] = (elapsed[phase] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  return { elapsed, time };
}

/**
 * project → parse → graph, with every diagnostic collected. No warehouse is touched here:
 * if anything is wrong the caller stops before opening one.
 */
export async function prepareProject(options: PrepareOptions): Promise<PrepareOutcome> {
  const invocationId = newInvocationId();
  const startedAt = Date.now();
  const { elapsed, time } = phaseTimer();
  const reporter = options.reporter ?? silentReporter;
  const bag = new DiagnosticBag();
  const failed = (): PrepareOutcome => ({ ok: false, diagnostics: bag.items, invocationId });
  const project = loadWithOptions(options, bag, time);
  if (!project || bag.hasErrors) return failed();
  const scrubber = scrubberFor(project.secrets, options.env ?? process.env, options.scrubber ?? new SecretScrubber());
  const adapter = await targetAdapter(project, bag);
  if (!adapter) return failed();
  if (!bag.hasErrors) options.onTarget?.({ project, adapter, invocationId });
  // The snapshot first: while it is valid, the macro files compiled in the parse it stores.
  const targetDir = usableTargetDir(project, options, bag);
  if (targetDir === undefined) return failed();
  const env = options.env ?? process.env;
  const snapshotInputs: SnapshotInputs = { key: snapshotKey(project, adapter.type), files: project.files, env, vars: parseCacheVars(project.config.vars, project.target.threads), fs: diskFileSource, envDigest, varDigest };
  const check: SnapshotCheck = options.noParseCache ? { filesUnchanged: false } : time('read_snapshot', () => readGraphSnapshot(targetDir, snapshotInputs));
  // A full parse is coming: its SQL files are read on another thread meanwhile.
  const readAhead = !check.snapshot && !check.patchable ? prefetchSqlFiles(project.files) : 0;
  const macroFiles = projectMacroFiles(project);
  const sessionSecrets = new Map<string, string>();
  const clean = (text: string): boolean => scrubber.scrub(text) === text;
  const templateCode = options.noParseCache ? undefined : TemplateCodeCache.open(targetDir, STRATA_BUILD, clean);
  const macroCode = options.noParseCache ? undefined : TemplateCodeCache.open(targetDir, STRATA_BUILD, clean, 'macro_code');
  const engine = time('load_macros', () => projectEngine(project, macroFiles, { adapter, env: options.env ?? process.env, command: options.command, scrubber, reporter, sessionSecrets, codeCache: templateCode, macroCodeCache: macroCode, deferMacroCompile: check.snapshot !== undefined || check.patchable !== undefined }));
  bag.merge(engine.diagnostics);
  const built = projectGraph({ project, adapter, engine, check, snapshotInputs, targetDir, env, options, bag, buildId: STRATA_BUILD, time, useSecrets: (names) => addSessionSecrets(names, env, sessionSecrets, scrubber), snapshotFacts: (parsed, diagnostics) => snapshotFacts(parsed, engine, { sessionSecrets, diagnostics, takenAt: startedAt, sqlRead: check.filesUnchanged || options.storeGraph === true, scrubber }) });
  if (bag.hasErrors) return failed();
  const perf: ParsePerf = { partialParse: !options.noParseCache, pathCount: project.files.length, counts: built.counts, readAhead, renderThreads: { workers: engine.parallelStats?.workers ?? 0, files: engine.parallelStats?.byWorkers ?? 0 }, elapsed: { ...elapsed, total: (Date.now() - startedAt) / 1000 } };
  const codeStores = templateCode && macroCode ? { save: () => (templateCode.save(), macroCode.save()) } : undefined;
  return { ok: true, prepared: { project, adapter, engine, graph: built.graph, scrubber, reporter, invocationId, targetDir, templateCode: codeStores, diagnostics: bag.items, sessionSecrets, env, parsedFrom: built.parsedFrom, graphId: built.graphId, perf } };
}

/** The project loaded with the command's options; its diagnostics and the installed packages' version warnings into `bag`. */
function loadWithOptions(options: PrepareOptions, bag: DiagnosticBag, time: PhaseTimer): LoadedProject | undefined {
  const loaded = time('load_project', () => loadProject({
    targetRules,
    projectDir: options.projectDir,
    profilesDir: options.profilesDir,
    target: options.target,
    vars: options.vars,
    threads: options.threads,
    env: options.env,
    targetPath: options.targetPath,
    profile: options.profile,
    profileOptional: options.profileOptional,
  }));
  bag.merge(loaded.diagnostics);
  if (loaded.project) bag.merge(installedVersionWarnings(loaded.project.config.installedPackages, DBT_COMPAT_VERSION));
  return loaded.project;
}

/** The target folder, made if need be; undefined (with the error in `bag`) when it is a file or cannot be made. */
function usableTargetDir(project: LoadedProject, options: PrepareOptions, bag: DiagnosticBag): string | undefined {
  const targetDir = resolve(project.config.rootDir, project.config.targetPath);
  // Before any warehouse write: a target path that is a file, or cannot be made, stops the command here.
  const targetProblem = ensureDir(targetDir, { probe: options.noParseCache === true });
  if (!targetProblem) return targetDir;
  bag.error('target-path-invalid', `target-path '${project.config.targetPath}' cannot be used: ${targetProblem}`, { file: options.targetPath ? '--target-path' : project.config.configFile }, 'point target-path (or --target-path) at a folder Strata can create and write, such as target');
  return undefined;
}

/** secret() values are set on each warehouse session; a cached parse knows the names, the values come from env. */
function addSessionSecrets(names: string[], env: NodeJS.ProcessEnv, sessionSecrets: Map<string, string>, scrubber: SecretScrubber): void {
  for (const name of names) {
    const value = env[name];
    if (value === undefined || sessionSecrets.has(name)) continue;
    sessionSecrets.set(name, value);
    scrubber.add(value, { explicit: true });
  }
}

/** The adapter of the project's target, its settings checked; undefined (with the error in `bag`) for an unknown type. */
async function targetAdapter(project: LoadedProject, bag: DiagnosticBag): Promise<Adapter | undefined> {
  const adapter = await loadAdapter(project.target.type);
  if (!adapter) {
    bag.error('adapter-unknown', `profile target '${project.target.name}' has type '${project.target.type}', which Strata does not support`, { file: project.profilesFile ?? 'profiles.yml', line: profileLine(project.profilesFile, project.target.name, 'type') }, `use one of: ${adapterTypes.join(', ')}`);
    return undefined;
  }
  for (const problem of adapter.validateTarget?.(project.target) ?? []) {
    bag.error('profile-invalid', problem, { file: project.profilesFile ?? 'profiles.yml', line: profileLine(project.profilesFile, project.target.name, settingOf(problem)) });
  }
  return adapter;
}
