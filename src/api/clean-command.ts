import { rmSync, existsSync } from 'node:fs';
import { resolve, relative, isAbsolute } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import type { CommonOptions, ExitCode } from './types.js';

/** `strata clean`: deletes `clean-targets` (default: the target path). Refuses paths outside the project. */
export async function clean(options: CommonOptions): Promise<{ exitCode: ExitCode; removed: string[]; diagnostics: Diagnostic[] }> {
  const loaded = loadProject({ ...options, profileOptional: true });
  const project = loaded.project;
  if (!project) return { exitCode: 2, removed: [], diagnostics: loaded.diagnostics };
  const root = project.config.rootDir;
  const removed: string[] = [];
  const diagnostics = [...loaded.diagnostics];
  const targets = project.config.cleanTargets.length ? project.config.cleanTargets : [project.config.targetPath];
  for (const t of targets) {
    const abs = resolve(root, t);
    const rel = relative(root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      diagnostics.push({ code: 'clean-target-outside-project', severity: 'error', message: `clean-targets entry '${t}' is outside the project`, file: project.config.configFile, hint: 'list folders inside the project, such as target' });
      continue;
    }
    if (existsSync(abs)) {
      rmSync(abs, { recursive: true, force: true });
      removed.push(rel);
    }
  }
  return { exitCode: diagnostics.some((d) => d.severity === 'error') ? 2 : 0, removed, diagnostics };
}
