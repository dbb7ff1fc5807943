import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/index.js';
import { LazyProjectFile, replaceFile, type FileSource, type ProjectFile } from '../project/index.js';
import { decodeGraph, encodeGraph, type EncodedGraph } from './snapshot-codec.js';
import type { ProjectGraph } from './types.js';

/**
 * The whole parse result (manifest and graph order) of the last clean parse, valid while no project file
 * has changed. A file counts as unchanged when `stat` gives the same size and modification time as when it
 * was read, as git's index does; files modified within RACY_MS of that moment are hashed instead, because an
 * edit in the same clock tick would not change the time. Nothing secret is stored: env vars the parse read
 * appear as digests, `secret()` calls by name only.
 */
const HEADER = 'graph_snapshot.strata.json';
const BODY = 'graph_snapshot_body.strata.json';
const FORMAT = 5;
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
  secrets: string[];
  diagnostics: Diagnostic[];
}

export interface LoadedSnapshot {
  /** Identity of the stored graph: the same id, the same graph. */
  id: string;
  graph: ProjectGraph;
  diagnostics: Diagnostic[];
  /** Names of `secret()` calls the parse made; values are read from the environment again. */
  secrets: string[];
}

/**
 * Stats every project file (before any is read, so the stamps can be stored) and compares with the snapshot.
 * Files unchanged since then get their checksum from it even when the snapshot as a whole is void (a vars
 * change, one edited model): the parse then reads only the files that changed.
 */
function checkFiles(header: Header, inputs: SnapshotInputs): { ok: boolean; racy: number } {
  const { files, fs } = inputs;
  if (!fs.stat) return { ok: false, racy: 0 };
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
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (!(f instanceof LazyProjectFile)) return { ok: false, racy };
    const st = fs.stat(f.absPath);
    if (!st) return { ok: false, racy };
    f.stamp = st;
    const j = entry(i, f.path);
    if (j === undefined || (!sameList && kinds[j] !== f.kind) || header.sizes[j] !== st.size || header.mtimes[j] !== st.mtimeMs) {
      ok = false;
      continue;
    }
    const checksum = header.checksums.slice(j * 64, j * 64 + 64);
    if (st.mtimeMs >= header.takenAt - RACY_MS) {
      // Too fresh to trust the stamp: an edit within the same clock tick would not change it.
      racy++;
      if (ok && f.checksum !== checksum) ok = false;
    } else f.vouch(st, checksum);
  }
  return { ok, racy };
}

function readHeader(dir: string): Header | undefined {
  try {
    const header = JSON.parse(readFileSync(join(dir, HEADER), 'utf8')) as Header;
    const wellFormed = header.format === FORMAT && typeof header.paths === 'string' && typeof header.kinds === 'string' && typeof header.checksums === 'string' && Array.isArray(header.sizes) && Array.isArray(header.mtimes);
    return wellFormed ? header : undefined;
  } catch {
    return undefined;
  }
}

export interface SnapshotCheck {
  /** The last clean parse's graph, if it is valid for these inputs. */
  snapshot?: LoadedSnapshot;
  /** No project file changed since the last clean parse (its graph may still be void: other vars, env, version). */
  filesUnchanged: boolean;
}

/** Checks the snapshot against the project: its graph if still valid, else whether at least the files are the same. */
export function readGraphSnapshot(dir: string, inputs: SnapshotInputs): SnapshotCheck {
  const header = readHeader(dir);
  if (!header) return { filesUnchanged: false };
  const checkedAt = Date.now();
  const files = checkFiles(header, inputs);
  const filesUnchanged = files.ok;
  if (!files.ok || header.key !== inputs.key || !header.bodyId) return { filesUnchanged };
  for (const [name, digest] of Object.entries(header.env)) if (inputs.envDigest(inputs.env[name]) !== digest) return { filesUnchanged };
  const body = readBody(dir);
  // Two writers may interleave: a body from another parse than the header's is not used.
  if (!body || body.graph.id !== header.bodyId) return { filesUnchanged };
  // Files too fresh to trust by stamp were checked by hash just now: from now on their stamps vouch for them.
  if (files.racy) saveFile(dir, HEADER, JSON.stringify({ ...header, takenAt: checkedAt }));
  return { filesUnchanged, snapshot: { id: header.bodyId, graph: decodeGraph(body.graph, body.nodeText, inputs.files), diagnostics: header.diagnostics, secrets: header.secrets } };
}

/**
 * The body file: the byte length of the graph's JSON (12 digits) and a newline, the graph's JSON (with the
 * byte length of each node's JSON), then the nodes' JSON texts back to back. The graph is read at once; the
 * nodes' part when a node is first read, through the descriptor opened now, so a snapshot written meanwhile
 * by another command (a new file renamed over this one) cannot mix in. A body whose lengths do not add up
 * to its size (cut short, or of another format) is void.
 */
type BodyGraph = EncodedGraph & { id: string; lengths: number[] };
const LENGTH_DIGITS = 12;

/** Closes the descriptor of a body whose nodes were never read, once its graph is garbage. */
const unreadBodies = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

function readBody(dir: string): { graph: BodyGraph; nodeText: (index: number) => string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, BODY), 'r');
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(LENGTH_DIGITS + 1);
    if (readSync(fd, prefix, 0, prefix.length, 0) !== prefix.length || prefix[LENGTH_DIGITS] !== 10) throw new Error('not a body');
    const headBytes = Number(prefix.toString('latin1', 0, LENGTH_DIGITS));
    const head = Buffer.allocUnsafe(headBytes);
    if (!Number.isSafeInteger(headBytes) || readSync(fd, head, 0, headBytes, prefix.length) !== headBytes) throw new Error('cut short');
    const graph = JSON.parse(head.toString('utf8')) as BodyGraph;
    const nodesAt = prefix.length + headBytes;
    const starts = new Array<number>(graph.lengths.length + 1);
    starts[0] = 0;
    for (let i = 0; i < graph.lengths.length; i++) starts[i + 1] = starts[i]! + graph.lengths[i]!;
    if (nodesAt + starts[graph.lengths.length]! !== size || graph.lengths.length !== graph.ids.length - graph.sourceCount) throw new Error('lengths do not add up');
    const open = fd;
    fd = undefined;
    let nodes: Buffer | undefined;
    const token = {};
    const nodeText = (i: number): string => {
      if (!nodes) {
        nodes = Buffer.allocUnsafe(size - nodesAt);
        try {
          if (readSync(open, nodes, 0, nodes.length, nodesAt) !== nodes.length) throw new Error(`${BODY} was cut short while in use`);
        } finally {
          unreadBodies.unregister(token);
          closeSync(open);
        }
      }
      return nodes.toString('utf8', starts[i], starts[i + 1]);
    };
    unreadBodies.register(nodeText, open, token);
    return { graph, nodeText };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Each text scrubbed on its own, so the lengths stored are those of the text written. */
function bodyText(id: string, encoded: { graph: EncodedGraph; nodes: string[] }, scrub: (text: string) => string): string {
  const nodes = encoded.nodes.map(scrub);
  const lengths = nodes.map((t) => Buffer.byteLength(t));
  const head = scrub(JSON.stringify({ id, ...encoded.graph, lengths }));
  return `${String(Buffer.byteLength(head)).padStart(LENGTH_DIGITS, '0')}\n${head}${nodes.join('')}`;
}

/**
 * Writes the snapshot of a clean parse. `takenAt` must be earlier than the first stat or read of any project
 * file. The file stamps are always written (the next parse then reads only changed files); the graph itself
 * only when `withGraph`: storing it costs about as much as a third of a parse, which pays off once the
 * project is parsed again unchanged, not while it is being edited. Returns the id of the graph stored, if one was.
 */
export function writeGraphSnapshot(dir: string, inputs: SnapshotInputs, graph: ProjectGraph, facts: { takenAt: number; envRead: Record<string, string | null>; secrets: string[]; diagnostics: Diagnostic[]; withGraph: boolean; scrub: (text: string) => string }): string | undefined {
  const header: Header = { format: FORMAT, key: inputs.key, takenAt: facts.takenAt, bodyId: facts.withGraph ? randomUUID() : '', paths: '', kinds: '', sizes: [], mtimes: [], checksums: '', env: facts.envRead, secrets: facts.secrets, diagnostics: facts.diagnostics };
  const checksums: string[] = [];
  const paths: string[] = [];
  const kinds: string[] = [];
  for (const f of inputs.files) {
    // A file source that cannot stat makes the snapshot unusable.
    const stamp = f instanceof LazyProjectFile ? f.currentStamp() : undefined;
    if (!stamp) return undefined;
    paths.push(f.path);
    kinds.push(f.kind);
    header.sizes.push(stamp.size);
    header.mtimes.push(stamp.mtimeMs);
    checksums.push(f.checksum);
  }
  header.checksums = checksums.join('');
  header.paths = paths.join('\n');
  header.kinds = kinds.join('\n');
  // Body first: a header always names a body that is complete on disk.
  // Scrubbed like manifest.json: a secret that reached a config or a warning is not written either.
  if (facts.withGraph && !saveFile(dir, BODY, bodyText(header.bodyId, encodeGraph(graph, inputs.files), facts.scrub))) return undefined;
  return saveFile(dir, HEADER, facts.scrub(JSON.stringify(header))) && header.bodyId ? header.bodyId : undefined;
}

function saveFile(dir: string, name: string, text: string): boolean {
  try {
    replaceFile(join(dir, name), text);
    return true;
  } catch {
    // A read-only target folder only costs the next parse its speed.
    return false;
  }
}
