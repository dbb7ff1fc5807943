import { conventionsOf, targetRules } from '../adapters/registry.js';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/index.js';
import { renderExternal } from '../execute/landing-check.js';
import { loadProject } from '../project/index.js';
import type { LoadedProject } from '../project/types.js';
import { checkCleanTargets, type KeptData } from './clean-targets-check.js';
import { prepareProject } from './prepare.js';
import type { CommonOptions, ExitCode } from './types.js';

/**
 * `strata clean`: deletes `clean-targets` (default: the target path). Every entry is checked first, and if one
 * is refused nothing is deleted (clean-targets-check.ts): source paths, the project folder, anything outside
 * it. The profile's DuckDB file (and its WAL), the bronze folder and the sources' landing folders are never
 * deleted: a clean target holding one is emptied around it, with a warning.
 */
export async function clean(options: CommonOptions): Promise<{ exitCode: ExitCode; removed: string[]; diagnostics: Diagnostic[] }> {
  const loaded = loadProject({ ...options, profileOptional: true, targetRules });
  const project = loaded.project;
  if (!project) return { exitCode: 2, removed: [], diagnostics: loaded.diagnostics };
  const root = project.config.rootDir;
  const diagnostics = [...loaded.diagnostics];
  const landing = await landingFolders(options);
  const kept: KeptData = { database: databaseFile(project), bronze: bronzeFolder(project), landing: landing.folders };
  const checked = checkCleanTargets(project, kept);
  diagnostics.push(...checked.diagnostics);
  // Without a parse the landing folders are unknown: only the folders Strata writes itself may go.
  const own = [project.config.targetPath, project.config.packagesInstallPath].map((x) => resolve(root, x));
  const unknown = landing.failed ? checked.targets.filter((t) => !own.includes(t.abs)) : [];
  if (unknown.length) diagnostics.push(...landing.failed!, ...unknown.map((t) => unparsedRefusal(project, t.entry)));
  if (checked.diagnostics.length || unknown.length) return { exitCode: 2, removed: [], diagnostics };
  const removed: string[] = [];
  for (const { entry: t, abs } of checked.targets) {
    const rel = relative(root, abs);
    if (!existsSync(abs)) continue;
    const keep = [kept.database, kept.database && `${kept.database}.wal`, kept.bronze, ...kept.landing].filter((p): p is string => !!p && p.startsWith(abs + sep));
    diagnostics.push(...keptWarnings(project, t, abs, kept));
    if (keep.length) removeAllBut(abs, new Set(keep));
    else rmSync(abs, { recursive: true, force: true });
    removed.push(rel);
  }
  return { exitCode: 0, removed, diagnostics };
}

/** The warnings for what a clean target holds and clean keeps. */
function keptWarnings(project: LoadedProject, t: string, abs: string, kept: KeptData): Diagnostic[] {
  const root = project.config.rootDir;
  const shown = (p: string): string => relative(root, p).split(sep).join('/');
  // Only what is there: a bronze folder never written is no news.
  const inside = (p: string | undefined): p is string => !!p && p.startsWith(abs + sep) && existsSync(p);
  const out: Diagnostic[] = [];
  if (inside(kept.bronze)) {
    // Bronze kept as Parquet files (land_as: parquet) is landed data, as the database is: never cleaned.
    out.push({ code: 'clean-keeps-bronze', severity: 'warn', message: `clean-targets entry '${t}' holds the bronze files of target '${project.target.name}' (${shown(kept.bronze)}): they were kept`, file: project.profilesFile ?? project.config.configFile, hint: `set bronze_path: in profiles.yml to a folder outside '${t}'` });
  }
  for (const folder of kept.landing.filter(inside)) {
    out.push({ code: 'clean-keeps-landing', severity: 'warn', message: `clean-targets entry '${t}' holds the landing folder ${shown(folder)} (files a source lands from): it was kept`, file: project.config.configFile, hint: `keep landing folders outside '${t}', or remove '${t}' from clean-targets` });
  }
  if (inside(kept.database)) {
    const db = shown(kept.database);
    out.push({
      code: 'clean-keeps-database',
      severity: 'warn',
      message: `clean-targets entry '${t}' holds the warehouse of target '${project.target.name}' (${db}): it was kept, and the rest of '${t}' deleted`,
      file: project.profilesFile ?? project.config.configFile,
      hint: `move the database out of '${t}' (path: ${db.split('/').pop()} in profiles.yml keeps it in the project folder) so clean can delete all of it`,
    });
  }
  return out;
}

/** An entry refused because the project does not parse, so it might hold a landing folder. */
function unparsedRefusal(project: LoadedProject, entry: string): Diagnostic {
  return {
    code: 'clean-project-invalid',
    severity: 'error',
    message: `clean-targets entry '${entry}' might hold a folder a source lands from, and the project does not parse to tell: strata cleaned nothing`,
    file: project.config.configFile,
    hint: `fix the errors above and run strata clean again; a project that does not parse is cleaned only when clean-targets lists nothing but the target path and ${project.config.packagesInstallPath}`,
  };
}

/**
 * The local folders the project's sources land from (`external: location`, rendered), absolute. They are
 * known only from a parse: when it fails, `failed` holds its errors.
 */
async function landingFolders(options: CommonOptions): Promise<{ folders: string[]; failed?: Diagnostic[] }> {
  const outcome = await prepareProject({ ...options, profileOptional: true, command: 'clean' });
  if (!outcome.ok) return { folders: [], failed: outcome.diagnostics.filter((d) => d.severity === 'error') };
  const p = outcome.prepared;
  const root = p.project.config.rootDir;
  const folders: string[] = [];
  for (const source of Object.values(p.graph.manifest.sources)) {
    if (!source.external) continue;
    const { external, missing } = renderExternal(p, source);
    const location = missing ? '' : String(external.location ?? '').trim();
    // Only a folder on this machine: s3://, gs:// and other stores are out of clean's reach.
    if (!location || /\{[{%]/.test(location) || (!location.startsWith('file://') && /^[a-z][a-z0-9+.-]*:\/\//i.test(location))) continue;
    folders.push(location.startsWith('file://') ? resolve(fileURLToPath(location)) : resolve(root, location));
  }
  return { folders: [...new Set(folders)] };
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
