import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource } from './types.js';
import { parseYamlFile } from './yaml-file.js';

/**
 * What dbt's `packages.yml` (or `dependencies.yml`) lists. Strata does not install packages yet: the names
 * make a clear error when a model calls one's macros (`dbt_utils.star`), and the project gets one warning.
 */
export function readPackagesFile(root: string, fs: FileSource): { packages: string[]; diagnostics: Diagnostic[] } {
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
    return {
      packages: names,
      diagnostics: [{ code: 'packages-unsupported', severity: 'warn', message: `${file} lists ${names.length} package(s) (${names.join(', ')}), which Strata does not install yet: a model calling their macros fails with macro-not-found`, file, line: parsed.file.lineOf(['packages']) ?? 1, hint: "copy the macros the project uses into macros/ and call them without the package's name, or keep this project on dbt until packages are supported" }],
    };
  }
  return { packages: [], diagnostics: [] };
}
