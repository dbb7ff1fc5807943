import type { Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import type { MacroInfo, ParseRenderResult, RenderNode, TemplateEngine } from '../templating/types.js';
import { extractDocBlocks, macroNameOf } from '../templating/index.js';
import type { DocBlock, MacroDefinition, Manifest } from './types.js';
import { readSchemaFiles, type SchemaProperties } from './schema-yaml.js';
import { ParseCache } from './parse-cache.js';
import { propertyRenderer, type PropertyReads } from './property-render.js';
import { RelationNamer } from './relation-namer.js';
import { dbtFilePath } from './package-paths.js';
import type { GroupUse } from './group-checks.js';
import type { ModelParseFacts, ParseCounts, ParseOptions } from './parse-options.js';

/** A node waiting for its render: rendered with the others (in parallel where it pays), then finished in file order. */
export interface PendingUnit {
  node?: RenderNode;
  source: string;
  finish: (fresh?: ParseRenderResult) => void;
}

/** One parse of one project (parse-project.ts): what it reads, and what it collects as it goes. */
export interface ParseRun {
  /** This project's files alone: an installed package's are parsed as a project of their own. */
  project: LoadedProject;
  cfg: LoadedProject['config'];
  engine: TemplateEngine;
  options: ParseOptions;
  manifest: Manifest;
  diagnostics: Diagnostic[];
  props: SchemaProperties;
  cache: ParseCache | undefined;
  namer: RelationNamer;
  customMaterializations: Set<string>;
  /** dbt's path of one of this project's files (a package's: relative to its folder), as templates see it. */
  dbtPath: (path: string) => string;
  /** A description with its `{{ doc('name') }}` calls replaced by the docs blocks. */
  describe: (text: string) => string;
  /** Renders a property file's value (a model's YAML `config:`, source properties), recording vars and env vars read. */
  renderProperty: ReturnType<typeof propertyRenderer>;
  /** Env vars and vars read, by the renders and the property files. */
  reads: PropertyReads;
  /** Per var, the nodes whose render read it. */
  varReaders: Record<string, string[]>;
  secrets: Set<string>;
  counts: ParseCounts;
  modelFacts: Map<string, ModelParseFacts>;
  /** The first file of each enabled node name, by namespace (parse-unit.ts's addNode). */
  seenNames: Map<string, string>;
  /** Every name a file gave a node, enabled or not (property files may describe either). */
  nodeNames: Set<string>;
  groupUses: GroupUse[];
  pending: PendingUnit[];
}

/** A parse's state, with the docs blocks and the macros of `whole`'s own files already in the manifest. */
export function startParse(whole: LoadedProject, engine: TemplateEngine, options: ParseOptions): ParseRun {
  const project: LoadedProject = { ...whole, files: whole.files.filter((f) => (f.packageName ?? whole.config.name) === whole.config.name) };
  const cfg = project.config;
  const diagnostics: Diagnostic[] = [];
  const manifest: Manifest = { projectName: cfg.name, adapterType: project.target.type, nodes: {}, sources: {}, macros: {}, docs: {}, exposures: {}, disabled: {}, ...(cfg.packageDir ? { packageDirs: { [cfg.name]: cfg.packageDir } } : {}), ...(Object.keys(cfg.quoting ?? {}).length ? { quoting: cfg.quoting } : {}) };
  const cache = options.cacheDir ? ParseCache.open(options.cacheDir, whole, engine, options.buildId) : undefined;
  const props = readSchemaFiles(project.files, cache);
  diagnostics.push(...props.diagnostics);
  const namer = new RelationNamer(project, engine);
  const customMaterializations = new Set((engine.materializations ?? []).map((m) => m.name));
  // Docs blocks first: descriptions may use doc().
  const docs = addDocBlocks(project, manifest);
  engine.setDocs?.(docs);
  const describe = (text: string): string => text.replace(/\{\{\s*doc\(\s*['"]([\w]+)['"]\s*\)\s*\}\}/g, (_m, n: string) => docs[n] ?? '');
  addMacros(manifest, engine, props, describe);
  const reads: PropertyReads = { envRead: {}, varsRead: {}, parseVars: [] };
  return {
    project,
    cfg,
    engine,
    options,
    manifest,
    diagnostics,
    props,
    cache,
    namer,
    customMaterializations,
    dbtPath: (path) => dbtFilePath(manifest.packageDirs, cfg.name, path),
    describe,
    renderProperty: propertyRenderer(options.env ?? process.env, cfg.vars, reads, (d) => diagnostics.push(d), project.targetView),
    reads,
    varReaders: {},
    secrets: new Set(),
    counts: { fromCache: 0, scanned: 0, rendered: 0 },
    modelFacts: new Map(),
    seenNames: new Map(),
    nodeNames: new Set(),
    groupUses: [],
    pending: [],
  };
}

/** The docs blocks of the project's doc files into the manifest; returns their texts by name. */
function addDocBlocks(project: LoadedProject, manifest: Manifest): Record<string, string> {
  const name = project.config.name;
  const docs: Record<string, string> = {};
  for (const f of project.files.filter((x) => x.kind === 'doc')) {
    for (const block of extractDocBlocks(f.path, f.contents)) {
      const id = `doc.${name}.${block.name}`;
      docs[block.name] = block.contents;
      manifest.docs[id] = { uniqueId: id, name: block.name, packageName: name, path: f.pathInResource, originalFilePath: f.path, blockContents: block.contents } satisfies DocBlock;
    }
  }
  return docs;
}

/** Macros, generic tests (`test_<name>`) and materialization blocks (`materialization_<name>_<adapter>`), named as dbt lists them. */
function addMacros(manifest: Manifest, engine: TemplateEngine, props: SchemaProperties, describe: (text: string) => string): void {
  for (const m of [...engine.macros, ...(engine.materializations ?? [])]) {
    if (m.packageName !== manifest.projectName) continue;
    const yaml = props.macros.get(m.name);
    // The property file's `arguments:` (name, type, description), as dbt's macro patch; else the signature's names.
    const args = yaml?.arguments?.map((a) => ({ ...a, description: describe(a.description) }));
    addMacro(manifest, engine, m, describe(yaml?.description ?? ''), args);
  }
}

/** dbt's global macros (package `dbt`: dbt's own, the built-in tests', the adapter's), listed in the manifest as dbt lists them. */
export function addGlobalMacros(manifest: Manifest, engine: TemplateEngine): void {
  for (const m of engine.globalMacros ?? []) addMacro(manifest, engine, m, '');
}

function addMacro(manifest: Manifest, engine: TemplateEngine, m: MacroInfo, description: string, args?: MacroDefinition['arguments']): void {
  const id = `macro.${m.packageName}.${macroNameOf(m)}`;
  manifest.macros[id] = { uniqueId: id, name: macroNameOf(m), packageName: m.packageName, path: m.path.slice(m.path.indexOf('/') + 1), originalFilePath: m.path, macroSql: m.sql, arguments: args ?? m.arguments.map((a) => ({ name: a })), dependsOn: { macros: engine.macroCalls?.(m) ?? [] }, description } satisfies MacroDefinition;
}
