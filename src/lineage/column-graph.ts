import type { ColumnEdge, EdgeKind, LineageArtifact, UsageKind } from './types.js';

/** A column of a node: `{ node: 'model.p.x', column: 'email' }`. */
export interface ColumnRef {
  node: string;
  column: string;
}

/** One step of a lineage tree: a column, how it relates to its parent step, and the steps beyond it. */
export interface LineageStep extends ColumnRef {
  kind: EdgeKind;
  /** Its own steps were printed earlier in the tree (a column reached twice is expanded once). */
  seen?: true;
  children: LineageStep[];
}

const key = (r: ColumnRef): string => `${r.node}\u0000${r.column}`;

/** The column graph of a lineage artifact, walked either way. */
export class ColumnGraph {
  private readonly up = new Map<string, ColumnEdge[]>();
  private readonly down = new Map<string, (ColumnRef & { kind: EdgeKind })[]>();
  private readonly usedBy = new Map<string, { node: string; kind: UsageKind }[]>();
  private readonly columns = new Map<string, Set<string>>();

  /** `known`: columns of sources and seeds the catalog lists, which no edge may mention. */
  constructor(readonly artifact: LineageArtifact, known: Record<string, string[]> = {}) {
    const add = (node: string, column: string): void => {
      const set = this.columns.get(node) ?? new Set<string>();
      set.add(column);
      this.columns.set(node, set);
    };
    for (const [node, columns] of Object.entries(known)) for (const c of columns) add(node, c);
    for (const [node, lineage] of Object.entries(artifact.nodes)) {
      for (const [column, { upstream }] of Object.entries(lineage.columns)) {
        add(node, column);
        this.up.set(key({ node, column }), upstream);
        for (const e of upstream) {
          add(e.node, e.column);
          const k = key(e);
          this.down.set(k, [...(this.down.get(k) ?? []), { node, column, kind: e.kind }]);
        }
      }
      for (const f of lineage.filters) {
        const k = key(f);
        const list = this.usedBy.get(k) ?? [];
        if (!list.some((u) => u.node === node && u.kind === f.kind)) list.push({ node, kind: f.kind });
        this.usedBy.set(k, list);
      }
    }
  }

  has(ref: ColumnRef): boolean {
    return this.columns.get(ref.node)?.has(ref.column) ?? false;
  }

  columnsOf(node: string): string[] {
    return [...(this.columns.get(node) ?? [])];
  }

  /** The models that filter or join on a column. */
  usages(ref: ColumnRef): { node: string; kind: UsageKind }[] {
    return this.usedBy.get(key(ref)) ?? [];
  }

  /** The columns a column derives from, as a tree down to sources and seeds (`depth` steps at most). */
  upstreamTree(ref: ColumnRef, depth = Infinity): LineageStep[] {
    return this.tree(ref, (r) => this.up.get(key(r)) ?? [], depth, new Set([key(ref)]));
  }

  /** The columns derived from a column, as a tree (`depth` steps at most). */
  downstreamTree(ref: ColumnRef, depth = Infinity): LineageStep[] {
    return this.tree(ref, (r) => this.down.get(key(r)) ?? [], depth, new Set([key(ref)]));
  }

  private tree(ref: ColumnRef, next: (r: ColumnRef) => (ColumnRef & { kind: EdgeKind })[], depth: number, seen: Set<string>): LineageStep[] {
    if (depth <= 0) return [];
    return next(ref).map((e) => {
      const k = key(e);
      if (seen.has(k)) return { node: e.node, column: e.column, kind: e.kind, seen: true as const, children: [] };
      seen.add(k);
      return { node: e.node, column: e.column, kind: e.kind, children: this.tree(e, next, depth - 1, seen) };
    });
  }

  /**
   * The nodes a `column:` selector selects: the column's own node, with `up`/`down` steps of columns it
   * derives from / that derive from it (undefined: no walk; Infinity: all the way). Going down, the models that
   * filter or join on a reached column are selected too (their rows depend on it).
   */
  selectNodes(ref: ColumnRef, up: number | undefined, down: number | undefined): Set<string> {
    const out = new Set([ref.node]);
    const visit = (steps: LineageStep[], usages: boolean): void => {
      for (const s of steps) {
        out.add(s.node);
        if (usages) for (const u of this.usages(s)) out.add(u.node);
        visit(s.children, usages);
      }
    };
    if (up !== undefined) visit(this.upstreamTree(ref, up), false);
    if (down !== undefined) {
      for (const u of this.usages(ref)) out.add(u.node);
      visit(this.downstreamTree(ref, down), true);
    }
    return out;
  }
}
