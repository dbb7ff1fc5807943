import type { Connection, Dialect, ExistingRelation, Relation } from '../adapters/contract.js';
import type { TemplateWarehouse } from '../templating/types.js';

/** What exists in the warehouse before the run: for `is_incremental()` and choosing drop verbs. */
export class WarehouseState {
  private readonly known = new Map<string, ExistingRelation>();

  static key(r: Relation): string {
    return `${r.database ?? ''}.${r.schema}.${r.identifier}`.toLowerCase();
  }

  static async introspect(connection: Connection, schemas: Iterable<{ schema: string; database?: string }>): Promise<WarehouseState> {
    const state = new WarehouseState();
    const seen = new Set<string>();
    for (const s of schemas) {
      const k = `${s.database ?? ''}.${s.schema}`;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const rel of await connection.listRelations(s.schema, s.database)) state.known.set(WarehouseState.key(rel), rel);
    }
    return state;
  }

  get(relation: Relation): ExistingRelation | undefined {
    return this.known.get(WarehouseState.key(relation));
  }
}

/** The templating stage's view of a connection (`run_query`, `adapter.get_columns_in_relation`). */
export function templateWarehouse(connection: Connection, dialect: Dialect): TemplateWarehouse {
  void dialect;
  return {
    query: (sql) => connection.query(sql),
    getColumns: (relation) => connection.getColumns(relation),
    relationExists: async (relation) => (await connection.getRelation(relation)) !== undefined,
    execute: (sql) => connection.execute(sql),
  };
}
