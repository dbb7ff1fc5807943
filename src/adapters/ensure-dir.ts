import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates a folder and its missing parents one level at a time, and returns why it cannot, if it cannot.
 * Node's own `mkdirSync(…, { recursive: true })` never returns under some virtual file systems (`/proc/x`).
 * With `probe`, the folders it made are removed again: for a command that writes nothing there.
 */
export function ensureDir(dir: string, options: { probe?: boolean } = {}): string | undefined {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const stat = statSync(at, { throwIfNoEntry: false });
    if (stat) {
      if (!stat.isDirectory()) return `${at} is a file, not a folder`;
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST' && statSync(d, { throwIfNoEntry: false })?.isDirectory()) continue;
      return `cannot create ${d} (${err.code ?? err.message})`;
    }
  }
  // probe: only find out whether it could be made; leave nothing behind.
  if (options.probe) for (const d of missing.reverse()) rmdirSync(d, { maxRetries: 0 });
  return undefined;
}
