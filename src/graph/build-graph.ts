import { createRequire } from 'node:module';
import type { Graph } from '@dagrejs/graphlib';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Manifest, ManifestNode } from '../parse/types.js';
import type { ProjectGraph } from './types.js';
import { REFABLE, refResolver, type RefResolver } from './ref-resolver.js';

/** Resolves refs and sources, fills `dependsOn.nodes`, and orders the nodes; reports unknown refs and cycles. */
export function buildGraph(manifest: Manifest): { graph: ProjectGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // Enumerating a record of 12,000 keys is not cheap (V8 sorts them by insertion): once, here.
  const nodes = Object.values(manifest.nodes);
  const byName = new Map<string, ManifestNode[]>();
  const landingFor = new Map<string, string>();
  for (const n of nodes) {
    if (REFABLE.has(n.resourceType)) {
      const list = byName.get(n.name);
      if (list) list.push(n);
      else byName.set(n.name, [n]);
    }
    if (n.resourceType === 'landing' && typeof n.extra?.sourceId === 'string') landingFor.set(n.extra.sourceId, n.uniqueId);
  }
  const { resolveRef, resolveSource } = refResolver(manifest, byName, diagnostics);

  // Exposures run nothing (build's no-op results wait for their parents through exposure-edges.ts): their parents are resolved, but they stay out of the maps and the order (see exposure-edges.ts).
  for (const exposure of Object.values(manifest.exposures)) {
    const deps = new Set<string>();
    for (const ref of exposure.refs) {
      const id = resolveRef(exposure, ref);
      if (id) deps.add(id);
    }
    for (const s of exposure.sources) {
      const id = resolveSource(exposure, s);
      if (id) deps.add(id);
    }
    exposure.dependsOn.nodes = [...deps].sort();
  }

  const ids = [...Object.keys(manifest.sources), ...nodes.map((n) => n.uniqueId)];
  const { parentMap, childMap } = linkNodes(nodes, ids, { resolveRef, resolveSource }, landingFor);
  for (const node of nodes) if (isMicrobatchModel(node)) diagnostics.push(...microbatchInputWarning(manifest, node));

  const order = topologicalOrder(ids, parentMap, childMap);
  const graph = assembleGraph(manifest, ids, parentMap, childMap, order.ids);
  // Kahn's order places every node unless there is a cycle; only then look for the cycles themselves.
  const cycles = order.acyclic ? [] : graphlib().alg.findCycles(graph.graph);
  // findCycles reports a node that refs itself as a cycle of one: one diagnostic per cycle, that one included.
  diagnostics.push(...cycleDiagnostics(manifest, cycles, childMap));
  return { graph, diagnostics };
}

/**
 * Each node's `dependsOn.nodes` (refs, sources, a source's landing node, its own), sorted; and the parent and child
 * maps over `ids` (sources and nodes), children sorted.
 */
function linkNodes(nodes: ManifestNode[], ids: string[], resolver: RefResolver, landingFor: Map<string, string>): { parentMap: Record<string, string[]>; childMap: Record<string, string[]> } {
  const known = new Set(ids);
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const id of ids) {
    parentMap[id] = [];
    childMap[id] = [];
  }
  for (const node of nodes) {
    const deps = new Set<string>();
    for (const ref of node.refs) {
      const id = resolver.resolveRef(node, ref);
      if (id) deps.add(id);
    }
    for (const s of node.sources) {
      const id = resolver.resolveSource(node, s);
      if (!id) continue;
      deps.add(id);
      const landing = landingFor.get(id);
      if (landing && landing !== node.uniqueId) deps.add(landing);
    }
    if (node.resourceType === 'landing' && typeof node.extra?.sourceId === 'string') deps.add(node.extra.sourceId);
    for (const d of node.dependsOn.nodes) deps.add(d);
    node.dependsOn.nodes = deps.size > 1 ? [...deps].sort() : [...deps];
    const parents = parentMap[node.uniqueId]!;
    for (const d of node.dependsOn.nodes) {
      if (!known.has(d)) continue;
      parents.push(d);
      childMap[d]!.push(node.uniqueId);
    }
  }
  for (const id of ids) {
    const children = childMap[id]!;
    if (children.length > 1) children.sort();
  }
  return { parentMap, childMap };
}

/** Each cycle as one diagnostic, its chain read in dependency order from its smallest id. */
function cycleDiagnostics(manifest: Manifest, cycles: string[][], childMap: Record<string, string[]>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const cycle of cycles) {
    const ids = [...cycle].sort();
    // Walk the cycle from its smallest id along child edges so the chain reads in dependency order.
    const members = new Set(cycle);
    const chain = [ids[0]!];
    while (chain.length < cycle.length) {
      const next = (childMap[chain[chain.length - 1]!] ?? []).filter((s) => members.has(s) && !chain.includes(s)).sort()[0];
      if (!next) break;
      chain.push(next);
    }
    const label = (id: string): string => `${id} (${manifest.nodes[id]?.originalFilePath ?? manifest.sources[id]?.originalFilePath ?? '?'})`;
    const first = manifest.nodes[chain[0]!];
    const hint = chain.length === 1 ? 'a model cannot ref itself; use {{ this }} for its own relation' : 'a model cannot depend on itself, directly or through others: remove one of these refs';
    out.push({ code: 'cycle-detected', severity: 'error', message: `dependency cycle: ${[...chain, chain[0]!].map(label).join(' -> ')}`, file: first?.originalFilePath, line: 1, hint });
  }
  return out;
}

/** graphlib, loaded by the first command that needs a Graph object or looks for cycles. */
const graphlib = (): typeof import('@dagrejs/graphlib') => createRequire(import.meta.url)('@dagrejs/graphlib') as typeof import('@dagrejs/graphlib');

/** The graph object over already resolved edges. graphlib's Graph is built on first use: most commands never need it. */
function isMicrobatchModel(node: ManifestNode): boolean {
  return node.resourceType === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
}

/**
 * dbt's MicrobatchModelNoEventTimeInputs: a microbatch model none of whose refs or sources has an
 * event_time reads every row in every batch, and each batch then writes them all into its window.
 */
function microbatchInputWarning(manifest: Manifest, node: ManifestNode): Diagnostic[] {
  const timed = node.dependsOn.nodes.some((id) => {
    const field = (manifest.nodes[id] ?? manifest.sources[id])?.config.event_time;
    return typeof field === 'string' && field.trim() !== '';
  });
  if (timed) return [];
  return [{ code: 'microbatch-no-event-time-input', severity: 'warn', message: `the microbatch model '${node.name}' has no ref or source input with an event_time config: no input can be filtered to a batch, which can write duplicate rows`, file: node.originalFilePath, line: 1, hint: "set +event_time: <column> on the inputs it should read a batch of (a model's, seed's or snapshot's config, or a source table's)" }];
}

export function assembleGraph(manifest: Manifest, ids: string[], parentMap: Record<string, string[]>, childMap: Record<string, string[]>, order: string[]): ProjectGraph {
  let built: Graph | undefined;
  const graphOf = (): Graph => {
    if (!built) {
      built = new (graphlib().Graph)({ directed: true });
      for (const id of ids) built.setNode(id);
      for (const id of ids) for (const p of parentMap[id]!) built.setEdge(p, id);
    }
    return built;
  };
  return { manifest, parentMap, childMap, order, get graph() { return graphOf(); } };
}

/** Kahn's algorithm with a sorted ready set: deterministic, O(n log n + e). Cyclic nodes are appended last. */
export function topologicalOrder(ids: string[], parentMap: Record<string, string[]>, childMap: Record<string, string[]>): { ids: string[]; acyclic: boolean } {
  const indegree = new Map<string, number>();
  for (const id of ids) indegree.set(id, (parentMap[id] ?? []).length);
  let ready = ids.filter((id) => indegree.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length) {
    const next: string[] = [];
    for (const id of ready) {
      order.push(id);
      for (const c of childMap[id] ?? []) {
        const d = indegree.get(c)! - 1;
        indegree.set(c, d);
        if (d === 0) next.push(c);
      }
    }
    ready = next.sort();
  }
  const acyclic = order.length === ids.length;
  if (!acyclic) {
    const placed = new Set(order);
    order.push(...ids.filter((id) => !placed.has(id)).sort());
  }
  return { ids: order, acyclic };
}
