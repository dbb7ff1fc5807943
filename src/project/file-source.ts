import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { FileSource, FileStamp } from './types.js';

const SKIP = new Set(['node_modules', '.git', 'target', 'dbt_packages', 'logs']);

/** Reused between reads: most project files are small, and a fresh buffer per file costs more than the copy out. */
let readBuffer = Buffer.allocUnsafe(1 << 16);

/**
 * One open, fstat, read, close: the file's text and its stamp, in fewer system calls than a read and a stat.
 * Reads the size fstat gave: a file that grows meanwhile gets a new stamp, so the next parse reads it again.
 */
export function readStamped(p: string): { text: string; stamp: FileStamp } {
  const fd = openSync(p, 'r');
  try {
    const st = fstatSync(fd);
    if (readBuffer.length < st.size) readBuffer = Buffer.allocUnsafe(st.size);
    let length = 0;
    while (length < st.size) {
      const n = readSync(fd, readBuffer, length, st.size - length, length);
      if (n === 0) break;
      length += n;
    }
    return { text: readBuffer.toString('utf8', 0, length), stamp: { size: st.size, mtimeMs: st.mtimeMs } };
  } finally {
    closeSync(fd);
  }
}

export const diskFileSource: FileSource = {
  exists: (p) => existsSync(p),
  read: (p) => readFileSync(p, 'utf8'),
  readStamped,
  stat(p) {
    const st = statSync(p, { throwIfNoEntry: false });
    return st ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  },
  list(dir) {
    const out: string[] = [];
    // Linked folders are followed (a `local:` package is a link in dbt_packages/), each real folder once.
    const seen = new Set<string>();
    const walk = (d: string): void => {
      let entries;
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        // d is already normal and a name holds no separator: plain concatenation (join normalizes, 10,000 times).
        const p = d.endsWith(sep) ? d + e.name : d + sep + e.name;
        if (e.isDirectory()) {
          if (!SKIP.has(e.name)) walk(p);
        } else if (e.isFile()) out.push(p);
        else if (e.isSymbolicLink()) {
          try {
            const st = statSync(p);
            if (st.isFile()) out.push(p);
            else if (st.isDirectory() && !SKIP.has(e.name)) {
              const real = realpathSync(p);
              if (!seen.has(real)) {
                seen.add(real);
                walk(p);
              }
            }
          } catch {
            /* dangling link: ignore */
          }
        }
      }
    };
    walk(resolve(dir));
    return out.sort();
  },
};
