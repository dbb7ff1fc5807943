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

/** A value's origins, and its fields when it is a struct built in the query tree being traced. */
export interface Value {
  origins: Origin[];
  /** Field name (lower-cased) → the field's value; absent for a struct read from a relation (known only whole). */
  fields?: Map<string, Value>;
}

/** An output column of a query, CTE, subquery or relation. */
export interface OutColumn extends Value {
  name: string;
}

/**
 * A field path into a value (`s.b`, `s['b']`, `info.inner.st`): the field's own origins where the struct was
 * built in the query tree; otherwise the whole of what is known, as computed from it (a struct read from a
 * relation, or a field it was not built with).
 */
export function fieldPath(value: Value, path: string[]): Value {
  let at = value;
  for (const field of path) {
    const next = at.fields?.get(field);
    if (!next) return { origins: atLeast(at.origins, 2) };
    at = next;
  }
  return at;
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
