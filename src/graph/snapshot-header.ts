import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { LazyProjectFile, type FileSource, type ProjectFile } from '../project/index.js';

/** The snapshot header: every project file's stamp and checksum, and what else the stored parse depended on. */
export const HEADER = 'graph_snapshot.strata.json';
export const HEADER_FORMAT = 8;
/** Files modified this close to when the stamps were taken are checked by content. */
const RACY_MS = 2000;

export interface SnapshotInputs {
  /** Everything other than project files, vars and env vars that can change a parse: config, target, adapter, Strata's version. */
  key: string;
  files: ProjectFile[];
  env: NodeJS.ProcessEnv;
  /** The vars of this invocation (project and `--vars`): only those a template read are checked. */
  vars: Record<string, unknown>;
  fs: FileSource;
  /** Digest of an env value, as the templating layer computes it. */
  envDigest(value: string | undefined): string | null;
  /** Digest of a var's value, as the templating layer computes it. */
  varDigest(value: unknown): string | null;
}

export interface Header {
  format: number;
  key: string;
  /** A time before the stamps were taken (and contents read): stamps at or after it - RACY_MS are not trusted. */
  takenAt: number;
  /** The body written with this header; empty when only file stamps were written. */
  bodyId: string;
  /**
   * Every project file, in listing order: path and kind (each list joined by newlines: one string parses
   * faster than 10,000), size, modification time, sha256 (64 hex each, concatenated).
   */
  paths: string;
  kinds: string;
  sizes: number[];
  mtimes: number[];
  checksums: string;
  env: Record<string, string | null>;
  /** var() names the parse read → digest of the value. */
  vars: Record<string, string | null>;
  /** Per var, the nodes whose file's render read it: a changed var parses those again, as an edit would. */
  varReaders: Record<string, string[]>;
  /** Vars read outside any file's render (naming macros, say): a change to one is a full parse. */
  macroVars: string[];
  secrets: string[];
  diagnostics: Diagnostic[];
  /** Models whose SQL was edited since the body was written, and nothing else of theirs: SQL and checksum come from the file. */
  patched: string[];
}

/**
 * Stats every project file (before any is read, so the stamps can be stored) and compares with the snapshot.
 * Files unchanged since then get their checksum from it even when the snapshot as a whole is void (a vars
 * change, one edited model): the parse then reads only the files that changed.
 */
export function checkFiles(header: Header, inputs: SnapshotInputs): { ok: boolean; racy: number; sameList: boolean; changed: number[] } {
  const { files, fs } = inputs;
  if (!fs.stat) return { ok: false, racy: 0, sameList: false, changed: [] };
  // Usually the same files in the same order: then file i is entry i, and no lookup table is needed.
  // (A path with a newline in it could make two lists join alike: such a project takes the lookup.)
  const sameList = header.sizes.length === files.length && !files.some((f) => f.path.includes('\n')) && files.map((f) => f.path).join('\n') === header.paths && files.map((f) => f.kind).join('\n') === header.kinds;
  let entry = (i: number, _path: string): number | undefined => i;
  let kinds: string[] = [];
  if (!sameList) {
    const known = new Map<string, number>();
    header.paths.split('\n').forEach((p, i) => known.set(p, i));
    kinds = header.kinds.split('\n');
    entry = (_i, path) => known.get(path);
  }
  let ok = sameList;
  let racy = 0;
  // Files of the same list whose content changed (or may have: a new stamp).
  const changed: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (!(f instanceof LazyProjectFile)) return { ok: false, racy, sameList: false, changed };
    const st = fs.stat(f.absPath);
    if (!st) return { ok: false, racy, sameList: false, changed };
    f.stamp = st;
    const j = entry(i, f.path);
    if (j === undefined || (!sameList && kinds[j] !== f.kind)) {
      ok = false;
      continue;
    }
    if (header.sizes[j] !== st.size || header.mtimes[j] !== st.mtimeMs) {
      ok = false;
      changed.push(i);
      continue;
    }
    const checksum = header.checksums.slice(j * 64, j * 64 + 64);
    if (st.mtimeMs >= header.takenAt - RACY_MS) {
      // Too fresh to trust the stamp: an edit within the same clock tick would not change it.
      racy++;
      if (f.checksum !== checksum) {
        ok = false;
        changed.push(i);
      }
    } else f.vouch(st, checksum);
  }
  return { ok, racy, sameList, changed };
}

export function readHeader(dir: string): Header | undefined {
  try {
    const header = JSON.parse(readFileSync(join(dir, HEADER), 'utf8')) as Header;
    const wellFormed = header.format === HEADER_FORMAT && typeof header.paths === 'string' && typeof header.kinds === 'string' && typeof header.checksums === 'string' && Array.isArray(header.sizes) && Array.isArray(header.mtimes) && Array.isArray(header.patched) && typeof header.vars === 'object' && header.vars !== null && typeof header.varReaders === 'object' && header.varReaders !== null && Array.isArray(header.macroVars);
    return wellFormed ? header : undefined;
  } catch {
    return undefined;
  }
}

