/**
 * Quarantine (beyond dbt): a model with `quarantine: true` turns its row-level tests into a filter.
 * Failing rows move to `<model>__quarantine` with `_strata_failed_tests` and `_strata_quarantined_at`;
 * the model keeps the clean rows. Both tables are replaced in one transaction, so no row is lost or
 * counted twice, and a rerun's quarantine reflects the current data.
 */
import type { Connection, Dialect, Relation, RelationOptions } from '../adapters/contract.js';
import type { ManifestNode, RefCall } from '../parse/types.js';
import { UserError } from '../diagnostics/index.js';
import { STAGING_SUFFIX, isTemporary, workRelation } from '../adapters/work-relation.js';
import { ROW_LEVEL_TESTS } from './builtin-tests.js';
import { compareNames } from '../project/name-order.js';

export interface QuarantineRule {
  testName: string;
  /** SQL over the staged row `strata_row`, true when the row fails the test. */
  predicate: string;
}

const ROW_ID = '_strata_row_id';

/** Tests of `model` that can be applied row by row. */
export function rowLevelTests(model: ManifestNode, nodes: Iterable<ManifestNode>): ManifestNode[] {
  const out: ManifestNode[] = [];
  for (const t of nodes) {
    if (t.resourceType !== 'test' || t.attachedNode !== model.uniqueId || !t.testMetadata || !t.columnName) continue;
    if (ROW_LEVEL_TESTS.has(t.testMetadata.name)) out.push(t);
  }
  return out.sort((a, b) => compareNames(a.name, b.name));
}

/** The `ref('x')` a relationships test points to. */
export function relationshipTarget(test: ManifestNode): RefCall | undefined {
  const to = test.testMetadata?.kwargs.to;
  const m = typeof to === 'string' ? /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(to) : null;
  return m ? { name: m[1]! } : undefined;
}

export function quarantineRules(tests: ManifestNode[], dialect: Dialect, relationOf: (ref: RefCall) => Relation | undefined): QuarantineRule[] {
  return tests.map((t) => {
    const meta = t.testMetadata!;
    const col = `strata_row.${dialect.quoteIdentifier(t.columnName!)}`;
    let predicate: string;
    if (meta.name === 'not_null') predicate = `${col} is null`;
    else if (meta.name === 'accepted_values') {
      const values = (meta.kwargs.values as unknown[]) ?? [];
      const quote = meta.kwargs.quote !== false;
      predicate = `coalesce(${col} not in (${values.map((v) => (quote ? dialect.quoteString(String(v)) : String(v))).join(', ')}), false)`;
    } else {
      const ref = relationshipTarget(t);
      const rel = ref ? relationOf(ref) : undefined;
      if (!rel) throw new UserError({ code: 'quarantine-invalid', severity: 'error', message: `cannot quarantine on ${t.name}: its 'to' must be ref('model')`, file: t.originalFilePath });
      predicate = `${col} is not null and not exists (select 1 from ${dialect.renderRelation(rel)} as strata_parent where strata_parent.${dialect.quoteIdentifier(String(meta.kwargs.field))} = ${col})`;
    }
    const where = t.config.where;
    return { testName: t.name, predicate: where ? `(${String(where)}) and (${predicate})` : predicate };
  });
}

export async function dropIfExists(connection: Connection, dialect: Dialect, rel: Relation): Promise<void> {
  const existing = await connection.getRelation(rel);
  if (existing) await connection.execute(dialect.dropRelation(rel, existing.kind));
}

/** Drops a work table of Strata's own (always a table): `drop table if exists`, without asking the catalog first. */
export async function dropWorkTable(connection: Connection, dialect: Dialect, rel: Relation): Promise<void> {
  await connection.execute(dialect.dropRelation(rel, 'table'));
}

export const QUARANTINE_SUFFIX = '__quarantine';
const FAILED_SUFFIX = '__strata_qfail';

/** The model's rows numbered (`stage`) and the ids of those failing a rule with the tests they failed (`failed`). */
export interface CheckedRows {
  stage: Relation;
  failed: Relation;
  /** The model's columns, quoted, without the row id. */
  cols: string[];
  /** The row id column, quoted. */
  id: string;
}

/**
 * Stages the rows of `sql` under `<relation><suffix>` with a row id, and lists the failing ids with their
 * tests in `<relation>__strata_qfail`. The caller drops both (`dropChecked`).
 */
export async function stageAndCheck(connection: Connection, dialect: Dialect, relation: Relation, sql: string, rules: QuarantineRule[], suffix: string, header: RelationOptions = {}): Promise<CheckedRows> {
  const stage = workRelation(dialect, relation, suffix);
  const failed = workRelation(dialect, relation, FAILED_SUFFIX);
  const r = (x: Relation): string => dialect.renderRelation(x);
  const id = dialect.quoteIdentifier(ROW_ID);
  if (!isTemporary(dialect, stage)) {
    await dropWorkTable(connection, dialect, stage);
    await dropWorkTable(connection, dialect, failed);
  }
  await connection.execute(dialect.createTableAs(stage, `select strata_src.*, row_number() over () as ${id} from (\n${sql}\n) as strata_src`, header));
  const checks = rules.length
    ? rules.map((rule) => `select strata_row.${id}, ${dialect.quoteString(rule.testName)} as test_name from ${r(stage)} as strata_row where ${rule.predicate}`).join('\nunion all\n')
    : `select cast(null as ${dialect.typeName('integer')}) as ${id}, cast(null as ${dialect.typeName('string')}) as test_name where false`;
  await connection.execute(dialect.createTableAs(failed, `select ${id}, string_agg(test_name, ',' order by test_name) as _strata_failed_tests from (\n${checks}\n) as strata_checks group by ${id}`));
  const cols = (await connection.getColumns(stage)).map((c) => c.name).filter((c) => c !== ROW_ID).map((c) => dialect.quoteIdentifier(c));
  return { stage, failed, cols, id };
}

export async function dropChecked(connection: Connection, dialect: Dialect, checked: { stage: Relation; failed: Relation }): Promise<void> {
  await dropWorkTable(connection, dialect, checked.stage).catch(() => undefined);
  await dropWorkTable(connection, dialect, checked.failed).catch(() => undefined);
}

/** The staged rows that pass every rule. */
export function cleanRowsSql(dialect: Dialect, c: CheckedRows): string {
  return `select ${c.cols.join(', ')} from ${dialect.renderRelation(c.stage)} where ${c.id} not in (select ${c.id} from ${dialect.renderRelation(c.failed)})`;
}

/** The staged rows that fail a rule, with the tests they failed and the time. */
export function failedRowsSql(dialect: Dialect, c: CheckedRows, now = 'current_timestamp'): string {
  return `select ${c.cols.map((col) => `s.${col}`).join(', ')}, f._strata_failed_tests, ${now} as _strata_quarantined_at from ${dialect.renderRelation(c.stage)} as s join ${dialect.renderRelation(c.failed)} as f on s.${c.id} = f.${c.id}`;
}

export async function countRows(connection: Connection, dialect: Dialect, x: Relation): Promise<number> {
  return Number((await connection.query(`select count(*) as n from ${dialect.renderRelation(x)}`)).rows[0]?.n ?? 0);
}

/** Builds `relation` from `sql`, moving rows that fail any rule into `<relation>__quarantine`. */
export async function buildWithQuarantine(connection: Connection, dialect: Dialect, relation: Relation, sql: string, rules: QuarantineRule[], header: RelationOptions = {}): Promise<{ kept: number; quarantined: number }> {
  const quarantine: Relation = { ...relation, identifier: `${relation.identifier}${QUARANTINE_SUFFIX}` };
  let checked: CheckedRows | undefined;
  try {
    checked = await stageAndCheck(connection, dialect, relation, sql, rules, STAGING_SUFFIX, header);
    const c = checked;
    const swap = async (): Promise<void> => {
      await dropIfExists(connection, dialect, relation);
      await connection.execute(dialect.createTableAs(relation, cleanRowsSql(dialect, c)));
      await dropIfExists(connection, dialect, quarantine);
      await connection.execute(dialect.createTableAs(quarantine, failedRowsSql(dialect, c)));
    };
    if (dialect.capabilities.transactionalDdl) await connection.transaction(swap);
    else await swapWithDml(connection, dialect, { relation, quarantine, stage: c.stage, failed: c.failed }, c.cols, c.id);
  } finally {
    await dropChecked(connection, dialect, checked ?? { stage: workRelation(dialect, relation, STAGING_SUFFIX), failed: workRelation(dialect, relation, FAILED_SUFFIX) });
  }
  return { kept: await countRows(connection, dialect, relation), quarantined: await countRows(connection, dialect, quarantine) };
}

/**
 * Where DDL cannot run in a transaction (BigQuery): the two tables are (re)created empty only when missing
 * or when their columns changed; then one script replaces the rows of both inside a multi-statement
 * transaction, so the model and its quarantine change together or not at all.
 */
async function swapWithDml(connection: Connection, dialect: Dialect, rel: { relation: Relation; quarantine: Relation; stage: Relation; failed: Relation }, cols: string[], id: string): Promise<void> {
  const r = (x: Relation): string => dialect.renderRelation(x);
  const cleanSelect = `select ${cols.join(', ')} from ${r(rel.stage)} where ${id} not in (select ${id} from ${r(rel.failed)})`;
  const quarantineCols = [...cols, dialect.quoteIdentifier('_strata_failed_tests'), dialect.quoteIdentifier('_strata_quarantined_at')];
  const quarantineSelect = `select ${cols.map((c) => `s.${c}`).join(', ')}, f._strata_failed_tests, current_timestamp() as _strata_quarantined_at from ${r(rel.stage)} as s join ${r(rel.failed)} as f on s.${id} = f.${id}`;
  const same = async (target: Relation, wanted: string[]): Promise<boolean> => {
    if (!(await connection.getRelation(target))) return false;
    const have = (await connection.getColumns(target)).map((c) => dialect.quoteIdentifier(c.name).toLowerCase());
    return have.length === wanted.length && wanted.every((c, i) => c.toLowerCase() === have[i]);
  };
  if (!(await same(rel.relation, cols))) await connection.execute(dialect.createTableAs(rel.relation, `${cleanSelect} and false`));
  if (!(await same(rel.quarantine, quarantineCols))) await connection.execute(dialect.createTableAs(rel.quarantine, `${quarantineSelect} where false`));
  await connection.execute(
    [
      dialect.beginTransaction(),
      `delete from ${r(rel.relation)} where true`,
      `insert into ${r(rel.relation)} (${cols.join(', ')})\n${cleanSelect}`,
      `delete from ${r(rel.quarantine)} where true`,
      `insert into ${r(rel.quarantine)} (${quarantineCols.join(', ')})\n${quarantineSelect}`,
      dialect.commitTransaction(),
    ].join(';\n'),
  );
}
