import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates a folder and its missing parents one level at a time, and returns why it cannot, if it cannot.
 * Node's own `mkdirSync(…, { recursive: true })` never returns under some virtual file systems (`/proc/x`).
 */
export function ensureDir(dir: string): string | undefined {
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
  return undefined;
}
