/**
 * Quarantine (beyond dbt): a model with `quarantine: true` turns its row-level tests into a filter.
 * Failing rows move to `<model>__quarantine` with `_strata_failed_tests` and `_strata_quarantined_at`;
 * the model keeps the clean rows. Both tables are replaced in one transaction, so no row is lost or
 * counted twice, and a rerun's quarantine reflects the current data.
 */
import type { Connection, Dialect, Relation } from '../adapters/contract.js';
import type { ManifestNode, RefCall } from '../parse/types.js';
import { UserError } from '../diagnostics/index.js';
import { ROW_LEVEL_TESTS } from './builtin-tests.js';

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
  return out.sort((a, b) => a.name.localeCompare(b.name));
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

async function dropIfExists(connection: Connection, dialect: Dialect, rel: Relation): Promise<void> {
  const existing = await connection.getRelation(rel);
  if (existing) await connection.execute(dialect.dropRelation(rel, existing.kind));
}

/** Builds `relation` from `sql`, moving rows that fail any rule into `<relation>__quarantine`. */
export async function buildWithQuarantine(connection: Connection, dialect: Dialect, relation: Relation, sql: string, rules: QuarantineRule[]): Promise<{ kept: number; quarantined: number }> {
  const stage: Relation = { ...relation, identifier: `${relation.identifier}__strata_tmp` };
  const failed: Relation = { ...relation, identifier: `${relation.identifier}__strata_qfail` };
  const quarantine: Relation = { ...relation, identifier: `${relation.identifier}__quarantine` };
  const r = (x: Relation): string => dialect.renderRelation(x);
  const id = dialect.quoteIdentifier(ROW_ID);
  await dropIfExists(connection, dialect, stage);
  await dropIfExists(connection, dialect, failed);
  try {
    await connection.execute(dialect.createTableAs(stage, `select strata_src.*, row_number() over () as ${id} from (\n${sql}\n) as strata_src`));
    const checks = rules.length
      ? rules.map((rule) => `select strata_row.${id}, ${dialect.quoteString(rule.testName)} as test_name from ${r(stage)} as strata_row where ${rule.predicate}`).join('\nunion all\n')
      : `select cast(null as ${dialect.typeName('integer')}) as ${id}, cast(null as ${dialect.typeName('string')}) as test_name where false`;
    await connection.execute(dialect.createTableAs(failed, `select ${id}, string_agg(test_name, ',' order by test_name) as _strata_failed_tests from (\n${checks}\n) as strata_checks group by ${id}`));
    const cols = (await connection.getColumns(stage)).map((c) => c.name).filter((c) => c !== ROW_ID).map((c) => dialect.quoteIdentifier(c));
    const swap = async (): Promise<void> => {
      await dropIfExists(connection, dialect, relation);
      await connection.execute(dialect.createTableAs(relation, `select ${cols.join(', ')} from ${r(stage)} where ${id} not in (select ${id} from ${r(failed)})`));
      await dropIfExists(connection, dialect, quarantine);
      await connection.execute(dialect.createTableAs(quarantine, `select ${cols.map((c) => `s.${c}`).join(', ')}, f._strata_failed_tests, current_timestamp as _strata_quarantined_at from ${r(stage)} as s join ${r(failed)} as f on s.${id} = f.${id}`));
    };
    if (dialect.capabilities.transactionalDdl) await connection.transaction(swap);
    else await swapWithDml(connection, dialect, { relation, quarantine, stage, failed }, cols, id);
  } finally {
    await dropIfExists(connection, dialect, stage).catch(() => undefined);
    await dropIfExists(connection, dialect, failed).catch(() => undefined);
  }
  const count = async (x: Relation): Promise<number> => Number((await connection.query(`select count(*) as n from ${r(x)}`)).rows[0]?.n ?? 0);
  return { kept: await count(relation), quarantined: await count(quarantine) };
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
