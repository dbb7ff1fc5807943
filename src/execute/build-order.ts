import type { ProjectGraph } from '../graph/index.js';

/**
 * Parents the scheduler waits for. In `build`, a node also waits for the tests of its parents
 * (dbt: "each node's tests run immediately after it, and a failing test skips what is downstream"),
 * except tests that themselves depend on the node or on something downstream of it. A model's unit
 * tests run before it, as dbt ≥ 1.8's build runs them in the model's turn: each waits for what the model
 * waits for, and the model waits for them, so a failing (or skipped) unit test skips the model and,
 * through it, its children. Outside `build` the graph's own edges order the nodes.
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
  const resourceType = (id: string): string | undefined => graph.manifest.nodes[id]?.resourceType;
  const isTest = (id: string): boolean => resourceType(id) === 'test';
  /** The selected model a unit test tests, when the build runs both. */
  const testedModel = (id: string): string | undefined => {
    const model = resourceType(id) === 'unit_test' ? graph.manifest.nodes[id]!.attachedNode : undefined;
    return model && selected.has(model) ? model : undefined;
  };
  /** A node's selected unit tests whose model is selected (only models have them). */
  const unitTestsOf = (id: string): string[] => (resourceType(id) === 'model' ? (graph.childMap[id] ?? []).filter((c) => selected.has(c) && testedModel(c) === id) : []);

  /** Its selected parents, and the data tests of its parents that gate it. */
  const gatedParents = (id: string): string[] => {
    const direct = (graph.parentMap[id] ?? []).filter((p) => selected.has(p));
    if (isTest(id)) return direct;
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

  return (id: string): string[] => {
    if (!testsGateChildren) return (graph.parentMap[id] ?? []).filter((p) => selected.has(p));
    const model = testedModel(id);
    if (model) return gatedParents(model);
    const parents = gatedParents(id);
    const unitTests = unitTestsOf(id);
    return unitTests.length ? [...parents, ...unitTests] : parents;
  };
}
