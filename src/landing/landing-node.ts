import type { ManifestNode, SourceDefinition } from '../parse/types.js';
import { finalConfig } from '../parse/node-config.js';

/** The graph node that fills a source declared with `external:`; models reading the source depend on it. */
export function landingNodeFor(source: SourceDefinition, projectName: string): ManifestNode {
  const name = `${source.sourceName}.${source.name}`;
  return {
    uniqueId: `landing.${projectName}.${source.sourceName}.${source.name}`,
    resourceType: 'landing',
    packageName: projectName,
    name,
    path: source.path,
    originalFilePath: source.originalFilePath,
    fqn: [projectName, source.sourceName, source.name],
    language: 'sql',
    rawCode: '',
    checksum: { name: 'sha256', checksum: '' },
    config: finalConfig('landing', source.config),
    unrenderedConfig: {},
    tags: source.tags,
    description: source.description,
    columns: source.columns,
    meta: source.meta,
    refs: [],
    sources: [],
    dependsOn: { nodes: [source.uniqueId], macros: [] },
    database: source.database,
    schema: source.schema,
    alias: source.identifier,
    extra: { sourceId: source.uniqueId, external: source.external },
  };
}
