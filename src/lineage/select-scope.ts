import { fieldPath, mergeOrigins, type Origin, type Shape, type Value } from './origins.js';
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
  readonly aliases = new Map<string, Value>();

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
    return this.resolveValue(parts)?.origins;
  }

  /** As `resolve`, with the fields of a struct built in the query tree (so `s.b` is `b`'s own column). */
  resolveValue(parts: string[]): Value | undefined {
    return this.resolveHere(parts) ?? this.parent?.resolveValue(parts);
  }

  private resolveHere(parts: string[]): Value | undefined {
    if (parts.length === 1) return this.resolveName(parts[0]!);
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const item = this.itemFor(parts.slice(0, k));
      if (!item) continue;
      const column = columnValueOf(item, parts[k]!);
      if (column) return fieldPath(column, parts.slice(k + 1));
    }
    // Struct fields: `address.city` where address is a column.
    const struct = this.resolveName(parts[0]!);
    return struct ? fieldPath(struct, parts.slice(1)) : undefined;
  }

  private resolveName(name: string): Value | undefined {
    const joined = this.using.get(name);
    if (joined) return { origins: mergeOrigins(...joined.map((i) => columnOf(i, name) ?? [])) };
    const known = this.items.filter((i) => i.shape.columns.some((c) => c.name === name));
    if (known.length === 1) return columnValueOf(known[0]!, name);
    if (known.length > 1) {
      this.trace.problem(`column ${name} is ambiguous between ${known.map((i) => i.alias).join(', ')}`);
      return { origins: [] };
    }
    const alias = this.aliases.get(name);
    if (alias) return alias;
    const open = this.items.filter((i) => i.shape.open);
    if (open.length === 1) {
      const origins = open[0]!.shape.open!(name);
      return origins && { origins };
    }
    if (open.length > 1) {
      const hits = open.map((i) => ({ i, o: i.shape.open!(name) })).filter((h) => h.o !== undefined);
      if (hits.length === 1) return { origins: hits[0]!.o! };
      if (hits.length > 1) {
        this.trace.problem(`cannot tell which of ${hits.map((h) => h.i.alias).join(', ')} has column ${name}: their columns are unknown`);
        return { origins: [] };
      }
    }
    return undefined;
  }
}

/** One column of a FROM item with its struct fields, if the item has it. */
function columnValueOf(item: FromItem, name: string): Value | undefined {
  const col = item.shape.columns.find((c) => c.name === name);
  if (col) return col;
  const origins = item.shape.open?.(name);
  return origins && { origins };
}

/** The origins of one column of a FROM item, if it has it. */
export function columnOf(item: FromItem, name: string): Origin[] | undefined {
  const col = item.shape.columns.find((c) => c.name === name);
  if (col) return col.origins;
  return item.shape.open?.(name);
}
