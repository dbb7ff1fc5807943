/** Groups in manifest.json as dbt writes them: `groups` (`group.<package>.<name>`) and `group_map`. */
import type { GroupDefinition, Manifest } from '../parse/types.js';
import { groupOf } from '../parse/access-checks.js';
import { dbtFilePath, type PackageDirs } from '../parse/package-paths.js';

/** A group as dbt writes it: the owner's extra keys (slack, github, …) beside its name and email. */
export function groupJson(g: GroupDefinition, dirs?: PackageDirs): Record<string, unknown> {
  return {
    name: g.name,
    resource_type: 'group',
    package_name: g.packageName,
    path: dbtFilePath(dirs, g.packageName, g.path),
    original_file_path: dbtFilePath(dirs, g.packageName, g.originalFilePath),
    unique_id: g.uniqueId,
    owner: { ...g.owner, email: g.owner.email ?? null, name: g.owner.name ?? null },
    description: g.description ?? null,
    config: { meta: g.config.meta },
  };
}

/** dbt's `group_map`: each group's name → the unique ids of the enabled nodes in it (every group listed, empty or not). */
export function groupMap(manifest: Manifest): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const g of Object.values(manifest.groups ?? {})) map[g.name] = [];
  if (!Object.keys(map).length) return map;
  for (const node of Object.values(manifest.nodes)) {
    if (node.resourceType === 'unit_test') continue;
    const group = groupOf(node, manifest.nodes);
    if (group !== undefined) map[group]?.push(node.uniqueId);
  }
  return map;
}
