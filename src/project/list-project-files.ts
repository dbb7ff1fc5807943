import { relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource, ProjectConfig, ProjectFile, ProjectFileKind } from './types.js';
import { LazyProjectFile } from './project-file.js';
import type { InstalledPackage } from './installed-packages.js';

function kindOf(resource: 'model' | 'seed' | 'macro' | 'test' | 'snapshot' | 'analysis' | 'docs', rel: string): ProjectFileKind | undefined {
  const ext = rel.slice(rel.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'yml' || ext === 'yaml') return 'schema';
  if (ext === 'md') return 'doc';
  if (resource === 'seed') return ext === 'csv' ? 'seed' : undefined;
  // A unit test's fixtures (`tests/fixtures/x.csv` or `.sql`) are data, not tests, as in dbt.
  if (resource === 'test' && (ext === 'csv' || ext === 'sql') && rel.split('/').includes('fixtures')) return 'fixture';
  if (resource === 'test' && ext === 'csv') return undefined;
  if (ext !== 'sql') return undefined;
  if (resource === 'test') return rel.split('/').includes('generic') ? 'macro' : 'test';
  if (resource === 'docs') return undefined;
  return resource;
}

/** dbt Python models (`models/*.py`): Strata runs SQL only, so each is named rather than skipped in silence. */
export function pythonModelDiagnostics(config: ProjectConfig, fs: FileSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const dir of config.modelPaths) {
    for (const abs of fs.list(resolve(config.rootDir, dir))) {
      if (!abs.endsWith('.py')) continue;
      const path = relative(config.rootDir, abs).split(sep).join('/');
      out.push({ code: 'python-model-unsupported', severity: 'warn', message: `${path} is a Python model: Strata runs SQL models only, so it is not part of the project (a ref() to it will not resolve)`, file: path, line: 1, hint: 'rewrite it as a SQL model, or build it with dbt; move it out of the model paths to silence this' });
    }
  }
  return out;
}

/** Every file of the project, by kind; each is read once, when first needed. */
export function listProjectFiles(config: ProjectConfig, fs: FileSource): ProjectFile[] {
  const files: ProjectFile[] = [];
  const seen = new Set<string>();
  const groups: [string[], Parameters<typeof kindOf>[0]][] = [
    [config.modelPaths, 'model'], [config.seedPaths, 'seed'], [config.macroPaths, 'macro'], [config.testPaths, 'test'],
    [config.snapshotPaths, 'snapshot'], [config.analysisPaths, 'analysis'], [config.docsPaths, 'docs'],
  ];
  for (const [dirs, resource] of groups) {
    for (const dir of dirs) {
      const absDir = resolve(config.rootDir, dir);
      // Listed paths start with absDir, itself under rootDir unless a resource path leads out of the project.
      const rootPrefix = `${config.rootDir}${sep}`;
      const dirPrefix = `${absDir}${sep}`;
      const targetPrefix = `${relative(config.rootDir, resolve(config.rootDir, config.targetPath)).split(sep).join('/')}/`;
      const slashes = sep === '/' ? (p: string) => p : (p: string) => p.split(sep).join('/');
      for (const abs of fs.list(absDir)) {
        if (seen.has(abs)) continue;
        const path = slashes(abs.startsWith(rootPrefix) ? abs.slice(rootPrefix.length) : relative(config.rootDir, abs));
        if (path.startsWith(targetPrefix)) continue;
        const pathInResource = slashes(abs.startsWith(dirPrefix) ? abs.slice(dirPrefix.length) : relative(absDir, abs));
        const kind = kindOf(resource, pathInResource);
        if (!kind) continue;
        seen.add(abs);
        files.push(new LazyProjectFile(kind, path, pathInResource, dir, abs, fs));
      }
    }
  }
  // Installed packages' files, under their packages' names.
  for (const pkg of config.installedPackages) listPackageFiles(config.rootDir, pkg, fs, files, seen);
  return files;
}

/** One installed package's files (models, seeds, macros, tests, snapshots, analyses, YAML, docs), paths from the project root. */
function listPackageFiles(rootDir: string, pkg: InstalledPackage, fs: FileSource, files: ProjectFile[], seen: Set<string>): void {
  const groups: [string[], Parameters<typeof kindOf>[0]][] = [
    [pkg.modelPaths, 'model'], [pkg.seedPaths, 'seed'], [pkg.macroPaths, 'macro'], [pkg.testPaths, 'test'],
    [pkg.snapshotPaths, 'snapshot'], [pkg.analysisPaths, 'analysis'], [pkg.docsPaths, 'docs'],
  ];
  for (const [dirs, resource] of groups) {
    for (const dir of dirs) {
      const absDir = resolve(rootDir, pkg.dir, dir);
      for (const abs of fs.list(absDir)) {
        if (seen.has(abs)) continue;
        const pathInResource = relative(absDir, abs).split(sep).join('/');
        const kind = kindOf(resource, pathInResource);
        if (!kind) continue;
        seen.add(abs);
        const file = new LazyProjectFile(kind, `${pkg.dir}/${dir}/${pathInResource}`, pathInResource, `${pkg.dir}/${dir}`, abs, fs);
        file.packageName = pkg.name;
        files.push(file);
      }
    }
  }
}
