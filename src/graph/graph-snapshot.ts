import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/index.js';
import { LazyProjectFile, replaceFile, type ProjectFile } from '../project/index.js';
import { rawCodeFromFile, type ManifestNode, type ModelParseFacts } from '../parse/index.js';
import { decodeGraph, encodeGraph, storedFacts } from './snapshot-codec.js';
import { bodyText, readBody } from './snapshot-body.js';
import { HEADER, HEADER_FORMAT, checkFiles, readHeader, type Header, type SnapshotInputs } from './snapshot-header.js';

export type { SnapshotInputs } from './snapshot-header.js';
import type { ProjectGraph } from './types.js';

/**
 * The whole parse result (manifest and graph order) of the last clean parse, valid while no project file
 * has changed. A file counts as unchanged when `stat` gives the same size and modification time as when it
 * was read, as git's index does; files modified within RACY_MS of that moment are hashed instead, because an
 * edit in the same clock tick would not change the time. Nothing secret is stored: env vars the parse read
 * appear as digests, `secret()` calls by name only.
 */
const BODY = 'graph_snapshot_body.strata.json';

export interface LoadedSnapshot {
  /** Identity of the stored graph: the same id, the same graph. */
  id: string;
  graph: ProjectGraph;
  diagnostics: Diagnostic[];
  /** Names of `secret()` calls the parse made; values are read from the environment again. */
  secrets: string[];
}

export interface SnapshotCheck {
  /** The last clean parse's graph, if it is valid for these inputs. */
  snapshot?: LoadedSnapshot;
  /** No project file changed since the last clean parse (its graph may still be void: other vars, env, version). */
  filesUnchanged: boolean;
  /** The last clean parse stored its graph: the project is being worked on, keep storing it (partial parsing needs it). */
  hadGraph?: boolean;
  /** Only the SQL of a few models changed: the stored graph may still hold, if those edits changed nothing else. */
  patchable?: PatchCandidate;
}

/**
 * The stored graph, and the model files edited since. The caller re-parses each edited file and compares
 * (parse/reparse-model.ts); if every edit changed only SQL, `accept` records the edits and gives the graph
 * with those models' SQL and checksums taken from their files.
 */
export interface PatchCandidate {
  /** Model files to parse again: edited since the graph was stored, or reading a var whose value changed. */
  edited: ProjectFile[];
  /** The stored `{% docs %}` blocks by name, for `doc()` in the edited models. */
  docs(): Record<string, string>;
  /** The stored node of unique id `id`, and the facts stored beside it; undefined if there is none. */
  stored(id: string): { node: ManifestNode; facts: ModelParseFacts } | undefined;
  accept(found: { ids: string[]; envVars: Record<string, string | null>; varsReadBy: Record<string, Record<string, string | null>>; secrets: string[] }): LoadedSnapshot;
}

/** At most this many models are parsed again one by one; more, and a full parse from the render cache is as quick. */
const MAX_PATCHED_EDITS = 200;

/** Checks the snapshot against the project: its graph if still valid, else whether at least the files are the same. */
export function readGraphSnapshot(dir: string, inputs: SnapshotInputs): SnapshotCheck {
  const header = readHeader(dir);
  if (!header) return { filesUnchanged: false };
  const checkedAt = Date.now();
  const files = checkFiles(header, inputs);
  const stale = { filesUnchanged: files.ok, hadGraph: header.bodyId !== '' };
  const changedVars = changedVarsIfValid(header, inputs, files);
  if (!changedVars) return stale;
  // Files to parse again: those whose content changed (a new stamp over the same text changes nothing),
  // and those whose render read a var that changed.
  const edited = files.changed.filter((i) => inputs.files[i]!.checksum !== header.checksums.slice(i * 64, i * 64 + 64)).map((i) => inputs.files[i]!);
  const readerIds = [...new Set(changedVars.flatMap((name) => header.varReaders[name] ?? []))];
  const patchable = edited.length + readerIds.length <= MAX_PATCHED_EDITS && edited.every((f) => reparsable(f, header));
  if ((!files.ok || changedVars.length > 0) && !patchable) return stale;
  const stored = storedGraph(dir, header, inputs);
  if (!stored) return stale;
  if (files.ok && changedVars.length === 0) {
    // Files too fresh to trust by stamp were checked by hash just now: from now on their stamps vouch for them.
    if (files.racy) saveFile(dir, HEADER, JSON.stringify({ ...header, takenAt: checkedAt }));
    return { ...stale, snapshot: { id: stored.graphId(header.patched), graph: stored.graph, diagnostics: header.diagnostics, secrets: header.secrets } };
  }
  const toParse = filesToParse(stored, edited, readerIds);
  if (!toParse) return stale;
  return { ...stale, patchable: patchCandidate(stored, toParse, { changed: files.changed, changedVars, checkedAt }) };
}

/**
 * The vars whose value changed since the snapshot, or undefined when its graph is void: another key (build,
 * project, target), no graph stored, other files, an env var changed, or a var the macros read changed.
 */
function changedVarsIfValid(header: Header, inputs: SnapshotInputs, files: ReturnType<typeof checkFiles>): string[] | undefined {
  if (header.key !== inputs.key || !header.bodyId || !(files.ok || files.sameList)) return undefined;
  for (const [name, digest] of Object.entries(header.env)) if (inputs.envDigest(inputs.env[name]) !== digest) return undefined;
  const changedVars = Object.keys(header.vars).filter((name) => inputs.varDigest(inputs.vars[name]) !== header.vars[name]);
  return changedVars.some((name) => header.macroVars.includes(name)) ? undefined : changedVars;
}

/** A model or test file whose parse had no warnings can be parsed again alone. */
function reparsable(f: ProjectFile, header: Header): boolean {
  return (f.kind === 'model' || f.kind === 'test') && !header.diagnostics.some((d) => d.file === f.path);
}

/** The snapshot's graph, decoded, with the header and inputs it was checked against. */
interface StoredGraph {
  dir: string;
  header: Header;
  inputs: SnapshotInputs;
  graph: ProjectGraph;
  nodeText(i: number): string;
  /** The node's place in the body's node list; negative if it has none. */
  nodeIndex(id: string): number;
  /** The id of the graph with these models patched. */
  graphId(patched: string[]): string;
  /** The project's files by path (made when first asked for: a valid snapshot needs none). */
  byPath(): Map<string, ProjectFile>;
}

/** The stored graph, or undefined when the body is missing or belongs to another parse than the header's. */
function storedGraph(dir: string, header: Header, inputs: SnapshotInputs): StoredGraph | undefined {
  const body = readBody(join(dir, BODY));
  // Two writers may interleave: a body from another parse than the header's is not used.
  if (!body || body.graph.id !== header.bodyId) return undefined;
  const { ids, sourceCount } = body.graph;
  const nodeIndex = (id: string): number => ids.indexOf(id, sourceCount) - sourceCount;
  const fromFile = (patched: string[]): Set<number> => new Set(patched.map(nodeIndex).filter((i) => i >= 0));
  // Another set of edits is another graph: manifest.json, for one, must not be reused across them.
  const graphId = (patched: string[]): string => (patched.length ? `${header.bodyId}+${patchDigest(patched, inputs.files, ids, sourceCount, body.nodeText)}` : header.bodyId);
  const graph = decodeGraph(body.graph, body.nodeText, inputs.files, fromFile(header.patched));
  let byPath: Map<string, ProjectFile> | undefined;
  return { dir, header, inputs, graph, nodeText: body.nodeText, nodeIndex, graphId, byPath: () => (byPath ??= new Map(inputs.files.map((f) => [f.path, f]))) };
}

/** The edited files and the files of the readers of a changed var; undefined if a reader cannot be parsed again alone. */
function filesToParse(stored: StoredGraph, edited: ProjectFile[], readerIds: string[]): ProjectFile[] | undefined {
  // A reader of a changed var is parsed again like an edited model: only a model without warnings qualifies.
  const toParse = [...edited];
  for (const id of readerIds) {
    const node = stored.graph.manifest.nodes[id];
    const file = node && stored.byPath().get(node.originalFilePath);
    if (!file || !reparsable(file, stored.header)) return undefined;
    if (!toParse.includes(file)) toParse.push(file);
  }
  return toParse;
}

type Found = Parameters<PatchCandidate['accept']>[0];

function patchCandidate(stored: StoredGraph, edited: ProjectFile[], since: { changed: number[]; changedVars: string[]; checkedAt: number }): PatchCandidate {
  const { graph, header } = stored;
  return {
    edited,
    docs: () => Object.fromEntries(Object.values(graph.manifest.docs).map((d) => [d.name, d.blockContents])),
    stored(id) {
      const i = stored.nodeIndex(id);
      const node = i >= 0 ? graph.manifest.nodes[id] : undefined;
      return node ? { node, facts: storedFacts(stored.nodeText(i)) } : undefined;
    },
    accept(found) {
      const patched = [...new Set([...header.patched, ...found.ids])];
      const next = patchedHeader(stored, found, patched, since);
      saveFile(stored.dir, HEADER, JSON.stringify(next));
      sqlFromFiles(stored, found.ids);
      return { id: stored.graphId(patched), graph, diagnostics: header.diagnostics, secrets: next.secrets };
    },
  };
}

/** The header once the edits are accepted: the changed files' stamps and checksums, and what the files just parsed read. */
function patchedHeader({ header, inputs }: StoredGraph, found: Found, patched: string[], since: { changed: number[]; changedVars: string[]; checkedAt: number }): Header {
  // Who reads which var, with the files just parsed in place of what they read before.
  const varReaders: Record<string, string[]> = {};
  for (const [name, readers] of Object.entries(header.varReaders)) varReaders[name] = readers.filter((id) => !(id in found.varsReadBy));
  const vars = { ...header.vars };
  for (const [id, read] of Object.entries(found.varsReadBy)) {
    for (const [name, digest] of Object.entries(read)) {
      vars[name] = digest;
      (varReaders[name] ??= []).push(id);
    }
  }
  // A changed var that no file reads any more stops being watched.
  for (const name of since.changedVars) if (!varReaders[name]?.length) delete vars[name];
  const next: Header = { ...header, takenAt: since.checkedAt, sizes: [...header.sizes], mtimes: [...header.mtimes], env: { ...header.env, ...found.envVars }, vars, varReaders, secrets: [...new Set([...header.secrets, ...found.secrets])], patched };
  for (const i of since.changed) {
    const f = inputs.files[i] as LazyProjectFile;
    const stamp = f.currentStamp()!;
    next.sizes[i] = stamp.size;
    next.mtimes[i] = stamp.mtimeMs;
    next.checksums = next.checksums.slice(0, i * 64) + f.checksum + next.checksums.slice(i * 64 + 64);
  }
  return next;
}

/** As decodeGraph does for the nodes in fromFile: the patched nodes' SQL and checksum from their files. */
function sqlFromFiles({ graph, byPath }: StoredGraph, ids: string[]): void {
  for (const id of ids) {
    const node = graph.manifest.nodes[id];
    const file = node && byPath().get(node.originalFilePath);
    if (!node || !file) continue;
    node.checksum = { name: 'sha256', checksum: file.checksum };
    delete (node as { rawCode?: string }).rawCode;
    rawCodeFromFile(node, file);
  }
}

/** Identifies a set of edits: the edited models and the checksums of their files. */
function patchDigest(patched: string[], files: ProjectFile[], ids: string[], sourceCount: number, nodeText: (i: number) => string): string {
  const hash = createHash('sha256');
  for (const id of [...patched].sort()) {
    const i = ids.indexOf(id, sourceCount) - sourceCount;
    const fileIndex = i >= 0 ? (JSON.parse(nodeText(i)) as { $f?: number }).$f : undefined;
    hash.update(`${id}\0${fileIndex === undefined ? '' : files[fileIndex]!.checksum}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Writes the snapshot of a clean parse. `takenAt` must be earlier than the first stat or read of any project
 * file. The file stamps are always written (the next parse then reads only changed files); the graph itself
 * when `withGraph` (every clean full parse, so that any command leaves the next one warm). Returns the id of the graph stored, if one was.
 */
export function writeGraphSnapshot(dir: string, inputs: SnapshotInputs, graph: ProjectGraph, facts: { takenAt: number; envRead: Record<string, string | null>; varsRead: Record<string, string | null>; varReaders: Record<string, string[]>; macroVars: string[]; secrets: string[]; diagnostics: Diagnostic[]; withGraph: boolean; scrub: (text: string) => string; modelFacts?: Map<string, ModelParseFacts>;
  /** `mark`: SQL the parse did not read is stored as "from the file" (a graph stored while the project is edited); `read` (default): read and stored, for commands that reuse the graph many times. */
  unreadSql?: 'read' | 'mark' }): string | undefined {
  const header: Header = { format: HEADER_FORMAT, key: inputs.key, takenAt: facts.takenAt, bodyId: facts.withGraph ? randomUUID() : '', paths: '', kinds: '', sizes: [], mtimes: [], checksums: '', env: facts.envRead, vars: facts.varsRead, varReaders: facts.varReaders, macroVars: facts.macroVars, secrets: facts.secrets, diagnostics: facts.diagnostics, patched: [] };
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
  if (facts.withGraph && !saveFile(dir, BODY, bodyText(header.bodyId, encodeGraph(graph, inputs.files, facts.modelFacts, facts.unreadSql), facts.scrub))) return undefined;
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
