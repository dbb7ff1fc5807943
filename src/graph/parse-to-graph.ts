import { DiagnosticBag, type Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import type { TemplateEngine } from '../templating/types.js';
import { RelationNamer, accessDiagnostics, addGlobalMacros, mergeManifest, packageProject, parseProject, propertyRenderer, readDependency, rootOverrides, type ModelParseFacts, type ParseCounts, type RawUnitTest } from '../parse/index.js';
import { packageTestConfig } from '../parse/package-project.js';
import type { Manifest, ManifestNode, SourceDefinition } from '../parse/types.js';
import { buildGraph, type ProjectGraph } from './index.js';
import { generateTestNodes, relationshipTarget, rowLevelTests, unitTestNodes } from '../data-tests/index.js';
import { landingNodeFor } from '../landing/landing-node.js';
import { disableTestsOfDisabledNodes } from './tests-on-disabled.js';
import { relationClashes } from './relation-clashes.js';

/** parse → test nodes → landing nodes → graph: the full parse, when no snapshot of it is valid. */
export function parseToGraph(
  project: LoadedProject,
  engine: TemplateEngine,
  options: { adapterType: string; /** The target warehouse's incremental strategies, checked at parse time. */ incrementalStrategies?: readonly string[]; /** Sources with external_location are read in place (the warehouse's conventions). */ readsExternalLocation?: boolean; /** Relation names are compared without regard to case (the warehouse's conventions). */ foldsNameCase?: boolean; cacheDir?: string; buildId?: string; env: NodeJS.ProcessEnv; /** Records how long each phase took. */ time?: <T>(phase: string, f: () => T) => T },
): { graph: ProjectGraph; diagnostics: Diagnostic[]; envRead: Record<string, string | null>; varsRead: Record<string, string | null>; varReaders: Record<string, string[]>; parseVars: string[]; secrets: string[]; counts: ParseCounts; modelFacts: Map<string, ModelParseFacts> } {
  const bag = new DiagnosticBag();
  const time = options.time ?? (<T>(_phase: string, f: () => T): T => f());
  // Installed packages first, each as a project of its own; the root project last (its docs are the ones doc() sees).
  const packages = project.config.installedPackages.map((pkg) => packageProject(project, pkg));
  const overrides = rootOverrides(project);
  const packageParses = time('parse_packages', () => packages.map((p) => parseProject(p, engine, { env: options.env, rootOverrides: overrides, incrementalStrategies: options.incrementalStrategies, readsExternalLocation: options.readsExternalLocation })));
  const parsed = time('parse_files', () => parseProject(project, engine, { cacheDir: options.cacheDir, buildId: options.buildId, env: options.env, incrementalStrategies: options.incrementalStrategies, readsExternalLocation: options.readsExternalLocation }));
  const manifest = parsed.manifest;
  manifest.adapterType = options.adapterType;
  // Groups are global, as in dbt: a node may name a group another package (or the root) defines.
  const groupNames = [parsed, ...packageParses].flatMap((p) => Object.values(p.manifest.groups ?? {}).map((g) => g.name));
  for (const p of [...packageParses, parsed]) bag.merge(p.checkGroups(groupNames));
  for (const p of packageParses) {
    bag.merge(p.diagnostics);
    mergeManifest(manifest, p.manifest);
    Object.assign(parsed.envRead, p.envRead);
    Object.assign(parsed.varsRead, p.varsRead);
    parsed.secrets.push(...p.secrets);
  }
  bag.merge(parsed.diagnostics);
  addGlobalMacros(manifest, engine);

  // The nodes of files (before test, unit test and landing nodes join): enumerated once.
  const fileNodes = Object.values(manifest.nodes);
  const sources = Object.values(manifest.sources);
  // Test configs in property files may read vars and env vars too, recorded with the parse's other reads.
  const renderProperty = propertyRenderer(options.env, project.config.vars, parsed, (d) => bag.add(d), project.targetView);
  const tests = time('generate_tests', () => generateAllTestNodes(project, packages, engine, fileNodes, sources, renderProperty));
  bag.merge(tests.diagnostics);
  time('test_macro_configs', () => applyTestMacroConfigs(tests.nodes, engine));
  addTestNodes(manifest, tests.nodes, new RelationNamer(project, engine));
  bag.merge(disableTestsOfDisabledNodes(manifest));

  // Unit tests, each project's (the root's and every package's) on its own models.
  bag.merge(addUnitTests(project, manifest, packageParses.map((p) => p.manifest), fileNodes));

  // dbt's model access (private, protected, restrict-access), once every project's nodes and tests are known.
  bag.merge(accessDiagnostics(manifest, project.config, [...fileNodes, ...tests.nodes.filter((t) => t.config.enabled)]));

  addQuarantineRefs(manifest, tests.nodes);
  addForeignKeyRefs(fileNodes);
  addLandingNodes(manifest, project.config.name);
  // Two nodes building one relation would overwrite each other: the parse stops, as dbt's does.
  bag.merge(relationClashes(Object.values(manifest.nodes), options.foldsNameCase === true));

  const built = time('build_graph', () => buildGraph(manifest));
  bag.merge(built.diagnostics);
  return { graph: built.graph, diagnostics: bag.items, envRead: parsed.envRead, varsRead: parsed.varsRead, varReaders: parsed.varReaders, parseVars: parsed.parseVars, secrets: parsed.secrets, counts: parsed.counts, modelFacts: parsed.modelFacts };
}

/** The generic test nodes of the root project and of each package, each on its own nodes and sources. */
function generateAllTestNodes(project: LoadedProject, packages: LoadedProject[], engine: TemplateEngine, fileNodes: ManifestNode[], sources: SourceDefinition[], renderProperty: ReturnType<typeof propertyRenderer>): ReturnType<typeof generateTestNodes> {
  // `{% test x %}` blocks, and dbt's older form: `{% macro test_x(model, …) %}`.
  const knownTestMacros = engine.macros.flatMap((m) => (m.kind === 'test' ? [m.name] : m.name.startsWith('test_') ? [m.name.slice(5)] : []));
  const out: ReturnType<typeof generateTestNodes> = { nodes: [], diagnostics: [] };
  for (const unit of [project, ...packages]) {
    const name = unit.config.name;
    const own = generateTestNodes({
      projectName: name,
      nodes: fileNodes.filter((n) => n.packageName === name),
      sources: sources.filter((s) => s.packageName === name),
      projectTestConfig: unit === project ? project.config.dataTests : packageTestConfig(unit.config.dataTests, project.config.dataTests, name),
      knownTestMacros,
      testMacros: engine.macros,
      rootProject: project.config.name,
      renderConfig: (config, at) => renderProperty(config, 'a test config', at),
    });
    out.nodes.push(...own.nodes);
    out.diagnostics.push(...own.diagnostics);
  }
  return out;
}

/** Test nodes into the manifest (or its disabled nodes), their schema and database named. */
function addTestNodes(manifest: Manifest, tests: ManifestNode[], namer: RelationNamer): void {
  // Stored failures go to <target schema>_dbt_test__audit, through the project's generate_schema_name like dbt.
  for (const t of tests) {
    t.schema = namer.schema(String(t.config.schema ?? 'dbt_test__audit'), { name: t.name, resource_type: 'test' });
    // Its database as a singular test's (dbt gives every test node the target's, or its config's).
    t.database = namer.database(t.config.database === undefined || t.config.database === null ? undefined : String(t.config.database), { name: t.name, resource_type: 'test' });
    if (t.config.enabled) manifest.nodes[t.uniqueId] = t;
    else manifest.disabled[t.uniqueId] = t;
  }
}

/** The unit test nodes of the root project and each package, on their own models; CSV or SQL fixtures by file name. */
function addUnitTests(project: LoadedProject, manifest: Manifest, packageManifests: Manifest[], fileNodes: ManifestNode[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // CSV fixtures of unit tests (`fixture: <name>`) in the project's and its packages' test paths, by file name.
  const fixtures = new Map(project.files.filter((f) => f.kind === 'fixture').map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1).replace(/\.(csv|sql)$/i, (m) => m.toLowerCase()), () => f.contents] as const));
  const unitTestsOf = (m: object): RawUnitTest[] => (m as { unitTests?: RawUnitTest[] }).unitTests ?? [];
  for (const [name, raw] of [[project.config.name, unitTestsOf(manifest)], ...packageManifests.map((m) => [m.projectName, unitTestsOf(m)] as const)] as const) {
    if (!raw.length) continue;
    // By name: every version of a versioned model (a unit test runs on each, as dbt's).
    const models = new Map<string, ManifestNode[]>();
    for (const n of fileNodes) if (n.resourceType === 'model' && n.packageName === name) models.set(n.name, [...(models.get(n.name) ?? []), n]);
    const unit = unitTestNodes(name, raw, models, fixtures);
    diagnostics.push(...unit.diagnostics);
    for (const u of unit.nodes) manifest.nodes[u.uniqueId] = u;
  }
  return diagnostics;
}

/** A quarantining model reads the targets of its relationships tests while it builds. */
function addQuarantineRefs(manifest: Manifest, tests: ManifestNode[]): void {
  for (const node of Object.values(manifest.nodes)) {
    if (node.config.quarantine !== true) continue;
    for (const t of rowLevelTests(node, tests)) {
      const target = relationshipTarget(t);
      if (target && target.name !== node.name) node.refs.push({ ...target, at: { file: t.originalFilePath, line: 1, column: 1 } });
    }
  }
}

/** A foreign key written as `to: ref('x')` (dbt 1.9) reads x's relation: x is built first. */
function addForeignKeyRefs(fileNodes: ManifestNode[]): void {
  for (const node of fileNodes) {
    let constraints = node.constraints ?? [];
    // Most nodes have no column constraints: look without building arrays for them.
    for (const name in node.columns) if (node.columns[name]!.constraints) constraints = [...constraints, ...node.columns[name]!.constraints!];
    for (const c of constraints) {
      if (c.type !== 'foreign_key' || !c.to) continue;
      const dep = readDependency(c.to);
      const at = { file: node.patchPath ?? node.originalFilePath, line: 1, column: 1 };
      if (dep && 'ref' in dep && dep.ref.name !== node.name) node.refs.push({ ...dep.ref, at });
      else if (dep && 'source' in dep) node.sources.push({ ...dep.source, at });
    }
  }
}

/** A landing node for each external source. */
function addLandingNodes(manifest: Manifest, projectName: string): void {
  for (const source of Object.values(manifest.sources)) {
    if (!source.external) continue;
    const landing = landingNodeFor(source, projectName);
    manifest.nodes[landing.uniqueId] = landing;
  }
}

/**
 * What a generic test's own body says, as dbt's parse renders the test: `{{ config(fail_calc=…, severity=…) }}`
 * (dbt_utils' equal_rowcount, fewer_rows_than) gives defaults that the YAML entry overrides; a `ref()` or
 * `source()` in the body (a custom test reading another model) is a dependency of the test, besides those its
 * YAML arguments name. Only tests whose macro calls config(), ref() or source() are rendered.
 */
function applyTestMacroConfigs(nodes: ManifestNode[], engine: TemplateEngine): void {
  const testNameOf = (m: { kind: string; name: string }): string => (m.kind === 'test' ? m.name : m.name.replace(/^[a-z0-9]+__/, '').replace(/^test_/, ''));
  const configuring = new Set(engine.macros.filter((m) => /\bconfig\s*\(/.test(m.sql)).map(testNameOf));
  const reading = new Set(engine.macros.filter((m) => /\b(ref|source)\s*\(/.test(m.sql)).map(testNameOf));
  if (!configuring.size && !reading.size) return;
  const key = (call: object): string => JSON.stringify({ ...call, at: undefined });
  for (const node of nodes) {
    const testName = node.testMetadata?.name;
    if (!testName || (!configuring.has(testName) && !reading.has(testName))) continue;
    const rendered = engine.parseRender({ uniqueId: node.uniqueId, name: node.name, resourceType: 'test', packageName: node.packageName, file: node.originalFilePath, fqn: node.fqn, config: node.config }, node.rawCode);
    if (configuring.has(testName)) for (const [k, value] of Object.entries(rendered.config)) if (!(k in node.unrenderedConfig)) node.config[k] = value;
    if (!reading.has(testName)) continue;
    const refs = new Set(node.refs.map(key));
    const sources = new Set(node.sources.map(key));
    for (const { at: _at, ...call } of rendered.refs) if (!refs.has(key(call))) (node.refs.push(call), refs.add(key(call)));
    for (const { at: _at, ...call } of rendered.sources) if (!sources.has(key(call))) (node.sources.push(call), sources.add(key(call)));
  }
}
