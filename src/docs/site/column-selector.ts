// `column:` in the selector box: the same column graph and address rules as `strata ls --select column:…`
// (src/lineage/column-graph.ts, column-address.ts: pure code, bundled), over the site's embedded lineage.json.
import { ColumnGraph } from '../../lineage/column-graph.js';
import { resolveColumnAddress, type AddressableNode } from '../../lineage/column-address.js';
import type { LineageArtifact } from '../../lineage/types.js';
import type { ColumnSelector } from '../../select/select-nodes.js';
import type { LineageFile } from '../site-types.js';
import type { AppData } from './app-data.js';

/** The nodes a column address may name, as the CLI names them (a version other than the latest as `name.v2`). */
function addressable(app: AppData): AddressableNode[] {
  const out: AddressableNode[] = [];
  for (const n of app.data.nodes) {
    if (n.type === 'source') out.push({ uniqueId: n.id, resourceType: 'source', name: n.name, sourceName: String(n.extra.sourceName) });
    else if (['model', 'seed', 'snapshot'].includes(n.type)) {
      const { version, latestVersion } = n.extra;
      out.push({ uniqueId: n.id, resourceType: n.type, name: version !== undefined && version !== latestVersion ? `${n.name}.v${String(version)}` : n.name });
    }
  }
  return out;
}

/** A `column:` selector over lineage.json, its graph built on first use; an unknown column throws, as the CLI's. */
export function siteColumnSelector(app: AppData, lineage: LineageFile): ColumnSelector {
  let graph: ColumnGraph | undefined;
  let nodes: AddressableNode[] = [];
  return (address, up, down) => {
    if (!graph) {
      const artifact = { metadata: lineage.metadata, nodes: Object.fromEntries(Object.entries(lineage.nodes).map(([id, l]) => [id, { ...l, filters: l.filters ?? [] }])) } as unknown as LineageArtifact;
      // The catalog's columns (those with a warehouse type), as the CLI gives its graph catalog.json's.
      const known = Object.fromEntries(app.data.nodes.filter((n) => n.columns.some((c) => c.type !== undefined)).map((n) => [n.id, n.columns.filter((c) => c.type !== undefined).map((c) => c.name.toLowerCase())]));
      graph = new ColumnGraph(artifact, known);
      nodes = addressable(app);
    }
    const ref = resolveColumnAddress(address, nodes, graph);
    if ('error' in ref) throw new Error(`${ref.error}${ref.hint ? ` (${ref.hint})` : ''}`);
    return graph.selectNodes(ref, up, down);
  };
}
