import type { Manifest, ManifestNode, SourceDefinition } from '../parse/types.js';
import { exposureJson, nodeJson, sourceJson } from './manifest-writer.js';
import { groupJson } from './group-json.js';
import { groupOf } from '../parse/access-checks.js';

/**
 * dbt's `graph` template variable: the project's nodes, sources, exposures and groups as manifest.json has them
 * (`graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')`). Each part is built when a
 * template first reads it, so commands whose templates never do pay nothing.
 */
export function graphContext(manifest: Manifest, relationName: (n: ManifestNode | SourceDefinition) => string | null): Record<string, unknown> {
  let nodes: Record<string, unknown> | undefined;
  let sources: Record<string, unknown> | undefined;
  let exposures: Record<string, unknown> | undefined;
  let groups: Record<string, unknown> | undefined;
  return {
    get nodes(): Record<string, unknown> {
      nodes ??= Object.fromEntries(Object.values(manifest.nodes).filter((n) => n.resourceType !== 'unit_test').map((n) => [n.uniqueId, nodeJson(n, relationName(n), groupOf(n, manifest.nodes) ?? null, manifest.packageDirs)]));
      return nodes;
    },
    get sources(): Record<string, unknown> {
      sources ??= Object.fromEntries(Object.values(manifest.sources).map((s) => [s.uniqueId, sourceJson(s, relationName(s), manifest.packageDirs)]));
      return sources;
    },
    get exposures(): Record<string, unknown> {
      exposures ??= Object.fromEntries(Object.values(manifest.exposures ?? {}).map((e) => [e.uniqueId, exposureJson(e, manifest.packageDirs)]));
      return exposures;
    },
    get groups(): Record<string, unknown> {
      groups ??= Object.fromEntries(Object.values(manifest.groups ?? {}).map((g) => [g.uniqueId, groupJson(g, manifest.packageDirs)]));
      return groups;
    },
    metrics: {},
    semantic_models: {},
    saved_queries: {},
  };
}
