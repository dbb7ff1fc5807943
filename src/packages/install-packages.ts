import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FetchError, fetchTarball } from './fetch-package.js';
import type { PinnedPackage } from './types.js';

/** Never copied from a local package (only where a link cannot be made). */
const NOT_COPIED = new Set(['target', 'dbt_packages', 'logs', '.git', 'node_modules']);

/** A local package as dbt installs it: a link to the folder; a copy (without build output) where links are refused. */
function linkOrCopy(source: string, dest: string, installDir: string): 'linked' | 'copied' {
  try {
    symlinkSync(source, dest, 'dir');
    return 'linked';
  } catch {
    // A package above the project holds the install folder itself: copying that would never end.
    const skip = resolve(installDir);
    cpSync(source, dest, { recursive: true, filter: (src) => resolve(src) !== skip && !NOT_COPIED.has(relative(source, src).split(sep)[0]!) });
    return 'copied';
  }
}

/** Moves a fetched folder into place: a rename, or a copy where the two are on different file systems. */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/**
 * Puts every pinned package into a staging folder beside the install folder, then swaps it in: a failed
 * install (a download refused, a disk full) leaves the packages installed before untouched.
 */
export async function installPackages(packages: PinnedPackage[], installDir: string, downloads: string): Promise<{ name: string; how: string }[]> {
  mkdirSync(dirname(installDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(installDir), `.${basename(installDir)}.staging-`));
  const done: { name: string; how: string }[] = [];
  try {
    for (const p of packages) {
      const dest = join(staging, p.name);
      if (p.kind === 'local') {
        done.push({ name: p.name, how: `${linkOrCopy(p.dir!, dest, installDir)} from ${p.label}` });
        continue;
      }
      const dir = p.dir ?? (await fetchTarball(p.download!.tarball, join(downloads, `hub-${p.name}`), p.download!.sha1).catch((e: unknown) => {
        throw e instanceof FetchError ? new FetchError(e.kind, `${p.label}@${String(p.lock.version)}: ${e.message}`) : e;
      }));
      moveDir(dir, dest);
      done.push({ name: p.name, how: p.kind === 'hub' ? `version ${String(p.lock.version)}${p.latest ? ` (${p.latest} is available)` : ''}` : p.kind === 'git' ? `revision ${String(p.lock.revision)}` : `from ${p.label}` });
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const old = existsSync(installDir) ? `${staging}.old` : undefined;
  if (old) renameSync(installDir, old);
  renameSync(staging, installDir);
  if (old) rmSync(old, { recursive: true, force: true });
  return done;
}
