import type { Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject, ProjectFile } from '../project/types.js';
import type { ParseRenderResult, RenderNode, TemplateEngine } from '../templating/types.js';
import { extractDocBlocks, macroNameOf } from '../templating/index.js';
import type { DocBlock, MacroDefinition, Manifest, ManifestNode, NodeConfig, ResourceType, SourceDefinition } from './types.js';
import { finalConfig, folderConfig } from './node-config.js';
import { readSchemaFiles, type Patch, type VersionPatch } from './schema-yaml.js';
import { latestOf, versionedPatch } from './model-versions.js';
import { buildSources } from './sources.js';
import { buildExposures } from './exposures.js';
import { snapshotBlocks } from './snapshot-blocks.js';
import { ParseCache } from './parse-cache.js';
import { secretEnvDiagnostics } from './secret-env-check.js';
import { notUtf8Diagnostics } from './text-check.js';
import { rawCodeFromFile } from './raw-code.js';
import { hexDigest } from '../project/index.js';
import { columnHasJinja, propertyRenderer, type PropertyReads } from './property-render.js';
import { RelationNamer, fqnOf, nodeNameOf } from './relation-namer.js';
import { overrideTree, type RootOverrides } from './package-project.js';
import { nodeConfigDiagnostics } from './node-checks.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbtFilePath } from './package-paths.js';
import { groupConfigSite, groupDiagnostics, type GroupUse } from './group-checks.js';
import { groupDefinitions } from './group-entries.js';
import { hookCalls, hookSite } from './hook-calls.js';
import type { ModelParseFacts, ParseCounts, ParseOptions } from './parse-options.js';

export type { ModelParseFacts, ParseCounts, ParseOptions } from './parse-options.js';

const configDigest = (config: Record<string, unknown>): string => hexDigest('sha1', JSON.stringify(config)).slice(0, 16);

const DEFAULT_MATERIALIZED: Partial<Record<ResourceType, string>> = { model: 'view', seed: 'seed', test: 'test', snapshot: 'snapshot', analysis: 'view' };

/** project files → Manifest. Sync; renders each SQL file once in the parse context (or reuses the cache). */
export function parseProject(whole: LoadedProject, engine: TemplateEngine, options: ParseOptions = {}): { manifest: Manifest; diagnostics: Diagnostic[]; /** Uses of undefined groups, given every group name of the root and its packages. */ checkGroups: (known: readonly string[]) => Diagnostic[]; envRead: Record<string, string | null>; varsRead: Record<string, string | null>; varReaders: Record<string, string[]>; /** Vars read outside any file's render (property files). */ parseVars: string[]; secrets: string[]; counts: ParseCounts; modelFacts: Map<string, ModelParseFacts> } {
  // This project's files alone: an installed package's are parsed as a project of their own.
  const project: LoadedProject = { ...whole, files: whole.files.filter((f) => (f.packageName ?? whole.config.name) === whole.config.name) };
  const cfg = project.config;
  const diagnostics: Diagnostic[] = [...engine.diagnostics.filter(() => false)];
  const manifest: Manifest = { projectName: cfg.name, adapterType: project.target.type, nodes: {}, sources: {}, macros: {}, docs: {}, exposures: {}, disabled: {}, ...(cfg.packageDir ? { packageDirs: { [cfg.name]: cfg.packageDir } } : {}) };
  // dbt's path of one of this project's files (a package's: relative to its folder), as templates see it.
  const dbtPath = (path: string): string => dbtFilePath(manifest.packageDirs, cfg.name, path);
  const cache = options.cacheDir ? ParseCache.open(options.cacheDir, whole, engine, options.buildId) : undefined;
  const props = readSchemaFiles(project.files, cache);
  diagnostics.push(...props.diagnostics);
  const namer = new RelationNamer(project, engine);
  const customMaterializations = new Set((engine.materializations ?? []).map((m) => m.name));

  // Docs blocks first: descriptions may use doc().
  const docs: Record<string, string> = {};
  for (const f of project.files.filter((x) => x.kind === 'doc')) {
    for (const block of extractDocBlocks(f.path, f.contents)) {
      const id = `doc.${cfg.name}.${block.name}`;
      docs[block.name] = block.contents;
      manifest.docs[id] = { uniqueId: id, name: block.name, packageName: cfg.name, path: f.pathInResource, originalFilePath: f.path, blockContents: block.contents } satisfies DocBlock;
    }
  }
  engine.setDocs?.(docs);
  const describe = (text: string): string => text.replace(/\{\{\s*doc\(\s*['"]([\w]+)['"]\s*\)\s*\}\}/g, (_m, n: string) => docs[n] ?? '');

  // Macros, generic tests (`test_<name>`) and materialization blocks (`materialization_<name>_<adapter>`), named as dbt lists them.
  for (const m of [...engine.macros, ...(engine.materializations ?? [])]) {
    if (m.packageName !== cfg.name) continue;
    const id = `macro.${cfg.name}.${macroNameOf(m)}`;
    manifest.macros[id] = { uniqueId: id, name: macroNameOf(m), packageName: cfg.name, path: m.path.slice(m.path.indexOf('/') + 1), originalFilePath: m.path, macroSql: m.sql, arguments: m.arguments.map((name) => ({ name })), dependsOn: { macros: [] }, description: props.macros.get(m.name)?.description ?? '' } satisfies MacroDefinition;
  }

  const envRead: Record<string, string | null> = {};
  const varsRead: Record<string, string | null> = {};
  // Property files (a model's YAML `config:`, source properties) may read vars and env vars, rendered as dbt does.
  const reads: PropertyReads = { envRead, varsRead, parseVars: [] };
  const renderProperty = propertyRenderer(options.env ?? process.env, cfg.vars, reads, (d) => diagnostics.push(d), project.targetView);
  // Per var, the nodes whose render read it.
  const varReaders: Record<string, string[]> = {};
  const secrets = new Set<string>();
  const counts: ParseCounts = { fromCache: 0, scanned: 0, rendered: 0 };
  const modelFacts = new Map<string, ModelParseFacts>();
  const seenNames = new Map<string, string>();
  // Every name a file gave a node, enabled or not (property files may describe either).
  const nodeNames = new Set<string>();
  const groupUses: GroupUse[] = [];
  const addNode = (node: ManifestNode): void => {
    nodeNames.add(node.name);
    // Models, seeds and snapshots share one namespace: ref() could not tell them apart.
    const refable = node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'snapshot';
    const key = `${refable ? 'refable' : node.resourceType}:${node.name}${node.version !== undefined ? `.v${node.version}` : ''}`;
    const prior = seenNames.get(key);
    if (prior && node.config.enabled) {
      diagnostics.push({ code: 'duplicate-node', severity: 'error', message: `two ${refable ? 'models/seeds/snapshots' : `${node.resourceType}s`} are named '${node.name}': ${prior} and ${node.originalFilePath}`, file: node.originalFilePath, line: 1, hint: 'names must be unique across folders: rename one file' });
      return;
    }
    if (!node.config.enabled) {
      manifest.disabled[node.uniqueId] = node;
      return;
    }
    seenNames.set(key, node.originalFilePath);
    manifest.nodes[node.uniqueId] = node;
  };

  // Model versions: the file of each version (`defined_in`, or `<model>_v<v>`) → its model and version.
  const versionFiles = new Map<string, { of: Patch; v: VersionPatch }>();
  const versionsFound = new Set<string>();
  for (const p of props.models.values()) for (const v of p.versions ?? []) versionFiles.set(v.definedIn ?? `${p.name}_v${v.v}`, { of: p, v });

  const kinds: [ProjectFile['kind'], Exclude<ResourceType, 'source'>, Record<string, unknown>, Map<string, Patch> | undefined][] = [
    ['model', 'model', cfg.models, props.models],
    ['snapshot', 'snapshot', cfg.snapshots, props.snapshots],
    ['analysis', 'analysis', {}, undefined],
    ['test', 'test', cfg.dataTests, undefined],
    ['seed', 'seed', cfg.seeds, props.seeds],
  ];
  const overrides = options.rootOverrides;
  /** Units waiting for their render: rendered together (in parallel where it pays), then finished in file order. */
  const pending: { node?: RenderNode; source: string; finish: (fresh?: ParseRenderResult) => void }[] = [];
  const flushRenders = (): void => {
    const jobs = pending.filter((p) => p.node).map((p) => ({ node: p.node!, source: p.source }));
    const results = engine.parseRenderMany ? engine.parseRenderMany(jobs) : jobs.map((j) => engine.parseRender(j.node, j.source));
    let k = 0;
    for (const p of pending.splice(0)) p.finish(p.node ? results[k++] : undefined);
  };
  /**
   * One node from one file (a snapshot file gives one per block, each as a file of its own whose text is the
   * block's body). `ownCode`: the node's SQL is `f.contents` itself, not the file on disk read later.
   */
  const parseUnit = (f: ProjectFile, name: string, resourceType: Exclude<ResourceType, 'source'>, tree: Record<string, unknown>, patches: Map<string, Patch> | undefined, ownCode: boolean, version?: { of: Patch; v: VersionPatch }): void => {
    // A snapshot block's fqn has its file's name too, as dbt's: [project, folders…, file, snapshot]; a model version's ends in `v<n>`.
    const fqn = resourceType === 'snapshot' && f.path.endsWith('.sql') ? [...fqnOf(cfg.name, f.pathInResource, nodeNameOf(f.path)), name] : version ? [...fqnOf(cfg.name, f.pathInResource, name), `v${version.v.v}`] : fqnOf(cfg.name, f.pathInResource, name);
    const patch = version ? versionedPatch(version.of, version.v) : patches?.get(name);
    const patchConfig = patch ? renderProperty(patch.config ?? {}, `the config of '${patch.name}'`, { file: patch.file, line: patch.line }) : {};
    const uniqueId = version ? `${resourceType}.${cfg.name}.${name}.v${version.v.v}` : `${resourceType}.${cfg.name}.${name}`;
    let cached: ParseRenderResult | undefined;
    let renderNode: RenderNode | undefined;
    if (resourceType !== 'seed') {
      // The config its template sees (`config.get`): project folders and YAML. A render is reused for the same one only.
      const seenConfig = (): Record<string, unknown> => ({ ...folderConfig(tree, fqn), ...patchConfig, ...(overrides ? folderConfig(overrideTree(overrides, resourceType), fqn) : {}) });
      cached = cache?.get(f, options.env, () => configDigest(seenConfig()));
      if (cached) counts.fromCache++;
      else renderNode = { uniqueId, name, resourceType, packageName: cfg.name, file: f.path, originalFilePath: dbtPath(f.path), fqn, config: seenConfig(), path: f.pathInResource } satisfies RenderNode;
    }
    // The render is done with the others' (flushRenders), the node built after it, in this order.
    pending.push({ node: renderNode, source: renderNode ? f.contents : '', finish: (fresh) => finishUnit(f, name, resourceType, tree, ownCode, fqn, patch, patchConfig, uniqueId, version, fresh ? { fresh, config: renderNode!.config } : cached) });
  };
  const finishUnit = (f: ProjectFile, name: string, resourceType: Exclude<ResourceType, 'source'>, tree: Record<string, unknown>, ownCode: boolean, fqn: string[], patch: Patch | undefined, patchConfig: Record<string, unknown>, uniqueId: string, version: { of: Patch; v: VersionPatch } | undefined, from: ParseRenderResult | { fresh: ParseRenderResult; config: Record<string, unknown> } | undefined): void => {
    let rendered: ParseRenderResult = { refs: [], sources: [], config: {}, docRefs: [], macrosUsed: [], fastPath: true, diagnostics: [] };
    if (resourceType !== 'seed') {
      const cached = from && !('fresh' in from) ? from : undefined;
      if (from && 'fresh' in from) {
        rendered = from.fresh;
        // The fast path reads no config; a real render may have.
        if (!rendered.fastPath) rendered.configDigest = configDigest(from.config);
        // Read for the render anyway; a file found not UTF-8 is never cached, so every parse reports it.
        rendered = { ...rendered, diagnostics: [...rendered.diagnostics, ...notUtf8Diagnostics(f)] };
      }
      rendered = cached ?? rendered;
      if (!cached) (rendered.fastPath ? counts.scanned++ : counts.rendered++);
      if (!rendered.diagnostics.length) cache?.set(f, rendered);
      if (rendered.envVars) Object.assign(envRead, rendered.envVars);
      diagnostics.push(...secretEnvDiagnostics(f, rendered.envVars));
      if (rendered.varsRead) {
        Object.assign(varsRead, rendered.varsRead);
        for (const name in rendered.varsRead) (varReaders[name] ??= []).push(uniqueId);
      }
      for (const name of rendered.secrets ?? []) secrets.add(name);
    }
    const config: NodeConfig = finalConfig(DEFAULT_MATERIALIZED[resourceType] ?? 'view', folderConfig(tree, fqn), patchConfig, rendered.config, ...(overrides ? [folderConfig(overrideTree(overrides, resourceType), fqn)] : []));
    // A disabled node never runs: a var it reads without a default, or a macro that does not exist (another
    // warehouse's, in a package that disables the model elsewhere), is no error, as dbt's lenient parse gives none.
    diagnostics.push(...(config.enabled ? rendered.diagnostics : rendered.diagnostics.filter((d) => d.code !== 'var-not-found' && d.code !== 'macro-not-found')));
    if (resourceType === 'test' && !config.severity) config.severity = 'ERROR';
    // As dbt's parse: the refs and sources of the node's hooks are its dependencies too.
    if (config.enabled) {
      const hooks = hookCalls(engine, { uniqueId, name, resourceType, packageName: cfg.name, file: f.path, originalFilePath: dbtPath(f.path), fqn, config, path: f.pathInResource }, [...config.pre_hook, ...config.post_hook], (hook) => hookSite(hook, patch, cfg.rootDir, cfg.configFile));
      rendered = { ...rendered, refs: [...rendered.refs, ...hooks.refs], sources: [...rendered.sources, ...hooks.sources] };
      diagnostics.push(...hooks.diagnostics);
    }
    const nodeInfo = { name, resource_type: resourceType, package_name: cfg.name, fqn, config, original_file_path: dbtPath(f.path), path: f.pathInResource, ...(version ? { version: version.v.v } : {}) };
    const fields: Omit<ManifestNode, 'rawCode'> = {
      uniqueId,
      resourceType,
      packageName: cfg.name,
      name,
      path: f.pathInResource,
      originalFilePath: f.path,
      fqn,
      language: 'sql',
      checksum: { name: 'sha256', checksum: f.checksum },
      config,
      // As dbt's: the project file's configs for its folders, the YAML's, then the file's own config() calls.
      unrenderedConfig: { ...folderConfig(tree, fqn), ...(patch?.config ?? {}), ...rendered.config },
      tags: config.tags,
      description: describe(patch?.description ?? ''),
      // A column's properties are rendered as dbt renders property files (`data_type: "{{ 'int' if … }}"`); descriptions are docs.
      columns: Object.fromEntries(Object.entries(patch?.columns ?? {}).map(([k, c]) => [k, { ...(columnHasJinja(c) ? renderProperty({ ...c, description: '' }, `column '${k}' of '${name}'`, { file: patch!.file, line: patch!.line }) : c), description: describe(c.description) }])),
      meta: config.meta,
      patchPath: patch?.file,
      refs: rendered.refs,
      sources: rendered.sources,
      dependsOn: { nodes: [], macros: rendered.macrosUsed },
      database: namer.database(config.database, nodeInfo),
      schema: namer.schema(config.schema, nodeInfo),
      alias: namer.alias(config.alias, nodeInfo),
      docRefs: rendered.docRefs,
      ...(patch?.constraints ? { constraints: patch.constraints } : {}),
      ...(patch?.timeSpine && resourceType === 'model' ? { timeSpine: patch.timeSpine } : {}),
      ...(version ? { version: version.v.v, latestVersion: latestOf(version.of), ...(version.v.deprecationDate ? { deprecationDate: version.v.deprecationDate } : {}) } : {}),
      extra: { dataTests: patch?.tests ?? [], columnTests: patch?.columnTests ?? {}, fastPath: rendered.fastPath },
    };
    // A seed's SQL is empty like dbt's; a model's is its file, read only if something needs it.
    const node: ManifestNode = resourceType === 'seed' ? Object.assign(fields, { rawCode: '', seedFile: f.absPath }) : ownCode ? Object.assign(fields, { rawCode: f.contents }) : rawCodeFromFile(fields, f);
    if (resourceType === 'test') node.schema = namer.schema(config.schema ?? 'dbt_test__audit', nodeInfo);
    // A snapshot's legacy target_schema / target_database are used as written, without generate_schema_name (as dbt).
    if (resourceType === 'snapshot' && config.target_schema) node.schema = String(config.target_schema);
    if (resourceType === 'snapshot' && config.target_database) node.database = String(config.target_database);
    if (config.enabled && config.group !== undefined) groupUses.push({ group: config.group, node: node.uniqueId, ...groupConfigSite(rendered.config, () => f.contents, f.path, patch, cfg.configFile) });
    diagnostics.push(...nodeConfigDiagnostics({ resourceType, name, config, columns: node.columns, file: f.path, fileConfig: rendered.config, text: () => f.contents, patch: patch ? { file: patch.file, line: patch.line, config: patch.config ?? {} } : undefined, adapterType: project.target.type, incrementalStrategies: options.incrementalStrategies, customMaterializations }));
    // Models and singular tests can be parsed again on their own (reparse-model.ts).
    if (resourceType === 'model' || resourceType === 'test') {
      const facts: ModelParseFacts = {};
      if (Object.keys(patchConfig).length) facts.patchConfig = patchConfig;
      if (Object.keys(rendered.config).length) facts.renderedConfig = rendered.config;
      if (facts.patchConfig || facts.renderedConfig) modelFacts.set(node.uniqueId, facts);
    }
    addNode(node);
  };
  for (const [fileKind, resourceType, tree, patches] of kinds) {
    for (const f of project.files) {
      if (f.kind !== fileKind) continue;
      if (resourceType === 'model') {
        const stem = nodeNameOf(f.path);
        const version = versionFiles.get(stem);
        if (version) {
          versionsFound.add(`${version.of.name}\u0000${version.v.v}`);
          parseUnit(f, version.of.name, resourceType, tree, patches, false, version);
          continue;
        }
        const versioned = props.models.get(stem);
        if (versioned?.versions) {
          diagnostics.push({ code: 'duplicate-node', severity: 'error', message: `${f.path} is named like model '${stem}', which has versions: they are ${versioned.versions.map((v) => `${v.definedIn ?? `${stem}_v${v.v}`}.sql`).join(', ')}`, file: f.path, line: 1, hint: `make it one of the versions (defined_in: ${stem}), or rename it` });
          continue;
        }
      }
      if (resourceType !== 'snapshot') {
        parseUnit(f, nodeNameOf(f.path), resourceType, tree, patches, false);
        continue;
      }
      const found = snapshotBlocks(f.path, f.contents);
      diagnostics.push(...found.diagnostics);
      for (const block of found.blocks) parseUnit(blockFile(f, block.name, block.body), block.name, resourceType, tree, patches, true);
    }
  }
  flushRenders();
  for (const [stem, { of, v }] of versionFiles) {
    if (!versionsFound.has(`${of.name}\u0000${v.v}`)) diagnostics.push({ code: 'version-file-not-found', severity: 'error', message: `version ${v.v} of model '${of.name}' has no file: there is no ${stem}.sql under the model paths`, file: of.file, line: v.line ?? of.line, hint: `create ${stem}.sql, or point the version at its file with defined_in: <file name without .sql>` });
  }
  // dbt 1.9 declares snapshots in YAML too: a `snapshots:` entry with `relation: ref('x')` or `source('s', 't')`.
  for (const patch of props.snapshots.values()) {
    if (patch.relation === undefined) continue;
    const file = project.files.find((x) => x.path === patch.file);
    const relation = typeof patch.relation === 'string' ? patch.relation.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1') : '';
    if (!file || !/^(ref|source)\(.*\)$/.test(relation)) {
      diagnostics.push({ code: 'schema-yaml-invalid', severity: 'error', message: `relation: of snapshot '${patch.name}' must be ref('model') or source('source', 'table')`, file: patch.file, line: patch.line, hint: "write relation: ref('orders')" });
      continue;
    }
    const body = `${'\n'.repeat(Math.max(0, (patch.line ?? 1) - 1))}select * from {{ ${relation} }}`;
    parseUnit(blockFile(file, patch.name, body), patch.name, 'snapshot', cfg.snapshots, props.snapshots, true);
  }
  flushRenders();
  for (const map of [props.models, props.seeds, props.snapshots]) {
    for (const patch of map.values()) {
      if (!nodeNames.has(patch.name)) diagnostics.push({ code: 'patch-target-not-found', severity: 'warn', message: `'${patch.name}' is described in ${patch.file} but no such file exists`, file: patch.file, line: patch.line, hint: 'check the name matches a .sql or .csv file name' });
    }
  }
  const groups = groupDefinitions(props.groups, cfg.name);
  manifest.groups = groups.groups;
  diagnostics.push(...groups.diagnostics);
  // Checked once every project's groups are known (parse-to-graph): a node may name another package's group.
  const checkGroups = (known: readonly string[]): Diagnostic[] => groupDiagnostics(known, groupUses, () => { try { return readFileSync(join(cfg.rootDir, cfg.configFile), 'utf8'); } catch { return ''; } });
  const sources = buildSources(project, props.sources, describe, renderProperty, options.readsExternalLocation);
  diagnostics.push(...sources.diagnostics);
  for (const s of sources.sources) {
    if (s.config.enabled) manifest.sources[s.uniqueId] = s;
    else manifest.disabled[s.uniqueId] = s;
  }
  const exposures = buildExposures(project, props.exposures, describe, renderProperty);
  diagnostics.push(...exposures.diagnostics);
  for (const e of exposures.exposures) {
    if (e.config.enabled) manifest.exposures[e.uniqueId] = e;
    else manifest.disabled[e.uniqueId] = e;
  }
  (manifest as Manifest & { unitTests?: unknown }).unitTests = props.unitTests;
  cache?.save();
  return { manifest, diagnostics, checkGroups, envRead, varsRead, varReaders, parseVars: reads.parseVars, secrets: [...secrets], counts, modelFacts };
}

/** A snapshot block as a file of its own: its body as text, a checksum of its own (the parse cache keys by it). */
function blockFile(f: ProjectFile, name: string, body: string): ProjectFile {
  return { kind: f.kind, path: f.path, pathInResource: f.pathInResource, resourcePath: f.resourcePath, absPath: f.absPath, contents: body, checksum: hexDigest('sha256', `${f.checksum}:${name}:${body}`) };
}

export type { SourceDefinition };
