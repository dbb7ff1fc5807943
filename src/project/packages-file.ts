import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource } from './types.js';
import { parseYamlFile } from './yaml-file.js';
import { packagesSchemaDiagnostics } from './packages-schema.js';

/** The names package-lock.yml says the packages install as (undefined: no lock, or one without names). */
function lockedNames(root: string, fs: FileSource): string[] | undefined {
  const file = join(root, 'package-lock.yml');
  if (!fs.exists(file)) return undefined;
  const list = (parseYamlFile('package-lock.yml', fs.read(file)).file?.value as { packages?: unknown } | undefined)?.packages;
  if (!Array.isArray(list)) return undefined;
  const names = list.map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>).name : undefined));
  return names.length && names.every((n) => typeof n === 'string') ? (names as string[]) : undefined;
}

/** A local package's name, from its dbt_project.yml (`local: ../` names no folder). */
function localName(root: string, local: string, fs: FileSource): string | undefined {
  const file = resolve(root, local, 'dbt_project.yml');
  if (!fs.exists(file)) return undefined;
  const name = (parseYamlFile('dbt_project.yml', fs.read(file)).file?.value as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * What dbt's `packages.yml` (or `dependencies.yml`) lists, by the names the packages install as: those
 * package-lock.yml records, else a guess from each entry (the hub name's last part, a path's last folder).
 * The names make a clear error when a model calls a missing package's macros, and the project gets one warning.
 */
export function readPackagesFile(root: string, fs: FileSource, installed: string[] = []): { packages: string[]; diagnostics: Diagnostic[] } {
  for (const file of ['packages.yml', 'dependencies.yml']) {
    if (!fs.exists(join(root, file))) continue;
    const parsed = parseYamlFile(file, fs.read(join(root, file)));
    if (!parsed.file) return { packages: [], diagnostics: parsed.diagnostics };
    const invalid = [...packagesSchemaDiagnostics(file, parsed.file), ...bothFiles(root, fs, file, parsed.file.value)];
    if (invalid.length) return { packages: [], diagnostics: invalid };
    const list = (parsed.file.value as { packages?: unknown } | null)?.packages;
    if (!Array.isArray(list) || !list.length) return { packages: [], diagnostics: [] };
    const names = lockedNames(root, fs) ?? list
      .map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>) : {}))
      .map((p) => (typeof p.local === 'string' ? localName(root, p.local, fs) : undefined) ?? String(p.name ?? p.package ?? p.git ?? p.local ?? p.tarball ?? '').replace(/\.git$/, '').split(/[/:]/).filter(Boolean).pop() ?? '')
      .filter(Boolean);
    const norm = (n: string): string => n.replace(/-/g, '_');
    const missing = names.filter((n) => !installed.map(norm).includes(norm(n)));
    return {
      packages: names,
      diagnostics: missing.length ? [{ code: 'packages-not-installed', severity: 'warn', message: `${file} lists ${missing.length} package(s) not installed (${missing.join(', ')}): a model calling their macros fails with macro-not-found`, file, line: parsed.file.lineOf(['packages']) ?? 1, hint: 'run strata deps' }] : [],
    };
  }
  return { packages: [], diagnostics: [] };
}

/** dbt reads packages from one file: packages: in both packages.yml and dependencies.yml is an error; dependencies.yml is checked too. */
function bothFiles(root: string, fs: FileSource, first: string, value: unknown): Diagnostic[] {
  const other = 'dependencies.yml';
  if (first === other || !fs.exists(join(root, other))) return [];
  const parsed = parseYamlFile(other, fs.read(join(root, other)));
  if (!parsed.file) return parsed.diagnostics;
  const schema = packagesSchemaDiagnostics(other, parsed.file);
  if (schema.length) return schema;
  const has = (v: unknown): boolean => Array.isArray((v as { packages?: unknown } | null)?.packages);
  if (!has(value) || !has(parsed.file.value)) return [];
  return [{ code: 'packages-invalid', severity: 'error', message: 'packages are listed in both packages.yml and dependencies.yml', file: other, line: parsed.file.lineOf(['packages']) ?? 1, hint: 'keep packages: in one of them (dependencies.yml may keep its projects:)' }];
}
