import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { LazyProjectFile, type FileSource, type ProjectFile } from '../project/index.js';
import { decodeGraph, encodeGraph, type EncodedGraph } from './snapshot-codec.js';
import type { ProjectGraph } from './types.js';

/**
 * The whole parse result (manifest and graph order) of the last clean parse, valid while no project file
 * has changed. A file counts as unchanged when `stat` gives the same size and modification time as when it
 * was read, as git's index does; files modified within RACY_MS of that moment are hashed instead, because an
 * edit in the same clock tick would not change the time. Nothing secret is stored: env vars the parse read
 * appear as digests, `secret()` calls by name only.
 */
const FILE = 'graph_snapshot.strata.json';
const FORMAT = 1;
const RACY_MS = 2000;

export interface SnapshotInputs {
  /** Everything other than project files and env vars that can change a parse: config, vars, target, adapter, Strata's version. */
  key: string;
  files: ProjectFile[];
  env: NodeJS.ProcessEnv;
  fs: FileSource;
  /** Digest of an env value, as the templating layer computes it. */
  envDigest(value: string | undefined): string | null;
}

interface Header {
  format: number;
  key: string;
  /** Time before any file was read for this parse: stamps at or after it - RACY_MS are not trusted. */
  takenAt: number;
  /** path, kind, size, mtimeMs, checksum. */
  files: [string, string, number, number, string][];
  env: Record<string, string | null>;
  secrets: string[];
  diagnostics: Diagnostic[];
}

export interface LoadedSnapshot {
  graph: ProjectGraph;
  diagnostics: Diagnostic[];
  /** Names of `secret()` calls the parse made; values are read from the environment again. */
  secrets: string[];
}

function filesMatch(header: Header, inputs: SnapshotInputs): { ok: boolean; racy: number } {
  const { files, fs } = inputs;
  if (!fs.stat || files.length !== header.files.length) return { ok: false, racy: 0 };
  let racy = 0;
  const verified: [LazyProjectFile, { size: number; mtimeMs: number }, string][] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const [path, kind, size, mtimeMs, checksum] = header.files[i]!;
    if (!(f instanceof LazyProjectFile) || f.path !== path || f.kind !== kind) return { ok: false, racy };
    const st = fs.stat(f.absPath);
    if (!st || st.size !== size || st.mtimeMs !== mtimeMs) return { ok: false, racy };
    if (mtimeMs >= header.takenAt - RACY_MS) {
      racy++;
      if (f.checksum !== checksum) return { ok: false, racy };
    } else verified.push([f, st, checksum]);
  }
  for (const [f, st, checksum] of verified) f.vouch(st, checksum);
  return { ok: true, racy };
}

/** The snapshot's graph if it is still valid for these inputs, else undefined (then parse and write a new one). */
export function readGraphSnapshot(dir: string, inputs: SnapshotInputs): LoadedSnapshot | undefined {
  const path = join(dir, FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const cut = text.indexOf('\n');
  let header: Header;
  try {
    header = JSON.parse(text.slice(0, cut)) as Header;
  } catch {
    return undefined;
  }
  if (header.format !== FORMAT || header.key !== inputs.key) return undefined;
  for (const [name, digest] of Object.entries(header.env)) if (inputs.envDigest(inputs.env[name]) !== digest) return undefined;
  const files = filesMatch(header, inputs);
  if (!files.ok) return undefined;
  let body: EncodedGraph;
  try {
    body = JSON.parse(text.slice(cut + 1)) as EncodedGraph;
  } catch {
    return undefined;
  }
  // Files that were too fresh to trust by stamp are old enough now: vouch for them by stamp from here on.
  if (files.racy && Date.now() - RACY_MS > header.takenAt) {
    header.takenAt = Date.now() - RACY_MS - 1;
    saveText(dir, `${JSON.stringify(header)}\n${text.slice(cut + 1)}`);
  }
  return { graph: decodeGraph(body, inputs.files), diagnostics: header.diagnostics, secrets: header.secrets };
}

/** Writes the snapshot of a clean parse. `takenAt` must be earlier than the first read of any project file. */
export function writeGraphSnapshot(dir: string, inputs: SnapshotInputs, graph: ProjectGraph, facts: { takenAt: number; envRead: Record<string, string | null>; secrets: string[]; diagnostics: Diagnostic[] }): void {
  const files: Header['files'] = [];
  for (const f of inputs.files) {
    // A file source that cannot stat makes the snapshot unusable.
    const stamp = f instanceof LazyProjectFile ? f.currentStamp() : undefined;
    if (!stamp) return;
    files.push([f.path, f.kind, stamp.size, stamp.mtimeMs, f.checksum]);
  }
  const header: Header = { format: FORMAT, key: inputs.key, takenAt: facts.takenAt, files, env: facts.envRead, secrets: facts.secrets, diagnostics: facts.diagnostics };
  saveText(dir, `${JSON.stringify(header)}\n${JSON.stringify(encodeGraph(graph, inputs.files))}`);
}

function saveText(dir: string, text: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch {
    // A read-only target folder only costs the next parse its speed.
  }
}
