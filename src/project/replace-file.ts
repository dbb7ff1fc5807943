import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces a file atomically: writes a temporary file beside it, then renames it over the file, so a reader
 * (or a command killed halfway) never sees half of it. `data` is the new contents, or a function that writes
 * them to the temporary path it is given. The folder is created if needed; on failure nothing is left behind.
 */
export function replaceFile(path: string, data: string | Buffer | ((tmp: string) => void)): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    if (typeof data === 'function') data(tmp);
    else writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}
