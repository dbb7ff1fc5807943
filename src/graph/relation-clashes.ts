import type { Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { REFABLE } from './ref-resolver.js';

/**
 * dbt's AmbiguousAliasError: two enabled models, seeds or snapshots (versions and ephemeral models too, as
 * dbt's `_check_resource_uniqueness` compares every refable node of the manifest) that resolve to the same
 * database, schema and identifier would overwrite each other, the last one built winning. The parse stops
 * instead, naming every node of the relation and its file. `foldsCase`: the warehouse reads names without
 * regard to case (DuckDB), so `Orders` and `orders` are one relation there; BigQuery's are compared as written.
 */
export function relationClashes(nodes: Iterable<ManifestNode>, foldsCase: boolean): Diagnostic[] {
  const byRelation = new Map<string, ManifestNode[]>();
  for (const node of nodes) {
    if (!REFABLE.has(node.resourceType) || node.config.enabled === false) continue;
    const parts = [node.database ?? '', node.schema, node.alias];
    const key = JSON.stringify(foldsCase ? parts.map((p) => p.toLowerCase()) : parts);
    const list = byRelation.get(key);
    if (list) list.push(node);
    else byRelation.set(key, [node]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const list of byRelation.values()) {
    if (list.length < 2) continue;
    const [first, ...others] = list;
    const relation = [first!.database, first!.schema, first!.alias].filter((p) => p).join('.');
    const named = list.map((n) => `${n.uniqueId} (${n.originalFilePath})`).join(', ');
    diagnostics.push({
      code: 'duplicate-relation',
      severity: 'error',
      message: `${list.length} resources resolve to the same database representation "${relation}" and would overwrite each other: ${named}`,
      file: others[0]!.originalFilePath,
      line: 1,
      hint: 'change the alias, schema or database configuration of one of them (or disable one); nothing was run',
    });
  }
  return diagnostics;
}
