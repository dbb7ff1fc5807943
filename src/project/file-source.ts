import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { FileSource } from './types.js';

const SKIP = new Set(['node_modules', '.git', 'target', 'dbt_packages', 'logs']);

/** Reads the local disk. Skips dot-folders, node_modules and target folders when listing. */
export const diskFileSource: FileSource = {
  exists: (p) => existsSync(p),
  read: (p) => readFileSync(p, 'utf8'),
  stat(p) {
    const st = statSync(p, { throwIfNoEntry: false });
    return st ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  },
  list(dir) {
    const out: string[] = [];
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
            if (statSync(p).isFile()) out.push(p);
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
