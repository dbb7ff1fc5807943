import type { ProjectGraph } from '../graph/types.js';

/** A test's parents as indirect selection sees them: nodes and sources. */
function testParents(graph: ProjectGraph, testId: string): string[] {
  return (graph.parentMap[testId] ?? []).filter((p) => graph.manifest.nodes[p] || graph.manifest.sources[p]);
}

function ancestors(graph: ProjectGraph, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) for (const p of graph.parentMap[stack.pop()!] ?? []) if (!out.has(p)) {
    out.add(p);
    stack.push(p);
  }
  return out;
}

/**
 * The node whose task runs a test under after_each: the parent with a task that every other parent is upstream of.
 * That task runs `build --indirect-selection buildable`, which picks exactly such tests, so each test runs once,
 * after everything it reads. Undefined: the test needs a task of its own.
 */
export function homeTask(graph: ProjectGraph, testId: string, taskOf: Map<string, string>): string | undefined {
  const parents = testParents(graph, testId);
  const candidates = parents.filter((p) => taskOf.has(p));
  if (parents.length === 1) return candidates[0];
  for (const c of candidates) {
    const up = ancestors(graph, c);
    if (parents.every((p) => p === c || up.has(p))) return c;
  }
  return undefined;
}

/** The nodes with tasks a detached test waits for: each parent's task, a landed source's landing task, or what a parent without a task waits for. */
export function testUpstream(graph: ProjectGraph, testId: string, taskOf: Map<string, string>, upstreamOf: (id: string, self: boolean) => Set<string>): Set<string> {
  const landingOf = new Map<string, string>();
  for (const id of taskOf.keys()) {
    const sourceId = graph.manifest.nodes[id]?.extra?.sourceId;
    if (typeof sourceId === 'string') landingOf.set(sourceId, id);
  }
  const out = new Set<string>();
  for (const p of testParents(graph, testId)) {
    const landing = landingOf.get(p);
    if (landing) out.add(landing);
    for (const u of upstreamOf(p, false)) out.add(u);
  }
  return out;
}
