import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';

/**
 * dbt's `asset-paths`: `docs generate` copies each folder (images the docs link to) into the target folder
 * under the same name, replacing the copy a previous run left. A folder that does not exist is skipped, as
 * in dbt; a path that would leave the project or the target folder is never copied nor removed.
 */
export function copyDocsAssets(rootDir: string, targetDir: string, assetPaths: readonly string[]): string[] {
  const copied: string[] = [];
  for (const path of assetPaths) {
    const rel = normalize(path);
    if (!rel || rel === '.' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) continue;
    const from = join(rootDir, rel);
    const to = join(targetDir, rel);
    if (existsSync(to)) rmSync(to, { recursive: true, force: true });
    if (!existsSync(from) || !statSync(from).isDirectory()) continue;
    cpSync(from, to, { recursive: true });
    copied.push(rel);
  }
  return copied;
}
