import type { Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';
import type { RelationLookup } from './types.js';
import { STAGING_SUFFIX, isTemporary } from '../adapters/work-relation.js';

export { STAGING_SUFFIX, isTemporary, workRelation } from '../adapters/work-relation.js';


export function stagingRelation(relation: Relation): Relation {
  return { ...relation, identifier: `${relation.identifier}${STAGING_SUFFIX}` };
}

/** Asks the warehouse itself: for callers without a run's relation cache. */
export function directLookup(connection: Connection): RelationLookup {
  return { get: (r) => connection.getRelation(r), added: () => undefined, dropped: () => undefined, forget: () => undefined };
}

/** Drops whatever a previous, interrupted run left at the staging name. */
export async function dropStaging(connection: Connection, dialect: Dialect, staging: Relation, relations: RelationLookup = directLookup(connection)): Promise<void> {
  if (isTemporary(dialect, staging)) {
    await connection.execute(dialect.dropRelation(staging, 'table'));
    return;
  }
  const left = await relations.get(staging);
  if (!left) return;
  await connection.execute(dialect.dropRelation(staging, left.kind));
  relations.dropped(staging);
}

/**
 * Replaces `relation` with what `build` creates, so that a failure (or a kill) leaves the old relation and
 * its data intact. Where `atomicReplace` holds, `build`'s `create or replace` does it in one statement; a
 * change of kind (view ↔ table) drops the old one first, in the same transaction where DDL has them.
 * Elsewhere the new relation is built at a staging name, then swapped in (drop and rename in one transaction);
 * so too where the existing table cannot be replaced in place (`inPlace: false`: BigQuery, a changed
 * partitioning or clustering). Without transactions (BigQuery) that swap is a drop, then a rename: only a
 * failure between the two leaves the new table at the staging name rather than the old one at its own.
 */
export async function buildAndSwap(
  connection: Connection,
  dialect: Dialect,
  relation: Relation,
  kind: RelationKind,
  build: (target: Relation) => Promise<unknown>,
  relations: RelationLookup = directLookup(connection),
  inPlace = true,
): Promise<void> {
  const existing = await relations.get(relation);
  const { atomicReplace, transactionalDdl } = dialect.capabilities;
  if (atomicReplace && (!existing || (existing.kind === kind && inPlace))) {
    await build(relation);
  } else if (atomicReplace && existing && existing.kind !== kind) {
    // On BigQuery views cannot be renamed and DDL has no transaction: only this change of kind is not atomic there.
    const replace = async (): Promise<void> => {
      await connection.execute(dialect.dropRelation(relation, existing.kind));
      await build(relation);
    };
    if (transactionalDdl) await connection.transaction(replace);
    else await replace();
  } else {
    await buildAtStaging(connection, dialect, relation, kind, build, relations, existing?.kind);
  }
  relations.added(relation, kind);
}

async function buildAtStaging(connection: Connection, dialect: Dialect, relation: Relation, kind: RelationKind, build: (target: Relation) => Promise<unknown>, relations: RelationLookup, existingKind: RelationKind | undefined): Promise<void> {
  const staging = stagingRelation(relation);
  await dropStaging(connection, dialect, staging, relations);
  try {
    await build(staging);
  } catch (e) {
    relations.forget(staging);
    await dropStaging(connection, dialect, staging, relations).catch(() => undefined);
    throw e;
  }
  const swap = async (): Promise<void> => {
    if (existingKind) await connection.execute(dialect.dropRelation(relation, existingKind));
    await connection.execute(dialect.renameRelation(staging, relation.identifier, kind));
  };
  if (dialect.capabilities.transactionalDdl) await connection.transaction(swap);
  else await swap();
  relations.dropped(staging);
}
