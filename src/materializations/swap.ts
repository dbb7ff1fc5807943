import type { Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';

export const STAGING_SUFFIX = '__strata_tmp';

export function stagingRelation(relation: Relation): Relation {
  return { ...relation, identifier: `${relation.identifier}${STAGING_SUFFIX}` };
}

/** Drops whatever a previous, interrupted run left at the staging name. */
export async function dropStaging(connection: Connection, dialect: Dialect, staging: Relation): Promise<void> {
  const left = await connection.getRelation(staging);
  if (left) await connection.execute(dialect.dropRelation(staging, left.kind));
}

/**
 * Builds the new relation at a staging name, then swaps it in: drop the old relation and rename
 * the staging one in a single transaction. A failure (or a kill) before the commit leaves the old
 * relation and its data intact. Where `atomicReplace` holds, `create or replace` does it in one statement.
 */
export async function buildAndSwap(
  connection: Connection,
  dialect: Dialect,
  relation: Relation,
  kind: RelationKind,
  build: (target: Relation) => Promise<unknown>,
): Promise<void> {
  const existing = await connection.getRelation(relation);
  if (dialect.capabilities.atomicReplace && (!existing || existing.kind === kind)) {
    await build(relation);
    return;
  }
  if (dialect.capabilities.atomicReplace && !dialect.capabilities.transactionalDdl && existing) {
    // A view becoming a table (or back) on BigQuery: views cannot be renamed, so the old relation is
    // dropped first. Only this change of kind is not atomic there.
    await connection.execute(dialect.dropRelation(relation, existing.kind));
    await build(relation);
    return;
  }
  const staging = stagingRelation(relation);
  await dropStaging(connection, dialect, staging);
  try {
    await build(staging);
  } catch (e) {
    await dropStaging(connection, dialect, staging).catch(() => undefined);
    throw e;
  }
  const swap = async (): Promise<void> => {
    if (existing) await connection.execute(dialect.dropRelation(relation, existing.kind));
    await connection.execute(dialect.renameRelation(staging, relation.identifier, kind));
  };
  if (dialect.capabilities.transactionalDdl) await connection.transaction(swap);
  else await swap();
}
