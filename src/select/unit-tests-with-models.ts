import type { ProjectGraph } from '../graph/types.js';

/**
 * `build`'s unit tests, as dbt's (1.8 to 1.11): a unit test runs inside its model's turn, before it, so one whose
 * model is not built by the command does not run (`build -s test_type:unit` alone is "nothing to do"; `test` runs
 * unit tests on their own). Returns the ids to build and the unit tests left out.
 */
export function unitTestsWithModels(graph: Pick<ProjectGraph, 'manifest' | 'parentMap'>, ids: string[]): { ids: string[]; alone: string[] } {
  const built = new Set(ids);
  const alone = ids.filter((id) => graph.manifest.nodes[id]?.resourceType === 'unit_test' && !(graph.parentMap[id] ?? []).some((p) => built.has(p) && graph.manifest.nodes[p]?.resourceType === 'model'));
  if (!alone.length) return { ids, alone };
  const out = new Set(alone);
  return { ids: ids.filter((id) => !out.has(id)), alone };
}
