import type { LineageEdge, LineageFile } from '../site-types.js';

/** A column of a node, as one key. */
export const colKey = (node: string, column: string) => `${node}\u0000${column.toLowerCase()}`;

export interface ColumnPath {
  /** Column keys on the path, the start included. */
  columns: Set<string>;
  /** Column edges on the path: [upstream key, downstream key, kind]. */
  edges: [string, string, string][];
  /** Node ids on the path. */
  nodes: Set<string>;
  /** Column key → the column's name as lineage.json spells it. */
  names: Map<string, string>;
}

/** Walks lineage.json from one column: every upstream column it derives from, and every column derived from it. */
export class ColumnLineage {
  private readonly downstream = new Map<string, { node: string; column: string; kind: string }[]>();

  constructor(readonly file: LineageFile) {
    for (const [node, entry] of Object.entries(file.nodes)) {
      for (const [column, c] of Object.entries(entry.columns ?? {})) {
        for (const up of c.upstream ?? []) {
          const key = colKey(up.node, up.column);
          this.downstream.set(key, [...(this.downstream.get(key) ?? []), { node, column, kind: up.kind }]);
        }
      }
    }
  }

  upstreamOf(node: string, column: string): LineageEdge[] {
    const cols = this.file.nodes[node]?.columns ?? {};
    const found = cols[column] ?? Object.entries(cols).find(([k]) => k.toLowerCase() === column.toLowerCase())?.[1];
    return found?.upstream ?? [];
  }

  downstreamOf(node: string, column: string): LineageEdge[] {
    return this.downstream.get(colKey(node, column)) ?? [];
  }

  /** The column's whole path: upstream to sources and seeds, downstream to the last model that uses it. */
  path(node: string, column: string): ColumnPath {
    const start = colKey(node, column);
    const out: ColumnPath = { columns: new Set([start]), edges: [], nodes: new Set([node]), names: new Map([[start, column]]) };
    const walk = (dir: 'up' | 'down') => {
      const queue: [string, string][] = [[node, column]];
      const seen = new Set([start]);
      while (queue.length) {
        const [n, c] = queue.shift()!;
        const next = dir === 'up' ? this.upstreamOf(n, c) : this.downstreamOf(n, c);
        for (const e of next) {
          const key = colKey(e.node, e.column);
          out.edges.push(dir === 'up' ? [key, colKey(n, c), e.kind] : [colKey(n, c), key, e.kind]);
          out.columns.add(key);
          out.nodes.add(e.node);
          if (!out.names.has(key)) out.names.set(key, e.column);
          if (!seen.has(key)) {
            seen.add(key);
            queue.push([e.node, e.column]);
          }
        }
      }
    };
    walk('up');
    walk('down');
    return out;
  }
}
