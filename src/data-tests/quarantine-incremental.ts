/**
 * Quarantine on an incremental model: the run's new rows (what the model's SQL selects under
 * `is_incremental()`) are checked; the clean ones go through the model's incremental strategy, the failing
 * ones are added to `<model>__quarantine` with the tests they failed. Rows already in either table stay.
 *
 * With a `unique_key`, the newest version of a key decides where the key lives, so that the model and its
 * quarantine hold each key once, as one build over all the data would: a key whose new version fails
 * leaves the model, and a key whose new version passes leaves the quarantine. Rows without a key value (or
 * models without a `unique_key`) are appended. A quarantined row is not checked again when the row it
 * lacked arrives later (a customer landed after their complaint): as in dbt, an incremental run looks at
 * new rows only; the next version of the row, or `--full-refresh`, checks it again.
 */
import type { Connection, Dialect, Relation, RelationOptions } from '../adapters/contract.js';
import { isTemporary, workRelation } from '../adapters/work-relation.js';
import { type CheckedRows, type QuarantineRule, QUARANTINE_SUFFIX, cleanRowsSql, countRows, dropChecked, dropWorkTable, failedRowsSql, stageAndCheck } from './quarantine.js';

/** Statements the incremental strategy runs with its own, in its transaction where the warehouse has one. */
export interface AlongsideStatements {
  /** Run before the strategy's statements (after its column changes). */
  before: string[];
  /** Run after them. */
  after: string[];
}

/** Applies `cleanSql` to the model with its incremental strategy, running `alongside` with it; returns the rows applied. */
export type ApplyIncremental = (cleanSql: string, alongside: AlongsideStatements) => Promise<{ rows: number }>;

/** Creates the quarantine table when missing, and adds the columns the model gained since; returns the columns to insert. */
async function ensureQuarantine(connection: Connection, dialect: Dialect, quarantine: Relation, rows: Relation): Promise<string[]> {
  const wanted = await connection.getColumns(rows);
  if (!(await connection.getRelation(quarantine))) {
    await connection.execute(dialect.createTableAs(quarantine, `select * from ${dialect.renderRelation(rows)} where false`));
  } else {
    const have = new Set((await connection.getColumns(quarantine)).map((c) => c.name.toLowerCase()));
    const missing = wanted.filter((c) => !have.has(c.name.toLowerCase()));
    if (missing.length) await connection.execute(dialect.addColumns(quarantine, missing));
  }
  return wanted.map((c) => c.name);
}

/** The quarantine's share of the run: statements that move keys between the two tables and add the failing rows. */
function quarantineStatements(dialect: Dialect, t: { relation: Relation; quarantine: Relation; rows: Relation; stage: Relation }, keys: string[], columns: string[]): AlongsideStatements {
  const before: string[] = [];
  if (keys.length) {
    // The newest version of a key wins: a failing one takes the key out of the model, and any version in
    // this run supersedes the key's older quarantined row.
    before.push(dialect.deleteWhereKeyIn(t.relation, t.rows, keys));
    before.push(dialect.deleteWhereKeyIn(t.quarantine, t.stage, keys));
  }
  const after = [dialect.insertInto(t.quarantine, `select * from ${dialect.renderRelation(t.rows)}`, columns)];
  return { before, after };
}

/**
 * Runs one incremental batch of a quarantining model against its existing table. `apply` is the model's
 * incremental strategy; the quarantine's statements run in the same transaction on a warehouse with
 * transactional DDL (DuckDB). Where there is none (BigQuery), they run first as one multi-statement
 * transaction, then the strategy's statement: a failure between the two leaves the model's watermark
 * where it was, so the rerun processes the batch again (with a `unique_key`, to the same result).
 */
export async function mergeWithQuarantine(
  connection: Connection,
  dialect: Dialect,
  relation: Relation,
  sql: string,
  rules: QuarantineRule[],
  keys: string[],
  apply: ApplyIncremental,
  header: RelationOptions = {},
): Promise<{ kept: number; quarantined: number }> {
  const quarantine: Relation = { ...relation, identifier: `${relation.identifier}${QUARANTINE_SUFFIX}` };
  const rows = workRelation(dialect, relation, '__strata_qrows');
  let checked: CheckedRows | undefined;
  try {
    checked = await stageAndCheck(connection, dialect, relation, sql, rules, '__strata_qstage', header);
    // Nothing new (a static export already landed): both tables stay as they are.
    if ((await countRows(connection, dialect, checked.stage)) === 0) return { kept: 0, quarantined: 0 };
    if (!isTemporary(dialect, rows)) await dropWorkTable(connection, dialect, rows);
    await connection.execute(dialect.createTableAs(rows, failedRowsSql(dialect, checked)));
    const columns = await ensureQuarantine(connection, dialect, quarantine, rows);
    const own = quarantineStatements(dialect, { relation, quarantine, rows, stage: checked.stage }, keys, columns);
    const quarantined = await countRows(connection, dialect, rows);
    if (dialect.capabilities.transactionalDdl) {
      const { rows: kept } = await apply(cleanRowsSql(dialect, checked), own);
      return { kept, quarantined };
    }
    await connection.execute([dialect.beginTransaction(), ...own.before, ...own.after, dialect.commitTransaction()].join(';\n'));
    const { rows: kept } = await apply(cleanRowsSql(dialect, checked), { before: [], after: [] });
    return { kept, quarantined };
  } finally {
    if (checked) await dropChecked(connection, dialect, checked);
    await dropWorkTable(connection, dialect, rows).catch(() => undefined);
  }
}
