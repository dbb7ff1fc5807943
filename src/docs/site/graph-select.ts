// The lineage graph is filtered with Strata's own selector code (src/select/), bundled for the browser:
// this file only builds the graph shape that code reads from the embedded data.
import { selectNodes } from '../../select/select-nodes.js';
import type { ProjectGraph } from '../../graph/types.js';
import type { LineageFile, SiteNode } from '../site-types.js';
import type { ColumnSelector } from '../../select/select-nodes.js';
import { siteColumnSelector } from './column-selector.js';
import { GRAPH_TYPES, type AppData } from './app-data.js';

function item(n: SiteNode): Record<string, unknown> {
  const it: Record<string, unknown> = {
    uniqueId: n.id, resourceType: n.type, name: n.name, fqn: n.fqn, packageName: n.packageName, tags: n.tags,
    originalFilePath: n.path, config: n.config, version: n.extra.version, latestVersion: n.extra.latestVersion,
  };
  if (n.type === 'source') it.sourceName = n.extra.sourceName;
  if (n.type === 'test') it.testMetadata = n.extra.testMetadata;
  if (n.type === 'exposure') it.dependsOn = { nodes: n.parents };
  return it;
}

/** Selects graph nodes with a selector string; errors come back as messages for the page. */
export class GraphSelector {
  private readonly graph: ProjectGraph;
  /** `column:` selectors, over the site's lineage.json. */
  private readonly columns: ColumnSelector;

  constructor(private readonly app: AppData, lineage?: LineageFile) {
    this.columns = lineage ? siteColumnSelector(app, lineage) : () => {
      throw new Error('this site has no column lineage (target/lineage.json): run `strata docs generate` after a build');
    };
    const nodes: Record<string, unknown> = {};
    const sources: Record<string, unknown> = {};
    const exposures: Record<string, unknown> = {};
    const parentMap: Record<string, string[]> = {};
    const childMap: Record<string, string[]> = {};
    const order: string[] = [];
    for (const n of app.data.nodes) {
      if (n.type === 'macro') continue;
      const target = n.type === 'source' ? sources : n.type === 'exposure' ? exposures : nodes;
      target[n.id] = item(n);
      if (n.type === 'exposure') continue; // joined in by the selector code, as the CLI does
      order.push(n.id);
      parentMap[n.id] = n.parents;
      childMap[n.id] = n.children.filter((c) => app.node(c)?.type !== 'exposure');
    }
    this.graph = { manifest: { nodes, sources, exposures } as unknown as ProjectGraph['manifest'], graph: undefined as unknown as ProjectGraph['graph'], parentMap, childMap, order };
  }

  /** selector text → graph node ids (no tests, no macros), or the selector's error. */
  select(text: string): { ids: string[]; errors: string[]; warnings: string[] } {
    const tokens = text.trim();
    if (!tokens) return { ids: [], errors: [], warnings: [] };
    const { ids, diagnostics } = selectNodes(this.graph, { select: [tokens], indirectSelection: 'empty', columns: this.columns });
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.message}${d.hint ? ` — ${d.hint}` : ''}`);
    const warnings = diagnostics.filter((d) => d.severity !== 'error').map((d) => d.message);
    return { ids: ids.filter((id) => GRAPH_TYPES.has(this.app.node(id)?.type ?? '')), errors, warnings };
  }
}
