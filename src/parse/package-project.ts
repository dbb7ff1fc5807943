import type { InstalledPackage } from '../project/installed-packages.js';
import type { LoadedProject } from '../project/types.js';
import type { Manifest, ResourceType } from './types.js';

/**
 * An installed package as a project of its own, to parse: its name (so ids are `model.<package>.<name>`),
 * its folder configs and scoped vars, and its files (which the root project's parse leaves out).
 */
export function packageProject(root: LoadedProject, pkg: InstalledPackage): LoadedProject {
  const config = {
    ...root.config,
    name: pkg.name,
    packageDir: pkg.dir,
    modelPaths: pkg.modelPaths,
    seedPaths: pkg.seedPaths,
    macroPaths: pkg.macroPaths,
    testPaths: pkg.testPaths,
    snapshotPaths: pkg.snapshotPaths,
    analysisPaths: pkg.analysisPaths,
    docsPaths: pkg.docsPaths,
    vars: root.config.packageVars[pkg.name] ?? root.config.vars,
    models: pkg.models,
    seeds: pkg.seeds,
    snapshots: pkg.snapshots,
    dataTests: pkg.dataTests,
    // Sources take the root's `sources: <package>:` as folder configs over the package's own.
    sources: packageTestConfig(pkg.sources, root.config.sources, pkg.name),
    exposures: {},
    onRunStart: [],
    onRunEnd: [],
  };
  return { ...root, config, files: root.files.filter((f) => f.packageName === pkg.name) };
}

/**
 * The root project's folder configs (`models: <package>: +enabled: false`), which apply over everything a
 * package says of its nodes, its files' `config()` calls included, as dbt applies them.
 */
export interface RootOverrides {
  models: Record<string, unknown>;
  seeds: Record<string, unknown>;
  snapshots: Record<string, unknown>;
  dataTests: Record<string, unknown>;
}

export function rootOverrides(root: LoadedProject): RootOverrides {
  const c = root.config;
  return { models: c.models, seeds: c.seeds, snapshots: c.snapshots, dataTests: c.dataTests };
}

/** The root's tree for one kind of node (none for analyses, or when parsing the root itself). */
export function overrideTree(overrides: RootOverrides | undefined, resourceType: ResourceType): Record<string, unknown> {
  if (!overrides) return {};
  return resourceType === 'model' ? overrides.models : resourceType === 'seed' ? overrides.seeds : resourceType === 'snapshot' ? overrides.snapshots : resourceType === 'test' ? overrides.dataTests : {};
}

/** Adds a package's manifest to the root's: its nodes, sources, macros, docs, exposures, groups and disabled nodes. */
export function mergeManifest(into: Manifest, from: Manifest): void {
  Object.assign(into.nodes, from.nodes);
  Object.assign(into.sources, from.sources);
  Object.assign(into.macros, from.macros);
  Object.assign(into.docs, from.docs);
  Object.assign(into.exposures, from.exposures);
  if (from.groups) into.groups = Object.assign(into.groups ?? {}, from.groups);
  Object.assign(into.disabled, from.disabled);
  if (from.packageDirs) into.packageDirs = Object.assign(into.packageDirs ?? {}, from.packageDirs);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** A package's folder configs (`data_tests:`, `sources:`) with the root project's `<kind>: <package>:` over them. */
export function packageTestConfig(own: Record<string, unknown>, root: Record<string, unknown>, name: string): Record<string, unknown> {
  const rootPart = root[name];
  return rootPart && typeof rootPart === 'object' && !Array.isArray(rootPart) ? deepMerge(own, { [name]: rootPart }) : own;
}
