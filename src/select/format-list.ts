import type { ProjectGraph } from '../graph/types.js';
import { dbtFilePath } from '../parse/index.js';

/** `strata ls` lines, like dbt's: selector (fqn), name, path, or one JSON object per line (`keys`: only those, in that order). */
export function formatList(graph: ProjectGraph, ids: string[], output: 'name' | 'path' | 'json' | 'selector', keys?: string[]): string[] {
  return ids.map((id) => {
    const node = graph.manifest.nodes[id];
    const source = graph.manifest.sources[id];
    const exposure = node || source ? undefined : graph.manifest.exposures[id];
    const item = node ?? source ?? exposure!;
    // dbt's paths: a package's files relative to the package (`path:` selects by the path from the project root).
    const dirs = graph.manifest.packageDirs;
    const originalFilePath = dbtFilePath(dirs, item.packageName, item.originalFilePath);
    if (output === 'name') return item.name;
    if (output === 'path') return originalFilePath;
    if (output === 'json') {
      const all: Record<string, unknown> = {
        name: item.name,
        resource_type: item.resourceType,
        ...(source ? { source_name: source.sourceName } : {}),
        package_name: item.packageName,
        original_file_path: originalFilePath,
        unique_id: item.uniqueId,
        alias: node?.alias ?? source?.identifier ?? null,
        config: item.config,
        tags: item.tags,
        depends_on: { nodes: exposure?.dependsOn.nodes ?? graph.parentMap[id] ?? [] },
      };
      if (!keys?.length) return JSON.stringify(all);
      const extra: Record<string, unknown> = {
        fqn: item.fqn, description: item.description ?? '', path: dbtFilePath(dirs, item.packageName, (item as { path?: string }).path ?? item.originalFilePath), unique_id: item.uniqueId,
        ...(node || source ? { database: (node ?? source)!.database ?? null, schema: (node ?? source)!.schema } : {}),
        ...(node?.version !== undefined ? { version: node.version } : {}),
        meta: (item as { meta?: unknown }).meta ?? {},
      };
      return JSON.stringify(Object.fromEntries(keys.filter((k) => k in all || k in extra).map((k) => [k, k in all ? all[k] : extra[k]])));
    }
    return source ? `source:${source.fqn.join('.')}` : exposure ? `exposure:${exposure.fqn.join('.')}` : item.fqn.join('.');
  });
}
