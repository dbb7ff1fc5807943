import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource } from './types.js';
import { parseYamlFile } from './yaml-file.js';

/**
 * What dbt's `packages.yml` (or `dependencies.yml`) lists. Strata does not install packages yet: the names
 * make a clear error when a model calls one's macros (`dbt_utils.star`), and the project gets one warning.
 */
export function readPackagesFile(root: string, fs: FileSource, installed: string[] = []): { packages: string[]; diagnostics: Diagnostic[] } {
  for (const file of ['packages.yml', 'dependencies.yml']) {
    if (!fs.exists(join(root, file))) continue;
    const parsed = parseYamlFile(file, fs.read(join(root, file)));
    if (!parsed.file) return { packages: [], diagnostics: parsed.diagnostics };
    const list = (parsed.file.value as { packages?: unknown } | null)?.packages;
    if (!Array.isArray(list) || !list.length) return { packages: [], diagnostics: [] };
    // The name a package's macros are called under: the hub name's last part, a git or local path's last folder.
    const names = list
      .map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>) : {}))
      .map((p) => String(p.package ?? p.git ?? p.local ?? p.tarball ?? '').replace(/\.git$/, '').split(/[/:]/).filter(Boolean).pop() ?? '')
      .filter(Boolean);
    const norm = (n: string): string => n.replace(/-/g, '_');
    const missing = names.filter((n) => !installed.map(norm).includes(norm(n)));
    return {
      packages: names,
      diagnostics: missing.length ? [{ code: 'packages-not-installed', severity: 'warn', message: `${file} lists ${missing.length} package(s) not installed (${missing.join(', ')}): a model calling their macros fails with macro-not-found`, file, line: parsed.file.lineOf(['packages']) ?? 1, hint: 'run strata deps (local: and git: packages; for a hub package, give its git: repository instead)' }] : [],
    };
  }
  return { packages: [], diagnostics: [] };
}

/** One `packages:` entry of packages.yml, for `strata deps`. */
export interface PackageSpec {
  kind: 'local' | 'git' | 'hub' | 'tarball';
  value: string;
  revision?: string;
  subdirectory?: string;
  line?: number;
}

export function readPackageSpecs(root: string, fs: FileSource): { file?: string; specs: PackageSpec[]; diagnostics: Diagnostic[] } {
  for (const file of ['packages.yml', 'dependencies.yml']) {
    if (!fs.exists(join(root, file))) continue;
    const parsed = parseYamlFile(file, fs.read(join(root, file)));
    if (!parsed.file) return { file, specs: [], diagnostics: parsed.diagnostics };
    const list = (parsed.file.value as { packages?: unknown } | null)?.packages;
    const specs: PackageSpec[] = [];
    const diagnostics: Diagnostic[] = [];
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const p = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
      const line = parsed.file!.lineOf(['packages', i]);
      const kind = (['local', 'git', 'package', 'tarball'] as const).find((k) => typeof p[k] === 'string');
      if (!kind) {
        diagnostics.push({ code: 'packages-invalid', severity: 'error', message: `entry ${i + 1} of ${file} has none of local:, git:, package:, tarball:`, file, line, hint: 'write - local: ../my_package, or - git: https://…/repo.git with revision:' });
        return;
      }
      specs.push({ kind: kind === 'package' ? 'hub' : kind, value: String(p[kind]), ...(p.revision !== undefined ? { revision: String(p.revision) } : {}), ...(typeof p.subdirectory === 'string' ? { subdirectory: p.subdirectory } : {}), line });
    });
    return { file, specs, diagnostics };
  }
  return { specs: [], diagnostics: [] };
}
