import { edgesOf, type Shape } from './origins.js';
import type { KnownRelation, NodeLineage } from './types.js';

interface Traced {
  shape: Shape;
  lineage: NodeLineage;
}

function keysOf(r: KnownRelation): string[] {
  const base = `${r.schema}.${r.identifier}`.toLowerCase();
  return r.database ? [base, `${r.database}.${base}`.toLowerCase()] : [base];
}

/** Display name of a node id for reasons: `model.p.x` → `x`, `source.p.s.t` → `source s.t`. */
export function displayName(id: string): string {
  const parts = id.split('.');
  return parts[0] === 'source' ? `source ${parts.slice(2).join('.')}` : parts.slice(2).join('.');
}

/**
 * The project's relations by name, and the columns each offers to the models that read it: a traced
 * model's output columns, else the catalog's (or a seed's CSV header), else an open list.
 */
export class NodeRegistry {
  private readonly byKey = new Map<string, KnownRelation[]>();
  private readonly byIdentifier = new Map<string, KnownRelation[]>();
  private readonly byId = new Map<string, KnownRelation>();
  private readonly traced = new Map<string, Traced>();

  constructor(relations: KnownRelation[], private readonly ephemerals: Record<string, string> = {}) {
    for (const r of relations) {
      this.byId.set(r.uniqueId, r);
      for (const k of keysOf(r)) this.byKey.set(k, [...(this.byKey.get(k) ?? []), r]);
      const id = r.identifier.toLowerCase();
      this.byIdentifier.set(id, [...(this.byIdentifier.get(id) ?? []), r]);
    }
  }

  relation(id: string): KnownRelation | undefined {
    return this.byId.get(id);
  }

  /**
   * The node a table name in compiled SQL reads, if it is one of the project's. When two nodes share a
   * relation (a source declared over a seed's table), the reading model's parent wins.
   */
  tableFor(parts: string[], parents: string[] = []): KnownRelation | undefined {
    const candidates = parts.length >= 2
      ? this.byKey.get(parts.slice(-3).join('.')) ?? this.byKey.get(parts.slice(-2).join('.')) ?? []
      : this.byIdentifier.get(parts[0] ?? '') ?? [];
    if (candidates.length <= 1) return candidates[0];
    return candidates.find((c) => parents.includes(c.uniqueId)) ?? (parts.length >= 2 ? candidates[0] : undefined);
  }

  /** The ephemeral model a `__dbt__cte__<name>` CTE inlines. */
  ephemeralFor(cteName: string): string | undefined {
    return cteName.startsWith('__dbt__cte__') ? this.ephemerals[cteName.slice('__dbt__cte__'.length)] : undefined;
  }

  record(id: string, shape: Shape, lineage: NodeLineage): void {
    this.traced.set(id, { shape, lineage });
  }

  lineageOf(id: string): NodeLineage | undefined {
    return this.traced.get(id)?.lineage;
  }

  /** The columns node `id` offers, each an origin pointing at that node. */
  shapeOf(id: string): Shape {
    const own = (name: string) => [{ node: id, column: name, rank: 0 as const }];
    const traced = this.traced.get(id);
    if (traced) {
      const shape: Shape = { columns: traced.shape.columns.map((c) => ({ name: c.name, origins: own(c.name) })) };
      const open = traced.shape.open;
      if (open) {
        shape.openReason = traced.shape.openReason;
        // A column read downstream that the node's own star passes through: added to its lineage then.
        shape.open = (name) => {
          if (!traced.lineage.columns[name]) {
            const origins = open(name);
            if (!origins) return undefined;
            traced.lineage.columns[name] = { upstream: edgesOf(origins, name) };
          }
          return own(name);
        };
      }
      return shape;
    }
    const columns = this.byId.get(id)?.columns;
    if (columns) return { columns: columns.map((c) => ({ name: c, origins: own(c) })) };
    return { columns: [], open: own, openReason: `${displayName(id)}, whose columns are unknown (no catalog entry: run \`strata docs generate\` after a build)` };
  }
}
