import type { Manifest, ManifestNode } from '../parse/types.js';
import { fqnOf, isRawCodeFromFile, rawCodeFromFile, type ModelParseFacts } from '../parse/index.js';
import { LazyProjectFile } from '../project/index.js';
import type { ProjectFile } from '../project/types.js';
import { assembleGraph } from './build-graph.js';
import { lazyRecord } from './lazy-record.js';
import type { ProjectGraph } from './types.js';

/**
 * A compact encoding of a parsed project for the graph snapshot. Most fields of most nodes hold the same
 * value as their neighbours (default configs, empty tags, the project name), so each node stores only what
 * differs from the usual value for its resource type; file-backed nodes take path and checksum from the
 * file list, edges are indexes. Model SQL is stored (reading 10,000 small files costs more than parsing it);
 * with `unreadSql: 'mark'`, SQL the parse did not read is marked "from the file" instead of read to be stored. Decoding builds fresh objects: no two nodes share anything.
 * The graph (ids, edges, order) is decoded at once; each node is stored as its own JSON text and decoded
 * when it is first read (`lazyRecord`), so a command that reads a few nodes decodes only those.
 */
export interface EncodedGraph {
  manifest: Omit<Manifest, 'nodes'>;
  /** Sources, then nodes: the ids of the graph, in the order buildGraph uses. */
  ids: string[];
  sourceCount: number;
  /** Per resource type, the most common value of each field. */
  usual: Record<string, Record<string, unknown>>;
  parents: number[][];
  order: number[];
  /** Node indexes (into `nodes`) by unique id, sorted: children pushed in this order come out sorted. */
  byId: number[];
}

const SAMPLE = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The keys of `v` that differ from `base`, and the keys of `base` that `v` lacks. */
function objectDiff(v: Record<string, unknown>, base: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const k in v) if (v[k] !== undefined && !same(v[k], base[k])) changed[k] = v[k];
  const removed = Object.keys(base).filter((k) => v[k] === undefined);
  return removed.length ? { $diff: changed, $removed: removed } : { $diff: changed };
}

function applyDiff(base: Record<string, unknown>, diff: Record<string, unknown>): Record<string, unknown> {
  Object.assign(base, diff.$diff as Record<string, unknown>);
  for (const k of (diff.$removed as string[] | undefined) ?? []) delete base[k];
  return base;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    if (!same(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

/**
 * The most common value of each field among the first nodes of each resource type. Fields that are rebuilt
 * or rewritten per node (SQL, checksum, calls, dependencies) are always stored with the node.
 */
function usualValues(nodes: ManifestNode[]): Record<string, Record<string, unknown>> {
  const byType = new Map<string, ManifestNode[]>();
  for (const n of nodes) {
    const list = byType.get(n.resourceType) ?? [];
    if (list.length < SAMPLE) list.push(n);
    byType.set(n.resourceType, list);
  }
  const usual: Record<string, Record<string, unknown>> = {};
  for (const [type, sample] of byType) {
    const fields: Record<string, unknown> = {};
    const keys = new Set(sample.flatMap((n) => Object.keys(n)));
    for (const k of keys) {
      if (k === 'uniqueId' || k === 'resourceType' || k === 'rawCode' || k === 'checksum' || k === 'refs' || k === 'sources' || k === 'dependsOn') continue;
      const counts = new Map<string, { value: unknown; n: number }>();
      for (const n of sample) {
        const v = (n as unknown as Record<string, unknown>)[k];
        if (v === undefined) continue;
        const text = JSON.stringify(v);
        const c = counts.get(text) ?? { value: v, n: 0 };
        c.n++;
        counts.set(text, c);
      }
      const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
      if (best && best.n > 1) fields[k] = best.value;
    }
    usual[type] = fields;
  }
  return usual;
}

/**
 * The graph, and per node (in `ids` order after the sources) the JSON of the fields that differ from
 * `usual`; `$absent` lists usual fields the node lacks.
 */
export function encodeGraph(graph: ProjectGraph, files: ProjectFile[], modelFacts: Map<string, ModelParseFacts> = new Map(), unreadSql: 'read' | 'mark' = 'read'): { graph: EncodedGraph; nodes: string[] } {
  const { manifest } = graph;
  const nodes = Object.values(manifest.nodes);
  const usual = usualValues(nodes);
  const sourceIds = Object.keys(manifest.sources);
  const ids = [...sourceIds, ...Object.keys(manifest.nodes)];
  const index = new Map(ids.map((id, i) => [id, i]));
  const fileIndex = new Map(files.map((f, i) => [f.path, i]));
  const encoded = nodes.map((node) => {
    const u = usual[node.resourceType] ?? {};
    const own: Record<string, unknown> = {};
    const n = node as unknown as Record<string, unknown>;
    const fi = fileIndex.get(node.originalFilePath);
    const file = fi === undefined ? undefined : files[fi]!;
    // Fields rebuilt on decoding from the file, the name or the graph are not stored.
    const derived = new Set<string>(['uniqueId']);
    if (file) {
      own.$f = fi;
      derived.add('originalFilePath');
      if (node.path === file.pathInResource) derived.add('path');
      if (node.checksum?.name === 'sha256' && node.checksum.checksum === file.checksum) (own.$sum = 1), derived.add('checksum');
      if (same(node.fqn, fqnOf(node.packageName, file.pathInResource, node.name))) (own.$fqn = 1), derived.add('fqn');
      // SQL still to be read from its file (a parse that took every render from the cache read no model):
      // with 'mark', stored as "from the file", so storing the graph does not read 10,000 files.
      if (unreadSql === 'mark' && isRawCodeFromFile(node) && file instanceof LazyProjectFile && !file.isLoaded()) (own.$raw = 1), derived.add('rawCode');
    }
    if (node.alias === node.name) (own.$alias = 1), derived.add('alias');
    for (const k in n) {
      if (derived.has(k)) continue;
      const v = n[k];
      if (v === undefined || same(v, u[k])) continue;
      if (k === 'dependsOn' && same(node.dependsOn.nodes, graph.parentMap[node.uniqueId] ?? [])) own.dependsOn = { macros: node.dependsOn.macros, $parents: 1 };
      // Where a ref was written only serves parse diagnostics, and a snapshot is only stored for a clean parse.
      else if (k === 'refs' || k === 'sources') own[k] = (v as { at?: unknown }[]).map(({ at: _at, ...call }) => call);
      else own[k] = isPlainObject(v) && isPlainObject(u[k]) ? objectDiff(v, u[k]) : v;
    }
    const absent: string[] = [];
    for (const k in u) if (n[k] === undefined) absent.push(k);
    if (absent.length) own.$absent = absent;
    // What the node was built from besides its file (see ModelParseFacts); not part of the node.
    const facts = modelFacts.get(node.uniqueId);
    if (facts?.patchConfig) own.$pc = facts.patchConfig;
    if (facts?.renderedConfig) own.$rc = facts.renderedConfig;
    return JSON.stringify(own);
  });
  const parents = Object.keys(manifest.nodes).map((id) => (graph.parentMap[id] ?? []).map((p) => index.get(p)!));
  const { nodes: _nodes, ...rest } = manifest;
  const byId = nodes.map((_n, i) => i).sort((a, b) => (ids[sourceIds.length + a]! < ids[sourceIds.length + b]! ? -1 : 1));
  return { graph: { manifest: rest, ids, sourceCount: sourceIds.length, usual, parents, order: graph.order.map((id) => index.get(id)!), byId }, nodes: encoded };
}

/**
 * A function that returns a fresh deep copy of `value` (plain JSON data) each call. It evaluates the value
 * as an object literal: V8 copies a literal's boilerplate faster than JSON.parse builds the same objects,
 * and can allocate objects that live long (a graph's nodes) in the old generation at once. A value with a
 * `__proto__` key is copied with JSON.parse instead (in a literal that key would set the prototype).
 */
export function copier(value: unknown): () => Record<string, unknown> {
  const text = JSON.stringify(value);
  if (text.includes('"__proto__"')) return () => JSON.parse(text) as Record<string, unknown>;
  return new Function(`return ${text};`) as () => Record<string, unknown>;
}

/** The facts `encodeGraph` stored beside node i. */
export function storedFacts(nodeText: string): ModelParseFacts {
  const own = JSON.parse(nodeText) as { $pc?: Record<string, unknown>; $rc?: Record<string, unknown> };
  return { patchConfig: own.$pc, renderedConfig: own.$rc };
}

/**
 * `nodeText(i)` gives the JSON `encodeGraph` stored for node i. Nodes in `fromFile` (indexes) take their SQL
 * and checksum from their file instead: their SQL was edited since, and nothing else of theirs changed.
 */
export function decodeGraph(data: EncodedGraph, nodeText: (index: number) => string, files: ProjectFile[], fromFile: ReadonlySet<number> = new Set()): ProjectGraph {
  const { ids, sourceCount } = data;
  const usualCopy = new Map(Object.entries(data.usual).map(([t, u]) => [t, copier(u)]));
  const none = (): Record<string, unknown> => ({});
  const decodeNode = (i: number): ManifestNode => {
    const own = JSON.parse(nodeText(i)) as Record<string, unknown>;
    const id = ids[sourceCount + i]!;
    const n = (usualCopy.get(own.resourceType as string) ?? none)();
    n.uniqueId = id;
    for (const k in own) {
      if (k[0] === '$') continue;
      const v = own[k];
      // Encoded as a diff exactly when both the value and the usual value are objects: decided the same way here.
      n[k] = isPlainObject(v) && isPlainObject(n[k]) ? applyDiff(n[k] as Record<string, unknown>, v) : v;
    }
    if (own.$absent) for (const k of own.$absent as string[]) delete n[k];
    const file = typeof own.$f === 'number' ? files[own.$f] : undefined;
    if (file) {
      n.originalFilePath = file.path;
      n.path ??= file.pathInResource;
      if (own.$sum) n.checksum = { name: 'sha256', checksum: file.checksum };
      if (own.$fqn) n.fqn = fqnOf(n.packageName as string, file.pathInResource, n.name as string);
    }
    if (own.$alias) n.alias = n.name;
    if (file && own.$raw) rawCodeFromFile(n, file);
    if (file && fromFile.has(i)) {
      n.checksum = { name: 'sha256', checksum: file.checksum };
      delete n.rawCode;
      rawCodeFromFile(n, file);
    }
    const dependsOn = n.dependsOn as { macros: string[]; nodes?: string[]; $parents?: number };
    // A new object rather than `delete`, which would turn every node's dependsOn into a slow dictionary.
    if (dependsOn.$parents) n.dependsOn = { macros: dependsOn.macros, nodes: data.parents[i]!.map((p) => ids[p]!) };
    return n as unknown as ManifestNode;
  };
  const nodes = lazyRecord(ids.slice(sourceCount), decodeNode);
  const manifest = { ...data.manifest, exposures: data.manifest.exposures ?? {}, nodes } as Manifest;
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  // One pass, each key set once: inserting 12,000 keys into a record is most of the cost here.
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    parentMap[id] = i < sourceCount ? [] : data.parents[i - sourceCount]!.map((p) => ids[p]!);
    childMap[id] = [];
  }
  // Children in unique-id order, as buildGraph sorts them, without sorting 12,000 lists.
  for (const i of data.byId) {
    const id = ids[sourceCount + i]!;
    for (const p of data.parents[i]!) childMap[ids[p]!]!.push(id);
  }
  return assembleGraph(manifest, ids, parentMap, childMap, data.order.map((i) => ids[i]!));
}
