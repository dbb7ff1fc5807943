import type { Manifest } from '../parse/index.js';

/** Kinds whose file is their whole body: an empty one has nothing to build. */
const FILE_BODIED = new Set(['model', 'snapshot', 'analysis']);

/**
 * The ids without empty nodes (a model file of only whitespace), as dbt's run, build, seed, snapshot and
 * test leave them out of the graph they execute (`ls` and `docs generate` still list them).
 */
export function withoutEmptyNodes(manifest: Pick<Manifest, 'nodes'>, ids: string[]): string[] {
  return ids.filter((id) => {
    const node = manifest.nodes[id];
    return !node || !FILE_BODIED.has(node.resourceType) || node.rawCode.trim() !== '';
  });
}
