import type { Connection, Dialect, ExistingRelation, Relation, RelationKind } from '../adapters/contract.js';
import { buildAndSwap } from './swap.js';

/** What `strata clone` does for one node, decided before anything runs (so it can be printed and tested). */
export type ClonePlan =
  | { action: 'skip'; reason: string }
  | { action: 'clone'; how: 'zero-copy' | 'copy' | 'view'; kind: RelationKind; sql: string; statementAt: (at: Relation) => string };

export interface CloneInput {
  /** Where this target builds the node. */
  target: Relation;
  /** The node's relation in the state manifest, readable from this connection; undefined when the state lacks the node. */
  state?: Relation;
  /** The state relation as the warehouse has it; undefined when it does not exist. */
  stateExisting?: ExistingRelation;
  /** The target relation as the warehouse has it now. */
  existing?: ExistingRelation;
  fullRefresh: boolean;
}

const same = (a: Relation, b: Relation): boolean =>
  (a.database ?? '') === (b.database ?? '') && a.schema.toLowerCase() === b.schema.toLowerCase() && a.identifier.toLowerCase() === b.identifier.toLowerCase();

/**
 * dbt's clone materialization, decided as data. A relation the target already has is left alone unless
 * `--full-refresh`. A state table becomes a zero-copy clone where the dialect has one (BigQuery's
 * `create table … clone`), a state view a view reading it. Where there is no zero-copy clone (DuckDB),
 * Strata copies the rows into a table: the copy needs neither the state's database file nor its schema
 * afterwards (dbt would make a view there, which breaks once the state relation goes).
 */
export function planClone(input: CloneInput, dialect: Dialect): ClonePlan {
  const { target, state } = input;
  if (!state) return { action: 'skip', reason: 'the state manifest has no relation for it' };
  if (same(target, state)) return { action: 'skip', reason: `the target relation ${dialect.renderRelation(target)} is the state relation` };
  if (input.existing && !input.fullRefresh) return { action: 'skip', reason: `${dialect.renderRelation(target)} already exists (--full-refresh replaces it)` };
  const from = `select * from ${dialect.renderRelation(state)}`;
  const zeroCopy = dialect.cloneTable?.bind(dialect);
  const clone = (how: 'zero-copy' | 'copy' | 'view', kind: RelationKind, statementAt: (at: Relation) => string): ClonePlan => ({ action: 'clone', how, kind, sql: statementAt(target), statementAt });
  // Only a table clones: a view or an external table (BigQuery refuses to clone them) becomes a view of it.
  if (zeroCopy && (input.stateExisting?.kind ?? 'table') === 'table') return clone('zero-copy', 'table', (at) => zeroCopy(at, state));
  if (zeroCopy) return clone('view', 'view', (at) => dialect.createViewAs(at, from));
  return clone('copy', 'table', (at) => dialect.createTableAs(at, from));
}

/** Runs a clone plan: the new relation is built and swapped in, so a failure leaves what was there. */
export async function executeClone(connection: Connection, dialect: Dialect, target: Relation, plan: ClonePlan & { action: 'clone' }): Promise<{ rowsAffected?: number }> {
  await buildAndSwap(connection, dialect, target, plan.kind, async (at) => {
    await connection.execute(plan.statementAt(at));
  });
  if (plan.how !== 'copy') return {};
  // A copy's row count, as the table materialization reports it (DuckDB's CTAS reports no rows changed).
  const counted = await connection.query(dialect.countRows(`select * from ${dialect.renderRelation(target)}`));
  return { rowsAffected: Number(counted.rows[0]?.n ?? 0) };
}
