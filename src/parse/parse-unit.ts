import type { ProjectFile } from '../project/types.js';
import type { ParseRenderResult, RenderNode } from '../templating/types.js';
import { hexDigest, hookOf } from '../project/index.js';
import type { ManifestNode, NodeConfig, ResourceType } from './types.js';
import { finalConfig, folderConfig } from './node-config.js';
import type { Patch, VersionPatch } from './schema-yaml.js';
import { versionedPatch } from './model-versions.js';
import { secretEnvDiagnostics } from './secret-env-check.js';
import { notUtf8Diagnostics } from './text-check.js';
import { fqnOf, nodeNameOf } from './relation-namer.js';
import { overrideTree } from './package-project.js';
import { hookCalls, hookSite } from './hook-calls.js';
import { buildNode } from './build-node.js';
import type { ParseRun } from './parse-run.js';
import type { ModelParseFacts } from './parse-options.js';

/** The resource kinds a file (or a YAML snapshot entry) gives a node of. */
export type NodeKind = Exclude<ResourceType, 'source'>;

/** A model version: its model's patch and the version's entry in it. */
export interface VersionOf {
  of: Patch;
  v: VersionPatch;
}

/**
 * One node from one file (a snapshot file gives one per block, each as a file of its own whose text is the
 * block's body). `ownCode`: the node's SQL is `f.contents` itself, not the file on disk read later.
 */
export interface Unit {
  f: ProjectFile;
  name: string;
  resourceType: NodeKind;
  /** The project file's configs for this kind's folders (`models:`, `seeds:`, …). */
  tree: Record<string, unknown>;
  patches: Map<string, Patch> | undefined;
  ownCode: boolean;
  version?: VersionOf;
}

/** A unit with what is known of it before its render. */
export interface PreparedUnit extends Unit {
  fqn: string[];
  patch: Patch | undefined;
  patchConfig: Record<string, unknown>;
  uniqueId: string;
}

/** A unit's render: from the cache, or fresh with the config its template saw. */
type RenderSource = ParseRenderResult | { fresh: ParseRenderResult; config: Record<string, unknown> } | undefined;

const DEFAULT_MATERIALIZED: Partial<Record<ResourceType, string>> = { model: 'view', seed: 'seed', test: 'test', snapshot: 'snapshot', analysis: 'view' };

export const configDigest = (config: Record<string, unknown>): string => hexDigest('sha1', JSON.stringify(config)).slice(0, 16);

/** Queues `unit`'s render (none for a seed, none when cached); the node is built after `flushRenders`, in this order. */
export function queueUnit(run: ParseRun, unit: Unit): void {
  const { cfg, options } = run;
  const { f, name, resourceType, tree, version } = unit;
  // A snapshot block's fqn has its file's name too, as dbt's: [project, folders…, file, snapshot]; a model version's ends in `v<n>`.
  const fqn = resourceType === 'snapshot' && f.path.endsWith('.sql') ? [...fqnOf(cfg.name, f.pathInResource, nodeNameOf(f.path)), name] : version ? [...fqnOf(cfg.name, f.pathInResource, name), `v${version.v.v}`] : fqnOf(cfg.name, f.pathInResource, name);
  const patch = version ? versionedPatch(version.of, version.v) : unit.patches?.get(name);
  const patchConfig = patch ? run.renderProperty(patch.config ?? {}, `the config of '${patch.name}'`, { file: patch.file, line: patch.line }) : {};
  const uniqueId = version ? `${resourceType}.${cfg.name}.${name}.v${version.v.v}` : `${resourceType}.${cfg.name}.${name}`;
  const prepared: PreparedUnit = { ...unit, fqn, patch, patchConfig, uniqueId };
  let cached: ParseRenderResult | undefined;
  let renderNode: RenderNode | undefined;
  if (resourceType !== 'seed') {
    const overrides = options.rootOverrides;
    // The config its template sees (`config.get`): project folders and YAML. A render is reused for the same one only.
    const seenConfig = (): Record<string, unknown> => ({ ...folderConfig(tree, fqn), ...patchConfig, ...(overrides ? folderConfig(overrideTree(overrides, resourceType), fqn) : {}) });
    cached = run.cache?.get(f, options.env, () => configDigest(seenConfig()));
    if (cached) run.counts.fromCache++;
    else renderNode = { uniqueId, name, resourceType, packageName: cfg.name, file: f.path, originalFilePath: run.dbtPath(f.path), fqn, config: seenConfig(), path: f.pathInResource } satisfies RenderNode;
  }
  run.pending.push({ node: renderNode, source: renderNode ? f.contents : '', finish: (fresh) => finishUnit(run, prepared, fresh ? { fresh, config: renderNode!.config } : cached) });
}

/** Renders the queued units together, then finishes each in the order they were queued. */
export function flushRenders(run: ParseRun): void {
  const { engine, pending } = run;
  const jobs = pending.filter((p) => p.node).map((p) => ({ node: p.node!, source: p.source }));
  const results = engine.parseRenderMany ? engine.parseRenderMany(jobs) : jobs.map((j) => engine.parseRender(j.node, j.source));
  let k = 0;
  for (const p of pending.splice(0)) p.finish(p.node ? results[k++] : undefined);
}

function finishUnit(run: ParseRun, unit: PreparedUnit, from: RenderSource): void {
  let rendered = unit.resourceType === 'seed' ? emptyRender() : takeRender(run, unit, from);
  const config = nodeConfig(run, unit, rendered);
  // As dbt's parse: the refs and sources of the node's hooks are its dependencies too.
  if (config.enabled) rendered = withHookDependencies(run, unit, config, rendered);
  const node = buildNode(run, unit, config, rendered);
  recordFacts(run, unit, node.uniqueId, rendered);
  addNode(run, node);
}

function emptyRender(): ParseRenderResult {
  return { refs: [], sources: [], config: {}, docRefs: [], macrosUsed: [], fastPath: true, diagnostics: [] };
}

/** The unit's render result, counted, cached when clean, and its reads (env vars, vars, secrets) recorded. */
function takeRender(run: ParseRun, unit: PreparedUnit, from: RenderSource): ParseRenderResult {
  const { f, uniqueId } = unit;
  let rendered = emptyRender();
  const cached = from && !('fresh' in from) ? from : undefined;
  if (from && 'fresh' in from) {
    rendered = from.fresh;
    // The fast path reads no config; a real render may have.
    if (!rendered.fastPath) rendered.configDigest = configDigest(from.config);
    // Read for the render anyway; a file found not UTF-8 is never cached, so every parse reports it.
    rendered = { ...rendered, diagnostics: [...rendered.diagnostics, ...notUtf8Diagnostics(f)] };
  }
  rendered = cached ?? rendered;
  if (!cached) (rendered.fastPath ? run.counts.scanned++ : run.counts.rendered++);
  // A render that read a secret env var is refused, and never cached: its config may hold the value.
  const secretReads = secretEnvDiagnostics(f, rendered.envVars);
  if (!rendered.diagnostics.length && !secretReads.length) run.cache?.set(f, rendered);
  if (rendered.envVars) Object.assign(run.reads.envRead, rendered.envVars);
  run.diagnostics.push(...secretReads);
  if (rendered.varsRead) {
    Object.assign(run.reads.varsRead, rendered.varsRead);
    for (const name in rendered.varsRead) (run.varReaders[name] ??= []).push(uniqueId);
  }
  for (const name of rendered.secrets ?? []) run.secrets.add(name);
  return rendered;
}

/** The node's final config (folders, YAML, `config()` calls, root overrides); reports the render's diagnostics. */
function nodeConfig(run: ParseRun, unit: PreparedUnit, rendered: ParseRenderResult): NodeConfig {
  const { resourceType, tree, fqn } = unit;
  const overrides = run.options.rootOverrides;
  const config: NodeConfig = finalConfig(DEFAULT_MATERIALIZED[resourceType] ?? 'view', folderConfig(tree, fqn), unit.patchConfig, rendered.config, ...(overrides ? [folderConfig(overrideTree(overrides, resourceType), fqn)] : []));
  // A disabled node never runs: a var it reads without a default, or a macro that does not exist (another
  // warehouse's, in a package that disables the model elsewhere), is no error, as dbt's lenient parse gives none.
  run.diagnostics.push(...(config.enabled ? rendered.diagnostics : rendered.diagnostics.filter((d) => d.code !== 'var-not-found' && d.code !== 'macro-not-found')));
  if (resourceType === 'test' && !config.severity) config.severity = 'ERROR';
  return config;
}

function withHookDependencies(run: ParseRun, unit: PreparedUnit, config: NodeConfig, rendered: ParseRenderResult): ParseRenderResult {
  const { f, name, resourceType, fqn, uniqueId } = unit;
  const hooks = hookCalls(run.engine, { uniqueId, name, resourceType, packageName: run.cfg.name, file: f.path, originalFilePath: run.dbtPath(f.path), fqn, config, path: f.pathInResource }, [...config.pre_hook, ...config.post_hook].map((h) => hookOf(h).sql), (hook) => hookSite(hook, unit.patch, run.cfg.rootDir, run.cfg.configFile));
  run.diagnostics.push(...hooks.diagnostics);
  return { ...rendered, refs: [...rendered.refs, ...hooks.refs], sources: [...rendered.sources, ...hooks.sources] };
}

/** Models and singular tests can be parsed again on their own (reparse-model.ts): the configs they were built from. */
function recordFacts(run: ParseRun, unit: PreparedUnit, uniqueId: string, rendered: ParseRenderResult): void {
  if (unit.resourceType !== 'model' && unit.resourceType !== 'test') return;
  const facts: ModelParseFacts = {};
  if (Object.keys(unit.patchConfig).length) facts.patchConfig = unit.patchConfig;
  if (Object.keys(rendered.config).length) facts.renderedConfig = rendered.config;
  if (facts.patchConfig || facts.renderedConfig) run.modelFacts.set(uniqueId, facts);
}

/** Into the manifest (or its disabled nodes); a second enabled node of the same name is a diagnostic. */
function addNode(run: ParseRun, node: ManifestNode): void {
  run.nodeNames.add(node.name);
  // Models, seeds and snapshots share one namespace: ref() could not tell them apart.
  const refable = node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'snapshot';
  const key = `${refable ? 'refable' : node.resourceType}:${node.name}${node.version !== undefined ? `.v${node.version}` : ''}`;
  const prior = run.seenNames.get(key);
  if (prior && node.config.enabled) {
    run.diagnostics.push({ code: 'duplicate-node', severity: 'error', message: `two ${refable ? 'models/seeds/snapshots' : `${node.resourceType}s`} are named '${node.name}': ${prior} and ${node.originalFilePath}`, file: node.originalFilePath, line: 1, hint: 'names must be unique across folders: rename one file' });
    return;
  }
  if (!node.config.enabled) {
    run.manifest.disabled[node.uniqueId] = node;
    return;
  }
  run.seenNames.set(key, node.originalFilePath);
  run.manifest.nodes[node.uniqueId] = node;
}
