import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';

/**
 * dbt's `asset-paths`: `docs generate` copies each folder (images the docs link to) into the target folder
 * under the same name, replacing the copy a previous run left. A folder that does not exist is skipped, as
 * in dbt; a path that would leave the project or the target folder is never copied nor removed, nor is one
 * whose copy would be the folder itself or overlap it (a target-path of '.', an asset path inside the target
 * folder): those are skipped with a warning, as is a copy that fails.
 */
export function copyDocsAssets(rootDir: string, targetDir: string, assetPaths: readonly string[], file?: string): { copied: string[]; diagnostics: Diagnostic[] } {
  const copied: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const warn = (path: string, message: string, hint: string): void => {
    diagnostics.push({ code: 'asset-path-skipped', severity: 'warn', message: `asset-paths '${path}': ${message}`, ...(file ? { file } : {}), hint });
  };
  for (const path of assetPaths) {
    const rel = normalize(path);
    if (!rel || rel === '.' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) continue;
    const from = resolve(rootDir, rel);
    const to = resolve(targetDir, rel);
    if (within(from, to) || within(to, from)) {
      warn(path, `its copy in the target folder would be the folder itself or overlap it, so it is left as it is`, "give target-path a folder of its own (target-path: 'target'), outside every asset folder");
      continue;
    }
    if (!existsSync(from) || !statSync(from).isDirectory()) {
      if (existsSync(to)) rmSync(to, { recursive: true, force: true });
      continue;
    }
    try {
      if (existsSync(to)) rmSync(to, { recursive: true, force: true });
      cpSync(from, to, { recursive: true });
      copied.push(rel);
    } catch (e) {
      warn(path, `could not be copied into the target folder: ${(e as Error).message.split('\n')[0]}`, 'check the permissions of the folder and of the target folder');
    }
  }
  return { copied, diagnostics };
}

/** Whether `inner` is `outer` or a path inside it. */
function within(inner: string, outer: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}
