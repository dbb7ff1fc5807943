import { adapterMacroFiles, conventionsOf } from '../adapters/registry.js';
import type { Adapter } from '../adapters/contract.js';
import type { Reporter, SecretScrubber } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import { createTemplateEngine, type TemplateCodeCache } from '../templating/index.js';
import type { MacroFile, TemplateEngine } from '../templating/types.js';
import { builtinTestMacros } from '../data-tests/index.js';
import { templateTarget } from './template-target.js';

/** What the engine of one command is made with besides the project. */
export interface EngineSetup {
  adapter: Adapter;
  env: NodeJS.ProcessEnv;
  command?: string;
  scrubber: SecretScrubber;
  reporter: Reporter;
  /** secret() values to set on each warehouse session, filled as renders call secret(). */
  sessionSecrets: Map<string, string>;
  codeCache?: TemplateCodeCache;
  /** The macro files' store (`macro_code.strata.json`). */
  macroCodeCache?: TemplateCodeCache;
  /** A stored graph is used: macros are compiled when first called, not all up front. */
  deferMacroCompile: boolean;
}

/** The macro files of a command: the built-in tests', each warehouse's cross-database macros, the project's and its packages'. */
export function projectMacroFiles(project: LoadedProject): MacroFile[] {
  return [
    ...builtinTestMacros,
    // Each warehouse's cross-database macros (a unit test renders for the embedded one whatever the target).
    ...adapterMacroFiles().map((f) => ({ ...f, packageName: 'dbt' })),
    ...project.files
      .filter((f) => f.kind === 'macro')
      .map((f) => ({ path: f.path, contents: f.contents, packageName: f.packageName ?? project.config.name })),
  ];
}

/** The template engine of one command: the project's macros, target, vars and dispatch; secrets scrubbed from its log lines. */
export function projectEngine(project: LoadedProject, macroFiles: MacroFile[], setup: EngineSetup): TemplateEngine {
  const { adapter, scrubber, sessionSecrets } = setup;
  return createTemplateEngine({
    secretReference: (name) => adapter.dialect.secretReference(name),
    onSecret: (name, value) => {
      sessionSecrets.set(name, value);
      scrubber.add(value, { explicit: true });
    },
    projectName: project.config.name,
    adapterType: adapter.type,
    columnConventions: (type) => conventionsOf(type)?.column,
    target: templateTarget(project),
    // The root's vars; a package's node sees its package's scope instead, as dbt scopes them.
    vars: project.config.vars,
    packageVars: project.config.packageVars,
    declaredPackages: project.config.declaredPackages,
    env: setup.env,
    macroFiles,
    deferMacroCompile: setup.deferMacroCompile,
    codeCache: setup.codeCache,
    macroCodeCache: setup.macroCodeCache,
    docs: {},
    dispatch: project.config.dispatch,
    behaviorFlags: project.config.behaviorFlags ?? {},
    quoting: project.config.quoting ?? {},
    runtimeConfig: runtimeConfig(project),
    ...(setup.command ? { command: setup.command } : {}),
    log: (message) => setup.reporter.emit({ type: 'info', message: scrubber.scrub(message) }),
  });
}

/** dbt's RuntimeConfig as `builtins.ref.config` shows it: the project's name and version, and its packages'. */
function runtimeConfig(project: LoadedProject): Record<string, unknown> {
  const c = project.config;
  const entry = (name: string, version: string | undefined): Record<string, unknown> => ({ project_name: name, version: version ?? null });
  return { ...entry(c.name, c.version), dependencies: Object.fromEntries([[c.name, entry(c.name, c.version)], ...c.installedPackages.map((p) => [p.name, entry(p.name, p.version)])]) };
}
