import type { ProjectGraph } from './types.js';

/**
 * The graph's maps with its exposures joined in, as dbt's manifest lists them: an exposure's parents are
 * what it depends on, it has no children, and it is a child of each parent. Exposures are not run, so the
 * graph the scheduler walks (`ProjectGraph`) leaves them out; selection and manifest.json use these maps.
 * Returns the graph's own maps when the project has no exposures.
 */
export function mapsWithExposures(graph: ProjectGraph): { parentMap: Record<string, string[]>; childMap: Record<string, string[]> } {
  const exposures = Object.values(graph.manifest.exposures ?? {});
  if (!exposures.length) return { parentMap: graph.parentMap, childMap: graph.childMap };
  const parentMap = { ...graph.parentMap };
  const childMap = { ...graph.childMap };
  for (const e of exposures) {
    parentMap[e.uniqueId] = e.dependsOn.nodes;
    childMap[e.uniqueId] = [];
    for (const p of e.dependsOn.nodes) childMap[p] = [...(childMap[p] ?? []), e.uniqueId].sort();
  }
  return { parentMap, childMap };
}
