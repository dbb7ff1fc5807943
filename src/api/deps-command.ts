import { targetRules } from '../adapters/registry.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import { DBT_COMPAT_VERSION } from '../project/dbt-compat.js';
import { renderYamlTree } from '../project/render-yaml-value.js';
import { addedEntry, addToPackagesFile, type PackageSource } from '../packages/add-package.js';
import { HubClient, hubUrl } from '../packages/hub-client.js';
import { FetchError } from '../packages/fetch-package.js';
import { installPackages } from '../packages/install-packages.js';
import { LOCK_FILE, packagesHash, readLockFile, writeLockFile } from '../packages/lock-file.js';
import { readPackagesList, specOf, type PackageSpec } from '../packages/package-specs.js';
import { resolvePackages, type ResolveContext } from '../packages/resolve-packages.js';
import type { PinnedPackage } from '../packages/types.js';
import type { CommonOptions, ExitCode } from './types.js';

export interface DepsOptions extends CommonOptions {
  /** `--upgrade`: resolve again even if package-lock.yml matches packages.yml. */
  upgrade?: boolean;
  /** `--lock`: resolve and write package-lock.yml, install nothing. */
  lock?: boolean;
  /** `--add-package name@version`: add the entry to packages.yml first. */
  addPackage?: string;
  /** `--source` of the added package (default hub). */
  source?: PackageSource;
  /** `--no-version-check`: false to ignore require-dbt-version. */
  versionCheck?: boolean;
}

export interface DepsResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  /** Names of the packages installed (all of the tree), sorted. */
  installed: string[];
  /** One line per package: `dbt_utils version 1.3.0`. */
  messages: string[];
}

/** Resolution problems are the project's (exit 2); a network, git or download failure is a failed step (exit 1). */
const PROJECT_CODES = new Set(['packages-invalid', 'package-invalid', 'package-version-conflict', 'package-version-not-found', 'package-not-found', 'package-name-conflict', 'package-dbt-version', 'package-lock-invalid', 'usage', 'env-var-not-found', 'var-not-found']);
const exitFor = (diagnostics: Diagnostic[]): ExitCode => {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return !errors.length ? 0 : errors.some((d) => PROJECT_CODES.has(d.code)) ? 2 : 1;
};

/** Scratch space for clones and downloads beside the install folder: on its file system, so installing is a rename. */
function downloadsDir(installDir: string): string {
  mkdirSync(dirname(installDir), { recursive: true });
  return mkdtempSync(join(dirname(installDir), `.${basename(installDir)}.downloads-`));
}

/** The lock file's entries as specs pinned to exactly what they record. */
function lockedSpecs(entries: Record<string, unknown>[], ctx: ResolveContext): { specs: PackageSpec[]; diagnostics: Diagnostic[] } {
  const specs: PackageSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  entries.forEach((entry, i) => {
    const rendered = renderYamlTree(entry, { ...ctx, allowSecretEnv: true }, ['packages', i], (_p, name, kind) => diagnostics.push({ code: kind === 'env_var' ? 'env-var-not-found' : 'var-not-found', severity: 'error', message: `${kind}('${name}') in ${LOCK_FILE} is not set`, file: LOCK_FILE, hint: `export ${name}=…` })) as Record<string, unknown>;
    const spec = specOf(entry, rendered, { file: LOCK_FILE, by: String(entry.name ?? LOCK_FILE) }, ctx.rootDir);
    if ('code' in spec) diagnostics.push(spec);
    else specs.push(spec);
  });
  return { specs, diagnostics };
}

/**
 * `strata deps`, as dbt's: packages.yml (or dependencies.yml) resolved over the whole tree into
 * package-lock.yml, unless the lock already matches (`sha1_hash`) and `--upgrade` is not given; then every
 * package of the lock installed into packages-install-path, through a staging folder swapped in at the end.
 */
export async function deps(options: DepsOptions): Promise<DepsResult> {
  const env = options.env ?? process.env;
  const loaded = loadProject({ ...options, profileOptional: true, targetRules });
  const none = (exitCode: ExitCode, diagnostics: Diagnostic[]): DepsResult => ({ exitCode, diagnostics, installed: [], messages: [] });
  if (!loaded.project) return none(2, loaded.diagnostics);
  const { config } = loaded.project;
  const root = config.rootDir;
  const messages: string[] = [];
  if (options.addPackage) {
    const added = addedEntry(options.addPackage, options.source ?? 'hub');
    if ('diagnostic' in added) return none(2, [added.diagnostic]);
    const entry = added.entry;
    const name = String(entry.package ?? entry.git ?? entry.local ?? entry.tarball);
    for (const old of addToPackagesFile(root, entry, name)) messages.push(`Removed ${JSON.stringify(old)} from packages.yml`);
    messages.push(`Added ${name} to packages.yml`);
  }
  const ctx: ResolveContext = { hub: new HubClient(hubUrl(env)), downloads: downloadsDir(resolve(root, config.packagesInstallPath)), rootDir: root, env, vars: config.vars, dbtVersion: DBT_COMPAT_VERSION, versionCheck: options.versionCheck !== false };
  try {
    const list = readPackagesList(root, 'packages.yml', root, ctx);
    const diagnostics: Diagnostic[] = [...list.diagnostics];
    if (exitFor(diagnostics)) return none(2, diagnostics);
    if (!list.specs.length) return { exitCode: 0, diagnostics, installed: [], messages: [...messages, 'No packages found in packages.yml.'] };
    const hash = packagesHash(list.written);
    const existing = readLockFile(root);
    diagnostics.push(...existing.diagnostics);
    let packages: PinnedPackage[];
    if (existing.lock && existing.lock.sha1Hash === hash && !options.upgrade) {
      const locked = lockedSpecs(existing.lock.packages, ctx);
      diagnostics.push(...locked.diagnostics);
      if (exitFor(diagnostics)) return none(exitFor(diagnostics), diagnostics);
      if (options.lock) return { exitCode: 0, diagnostics, installed: [], messages: [...messages, `${LOCK_FILE} is up to date.`] };
      const resolved = await resolvePackages(locked.specs, ctx, false);
      diagnostics.push(...resolved.diagnostics);
      packages = resolved.packages;
    } else {
      const resolved = await resolvePackages(list.specs, ctx);
      diagnostics.push(...resolved.diagnostics);
      if (exitFor(diagnostics)) return none(exitFor(diagnostics), diagnostics);
      packages = resolved.packages;
      writeLockFile(root, packages, hash);
      messages.push(`Updated ${LOCK_FILE} (${packages.length} package${packages.length === 1 ? '' : 's'}).`);
      if (options.lock) return { exitCode: 0, diagnostics, installed: [], messages };
    }
    if (exitFor(diagnostics)) return none(exitFor(diagnostics), diagnostics);
    try {
      const done = await installPackages(packages, resolve(root, config.packagesInstallPath), ctx.downloads);
      for (const d of done) messages.push(`Installed ${d.name} ${d.how}`);
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      const failed = e.kind === 'checksum' ? 'package-checksum-mismatch' : 'package-download-failed';
      diagnostics.push({ code: failed, severity: 'error', message: `a package could not be installed: ${e.message}; ${config.packagesInstallPath}/ is left as it was`, file: LOCK_FILE, hint: e.kind === 'checksum' ? 'the download is not what the hub published: retry, or check the hub (DBT_PACKAGE_HUB_URL) or a proxy in between' : 'check the network and the hub (DBT_PACKAGE_HUB_URL), then run strata deps again' });
      return none(1, diagnostics);
    }
    return { exitCode: exitFor(diagnostics), diagnostics, installed: packages.map((p) => p.name), messages };
  } finally {
    rmSync(ctx.downloads, { recursive: true, force: true });
  }
}
