import type { Connection, ExistingRelation, Relation, RelationKind } from '../adapters/contract.js';
import type { RelationLookup } from '../materializations/index.js';

type SchemaRef = { schema: string; database?: string };

const schemaKey = (r: SchemaRef): string => `${r.database ?? ''}.${r.schema}`.toLowerCase();
const relationKey = (r: Relation): string => `${schemaKey(r)}.${r.identifier}`.toLowerCase();

/**
 * dbt's relation cache: the relations of each schema a run builds into, read from the catalog once at the
 * start of the run (one `listRelations` per schema), then kept up to date as nodes create, replace and drop
 * relations. Materializations ask it instead of the catalog, so a node costs no introspection query. A
 * relation whose state is unknown (after a failed build), or in a schema that was not read, is asked of the
 * warehouse, and the answer kept.
 *
 * Nodes run concurrently but in one JavaScript thread, and each asks only about its own relation, so a
 * plain map is enough.
 */
export class RelationCache {
  private readonly known = new Map<string, ExistingRelation>();
  private readonly schemas = new Set<string>();
  private readonly unknown = new Set<string>();

  /** Reads each schema's relations once. */
  static async load(connection: Connection, schemas: Iterable<SchemaRef>): Promise<RelationCache> {
    const cache = new RelationCache();
    for (const s of schemas) {
      const k = schemaKey(s);
      if (cache.schemas.has(k)) continue;
      for (const rel of await connection.listRelations(s.schema, s.database)) cache.known.set(relationKey(rel), rel);
      cache.schemas.add(k);
    }
    return cache;
  }

  /** What the cache holds now, without asking the warehouse (for `is_incremental()` while compiling). */
  get(relation: Relation): ExistingRelation | undefined {
    return this.known.get(relationKey(relation));
  }

  /** Whether `get` answers for this relation without asking the warehouse. */
  covers(relation: Relation): boolean {
    return this.schemas.has(schemaKey(relation)) && !this.unknown.has(relationKey(relation));
  }

  added(relation: Relation, kind: RelationKind): void {
    const k = relationKey(relation);
    this.unknown.delete(k);
    this.known.set(k, { ...relation, kind });
  }

  dropped(relation: Relation): void {
    const k = relationKey(relation);
    this.unknown.delete(k);
    this.known.delete(k);
  }

  forget(relation: Relation): void {
    const k = relationKey(relation);
    this.known.delete(k);
    this.unknown.add(k);
  }

  /** The cache as a thread's materializations use it: misses are asked on that thread's connection. */
  on(connection: Connection): RelationLookup {
    return {
      get: async (relation) => {
        if (this.covers(relation)) return this.get(relation);
        const found = await connection.getRelation(relation);
        if (this.schemas.has(schemaKey(relation))) {
          if (found) this.added(relation, found.kind);
          else this.dropped(relation);
        }
        return found;
      },
      added: (relation, kind) => this.added(relation, kind),
      dropped: (relation) => this.dropped(relation),
      forget: (relation) => this.forget(relation),
    };
  }
}
