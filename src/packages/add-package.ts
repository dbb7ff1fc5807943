import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { yamlPackage } from '../project/yaml-package.js';
import { replaceFile } from '../project/replace-file.js';

export type PackageSource = 'hub' | 'git' | 'local' | 'tarball';

/** `--add-package name@version` → the packages.yml entry dbt writes for it (`--source` says which kind). */
export function addedEntry(arg: string, source: PackageSource): { entry: Record<string, unknown> } | { diagnostic: Diagnostic } {
  const at = arg.lastIndexOf('@');
  const name = at > 0 ? arg.slice(0, at) : arg;
  const version = at > 0 ? arg.slice(at + 1) : undefined;
  if (!name || (source === 'hub' && !version)) {
    return { diagnostic: { code: 'usage', severity: 'error', message: `--add-package ${arg}: a hub package needs a version`, hint: 'write --add-package dbt-labs/dbt_utils@1.3.0 (or a range: "dbt-labs/dbt_utils@>=1.0.0,<2.0.0")' } };
  }
  const key = source === 'hub' ? 'package' : source;
  const entry: Record<string, unknown> = { [key]: name };
  if (version) entry[source === 'git' ? 'revision' : 'version'] = version.includes(',') ? version.split(',').map((v) => v.trim()) : version;
  return { entry };
}

/** The name variants dbt matches an added package against (`dbt-labs/dbt_utils`, `dbt-utils`, …). */
function variants(name: string): string[] {
  const short = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : undefined;
  return [...new Set([name, short].filter((x): x is string => !!x).flatMap((n) => [n, n.replace(/_/g, '-'), n.replace(/-/g, '_')]))];
}

/** Whether a packages.yml entry is the same package as the one added, as dbt decides (bounded substring match). */
function sameAs(entry: Record<string, unknown>, name: string): boolean {
  const id = ['package', 'git', 'local', 'tarball'].map((k) => entry[k]).find((v) => typeof v === 'string') as string | undefined;
  if (!id) return false;
  return variants(name).some((v) => {
    const i = id.indexOf(v);
    if (i < 0) return false;
    const end = i + v.length;
    return (i === 0 || '/.'.includes(id[i - 1]!)) && (end === id.length || '/.'.includes(id[end]!));
  });
}

/**
 * Adds the entry to packages.yml (created if absent), replacing entries of the same package, as
 * `dbt deps --add-package` does. Returns the entries removed.
 */
export function addToPackagesFile(rootDir: string, entry: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const file = join(rootDir, 'packages.yml');
  const doc = existsSync(file) ? ((yamlPackage().parse(readFileSync(file, 'utf8')) as { packages?: unknown } | null) ?? {}) : {};
  const list = Array.isArray(doc.packages) ? (doc.packages as Record<string, unknown>[]) : [];
  const removed = list.filter((e) => e && typeof e === 'object' && sameAs(e, name));
  const kept = list.filter((e) => !removed.includes(e));
  replaceFile(file, yamlPackage().stringify({ ...doc, packages: [...kept, entry] }, { indentSeq: true, lineWidth: 0 }));
  return removed;
}
