import type { ProjectGraph } from '../graph/index.js';

/**
 * Parents the scheduler waits for. In `build`, a node also waits for the tests of its parents
 * (dbt: "each node's tests run immediately after it, and a failing test skips what is downstream"),
 * except tests that themselves depend on the node or on something downstream of it.
 */
export function schedulingParents(graph: ProjectGraph, selected: Set<string>, testsGateChildren: boolean): (id: string) => string[] {
  const ancestorCache = new Map<string, Set<string>>();
  const ancestors = (id: string): Set<string> => {
    let set = ancestorCache.get(id);
    if (set) return set;
    set = new Set<string>();
    const stack = [...(graph.parentMap[id] ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      if (set.has(p)) continue;
      set.add(p);
      const cached = ancestorCache.get(p);
      if (cached) for (const a of cached) set.add(a);
      else stack.push(...(graph.parentMap[p] ?? []));
    }
    ancestorCache.set(id, set);
    return set;
  };
  const isTest = (id: string): boolean => graph.manifest.nodes[id]?.resourceType === 'test';

  return (id: string): string[] => {
    const direct = (graph.parentMap[id] ?? []).filter((p) => selected.has(p));
    if (!testsGateChildren || isTest(id)) return direct;
    const extra: string[] = [];
    const anc = ancestors(id);
    for (const parent of graph.parentMap[id] ?? []) {
      for (const child of graph.childMap[parent] ?? []) {
        if (!isTest(child) || !selected.has(child) || child === id) continue;
        const testParents = graph.parentMap[child] ?? [];
        if (testParents.every((tp) => tp !== id && anc.has(tp))) extra.push(child);
      }
    }
    return [...new Set([...direct, ...extra])];
  };
}
