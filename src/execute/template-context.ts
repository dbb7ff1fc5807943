import { graphContext } from '../artifacts/index.js';
import { RelationIndex } from '../compile/index.js';
import type { ManifestNode, SourceDefinition } from '../parse/types.js';
import type { RunRenderContext } from '../templating/types.js';
import type { RunProject } from './types.js';

/** A node's relation as manifest.json names it (`relation_name`); none for tests, ephemerals and landings. */
export function relationNamer(p: RunProject): (n: ManifestNode | SourceDefinition) => string | null {
  let relations: RelationIndex | undefined;
  return (n) => {
    if (n.resourceType !== 'source' && (n.resourceType === 'test' || n.resourceType === 'unit_test' || n.resourceType === 'landing' || n.config.materialized === 'ephemeral')) return null;
    relations ??= new RelationIndex(p.graph.manifest);
    return p.adapter.dialect.renderRelation(relations.relationOf(n));
  };
}

/** What templates see of the whole command: dbt's `graph` (built when first read) and `selected_resources`. */
export function templateContext(p: RunProject, selected: string[]): Pick<RunRenderContext, 'graph' | 'selectedResources'> {
  return { graph: graphContext(p.graph.manifest, relationNamer(p)), selectedResources: selected };
}
