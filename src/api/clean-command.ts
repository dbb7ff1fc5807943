import { conventionsOf, targetRules } from '../adapters/registry.js';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import type { LoadedProject } from '../project/types.js';
import type { CommonOptions, ExitCode } from './types.js';

/**
 * `strata clean`: deletes `clean-targets` (default: the target path). Refuses paths outside the project, and
 * never deletes the profile's DuckDB file (nor its WAL): a clean target holding it is emptied around it, with a warning.
 */
export async function clean(options: CommonOptions): Promise<{ exitCode: ExitCode; removed: string[]; diagnostics: Diagnostic[] }> {
  const loaded = loadProject({ ...options, profileOptional: true, targetRules });
  const project = loaded.project;
  if (!project) return { exitCode: 2, removed: [], diagnostics: loaded.diagnostics };
  const root = project.config.rootDir;
  const removed: string[] = [];
  const diagnostics = [...loaded.diagnostics];
  const targets = project.config.cleanTargets.length ? project.config.cleanTargets : [project.config.targetPath];
  const database = databaseFile(project);
  const bronze = bronzeFolder(project);
  for (const t of targets) {
    const abs = resolve(root, t);
    const rel = relative(root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      diagnostics.push({ code: 'clean-target-outside-project', severity: 'error', message: `clean-targets entry '${t}' is outside the project`, file: project.config.configFile, hint: 'list folders inside the project, such as target' });
      continue;
    }
    if (!existsSync(abs)) continue;
    const inside = (p: string | undefined): p is string => !!p && (p === abs || p.startsWith(abs + sep));
    if (inside(bronze)) {
      // Bronze kept as Parquet files (land_as: parquet) is landed data, as the database is: never cleaned.
      const shown = relative(root, bronze).split(sep).join('/');
      diagnostics.push({ code: 'clean-keeps-bronze', severity: 'warn', message: `clean-targets entry '${t}' holds the bronze files of target '${project.target.name}' (${shown}): they were kept`, file: project.profilesFile ?? project.config.configFile, hint: `set bronze_path: in profiles.yml to a folder outside '${t}'` });
    }
    if (inside(database)) {
      const shown = relative(root, database).split(sep).join('/');
      diagnostics.push({
        code: 'clean-keeps-database',
        severity: 'warn',
        message: `clean-targets entry '${t}' holds the warehouse of target '${project.target.name}' (${shown}): it was kept, and the rest of '${t}' deleted`,
        file: project.profilesFile ?? project.config.configFile,
        hint: `move the database out of '${t}' (path: ${shown.split('/').pop()} in profiles.yml keeps it in the project folder) so clean can delete all of it`,
      });
    }
    if (inside(database) || inside(bronze)) removeAllBut(abs, new Set([database, database && `${database}.wal`, bronze].filter((p): p is string => !!p)));
    else rmSync(abs, { recursive: true, force: true });
    removed.push(rel);
  }
  return { exitCode: diagnostics.some((d) => d.severity === 'error') ? 2 : 0, removed, diagnostics };
}

/** The database file of the active target (absolute), if its warehouse keeps one on disk. */
function databaseFile(project: LoadedProject): string | undefined {
  const t = project.target;
  return t ? conventionsOf(t.type)?.databaseFile?.(t.settings, project.config.rootDir) : undefined;
}

/** The bronze folder of the active target (land_as: parquet), if its warehouse keeps one on disk. */
function bronzeFolder(project: LoadedProject): string | undefined {
  const t = project.target;
  return t ? conventionsOf(t.type)?.bronzeFolder?.(t.settings, project.config.rootDir) : undefined;
}

/** Deletes everything under `dir` except the `keep` files (and the folders leading to them). */
function removeAllBut(dir: string, keep: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (keep.has(path)) continue;
    const holds = [...keep].some((k) => k.startsWith(path + sep));
    if (holds && statSync(path).isDirectory()) removeAllBut(path, keep);
    else rmSync(path, { recursive: true, force: true });
  }
}
