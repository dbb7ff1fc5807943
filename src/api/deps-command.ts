import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { diskFileSource, loadProject } from '../project/index.js';
import { readPackageSpecs, type PackageSpec } from '../project/packages-file.js';
import { parseYamlFile } from '../project/yaml-file.js';
import type { CommonOptions, ExitCode } from './types.js';

const NOT_COPIED = new Set(['target', 'dbt_packages', 'logs', '.git', 'node_modules']);

/** The name a package declares in its dbt_project.yml (what its macros are called under). */
function packageName(dir: string): string | undefined {
  const file = join(dir, 'dbt_project.yml');
  if (!existsSync(file)) return undefined;
  const value = parseYamlFile('dbt_project.yml', readFileSync(file, 'utf8')).file?.value as { name?: unknown } | undefined;
  return typeof value?.name === 'string' ? value.name : undefined;
}

/** A git package, cloned at its revision (a branch or tag; else a commit, checked out after a full clone). */
function cloneGit(spec: PackageSpec, into: string): void {
  const git = (args: string[], cwd?: string): void => {
    execFileSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  };
  try {
    git(['clone', '--quiet', '--depth', '1', ...(spec.revision ? ['--branch', spec.revision] : []), spec.value, into]);
  } catch {
    rmSync(into, { recursive: true, force: true });
    git(['clone', '--quiet', spec.value, into]);
    if (spec.revision) git(['checkout', '--quiet', spec.revision], into);
  }
}

/**
 * `strata deps`, as dbt's for `local:` and `git:` packages: each is copied (or cloned at its `revision`,
 * from its `subdirectory`) into the packages-install-path under the name its dbt_project.yml gives, replacing
 * what was there. Hub packages (`package:`) and tarballs are not fetched yet: an error names them.
 */
export async function deps(options: CommonOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; installed: string[] }> {
  const loaded = loadProject({ ...options, profileOptional: true });
  if (!loaded.project) return { exitCode: 2, diagnostics: loaded.diagnostics, installed: [] };
  const root = loaded.project.config.rootDir;
  const { file, specs, diagnostics } = readPackageSpecs(root, diskFileSource);
  if (diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics, installed: [] };
  const installDir = resolve(root, loaded.project.config.packagesInstallPath);
  const installed: string[] = [];
  let failed = false;
  for (const spec of specs) {
    const where = { file: file!, line: spec.line };
    if (spec.kind === 'hub' || spec.kind === 'tarball') {
      diagnostics.push({ code: 'packages-unsupported', severity: 'error', message: `${spec.kind === 'hub' ? `hub package ${spec.value}` : `tarball ${spec.value}`} is not installed: Strata fetches only local: and git: packages yet`, ...where, hint: spec.kind === 'hub' ? `use its git repository instead: - git: <the repository's URL of ${spec.value}> with revision: <the tag of the version you use>` : 'use a git: or local: entry' });
      failed = true;
      continue;
    }
    mkdirSync(installDir, { recursive: true });
    const staging = mkdtempSync(join(installDir, '.strata-deps-'));
    try {
      let source: string;
      if (spec.kind === 'local') source = resolve(root, spec.value);
      else {
        cloneGit(spec, join(staging, 'clone'));
        source = join(staging, 'clone');
      }
      if (spec.subdirectory) source = join(source, spec.subdirectory);
      const name = packageName(source);
      if (!name) {
        diagnostics.push({ code: 'package-invalid', severity: 'error', message: `${spec.value}${spec.subdirectory ? `/${spec.subdirectory}` : ''} has no dbt_project.yml with a name: it is not a package`, ...where, hint: 'point local:/git: (and subdirectory:) at the folder holding the package\'s dbt_project.yml' });
        failed = true;
        continue;
      }
      const copy = join(staging, 'package');
      cpSync(source, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(source.length + 1).split(/[\\/]/)[0]!) });
      rmSync(join(installDir, name), { recursive: true, force: true });
      renameSync(copy, join(installDir, name));
      installed.push(name);
    } catch (e) {
      const err = e as Error & { stderr?: Buffer };
      diagnostics.push({ code: 'package-install-failed', severity: 'error', message: `${spec.value} could not be installed: ${(err.stderr?.toString() || err.message).trim().split('\n')[0]}`, ...where, hint: spec.kind === 'git' ? 'check the URL and revision, and that git can reach the repository' : 'check the path' });
      failed = true;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { exitCode: failed ? (diagnostics.some((d) => d.code === 'packages-unsupported' || d.code === 'package-invalid') ? 2 : 1) : 0, diagnostics, installed };
}
