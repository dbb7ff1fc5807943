import { UserError } from '../diagnostics/index.js';
import type { ColumnDef, QueryResult, Relation } from '../adapters/contract.js';
import type { TemplateWarehouse } from '../templating/types.js';

/** The code of the compile failure a lineage render gives when its SQL needs a warehouse it does not have. */
export const NEEDS_WAREHOUSE = 'lineage-needs-warehouse';

/**
 * The warehouse of a command that has one open (`docs generate`): the answers its compile got to each query a
 * template ran, by SQL text, and the warehouse itself for metadata (columns, existence) of other relations.
 * Lineage never runs a query itself: a template's `run_query` may write, and must not run twice.
 */
export interface LiveWarehouse {
  answers: Map<string, QueryResult>;
  metadata: TemplateWarehouse;
}

/** A relation of the project (a model, seed, snapshot or source) and its columns in the catalog, if it has them. */
export interface CatalogRelation {
  relation: Relation;
  columns?: ColumnDef[];
}

const keyOf = (r: Relation): string => `${r.schema}\u0000${r.identifier}`.toLowerCase();

function sameRelation(a: Relation, b: Relation): boolean {
  if (keyOf(a) !== keyOf(b)) return false;
  return a.database === undefined || b.database === undefined || a.database.toLowerCase() === b.database.toLowerCase();
}

/**
 * What a model's SQL sees of the warehouse when it is compiled for column lineage: `execute` is true, as in the
 * build (dbt compiles with it), and the build being traced is a first full one. Columns of the project's
 * relations come from the catalog; the node's own relation does not exist yet. A `run_query` gets the answer the
 * command's compile got to the same SQL, and a relation outside the project is asked of `live`'s warehouse;
 * anything else (no such answer, no warehouse, a relation the catalog lacks) fails the render with
 * NEEDS_WAREHOUSE: the model is then untraced, never traced from other SQL (but the SQL a `docs generate` compiled
 * with the warehouse, while the model is unchanged: lineage-reuse.ts). `usedLive` is called when `live` answers.
 */
export function lineageWarehouse(known: CatalogRelation[], self: Relation, live?: LiveWarehouse, usedLive: () => void = () => undefined): TemplateWarehouse {
  const find = (r: Relation): CatalogRelation | undefined => known.find((k) => sameRelation(k.relation, r));
  const needs = async (what: string): Promise<never> => {
    throw new UserError({ code: NEEDS_WAREHOUSE, severity: 'error', message: `its SQL reads the warehouse when compiled (${what})${live ? '' : ', and there is none to ask'}`, file: 'lineage', hint: live ? 'build its parents first, so that the warehouse can answer' : 'run `strata docs generate` (after building its parents): it traces the model with the warehouse, and `strata lineage` and `--select column:` then trace the SQL it compiled, while the model and its macros are unchanged' });
  };
  const name = (r: Relation): string => [r.database, r.schema, r.identifier].filter(Boolean).join('.');
  return {
    query: async (sql) => {
      const answer = live?.answers.get(sql);
      if (answer) usedLive();
      return answer ?? needs(`run_query: ${sql.trim().split('\n')[0]!.slice(0, 80)}${live ? ', which the compile of this command did not run' : ''}`);
    },
    getColumns: async (relation) => {
      if (sameRelation(relation, self)) return [];
      const found = find(relation);
      if (found?.columns) return found.columns;
      if (live && !found) {
        usedLive();
        return live.metadata.getColumns(relation);
      }
      return needs(`the columns of ${name(relation)}, which the catalog does not have`);
    },
    relationExists: async (relation) => {
      if (sameRelation(relation, self)) return false;
      const found = find(relation);
      if (found?.columns) return true;
      if (live && !found) {
        usedLive();
        return live.metadata.relationExists(relation);
      }
      return needs(`whether ${name(relation)} exists, which the catalog does not say`);
    },
  };
}
