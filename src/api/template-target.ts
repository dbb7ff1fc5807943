import { conventionsOf } from '../adapters/registry.js';
import { targetView } from '../project/target-view.js';
import type { LoadedProject } from '../project/types.js';

/** The `target` object templates see (project/target-view.ts), with the warehouse's default database. */
export function templateTarget(project: LoadedProject): Record<string, unknown> {
  // Made once when the project was loaded (its YAML values render with it); a project built by hand has none.
  if (project.targetView) return project.targetView;
  return targetView(project.target, project.config.profile, (type, settings) => conventionsOf(type)?.templateDatabase?.(settings));
}
