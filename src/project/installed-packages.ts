import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource, FolderConfigTree } from './types.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';
import { renderFailure, renderYamlTree, type RenderYamlContext } from './render-yaml-value.js';

/** A package `strata deps` installed under the packages-install-path (default `dbt_packages/`). */
export interface InstalledPackage {
  name: string;
  /** Relative to the project root, forward slashes: `dbt_packages/my_utils`. */
  dir: string;
  macroPaths: string[];
  modelPaths: string[];
  seedPaths: string[];
  testPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  docsPaths: string[];
  /** Its dbt_project.yml's own `vars:` (applied to its nodes only, under the root project's). */
  vars: Record<string, unknown>;
  /** Its dbt_project.yml's folder configs (the root project's `models: <package>:` apply over them). */
  models: FolderConfigTree;
  seeds: FolderConfigTree;
  snapshots: FolderConfigTree;
  dataTests: FolderConfigTree;
  sources: FolderConfigTree;
  /** Its `on-run-start` / `on-run-end` hooks (run before the root project's). */
  onRunStart: string[];
  onRunEnd: string[];
  /** `require-dbt-version` as written, if any. */
  requireDbtVersion?: unknown;
  /** Its dbt_project.yml's `version:`, if any. */
  version?: string;
  /** `restrict-access: true`: only its public models may be referenced from outside it (dbt's model access). */
  restrictAccess?: boolean;
}

const paths = (v: unknown, fallback: string[]): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : fallback);
const hooks = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const tree = (v: unknown): FolderConfigTree => (v && typeof v === 'object' && !Array.isArray(v) ? (v as FolderConfigTree) : {});

/**
 * The packages installed for this project: each folder (or link) of the install path with a dbt_project.yml.
 * Their macros load under the package's name (`my_utils.cents()`, `adapter.dispatch(…, 'my_utils')`); their
 * models, seeds, snapshots, analyses, tests, sources and docs join the graph as the package's nodes.
 */
export function installedPackages(root: string, installPath: string, fs: FileSource): { packages: InstalledPackage[]; diagnostics: Diagnostic[] } {
  const base = join(root, installPath);
  const out: InstalledPackage[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const file of fs.list(base)) {
    if (!/[\\/]dbt_project\.yml$/.test(file)) continue;
    const rel = file.slice(base.length + 1).split(/[\\/]/);
    if (rel.length !== 2) continue;
    const dir = `${installPath}/${rel[0]}`;
    const parsed = parseYamlFile(`${dir}/dbt_project.yml`, fs.read(file));
    diagnostics.push(...parsed.diagnostics);
    const raw = (parsed.file?.value ?? {}) as Record<string, unknown>;
    if (typeof raw.name !== 'string' || seen.has(raw.name)) continue;
    seen.add(raw.name);
    const pkg: InstalledPackage = {
      name: raw.name,
      dir,
      macroPaths: paths(raw['macro-paths'], ['macros']),
      modelPaths: paths(raw['model-paths'] ?? raw['source-paths'], ['models']),
      seedPaths: paths(raw['seed-paths'] ?? raw['data-paths'], ['seeds']),
      testPaths: paths(raw['test-paths'], ['tests']),
      snapshotPaths: paths(raw['snapshot-paths'], ['snapshots']),
      analysisPaths: paths(raw['analysis-paths'], ['analyses']),
      docsPaths: paths(raw['docs-paths'], []),
      vars: tree(raw.vars),
      models: tree(raw.models),
      seeds: tree(raw.seeds),
      snapshots: tree(raw.snapshots),
      dataTests: tree(raw.data_tests ?? raw.tests),
      sources: tree(raw.sources),
      onRunStart: hooks(raw['on-run-start']),
      onRunEnd: hooks(raw['on-run-end']),
      ...(raw['require-dbt-version'] !== undefined ? { requireDbtVersion: raw['require-dbt-version'] } : {}),
      ...(raw['restrict-access'] === true ? { restrictAccess: true } : {}),
      ...(raw.version !== undefined && raw.version !== null ? { version: String(raw.version) } : {}),
    };
    if (parsed.file) projectFiles.set(pkg, parsed.file);
    out.push(pkg);
  }
  return { packages: out, diagnostics };
}

/**
 * The vars a package's nodes see, as dbt scopes them: the package's own, under the root project's global
 * vars, under the root's `vars: { <package>: {…} }`, under `--vars`.
 */
export function packageVars(pkg: InstalledPackage, rootVarsTree: Record<string, unknown>, rootName: string, cli: Record<string, unknown>, packageNames: string[]): Record<string, unknown> {
  const scoped = (t: Record<string, unknown>, name: string): Record<string, unknown> => tree(t[name]);
  const globals = (t: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(t).filter(([k]) => k !== rootName && !packageNames.includes(k)));
  return { ...globals(pkg.vars), ...scoped(pkg.vars, pkg.name), ...globals(rootVarsTree), ...scoped(rootVarsTree, pkg.name), ...cli };
}

/** Whether a value tree holds Jinja anywhere (most packages' vars and configs do not: they are kept as they are). */
const hasJinja = (v: unknown): boolean => {
  const text = JSON.stringify(v) ?? '';
  return text.includes('{{') || text.includes('{%');
};

/** Each package's dbt_project.yml as read, for the lines of its diagnostics. */
const projectFiles = new WeakMap<InstalledPackage, YamlFile>();

/** A package's `vars:` with their Jinja rendered (the root project's vars, `target`, `env_var`), as the root's are. */
export function renderPackageVars(pkg: InstalledPackage, ctx: RenderYamlContext, report: (d: Diagnostic) => void): InstalledPackage {
  if (!hasJinja(pkg.vars)) return pkg;
  const file = `${pkg.dir}/dbt_project.yml`;
  const yaml = projectFiles.get(pkg);
  const vars = tree(renderYamlTree(pkg.vars, { ...ctx, vars: { ...pkg.vars, ...ctx.vars } }, ['vars'], (path, name, kind) => {
    // Text needing more than env_var, var and target is rendered by var() where it is read (templating/var-text.ts).
    if (kind !== 'template') report(renderFailure(kind, name, { file, line: yaml?.lineOf(path) ?? 1 }, `pass --vars '{${name}: …}'`));
  }));
  const rendered = { ...pkg, vars };
  if (yaml) projectFiles.set(rendered, yaml);
  return rendered;
}

/**
 * A package's folder configs with their Jinja rendered (`+materialized: "{{ 'table' if target.type == 'duckdb'
 * else 'view' }}"`), as dbt renders every project's dbt_project.yml: with the package's vars and the target.
 */
export function renderPackageConfigs(pkg: InstalledPackage, ctx: RenderYamlContext, report: (d: Diagnostic) => void): InstalledPackage {
  const file = `${pkg.dir}/dbt_project.yml`;
  const yaml = projectFiles.get(pkg);
  const render = (v: FolderConfigTree, key: string): FolderConfigTree =>
    hasJinja(v) ? tree(renderYamlTree(v, ctx, [key], (path, name, kind) => report(renderFailure(kind, name, { file, line: yaml?.lineOf(path) ?? 1 }, `add ${name} under vars: in ${file} or the root project's, or pass --vars '{${name}: …}'`)))) : v;
  const rendered: InstalledPackage = { ...pkg, models: render(pkg.models, 'models'), seeds: render(pkg.seeds, 'seeds'), snapshots: render(pkg.snapshots, 'snapshots'), dataTests: render(pkg.dataTests, (yaml?.value as Record<string, unknown> | undefined)?.data_tests !== undefined ? 'data_tests' : 'tests'), sources: render(pkg.sources, 'sources') };
  if (yaml) projectFiles.set(rendered, yaml);
  return rendered;
}
