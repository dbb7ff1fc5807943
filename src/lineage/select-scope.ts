import { atLeast, mergeOrigins, type Origin, type Shape } from './origins.js';
import type { ModelTrace } from './model-trace.js';

/** A relation in a FROM clause: its name in this query and the columns it offers. */
export interface FromItem {
  alias: string;
  /** The table's name parts when it is a table (so `schema.table.column` resolves too). */
  tableParts?: string[];
  shape: Shape;
}

/**
 * The names visible in one SELECT: its FROM items, USING columns, earlier select-list aliases (DuckDB's
 * lateral aliases; also what WHERE, GROUP BY and QUALIFY may name), then the enclosing query's (correlated).
 */
export class SelectScope {
  readonly items: FromItem[] = [];
  /** USING column → the items it joins: the name is both sides at once. */
  readonly using = new Map<string, FromItem[]>();
  readonly aliases = new Map<string, Origin[]>();

  constructor(readonly trace: ModelTrace, readonly parent?: SelectScope) {}

  itemFor(qualifier: string[]): FromItem | undefined {
    if (qualifier.length === 1) {
      const byAlias = this.items.filter((i) => i.alias === qualifier[0]);
      if (byAlias.length) return byAlias[byAlias.length - 1];
    }
    return this.items.find((i) => i.tableParts && i.tableParts.length >= qualifier.length && qualifier.every((q, k) => i.tableParts![i.tableParts!.length - qualifier.length + k] === q));
  }

  /** A column reference (`c`, `t.c`, `s.t.c`, `t.c.field`) → its origins; undefined when nothing here has it. */
  resolve(parts: string[]): Origin[] | undefined {
    const found = this.resolveHere(parts);
    return found ?? this.parent?.resolve(parts);
  }

  private resolveHere(parts: string[]): Origin[] | undefined {
    if (parts.length === 1) return this.resolveName(parts[0]!);
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const item = this.itemFor(parts.slice(0, k));
      if (!item) continue;
      const origins = columnOf(item, parts[k]!);
      if (origins) return parts.length > k + 1 ? atLeast(origins, 2) : origins;
    }
    // BigQuery's struct fields: `address.city` where address is a column.
    const struct = this.resolveName(parts[0]!);
    return struct ? atLeast(struct, 2) : undefined;
  }

  private resolveName(name: string): Origin[] | undefined {
    const joined = this.using.get(name);
    if (joined) return mergeOrigins(...joined.map((i) => columnOf(i, name) ?? []));
    const known = this.items.filter((i) => i.shape.columns.some((c) => c.name === name));
    if (known.length === 1) return columnOf(known[0]!, name);
    if (known.length > 1) {
      this.trace.problem(`column ${name} is ambiguous between ${known.map((i) => i.alias).join(', ')}`);
      return [];
    }
    const alias = this.aliases.get(name);
    if (alias) return alias;
    const open = this.items.filter((i) => i.shape.open);
    if (open.length === 1) return open[0]!.shape.open!(name);
    if (open.length > 1) {
      const hits = open.map((i) => ({ i, o: i.shape.open!(name) })).filter((h) => h.o !== undefined);
      if (hits.length === 1) return hits[0]!.o;
      if (hits.length > 1) {
        this.trace.problem(`cannot tell which of ${hits.map((h) => h.i.alias).join(', ')} has column ${name}: their columns are unknown`);
        return [];
      }
    }
    return undefined;
  }
}

/** The origins of one column of a FROM item, if it has it. */
export function columnOf(item: FromItem, name: string): Origin[] | undefined {
  const col = item.shape.columns.find((c) => c.name === name);
  if (col) return col.origins;
  return item.shape.open?.(name);
}
