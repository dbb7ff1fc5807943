import dagre from '@dagrejs/dagre';
import { displayName, type AppData } from './app-data.js';

export interface LaidNode {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Column names drawn under the label (column lineage). */
  columns: string[];
}
export interface LaidEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}
export interface Layout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

const CHAR = 7.2;
const LINE = 16;

/** Above this many nodes dagre's cheaper settings are used (see layoutGraph). */
export const LARGE_LAYOUT = 200;

/**
 * Lays out the selected nodes left to right with dagre. A large selection (a source feeding hundreds of
 * models) uses dagre's longest-path ranker instead of network simplex and keeps dagre's first ordering
 * instead of its crossing-reduction sweeps: those two are what made a 700-node `+source+` take seconds.
 */
export function layoutGraph(app: AppData, ids: string[], columns: Map<string, string[]> = new Map()): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, edgesep: 8, marginx: 20, marginy: 20, ranker: ids.length > LARGE_LAYOUT ? 'longest-path' : 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  const wanted = new Set(ids);
  for (const id of ids) {
    const n = app.node(id)!;
    const cols = columns.get(id) ?? [];
    const longest = Math.max(displayName(n).length, ...cols.map((c) => c.length + 2));
    g.setNode(id, { width: Math.max(90, longest * CHAR + 28), height: 30 + cols.length * LINE });
  }
  for (const id of ids) for (const p of app.node(id)!.parents) if (wanted.has(p) && p !== id) g.setEdge(p, id);
  dagre.layout(g, { disableOptimalOrderHeuristic: ids.length > LARGE_LAYOUT });
  const nodes: LaidNode[] = ids.map((id) => {
    const d = g.node(id);
    return { id, label: displayName(app.node(id)!), x: d.x, y: d.y, width: d.width, height: d.height, columns: columns.get(id) ?? [] };
  });
  const edges: LaidEdge[] = g.edges().map((e: { v: string; w: string }) => ({ from: e.v, to: e.w, points: (g.edge(e) as { points?: { x: number; y: number }[] }).points ?? [] }));
  const info = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: info.width ?? 0, height: info.height ?? 0 };
}
