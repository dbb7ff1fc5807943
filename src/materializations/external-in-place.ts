/**
 * An external output that keeps what its location holds (`overwrite_or_ignore` or `append` in its `options`),
 * on a local file system. DuckDB would write such an output straight into the location, so a node failing
 * after the write (a post-hook) would leave its files there, and a retry of an `append` output would write its
 * rows a second time. Instead the output is written beside the location, read back, and each of its files is
 * then moved into the location (one rename each); a file it replaces keeps a second name aside. The returned
 * change takes all of that back (`rollback`) or forgets what was kept aside (`commit`).
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ExternalWrite } from '../adapters/contract.js';
import type { MaterializeInput } from './types.js';

/** What an in-place write changed in the file system, to keep or to take back. */
export interface PlacedFiles {
  commit(): void;
  rollback(): void;
}

/** Whether a `COPY` option is set (present, and not `false` or `0`), as DuckDB reads it. */
export function copyFlag(copyOptions: string, name: string): boolean {
  const option = topLevelOptions(copyOptions).find((o) => o.split(/\s+/)[0]!.toLowerCase() === name.toLowerCase());
  return option !== undefined && !/^(false|0)$/i.test(option.slice(name.length).trim());
}

/** The `COPY` options text split at its top-level commas (not those inside `partition_by (a, b)` or quotes). */
function topLevelOptions(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) quote = c === quote ? '' : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** The files under a folder, as paths relative to it (the folder itself when it is a file: `''`). */
function filesUnder(root: string, rel = ''): string[] {
  const here = join(root, rel);
  if (!statSync(here).isDirectory()) return [rel];
  return readdirSync(here).flatMap((e) => filesUnder(root, rel ? join(rel, e) : e));
}

/** Whether an in-place location holds any file yet (a folder with files under it, or the file itself). */
export function holdsFiles(location: string): boolean {
  return statSync(location, { throwIfNoEntry: false }) !== undefined && filesUnder(location).length > 0;
}

/** Makes a folder and its missing parents, returning those it made (outermost first). */
function makeFolders(folder: string): string[] {
  const made: string[] = [];
  for (let f = folder; statSync(f, { throwIfNoEntry: false }) === undefined; f = dirname(f)) made.unshift(f);
  if (made.length) mkdirSync(folder, { recursive: true });
  return made;
}

/** A second name for a file (a hard link; a copy where the file system has none). */
function keepAside(file: string, as: string): void {
  mkdirSync(dirname(as), { recursive: true });
  try {
    linkSync(file, as);
  } catch {
    copyFileSync(file, as);
  }
}

/** A file name in `folder` that is not taken, as DuckDB's `append` names its files (a UUID). */
function freshName(folder: string, extension: string): string {
  for (;;) {
    const name = join(folder, `${randomUUID()}.${extension}`);
    if (statSync(name, { throwIfNoEntry: false }) === undefined) return name;
  }
}

/**
 * Writes the staged rows beside the location with the model's `COPY` options, checks that the view's reader
 * reads them, then moves each file into the location. A partitioned `append` output's file whose name is
 * taken gets a new one (as DuckDB's own `append`); any other replaces the file there, which is kept aside.
 */
export async function writeInPlace(input: MaterializeInput, staging: string, plan: ExternalWrite, empty: boolean): Promise<PlacedFiles> {
  const { dialect, connection } = input;
  const folder = plan.readLocation !== plan.location;
  const append = folder && copyFlag(plan.copyOptions, 'append');
  const made = makeFolders(folder ? plan.location : dirname(plan.location));
  const tag = randomBytes(4).toString('hex');
  const beside = `${plan.location}.strata-${tag}.tmp`;
  const aside = `${plan.location}.strata-${tag}.old`;
  const sqls = dialect.externalModel!(staging, { ...plan, location: beside, readLocation: beside + plan.readLocation.slice(plan.location.length) }, empty);
  const added: string[] = [];
  const kept: [string, string][] = [];
  const rollback = (): void => {
    for (const file of added.reverse()) rmSync(file, { force: true });
    for (const [from, to] of kept.reverse()) renameSync(from, to);
    rmSync(aside, { recursive: true, force: true });
    // Folders this write made, innermost first, where nothing else has been put since.
    for (const f of made.reverse()) if (statSync(f, { throwIfNoEntry: false })?.isDirectory() && readdirSync(f).length === 0) rmdirSync(f);
  };
  try {
    for (const statement of sqls.before) await connection.execute(statement);
    await connection.query(`select * from (${sqls.view}) as strata_check limit 0`);
    for (const rel of filesUnder(beside)) {
      let target = rel ? join(plan.location, rel) : plan.location;
      if (rel) made.push(...makeFolders(dirname(target)).filter((f) => !made.includes(f)));
      if (statSync(target, { throwIfNoEntry: false }) !== undefined) {
        if (append) target = freshName(dirname(target), rel.split('.').pop() ?? plan.format);
        else {
          const old = rel ? join(aside, rel) : join(aside, 'file');
          keepAside(target, old);
          kept.push([old, target]);
        }
      }
      renameSync(rel ? join(beside, rel) : beside, target);
      if (!kept.some(([, t]) => t === target)) added.push(target);
    }
  } catch (e) {
    rollback();
    throw e;
  } finally {
    rmSync(beside, { recursive: true, force: true });
  }
  return { commit: () => rmSync(aside, { recursive: true, force: true }), rollback };
}
