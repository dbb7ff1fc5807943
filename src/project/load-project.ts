import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { projectShapeDiagnostics } from './project-shape.js';
import { readQueryComment } from './query-comment-config.js';
import type { FileSource, LoadOptions, LoadedProject, ProjectConfig } from './types.js';
import { diskFileSource } from './file-source.js';
import { listProjectFiles, pythonModelDiagnostics } from './list-project-files.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';
import { yamlPackage } from './yaml-package.js';
import { renderFailure, renderYamlTree, type RenderProblem, type RenderYamlContext } from './render-yaml-value.js';
import { loadProfile } from './profiles.js';
import { readSelectorsFile } from './selectors-file.js';
import { readPackagesFile } from './packages-file.js';
import { installedPackages, packageVars, renderPackageConfigs, renderPackageVars, type InstalledPackage } from './installed-packages.js';
import { targetView } from './target-view.js';

export { listProjectFiles } from './list-project-files.js';

const KNOWN_KEYS = new Set([
  'name', 'version', 'profile', 'config-version', 'require-dbt-version', 'model-paths', 'source-paths', 'seed-paths', 'data-paths',
  'macro-paths', 'test-paths', 'snapshot-paths', 'analysis-paths', 'docs-paths', 'asset-paths', 'target-path', 'log-path',
  'packages-install-path', 'clean-targets', 'vars', 'models', 'seeds', 'data_tests', 'tests', 'sources', 'snapshots', 'on-run-start',
  'on-run-end', 'dispatch', 'quoting', 'query-comment', 'flags', 'restrict-access', 'exposures', 'metrics', 'semantic-models', 'saved-queries',
  'unit_tests', 'analyses', 'airflow', 'dbt-cloud',
]);

/** The `airflow:` block as written, with the line of each key, for `strata airflow` (airflow/airflow-settings.ts checks it). */
function airflowBlock(value: unknown, yaml: YamlFile): NonNullable<ProjectConfig['airflow']> {
  const settings = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const lines: Record<string, number> = {};
  for (const key of Object.keys(settings)) lines[key] = yaml.lineOf(['airflow', key]) ?? yaml.lineOf(['airflow']) ?? 1;
  return { settings, line: yaml.lineOf(['airflow']) ?? 1, lines, valid: settings === value };
}

function parseVars(vars: LoadOptions['vars']): { value: Record<string, unknown>; error?: string } {
  if (vars === undefined) return { value: {} };
  if (typeof vars === 'object') return { value: vars };
  try {
    // The fast reader of the project's YAML files when it can read the text: loading the thorough one costs a
    // daily `--vars '{ds: …}'` run about 30 ms. Anything it cannot read goes to the thorough one, for its error.
    const v = (parseYamlFile('--vars', vars).file?.value ?? yamlPackage().parse(vars)) as unknown;
    if (v === null || v === undefined) return { value: {} };
    if (typeof v !== 'object' || Array.isArray(v)) return { value: {}, error: '--vars must be a mapping like {key: value}' };
    return { value: v as Record<string, unknown> };
  } catch (e) {
    return { value: {}, error: `--vars is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}` };
  }
}

function stringList(v: unknown, fallback: string[]): string[] | undefined {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

// A hook of another type is reported by projectShapeDiagnostics; it is left out here rather than run as text.
const toHooks = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).filter((h): h is string => typeof h === 'string');

/** The project file read, and how a problem in it is reported (at the line of its key). */
interface ProjectFileRead {
  root: string;
  configFile: string;
  yaml: YamlFile;
  raw: Record<string, unknown>;
  name: string;
  diagnostics: Diagnostic[];
  invalid(key: string, message: string, hint?: string): void;
  renderMissing(path: (string | number)[], n: string, kind: RenderProblem): void;
}

/** Reads the project file, the profile and every file of the project. Never touches a warehouse. */
export function loadProject(options: LoadOptions): { project?: LoadedProject; diagnostics: Diagnostic[] } {
  const fs: FileSource = options.fileSource ?? diskFileSource;
  const env = options.env ?? process.env;
  const diagnostics: Diagnostic[] = [];
  const root = resolve(options.projectDir ?? process.cwd());
  const read = readProjectYaml(root, fs, diagnostics);
  if (!read) return { diagnostics };
  const p = projectFileRead(root, read, diagnostics);
  const around = sideFiles(p, fs);
  const cli = parseVars(options.vars);
  if (cli.error) diagnostics.push({ code: 'vars-invalid', severity: 'error', message: cli.error, file: '--vars', hint: `example: --vars '{start_date: "2024-01-01"}'` });
  const rawVars = p.raw.vars ?? {};
  if (typeof rawVars !== 'object' || Array.isArray(rawVars)) p.invalid('vars', 'vars must be a mapping of names to values');
  // The profile comes before vars and folder configs: they may read `target` (`+enabled: "{{ target.name == 'prod' }}"`), as in dbt.
  // `--profile` (or DBT_PROFILE) chooses another profile than the project file's; `target.profile_name` is the one used.
  const profileName = options.profile || (typeof p.raw.profile === 'string' ? p.raw.profile : p.name);
  const profile = loadProfile({ profileName, projectRoot: root, profilesDir: options.profilesDir, target: options.target, threads: options.threads, env, fs, optional: options.profileOptional, rules: options.targetRules });
  const target = profile.target ? targetView(profile.target, profileName, options.targetRules.templateDatabase) : undefined;
  const vars = projectVars(p, rawVars, cli.value, { env, ...(target ? { target } : {}) });
  const config = projectConfig(p, options, { env, profileName, around, vars, cliVars: cli.value, target });
  diagnostics.push(...profile.diagnostics);
  const files = listProjectFiles(config, fs);
  diagnostics.push(...pythonModelDiagnostics(config, fs));
  if (!profile.target || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return {
    project: { config, target: profile.target, ...(target ? { targetView: target } : {}), profilesFile: profile.file, files, secrets: profile.secrets },
    diagnostics,
  };
}

function projectFileRead(root: string, read: NonNullable<ReturnType<typeof readProjectYaml>>, diagnostics: Diagnostic[]): ProjectFileRead {
  const { configFile, yaml } = read;
  return {
    ...read,
    root,
    diagnostics,
    invalid(key, message, hint) {
      diagnostics.push({ code: 'project-invalid', severity: 'error', message, file: configFile, line: yaml.lineOf([key]) ?? 1, ...(hint ? { hint } : {}) });
    },
    renderMissing(path, n, kind) {
      diagnostics.push(renderFailure(kind, n, { file: configFile, line: yaml.lineOf(path) }, `pass --vars '{${n}: …}'`));
    },
  };
}

/** The files beside the project file: selectors.yml, the installed packages, packages.yml. */
function sideFiles(p: ProjectFileRead, fs: FileSource): { selectors: ProjectConfig['selectors']; installPath: string; installed: InstalledPackage[]; declared: ProjectConfig['declaredPackages'] } {
  const selectorsFile = readSelectorsFile(p.root, fs);
  p.diagnostics.push(...selectorsFile.diagnostics);
  const installPath = typeof p.raw['packages-install-path'] === 'string' ? p.raw['packages-install-path'] : 'dbt_packages';
  const installed = installedPackages(p.root, installPath, fs);
  p.diagnostics.push(...installed.diagnostics);
  const packagesFile = readPackagesFile(p.root, fs, installed.packages.map((q) => q.name));
  p.diagnostics.push(...packagesFile.diagnostics);
  return { selectors: selectorsFile.selectors, installPath, installed: installed.packages, declared: packagesFile.packages };
}

/** The project's vars rendered (`varsTree`, as written), then this project's scoped ones and `--vars` over them (`vars`). */
function projectVars(p: ProjectFileRead, rawVars: unknown, cliVars: Record<string, unknown>, around: Omit<RenderYamlContext, 'vars'>): { varsTree: Record<string, unknown>; vars: Record<string, unknown> } {
  // A var's text that needs more than env_var, var and target (`{{ run_started_at.strftime('%Y') }}`) is kept as
  // written: var() renders it where it is read, as dbt renders every var (templating/var-text.ts).
  // So is one reading another project var (`b: "{{ var('a') }}"`): var() knows them all when it reads.
  const projectVar = (n: string): boolean => typeof rawVars === 'object' && rawVars !== null && n in (rawVars as Record<string, unknown>);
  const varMissing: ProjectFileRead['renderMissing'] = (path, n, kind) => (kind === 'template' || (kind === 'var' && projectVar(n)) ? undefined : p.renderMissing(path, n, kind));
  const varsTree = renderYamlTree(Array.isArray(rawVars) ? {} : rawVars, { ...around, vars: cliVars }, ['vars'], varMissing) as Record<string, unknown>;
  // Project-scoped vars ({my_project: {x: 1}}) flatten for this project; global ones stay.
  const scoped = varsTree[p.name] && typeof varsTree[p.name] === 'object' && !Array.isArray(varsTree[p.name]) ? (varsTree[p.name] as Record<string, unknown>) : {};
  return { varsTree, vars: { ...varsTree, ...scoped, ...cliVars } };
}

/** The project's settings: folders, rendered resource configs, packages with their vars, hooks, flags. */
function projectConfig(
  p: ProjectFileRead,
  options: LoadOptions,
  o: { env: NodeJS.ProcessEnv; profileName: string; around: ReturnType<typeof sideFiles>; vars: ReturnType<typeof projectVars>; cliVars: Record<string, unknown>; target?: Record<string, unknown> },
): ProjectConfig {
  const { raw, name, configFile, yaml } = p;
  const { vars, varsTree } = o.vars;
  const ctx = { env: o.env, vars, ...(o.target ? { target: o.target } : {}) };
  const cfg = (key: string): unknown => renderYamlTree(raw[key], ctx, [key], (path, n, kind) => p.renderMissing(path, n, kind));
  // Packages' own vars are rendered too (`insert_batch_size: "{{ 500 if target.type == 'bigquery' else 10000 }}"`).
  const packages = o.around.installed.map((q) => renderPackageVars(q, ctx, (d) => p.diagnostics.push(d)));
  const packageVarsOf = (q: InstalledPackage): Record<string, unknown> => packageVars(q, varsTree, name, o.cliVars, packages.map((r) => r.name));
  // dbt 1.8 renamed `tests:` to `data_tests:` and rejects both: merging them could drop configs silently.
  if (raw.tests !== undefined && raw.data_tests !== undefined) p.invalid('tests', `${configFile} has both 'tests' and 'data_tests'`, "'tests' is the old name of 'data_tests': move its configs under data_tests and remove it");
  const paths = folderPaths(raw, (key, message, hint) => p.invalid(key, message, hint));
  const queryComment = readQueryComment(raw['query-comment'], configFile, (path) => yaml.lineOf(path));
  p.diagnostics.push(...queryComment.diagnostics);
  return {
    name,
    version: raw.version === undefined ? undefined : String(raw.version),
    profile: o.profileName,
    rootDir: p.root,
    configFile,
    modelPaths: paths['model-paths']!,
    seedPaths: paths['seed-paths']!,
    macroPaths: paths['macro-paths']!,
    testPaths: paths['test-paths']!,
    snapshotPaths: paths['snapshot-paths']!,
    analysisPaths: paths['analysis-paths']!,
    docsPaths: paths['docs-paths']!,
    assetPaths: paths['asset-paths']!,
    // As dbt: the flag, then the environment, then the project file.
    targetPath: options.targetPath || o.env.STRATA_TARGET_PATH || o.env.DBT_TARGET_PATH || (typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target'),
    cleanTargets: paths['clean-targets']!,
    vars,
    models: (cfg('models') ?? {}) as Record<string, unknown>,
    seeds: (cfg('seeds') ?? {}) as Record<string, unknown>,
    dataTests: (cfg('data_tests') ?? cfg('tests') ?? {}) as Record<string, unknown>,
    sources: (cfg('sources') ?? {}) as Record<string, unknown>,
    snapshots: (cfg('snapshots') ?? {}) as Record<string, unknown>,
    exposures: (raw.exposures ?? {}) as Record<string, unknown>,
    selectors: o.around.selectors,
    declaredPackages: o.around.declared,
    packagesInstallPath: o.around.installPath,
    installedPackages: packages.map((q) => renderPackageConfigs(q, { ...ctx, vars: packageVarsOf(q) }, (d) => p.diagnostics.push(d))),
    packageVars: Object.fromEntries(packages.map((q) => [q.name, packageVarsOf(q)])),
    onRunStart: toHooks(raw['on-run-start']),
    onRunEnd: toHooks(raw['on-run-end']),
    dispatch: Array.isArray(raw.dispatch) ? (raw.dispatch as ProjectConfig['dispatch']) : [],
    quoting: (raw.quoting ?? {}) as Record<string, boolean>,
    queryComment: queryComment.config,
    behaviorFlags: booleanFlags(raw.flags),
    ...(raw['restrict-access'] === true ? { restrictAccess: true } : {}),
    ...(raw.airflow !== undefined ? { airflow: airflowBlock(raw.airflow, yaml) } : {}),
  };
}

/**
 * The project file (`project.yml`, else dbt's `dbt_project.yml`) read and checked as a whole: a mapping, a valid
 * name, dbt's shape. Undefined (with the diagnostics) when loading cannot go on.
 */
function readProjectYaml(root: string, fs: FileSource, diagnostics: Diagnostic[]): { configFile: string; yaml: YamlFile; raw: Record<string, unknown>; name: string } | undefined {
  const configFile = ['project.yml', 'dbt_project.yml'].find((f) => fs.exists(join(root, f)));
  if (!configFile) {
    diagnostics.push({ code: 'project-not-found', severity: 'error', message: `no project.yml or dbt_project.yml in ${root}`, hint: 'run from a project folder, pass --project-dir, or create one with `strata init <name>`' });
    return undefined;
  }
  const parsed = parseYamlFile(configFile, fs.read(join(root, configFile)));
  if (!parsed.file) {
    diagnostics.push(...parsed.diagnostics);
    return undefined;
  }
  const yaml: YamlFile = parsed.file;
  const raw = yaml.value as Record<string, unknown>;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push({ code: 'project-invalid', severity: 'error', message: `${configFile} must be a mapping of settings`, file: configFile, line: 1 });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) diagnostics.push({ code: 'project-unknown-key', severity: 'warn', message: `unknown key '${key}' in ${configFile} is ignored`, file: configFile, line: yaml.lineOf([key]) });
  }
  if (typeof raw.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.name)) {
    diagnostics.push({ code: 'project-invalid', severity: 'error', message: raw.name === undefined ? `${configFile} has no name` : `project name ${JSON.stringify(raw.name)} is not valid`, file: configFile, line: yaml.lineOf(['name']) ?? 1, hint: 'add name: my_project (letters, digits, underscores)' });
    return undefined;
  }
  const shape = projectShapeDiagnostics(raw, configFile, (path) => yaml.lineOf(path));
  diagnostics.push(...shape);
  if (shape.some((d) => d.severity === 'error')) return undefined;
  return { configFile, yaml, raw, name: raw.name };
}

/** The resource folders of the project file (dbt's defaults, and its legacy `source-paths` / `data-paths`). */
function folderPaths(raw: Record<string, unknown>, invalid: (key: string, message: string, hint?: string) => void): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  const pathKey = (key: string, legacy: string | undefined, def: string[]): void => {
    const v = stringList(raw[key] ?? (legacy ? raw[legacy] : undefined), def);
    if (!v) invalid(key, `${key} must be a list of folders`, `${key}: [${def[0] ?? 'folder'}]`);
    paths[key] = v ?? def;
  };
  pathKey('model-paths', 'source-paths', ['models']);
  pathKey('seed-paths', 'data-paths', ['seeds']);
  pathKey('macro-paths', undefined, ['macros']);
  pathKey('test-paths', undefined, ['tests']);
  pathKey('snapshot-paths', undefined, ['snapshots']);
  pathKey('analysis-paths', undefined, ['analyses']);
  pathKey('docs-paths', undefined, []);
  pathKey('asset-paths', undefined, []);
  pathKey('clean-targets', undefined, []);
  return paths;
}

/** The `flags:` whose values are true or false (a wrong value is reported by project-flags.ts). */
function booleanFlags(flags: unknown): Record<string, boolean> {
  if (!flags || typeof flags !== 'object' || Array.isArray(flags)) return {};
  return Object.fromEntries(Object.entries(flags as Record<string, unknown>).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>;
}
