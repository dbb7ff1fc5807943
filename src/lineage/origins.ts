import type { ColumnEdge, EdgeKind } from './types.js';

/**
 * How far a value is from the column it came from, on a scale where the stronger wins when steps compose:
 * 0 passes it through, 1 casts it, 2 computes from it, 3 aggregates it.
 */
export type Rank = 0 | 1 | 2 | 3;

/** An upstream column reached from an expression, before the model's output name is known. */
export interface Origin {
  node: string;
  column: string;
  rank: Rank;
}

/** An output column of a query, CTE, subquery or relation. */
export interface OutColumn {
  name: string;
  origins: Origin[];
}

/** The columns a FROM item or query offers. */
export interface Shape {
  columns: OutColumn[];
  /**
   * For a relation whose full column list is unknown (a `select *` over a source with no catalog entry): the
   * origins of a column of that name, or undefined when it cannot have one. A name found this way is real
   * (the SQL reads it), so nothing is guessed; only the list is incomplete.
   */
  open?: (name: string) => Origin[] | undefined;
  /** Why the list is incomplete (set with `open`). */
  openReason?: string;
}

/** Origins raised to at least `rank` (a cast of a pass-through is a cast; of an aggregate, an aggregate). */
export function atLeast(origins: Origin[], rank: Rank): Origin[] {
  return origins.map((o) => (o.rank >= rank ? o : { ...o, rank }));
}

/** Merges origins of one column, keeping the strongest rank per upstream column. */
export function mergeOrigins(...lists: Origin[][]): Origin[] {
  const byKey = new Map<string, Origin>();
  for (const list of lists) {
    for (const o of list) {
      const key = `${o.node}\u0000${o.column}`;
      const seen = byKey.get(key);
      if (!seen || seen.rank < o.rank) byKey.set(key, o);
    }
  }
  return [...byKey.values()];
}

const KIND_OF_RANK: Record<Rank, EdgeKind> = { 0: 'direct', 1: 'cast', 2: 'derived', 3: 'aggregated' };

/** The edges of one output column: a pass-through is `direct` when the name is kept, else `renamed`. */
export function edgesOf(origins: Origin[], outputName: string): ColumnEdge[] {
  return mergeOrigins(origins)
    .map((o) => ({ node: o.node, column: o.column, kind: o.rank === 0 && o.column !== outputName ? 'renamed' as const : KIND_OF_RANK[o.rank] }))
    .sort((a, b) => (a.node === b.node ? (a.column < b.column ? -1 : 1) : a.node < b.node ? -1 : 1));
}
