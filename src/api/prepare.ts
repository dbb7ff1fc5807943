import { join } from 'node:path';
import type { Adapter } from '../adapters/contract.js';
import { loadAdapter, adapterTypes } from '../adapters/registry.js';
import { DiagnosticBag, SecretScrubber, SECRET_KEYS, silentReporter, type Diagnostic, type Reporter } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import type { LoadedProject } from '../project/types.js';
import { createTemplateEngine } from '../templating/index.js';
import type { MacroFile, TemplateEngine } from '../templating/types.js';
import { parseProject } from '../parse/index.js';
import { buildGraph, type ProjectGraph } from '../graph/index.js';
import { builtinTestMacros, generateTestNodes, relationshipTarget, rowLevelTests, unitTestNodes } from '../data-tests/index.js';
import type { RawUnitTest } from '../parse/index.js';
import { landingNodeFor } from '../landing/index.js';
import type { CommonOptions } from './types.js';
import { newInvocationId } from './invocation.js';

/** Everything known before a warehouse is opened. */
export interface PreparedProject {
  project: LoadedProject;
  adapter: Adapter;
  engine: TemplateEngine;
  graph: ProjectGraph;
  scrubber: SecretScrubber;
  reporter: Reporter;
  invocationId: string;
  targetDir: string;
  diagnostics: Diagnostic[];
  /** Values of `secret('NAME')` calls, set on each connection as session variables, never written into SQL. */
  sessionSecrets: Map<string, string>;
  /** The environment `env_var()` reads (the process's unless a caller passed one). */
  env: NodeJS.ProcessEnv;
}

export type PrepareOutcome = { ok: true; prepared: PreparedProject } | { ok: false; diagnostics: Diagnostic[]; invocationId: string };

/** The `target` object templates see: the profile output without secrets. */
function templateTarget(project: LoadedProject): Record<string, unknown> {
  const t = project.target;
  const visible: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.settings)) if (!SECRET_KEYS.test(k)) visible[k] = v;
  return { ...visible, name: t.name, type: t.type, schema: t.schema, database: t.database ?? visible.database, threads: t.threads, profile_name: project.config.profile };
}

/**
 * project → parse → graph, with every diagnostic collected. No warehouse is touched here:
 * if anything is wrong the caller stops before opening one.
 */
export async function prepareProject(options: CommonOptions & { profileOptional?: boolean }): Promise<PrepareOutcome> {
  const invocationId = newInvocationId();
  const reporter = options.reporter ?? silentReporter;
  const bag = new DiagnosticBag();
  const loaded = loadProject({
    projectDir: options.projectDir,
    profilesDir: options.profilesDir,
    target: options.target,
    vars: options.vars,
    threads: options.threads,
    env: options.env,
    profileOptional: options.profileOptional,
  });
  bag.merge(loaded.diagnostics);
  const project = loaded.project;
  if (!project || bag.hasErrors) return { ok: false, diagnostics: bag.items, invocationId };

  const scrubber = options.scrubber ?? new SecretScrubber();
  for (const s of project.secrets) scrubber.add(s);

  const adapter = await loadAdapter(project.target.type);
  if (!adapter) {
    bag.error('adapter-unknown', `profile target '${project.target.name}' has type '${project.target.type}', which Strata does not support`, { file: project.profilesFile ?? 'profiles.yml' }, `use one of: ${adapterTypes.join(', ')}`);
    return { ok: false, diagnostics: bag.items, invocationId };
  }
  for (const problem of adapter.validateTarget?.(project.target) ?? []) {
    bag.error('profile-invalid', problem, { file: project.profilesFile ?? 'profiles.yml' });
  }

  const macroFiles: MacroFile[] = [
    ...builtinTestMacros,
    ...project.files
      .filter((f) => f.kind === 'macro')
      .map((f) => ({ path: f.path, contents: f.contents, packageName: project.config.name })),
  ];
  const sessionSecrets = new Map<string, string>();
  const engine = createTemplateEngine({
    secretReference: (name) => adapter.dialect.secretReference(name),
    onSecret: (name, value) => {
      sessionSecrets.set(name, value);
      scrubber.add(value);
    },
    projectName: project.config.name,
    adapterType: adapter.type,
    target: templateTarget(project),
    vars: project.config.vars,
    env: options.env ?? process.env,
    macroFiles,
    docs: {},
    dispatch: project.config.dispatch,
    log: (message) => reporter.emit({ type: 'info', message: scrubber.scrub(message) }),
  });
  bag.merge(engine.diagnostics);

  const targetDir = join(project.config.rootDir, project.config.targetPath);
  const parsed = await parseProject(project, engine, { cacheDir: targetDir, env: options.env ?? process.env });
  bag.merge(parsed.diagnostics);
  const manifest = parsed.manifest;
  manifest.adapterType = adapter.type;

  const tests = generateTestNodes({
    projectName: project.config.name,
    nodes: Object.values(manifest.nodes),
    sources: Object.values(manifest.sources),
    projectTestConfig: project.config.dataTests,
    knownTestMacros: engine.macros.filter((m) => m.kind === 'test').map((m) => m.name),
  });
  bag.merge(tests.diagnostics);
  // Stored failures go to <target schema>_dbt_test__audit, through the project's generate_schema_name like dbt.
  // One macro call per distinct custom schema, unless the project's macro looks at the node.
  const nodeSensitive = engine.macros.some((m) => m.name === 'generate_schema_name' && m.packageName === project.config.name && /\bnode\b/.test(m.sql.replace(/^[^)]*\)/, '')));
  const testSchemas = new Map<string, string>();
  for (const t of tests.nodes) {
    const custom = String(t.config.schema ?? 'dbt_test__audit');
    let schema = nodeSensitive ? undefined : testSchemas.get(custom);
    if (schema === undefined) {
      schema = String(engine.callMacro('generate_schema_name', [custom, { name: t.name, resource_type: 'test' }]));
      testSchemas.set(custom, schema);
    }
    t.schema = schema;
    if (t.config.enabled) manifest.nodes[t.uniqueId] = t;
    else manifest.disabled[t.uniqueId] = t;
  }

  const models = new Map(Object.values(manifest.nodes).filter((n) => n.resourceType === 'model').map((n) => [n.name, n]));
  const unit = unitTestNodes(project.config.name, (manifest as { unitTests?: RawUnitTest[] }).unitTests ?? [], models);
  bag.merge(unit.diagnostics);
  for (const u of unit.nodes) manifest.nodes[u.uniqueId] = u;

  // A quarantining model reads the targets of its relationships tests while it builds.
  for (const node of Object.values(manifest.nodes)) {
    if (node.config.quarantine !== true) continue;
    for (const t of rowLevelTests(node, tests.nodes)) {
      const target = relationshipTarget(t);
      if (target && target.name !== node.name) node.refs.push({ ...target, at: { file: t.originalFilePath, line: 1, column: 1 } });
    }
  }

  for (const source of Object.values(manifest.sources)) {
    if (!source.external) continue;
    const landing = landingNodeFor(source, project.config.name);
    manifest.nodes[landing.uniqueId] = landing;
  }

  const built = buildGraph(manifest);
  bag.merge(built.diagnostics);
  if (bag.hasErrors) return { ok: false, diagnostics: bag.items, invocationId };
  return {
    ok: true,
    prepared: { project, adapter, engine, graph: built.graph, scrubber, reporter, invocationId, targetDir, diagnostics: bag.items, sessionSecrets, env: options.env ?? process.env },
  };
}
