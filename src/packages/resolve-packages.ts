import { mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { HubError, type HubClient } from './hub-client.js';
import { cloneGit, fetchTarball, FetchError, readPackageProject } from './fetch-package.js';
import { readPackagesList, specLabel, specOf, type GitSpec, type HubSpec, type PackageSpec } from './package-specs.js';
import { dbtVersionProblem, formatRange, highestIn, intersect, rangeOf, type VersionRange } from './semver.js';
import type { PinnedPackage } from './types.js';

export interface ResolveContext {
  hub: HubClient;
  /** A scratch folder for clones and downloads, removed by the caller. */
  downloads: string;
  rootDir: string;
  env: NodeJS.ProcessEnv;
  vars: Record<string, unknown>;
  /** The dbt version `require-dbt-version` is checked against. */
  dbtVersion: string;
  /** False (`--no-version-check`): require-dbt-version is not checked. */
  versionCheck: boolean;
}

/** A failure to pin a package: a diagnostic at the entry that asked for it. */
class PinError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const keyOf = (s: PackageSpec, rootDir: string): string =>
  s.kind === 'hub' ? `hub:${s.package}` : s.kind === 'git' ? `git:${s.git}#${s.subdirectory ?? ''}` : s.kind === 'local' ? `local:${resolve(s.baseDir || rootDir, s.local)}` : `tarball:${s.tarball}`;

const at = (s: PackageSpec) => ({ file: s.origin.file, ...(s.origin.line !== undefined ? { line: s.origin.line } : {}) });

function fail(s: PackageSpec, code: string, message: string, hint: string): never {
  throw new PinError({ code, severity: 'error', message, ...at(s), hint });
}

/** A fresh empty folder for one clone or download. */
const scratch = (ctx: ResolveContext): string => mkdtempSync(join(ctx.downloads, 'fetch-'));

/** A hub package at the highest version every requirer accepts. */
async function pinHub(specs: HubSpec[], ctx: ResolveContext): Promise<{ pinned: PinnedPackage; deps: PackageSpec[] }> {
  const first = specs[0]!;
  let range: VersionRange | undefined = {};
  for (const s of specs) for (const v of s.versions) range = range && intersect(range, rangeOf(v));
  if (!range) {
    const asks = specs.map((s) => `${s.origin.by} asks for ${s.versions.map((v) => `${v.matcher}${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`).join(', ')}`).join('; ');
    fail(specs.at(-1)!, 'package-version-conflict', `the versions asked of ${first.package} do not overlap: ${asks}`, `widen one of the ranges (in ${[...new Set(specs.map((s) => s.origin.file))].join(' or ')}) so that one version satisfies all`);
  }
  let versions;
  try {
    versions = await ctx.hub.versions(first.package);
  } catch (e) {
    if (!(e instanceof HubError)) throw e;
    if (e.kind === 'not-found') fail(first, 'package-not-found', `hub package ${first.package} is not on the package hub (${e.message})`, 'check the org/name as the hub lists it (dbt-labs/dbt_utils), or install it with git: and revision:');
    fail(first, 'package-hub-unreachable', `the package hub could not give ${first.package}: ${e.message}`, 'check the network, or point DBT_PACKAGE_HUB_URL at a reachable hub (a company mirror)');
  }
  const prerelease = specs.some((s) => s.installPrerelease || s.versions.some((v) => v.prerelease));
  const compatible = Object.keys(versions).filter((v) => !ctx.versionCheck || !dbtVersionProblem(versions[v]!.require_dbt_version, ctx.dbtVersion));
  const version = highestIn(range, compatible, prerelease);
  if (!version) {
    const inRange = highestIn(range, Object.keys(versions), prerelease);
    fail(specs.at(-1)!, 'package-version-not-found', inRange ? `no version of ${first.package} in ${formatRange(range)} supports dbt ${ctx.dbtVersion} (${inRange} ${dbtVersionProblem(versions[inRange]!.require_dbt_version, ctx.dbtVersion)})` : `no version of ${first.package} is in ${formatRange(range)}: the hub has ${Object.keys(versions).join(', ') || 'none'}`, inRange ? 'ask for an older version of the package, or pass --no-version-check' : `ask for a range that holds one of them (${specs.map((s) => s.origin.by).join(', ')})`);
  }
  const meta = versions[version]!;
  const label = `${first.package}@${version}`;
  const deps: PackageSpec[] = [];
  (Array.isArray(meta.packages) ? meta.packages : []).forEach((entry) => {
    const spec = specOf(entry, entry, { file: `${label} (hub)`, by: meta.name }, ctx.rootDir);
    if ('code' in spec) throw new PinError(spec);
    deps.push(spec);
  });
  const latest = highestIn({}, compatible, prerelease);
  return { pinned: { name: meta.name, kind: 'hub', label: first.package, lock: { package: first.package, version, name: meta.name }, download: meta.downloads, requiredBy: specs.map((s) => s.origin.by), ...(latest && latest !== version ? { latest } : {}) }, deps };
}

/** The package's own dependencies and its require-dbt-version, from its fetched folder. */
function inspect(dir: string, s: PackageSpec, ctx: ResolveContext): { name: string; deps: PackageSpec[] } {
  let project;
  try {
    project = readPackageProject(dir);
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    fail(s, 'package-invalid', `${specLabel(s)} is not a dbt package: ${e.message}`, s.kind === 'git' ? 'point subdirectory: at the folder holding the package\'s dbt_project.yml' : 'point the entry at the folder holding the package\'s dbt_project.yml');
  }
  const problem = ctx.versionCheck ? dbtVersionProblem(project.requireDbtVersion, ctx.dbtVersion) : undefined;
  if (problem) fail(s, 'package-dbt-version', `package '${project.name}' (${specLabel(s)}) does not support this dbt version: ${problem}`, 'use a version of the package that supports it, or pass --no-version-check');
  const list = readPackagesList(dir, project.name, ctx.rootDir, ctx, `${project.name}/`);
  if (list.diagnostics.some((d) => d.severity === 'error')) throw new PinError(list.diagnostics.find((d) => d.severity === 'error')!);
  return { name: project.name, deps: list.specs };
}

async function pinOther(specs: PackageSpec[], ctx: ResolveContext): Promise<{ pinned: PinnedPackage; deps: PackageSpec[] }> {
  const s = specs[0]!;
  const requiredBy = specs.map((x) => x.origin.by);
  if (s.kind === 'git') {
    const revisions = [...new Set((specs as GitSpec[]).map((x) => x.revision))];
    if (revisions.length > 1) fail(specs.at(-1)!, 'package-version-conflict', `git package ${specLabel(s)} is asked for at ${revisions.length} revisions: ${(specs as GitSpec[]).map((x) => `${x.origin.by} asks for ${x.revision}`).join('; ')}`, 'ask for one revision everywhere (a git package has no ranges)');
    const clone = scratch(ctx);
    let commit;
    try {
      commit = cloneGit(s.git, s.revision, clone);
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      fail(s, 'package-git-failed', `git package ${specLabel(s)} at ${s.revision} could not be fetched: ${e.message.split(s.git).join(specLabel(s))}`, 'check the URL and the revision (a branch, tag or commit), and that git can reach the repository');
    }
    const dir = s.subdirectory ? join(clone, s.subdirectory) : clone;
    const { name, deps } = inspect(dir, s, ctx);
    const lock = { git: s.written.git, revision: commit, ...(s.subdirectory ? { subdirectory: s.subdirectory } : {}), ...(s.written['warn-unpinned'] === false ? { 'warn-unpinned': false } : {}), name };
    return { pinned: { name, kind: 'git', label: specLabel(s), lock, dir, requiredBy }, deps };
  }
  if (s.kind === 'local') {
    const dir = resolve(s.baseDir || ctx.rootDir, s.local);
    const { name, deps } = inspect(dir, s, ctx);
    return { pinned: { name, kind: 'local', label: s.local, lock: { local: s.written.local, name }, dir, requiredBy }, deps };
  }
  if (s.kind !== 'tarball') throw new Error('unreachable');
  let dir;
  try {
    dir = await fetchTarball(s.tarball, scratch(ctx));
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    fail(s, 'package-download-failed', `tarball package ${s.name} could not be fetched: ${e.message.split(s.tarball).join(specLabel(s))}`, 'check the URL, and that it serves a .tar.gz of the package');
  }
  const { name, deps } = inspect(dir, s, ctx);
  return { pinned: { name, kind: 'tarball', label: specLabel(s), lock: { tarball: s.written.tarball, name: s.written.name ?? name }, dir, requiredBy }, deps };
}

/**
 * The packages of the whole tree, each pinned once, as dbt resolves them: the root's entries, then each
 * package's own (its `packages.yml`, or the hub's metadata), again until nothing changes. A hub package's
 * version is the highest in the intersection of every range asked of it; a git package must be asked for
 * at one revision. `transitive: false` pins the entries alone (installing from the lock file).
 */
export async function resolvePackages(root: PackageSpec[], ctx: ResolveContext, transitive = true): Promise<{ packages: PinnedPackage[]; diagnostics: Diagnostic[] }> {
  const asked = new Map<string, PackageSpec[]>();
  const pinned = new Map<string, PinnedPackage>();
  const diagnostics: Diagnostic[] = [];
  let pending = root;
  for (let round = 0; pending.length && round < 50; round++) {
    const touched = new Set<string>();
    for (const s of pending) {
      const key = keyOf(s, ctx.rootDir);
      (asked.get(key) ?? asked.set(key, []).get(key)!).push(s);
      touched.add(key);
    }
    const next: PackageSpec[] = [];
    for (const key of touched) {
      const specs = asked.get(key)!;
      try {
        const result = specs[0]!.kind === 'hub' ? await pinHub(specs as HubSpec[], ctx) : await pinOther(specs, ctx);
        const before = pinned.get(key);
        pinned.set(key, result.pinned);
        if (transitive && JSON.stringify(before?.lock) !== JSON.stringify(result.pinned.lock)) next.push(...result.deps);
      } catch (e) {
        if (!(e instanceof PinError)) throw e;
        diagnostics.push(e.diagnostic);
      }
    }
    pending = next;
  }
  const byName = new Map<string, PinnedPackage>();
  for (const p of pinned.values()) {
    const other = byName.get(p.name);
    if (other) diagnostics.push({ code: 'package-name-conflict', severity: 'error', message: `two packages install as '${p.name}': ${other.label} (asked by ${other.requiredBy.join(', ')}) and ${p.label} (asked by ${p.requiredBy.join(', ')})`, file: 'packages.yml', hint: 'keep one of them: a project can have one package of a name' });
    byName.set(p.name, p);
  }
  for (const s of root) {
    if (s.kind === 'git' && s.revision === 'HEAD' && s.warnUnpinned) diagnostics.push({ code: 'package-unpinned', severity: 'warn', message: `git package ${specLabel(s)} is not pinned: the default branch's HEAD is installed`, ...at(s), hint: 'add revision: <a tag or commit>, or warn-unpinned: false' });
  }
  return { packages: [...pinned.values()].sort((a, b) => a.name.localeCompare(b.name)), diagnostics };
}
