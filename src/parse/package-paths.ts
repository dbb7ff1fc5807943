import type { Manifest, ManifestNode } from './types.js';

/**
 * dbt's paths of a package's files. Strata keeps every file's path from the root project
 * (`dbt_packages/my_pkg/models/x.sql`): diagnostics name it, `path:` selects by it, and caches key by it.
 * dbt names a file relative to its own project, which for a package is the package's folder
 * (`models/x.sql`); artifacts, templates (`model.original_file_path`, `graph`) and target/ folders use that.
 */
export type PackageDirs = Manifest['packageDirs'];

/** A file's path as dbt gives it: relative to the folder of the package it belongs to (the root's: as it is). */
export function dbtFilePath(dirs: PackageDirs, packageName: string, path: string): string {
  const dir = dirs?.[packageName];
  return dir && path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
}

/** dbt's `original_file_path` of a node, source, macro, doc, exposure or group. */
export function dbtOriginalFilePath(dirs: PackageDirs, item: { packageName: string; originalFilePath: string }): string {
  return dbtFilePath(dirs, item.packageName, item.originalFilePath);
}

/** dbt's `patch_path`: `<package>://<path of the property file in its project>`, or null. */
export function dbtPatchPath(dirs: PackageDirs, node: Pick<ManifestNode, 'packageName' | 'patchPath'>): string | null {
  return node.patchPath ? `${node.packageName}://${dbtFilePath(dirs, node.packageName, node.patchPath)}` : null;
}

/**
 * Where under target/compiled/ and target/run/ dbt writes a node: `<package>/<original_file_path>`, and for a
 * generic test (many nodes from one property file) a file per test below it: `<package>/models/schema.yml/<test>.sql`.
 */
export function targetFilePath(dirs: PackageDirs, node: ManifestNode): string {
  const ofp = dbtOriginalFilePath(dirs, node);
  return `${node.packageName}/${node.resourceType === 'test' && node.testMetadata ? `${ofp}/${node.alias}.sql` : ofp}`;
}
