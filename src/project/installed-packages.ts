import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource } from './types.js';
import { parseYamlFile } from './yaml-file.js';

/** A package `strata deps` installed under the packages-install-path (default `dbt_packages/`). */
export interface InstalledPackage {
  name: string;
  /** Relative to the project root, forward slashes: `dbt_packages/my_utils`. */
  dir: string;
  macroPaths: string[];
}

const paths = (v: unknown, fallback: string[]): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : fallback);

/**
 * The packages installed for this project: each folder of the install path with a dbt_project.yml. Their
 * macros are loaded under the package's name (`my_utils.cents()`, `adapter.dispatch(…, 'my_utils')`).
 * Their models, seeds and the rest are not built yet: a package that has models gets a warning.
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
    out.push({ name: raw.name, dir, macroPaths: paths(raw['macro-paths'], ['macros']) });
    const models = paths(raw['model-paths'] ?? raw['source-paths'], ['models']).flatMap((m) => fs.list(join(root, dir, m))).filter((f) => f.endsWith('.sql'));
    if (models.length) diagnostics.push({ code: 'package-models-unsupported', severity: 'warn', message: `package '${raw.name}' has ${models.length} model(s), which Strata does not build yet: only its macros are loaded`, file: `${dir}/dbt_project.yml`, line: 1, hint: 'copy the models the project needs into models/, or keep this project on dbt until package models are supported' });
  }
  return { packages: out, diagnostics };
}
