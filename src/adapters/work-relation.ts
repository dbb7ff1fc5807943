import type { Dialect, Relation } from './contract.js';

/** The suffix of a model's staging table: its new rows (incremental) or its new version (snapshot, quarantine). */
export const STAGING_SUFFIX = '__strata_tmp';

/**
 * A node's work table (`<model><suffix>`): session-temporary where the warehouse has such tables (written
 * to neither the database file nor its log, invisible to other connections, gone with the connection),
 * else beside the model's relation.
 */
export function workRelation(dialect: Dialect, relation: Relation, suffix: string): Relation {
  const identifier = `${relation.identifier}${suffix}`;
  return dialect.temporaryRelation?.(identifier) ?? { ...relation, identifier };
}

/** Whether `relation` is a session-temporary work table: the catalog and the run's relation cache do not know it. */
export function isTemporary(dialect: Dialect, relation: Relation): boolean {
  const t = dialect.temporaryRelation?.(relation.identifier);
  return !!t && t.database === relation.database && t.schema === relation.schema;
}
