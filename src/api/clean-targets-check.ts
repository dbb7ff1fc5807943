import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { parseYamlFile } from '../project/index.js';
import type { LoadedProject } from '../project/types.js';

/** A `clean-targets` entry that may be deleted: as written, and resolved. */
export interface CleanTarget {
  entry: string;
  abs: string;
}

/** Data `strata clean` never deletes: the warehouse's file, its bronze folder, the sources' landing folders (absolute). */
export interface KeptData {
  database?: string;
  bronze?: string;
  landing: string[];
}

/** A path clean must neither delete nor delete a folder holding it, and what it is. */
interface Protected {
  abs: string;
  what: string;
}

const SOURCE_PATH_KEYS = ['model-paths', 'seed-paths', 'snapshot-paths', 'macro-paths', 'test-paths', 'analysis-paths', 'docs-paths', 'asset-paths'] as const;

/** The project's source paths (dbt's, plus its own files), each named by the key that lists it. */
function sourcePaths(project: LoadedProject): Protected[] {
  const c = project.config;
  const lists: Record<(typeof SOURCE_PATH_KEYS)[number], string[]> = {
    'model-paths': c.modelPaths, 'seed-paths': c.seedPaths, 'snapshot-paths': c.snapshotPaths, 'macro-paths': c.macroPaths,
    'test-paths': c.testPaths, 'analysis-paths': c.analysisPaths, 'docs-paths': c.docsPaths, 'asset-paths': c.assetPaths ?? [],
  };
  const out: Protected[] = SOURCE_PATH_KEYS.flatMap((key) => lists[key].map((p) => ({ abs: resolve(c.rootDir, p), what: `a source path (${key}: ${p})` })));
  out.push({ abs: resolve(c.rootDir, c.configFile), what: `the project file ${c.configFile}` });
  if (project.profilesFile) out.push({ abs: resolve(c.rootDir, project.profilesFile), what: 'the profiles file' });
  return out;
}

/** True when `inner` is `outer` or lies inside it. */
const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/**
 * Checks every `clean-targets` entry before anything is deleted, as dbt's clean does ("dbt will not clean
 * the following source paths"), and more: an entry must be inside the project, not the project folder, and
 * neither be nor hold a source path or the project's own files; nor may it be, or lie inside, the warehouse's
 * database file, its bronze folder or a source's landing folder (an entry holding those keeps them: clean
 * deletes around them). One error per entry refused, at its line of the project file.
 */
export function checkCleanTargets(project: LoadedProject, kept: KeptData): { targets: CleanTarget[]; diagnostics: Diagnostic[] } {
  const c = project.config;
  const root = resolve(c.rootDir);
  const listed = c.cleanTargets.length > 0;
  const entries = listed ? c.cleanTargets : [c.targetPath];
  const lineOf = projectFileLines(project);
  const sources = sourcePaths(project);
  const data: Protected[] = [
    ...(kept.database ? [{ abs: kept.database, what: "the target's database file" }] : []),
    ...(kept.bronze ? [{ abs: kept.bronze, what: "the target's bronze folder (landed data)" }] : []),
    ...kept.landing.map((abs) => ({ abs, what: 'a landing folder (the files a source lands from)' })),
  ];
  const targets: CleanTarget[] = [];
  const diagnostics: Diagnostic[] = [];
  entries.forEach((entry, i) => {
    const abs = resolve(root, entry);
    const rel = relative(root, abs);
    const refuse = (why: string): void => {
      diagnostics.push({
        code: 'clean-target-refused',
        severity: 'error',
        message: `clean-targets entry '${entry}' ${why}: strata will not clean it, and cleaned nothing`,
        file: c.configFile,
        line: listed ? lineOf(['clean-targets', i]) : lineOf(['target-path']),
        hint: listed ? `remove '${entry}' from clean-targets in ${c.configFile}: list only folders Strata writes, such as target and dbt_packages` : `set target-path in ${c.configFile} to a folder of its own, such as target`,
      });
    };
    if (rel === '') return refuse('is the project folder');
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return refuse('is outside the project');
    const source = sources.find((s) => within(s.abs, abs));
    if (source) return refuse(source.abs === abs ? `is ${source.what}` : `holds ${source.what}`);
    const inData = data.find((d) => within(abs, d.abs));
    if (inData) return refuse(inData.abs === abs ? `is ${inData.what}` : `is inside ${inData.what}`);
    targets.push({ entry, abs });
  });
  return { targets, diagnostics };
}

/** The line of a key of the project file (undefined if it cannot be read again). */
function projectFileLines(project: LoadedProject): (path: (string | number)[]) => number | undefined {
  const file = project.config.configFile;
  let yaml: ReturnType<typeof parseYamlFile>['file'];
  try {
    yaml = parseYamlFile(file, readFileSync(join(project.config.rootDir, file), 'utf8')).file;
  } catch {
    yaml = undefined;
  }
  return (path) => yaml?.lineOf(path);
}
