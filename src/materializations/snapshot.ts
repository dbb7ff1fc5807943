/**
 * dbt's snapshots (type-2 slowly changing dimensions), as dbt 1.9 builds them. The first run creates the
 * table: the query's rows with `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from` and `dbt_valid_to` (null:
 * current). Each later run stages what changed — new keys, changed rows (by `updated_at` for the timestamp
 * strategy, by `check_cols` for the check strategy), and with `hard_deletes: invalidate` keys gone from the
 * query — then merges it in one statement: a changed row's current version is closed (`dbt_valid_to` set)
 * and its new version inserted. Columns new in the query are added first; none is ever dropped. On DuckDB
 * all of it is one transaction, so a failed run leaves the snapshot as it was.
 */
import { UserError } from '../diagnostics/index.js';
import type { ColumnDef, Connection, Dialect, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { STAGING_SUFFIX, buildAndSwap, directLookup, dropStaging, isTemporary, workRelation } from './swap.js';
import type { RelationLookup } from './types.js';
import { headerOptions, withSqlHeader } from './sql-header.js';

export interface SnapshotSpec {
  keys: string[];
  strategy: 'timestamp' | 'check';
  updatedAt?: string;
  /** Check strategy: the columns compared, or 'all' (every column of the query). */
  checkCols?: string[] | 'all';
  /** Keys gone from the query: left as they are, their current version closed, or closed with a deletion record. */
  hardDeletes: 'ignore' | 'invalidate' | 'new_record';
  /** `dbt_valid_to_current`: what a current row's dbt_valid_to holds instead of null. */
  validToCurrent?: string;
  /** The meta columns' names: dbt's, or those `snapshot_meta_column_names` gives (dbt 1.9). */
  meta: MetaColumns;
}

export interface MetaColumns {
  scdId: string;
  updatedAt: string;
  validFrom: string;
  validTo: string;
  isDeleted: string;
}

/** dbt's names of the meta columns. */
export const DBT_META_COLUMNS: MetaColumns = { scdId: 'dbt_scd_id', updatedAt: 'dbt_updated_at', validFrom: 'dbt_valid_from', validTo: 'dbt_valid_to', isDeleted: 'dbt_is_deleted' };

const META_KEYS: Record<string, keyof MetaColumns> = { dbt_scd_id: 'scdId', dbt_updated_at: 'updatedAt', dbt_valid_from: 'validFrom', dbt_valid_to: 'validTo', dbt_is_deleted: 'isDeleted' };

/** `snapshot_meta_column_names`: each of dbt's meta columns renamed, or as dbt names it. */
function metaColumns(node: ManifestNode): MetaColumns {
  const meta: MetaColumns = { ...DBT_META_COLUMNS };
  const given = node.config.snapshot_meta_column_names;
  if (given === undefined || given === null) return meta;
  if (typeof given !== 'object' || Array.isArray(given)) invalid(node, 'snapshot_meta_column_names is not a mapping', 'write snapshot_meta_column_names: {dbt_valid_to: valid_to, …}');
  for (const [key, name] of Object.entries(given as Record<string, unknown>)) {
    const field = META_KEYS[key];
    if (!field) invalid(node, `snapshot_meta_column_names has '${key}', which is none of ${Object.keys(META_KEYS).join(', ')}`, 'rename only dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to or dbt_is_deleted');
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) invalid(node, `snapshot_meta_column_names gives ${key} the name ${JSON.stringify(name)}, which is not a plain column name`, `write ${key}: my_${key.slice(4)}`);
    meta[field] = name;
  }
  return meta;
}

/** The meta columns a snapshot table must have (dbt_is_deleted only with hard_deletes='new_record', and it is added then). */
const requiredMeta = (m: MetaColumns): string[] => [m.scdId, m.updatedAt, m.validFrom, m.validTo];

function invalid(node: ManifestNode, message: string, hint: string): never {
  throw new UserError({ code: 'snapshot-invalid', severity: 'error', message: `snapshot '${node.name}': ${message}`, file: node.originalFilePath, hint });
}

/** The snapshot's config, checked as dbt checks it. */
export function snapshotSpec(node: ManifestNode): SnapshotSpec {
  const c = node.config;
  const rawKey = c.unique_key;
  const keys = rawKey === undefined || rawKey === null || rawKey === '' ? [] : (Array.isArray(rawKey) ? rawKey : [rawKey]).map(String);
  if (!keys.length) invalid(node, 'unique_key is not set', "add unique_key='id' (or a list of columns) to its config");
  const strategy = c.strategy;
  if (strategy !== 'timestamp' && strategy !== 'check') invalid(node, strategy === undefined ? 'strategy is not set' : `strategy '${String(strategy)}' is not timestamp or check`, "set strategy='timestamp' with updated_at='<column>', or strategy='check' with check_cols=['col', …] or 'all'");
  if (strategy === 'timestamp' && !c.updated_at) invalid(node, "the timestamp strategy needs updated_at", "add updated_at='updated_at' (the column that changes when a row does)");
  const checkCols = c.check_cols === 'all' ? 'all' : Array.isArray(c.check_cols) ? c.check_cols.map(String) : undefined;
  if (strategy === 'check' && !checkCols) invalid(node, "the check strategy needs check_cols", "add check_cols=['status', 'plan'] or check_cols='all'");
  const hardDeletes = c.hard_deletes === undefined || c.hard_deletes === null ? (c.invalidate_hard_deletes === true ? 'invalidate' : 'ignore') : String(c.hard_deletes);
  if (hardDeletes !== 'ignore' && hardDeletes !== 'invalidate' && hardDeletes !== 'new_record') invalid(node, `hard_deletes '${hardDeletes}' is not ignore, invalidate or new_record`, "use hard_deletes='invalidate', 'new_record' or 'ignore'");
  return { keys, strategy, updatedAt: c.updated_at ? String(c.updated_at) : undefined, checkCols, hardDeletes: hardDeletes as SnapshotSpec['hardDeletes'], validToCurrent: c.dbt_valid_to_current ? String(c.dbt_valid_to_current) : undefined, meta: metaColumns(node) };
}

type Sql = Pick<Dialect, 'quoteIdentifier' | 'renderRelation' | 'typeName' | 'snapshotTime' | 'md5Hex' | 'inlineCte' | 'rowSetFingerprint'>;

/** What a new version's dbt_updated_at / dbt_valid_from is: the row's updated_at, or now (check strategy). */
function versionTime(spec: SnapshotSpec, d: Sql, qualifier = ''): string {
  return spec.strategy === 'timestamp' ? `${qualifier}${d.quoteIdentifier(spec.updatedAt!)}` : d.snapshotTime();
}

/** A key as SQL: a column name quoted, anything else (dbt allows `id || '-' || name`) as the expression it is. */
function keySql(key: string, d: Sql): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? d.quoteIdentifier(key) : `(${key})`;
}

/** dbt's dbt_scd_id: md5 of the key columns and the version time, each as text, joined by '|'. */
function scdId(spec: SnapshotSpec, d: Sql): string {
  const text = (e: string): string => `coalesce(cast(${e} as ${d.typeName('string')}), '')`;
  return d.md5Hex([...spec.keys.map((k) => text(keySql(k, d))), text(versionTime(spec, d))].join(" || '|' || "));
}

/** The first build: every row of the query, current. */
export function snapshotCreateSelect(sql: string, spec: SnapshotSpec, d: Sql): string {
  const m = spec.meta;
  const t = versionTime(spec, d);
  const validTo = spec.validToCurrent ? `coalesce(nullif(${t}, ${t}), ${spec.validToCurrent})` : `nullif(${t}, ${t})`;
  const deleted = spec.hardDeletes === 'new_record' ? `, 'False' as ${m.isDeleted}` : '';
  return `select *, ${scdId(spec, d)} as ${m.scdId}, ${t} as ${m.updatedAt}, ${t} as ${m.validFrom}, ${validTo} as ${m.validTo}${deleted}\nfrom (\n${sql}\n) as snapshot_query`;
}

/** `dbt_valid_to` of a current row. */
function isCurrent(spec: SnapshotSpec, column: string): string {
  return spec.validToCurrent ? `(${column} is null or ${column} = ${spec.validToCurrent})` : `${column} is null`;
}

/**
 * The staged changes (dbt's snapshot staging table): inserts, updates and, for hard deletes, deletes; with
 * `new_record`, also a deletion record (`dbt_is_deleted = 'True'`) per key gone, and a key that comes back
 * gets a new version. `queryColumns`: the query's columns, for the deletion records. The rows are dbt's;
 * the way there is cheaper: one full outer join of narrow rows (the keys and what the strategy compares)
 * finds what changed (`compared`), then only those keys' rows are read whole. dbt joins the whole query
 * with the snapshot three times, which costs a daily run as much as the table is large. `rowId`: a row
 * identity to find the changes with (`usableRowIdentity`); without one, the join carries `dbt_scd_id`.
 */
export function snapshotStagingSelect(sql: string, target: Relation, spec: SnapshotSpec, checkColumns: string[], d: Sql, queryColumns: string[] = [], rowId: string | null = null): string {
  const q = (c: string): string => d.quoteIdentifier(c);
  const m = spec.meta;
  const n = spec.keys.map((_k, i) => i + 1);
  const keyCols = spec.keys.map((k, i) => `${keySql(k, d)} as dbt_unique_key_${i + 1}`).join(', ');
  const t = versionTime(spec, d);
  const newRecord = spec.hardDeletes === 'new_record';
  const deletes = spec.hardDeletes !== 'ignore';
  const rowChanged =
    spec.strategy === 'timestamp'
      ? `snapshotted_data.${m.validFrom} < source_data.${q(spec.updatedAt!)}`
      : checkColumns.map((c) => `(snapshotted_data.${q(c)} != source_data.${q(c)} or (snapshotted_data.${q(c)} is null and source_data.${q(c)} is not null) or (snapshotted_data.${q(c)} is not null and source_data.${q(c)} is null))`).join(' or ');
  // A key whose current version is a deletion record has come back.
  const changed = newRecord ? `(${rowChanged}) or snapshotted_data.${m.isDeleted} = 'True'` : rowChanged;
  const compares = spec.strategy === 'timestamp' ? [q(spec.updatedAt!)] : checkColumns.map(q);
  const now = d.snapshotTime();
  const validTo = spec.validToCurrent ? `coalesce(nullif(${t}, ${t}), ${spec.validToCurrent})` : `nullif(${t}, ${t})`;
  const current = `from ${d.renderRelation(target)} where ${isCurrent(spec, m.validTo)}`;
  const deleted = newRecord ? `, c.strata_current_is_deleted as ${m.isDeleted}` : '';
  // A key with a null part never matches, as in dbt: such a row is new on every run.
  const sourceKeyNull = n.map((i) => `strata_source.dbt_unique_key_${i} is null`).join(' or ');
  // The query's rows with their keys computed once (a key may be an expression, not a column).
  const keyedQuery = `(select *, ${keyCols} from snapshot_query) as strata_source`;
  // The query is read for its keys and, for changed keys only, whole: stored whole as a CTE (DuckDB's
  // default for a CTE read twice), every row and column of it would be copied first. One statement, one
  // transaction: each reference sees the same rows.
  const parts = [
    `with snapshot_query as ${d.inlineCte ? `${d.inlineCte} ` : ''}(\n${sql}\n),`,
    `snapshotted_data as (select ${keyCols}, ${rowId ? `${rowId} as strata_current_row` : m.scdId}, ${m.validFrom}, true as strata_in_current${[...(spec.strategy === 'check' ? compares : []), ...(newRecord ? [m.isDeleted] : [])].map((c) => `, ${c}`).join('')} ${current}),`,
    `source_keys as (select ${keyCols}, true as strata_in_source${compares.map((c) => `, ${c}`).join('')} from snapshot_query),`,
    `${rowId ? 'compared_rows' : 'compared'} as (select ${n.map((i) => `source_data.dbt_unique_key_${i} as strata_source_key_${i}`).join(', ')}, source_data.strata_in_source, snapshotted_data.strata_in_current, snapshotted_data.${rowId ? 'strata_current_row' : `${m.scdId} as strata_current_scd_id`}${newRecord ? `, snapshotted_data.${m.isDeleted} as strata_current_is_deleted` : ''} from source_keys as source_data full outer join snapshotted_data on ${n.map((i) => `snapshotted_data.dbt_unique_key_${i} = source_data.dbt_unique_key_${i}`).join(' and ')} where snapshotted_data.strata_in_current is null${deletes ? ' or source_data.strata_in_source is null' : ''} or (${changed})),`,
    ...(rowId ? [comparedScdIds(rowId, spec, d, target, n, newRecord)] : []),
    `changed_source as (select strata_source.* from ${keyedQuery} join (select distinct ${n.map((i) => `strata_source_key_${i}`).join(', ')} from compared where strata_in_source is not null) as c on ${n.map((i) => `c.strata_source_key_${i} = strata_source.dbt_unique_key_${i}`).join(' and ')}`,
    `union all select strata_source.* from ${keyedQuery} where ${sourceKeyNull}),`,
    `insertions as (select 'insert' as dbt_change_type, source_data.*, ${t} as ${m.updatedAt}, ${t} as ${m.validFrom}, ${validTo} as ${m.validTo}, ${scdId(spec, d)} as ${m.scdId}${newRecord ? `, 'False' as ${m.isDeleted}` : ''} from changed_source as source_data),`,
    `updates as (select 'update' as dbt_change_type, source_data.*, ${t} as ${m.updatedAt}, ${t} as ${m.validFrom}, ${t} as ${m.validTo}, c.strata_current_scd_id as ${m.scdId}${deleted} from changed_source as source_data join compared as c on ${n.map((i) => `c.strata_source_key_${i} = source_data.dbt_unique_key_${i}`).join(' and ')} where c.strata_in_current is not null)${deletes ? ',' : ''}`,
    ...(deletes
      ? [`deletes as (select 'delete' as dbt_change_type, source_data.*, ${now} as ${m.updatedAt}, ${now} as ${m.validFrom}, ${now} as ${m.validTo}, c.strata_current_scd_id as ${m.scdId}${deleted} from compared as c left join (select *, ${keyCols} from snapshot_query where false) as source_data on true where c.strata_in_source is null${newRecord ? " and not (c.strata_current_is_deleted = 'True')" : ''})${newRecord ? ',' : ''}`]
      : []),
    ...(newRecord ? [deletionRecords(spec, d, queryColumns, current, keyCols)] : []),
    `select * from insertions\nunion all\nselect * from updates${deletes ? '\nunion all\nselect * from deletes' : ''}${newRecord ? '\nunion all\nselect * from deletion_records' : ''}`,
  ];
  return parts.join('\n');
}

/**
 * Whether a run has nothing to stage, asked before staging where the dialect has `rowSetFingerprint`: the query's
 * rows as (keys, version) — the version is `updated_at` (timestamp strategy) or the checked columns — are
 * exactly the current rows' (keys, `dbt_valid_from` or the checked columns), no key has a null part (such a
 * row is new on every run) and there are rows. Then no key is new, changed or gone, so staging would find no
 * change. With `hard_deletes: new_record` a key that comes back is a change this cannot see: undefined, as
 * without the dialect's fingerprint. Reads as `unchanged` (true, or false/null: stage).
 */
export function snapshotUnchangedSelect(sql: string, target: Relation, spec: SnapshotSpec, checkColumns: string[], d: Sql): string | undefined {
  if (!d.rowSetFingerprint || spec.hardDeletes === 'new_record') return undefined;
  const q = (c: string): string => d.quoteIdentifier(c);
  const keys = spec.keys.map((k) => keySql(k, d));
  const source = d.rowSetFingerprint([...keys, ...(spec.strategy === 'timestamp' ? [q(spec.updatedAt!)] : checkColumns.map(q))]);
  const current = d.rowSetFingerprint([...keys, ...(spec.strategy === 'timestamp' ? [spec.meta.validFrom] : checkColumns.map(q))]);
  const named = (fingerprint: string[]): string => fingerprint.map((f, i) => `${f} as strata_fingerprint_${i}`).join(', ');
  return [
    `with snapshot_query as (\n${sql}\n),`,
    `source_rows as (select count(*) as n, count(case when ${keys.map((k) => `${k} is null`).join(' or ')} then 1 end) as null_keys, ${named(source)} from snapshot_query),`,
    `current_rows as (select count(*) as n, ${named(current)} from ${d.renderRelation(target)} where ${isCurrent(spec, spec.meta.validTo)})`,
    `select s.n > 0 and s.n = c.n and s.null_keys = 0 and ${source.map((_f, i) => `s.strata_fingerprint_${i} = c.strata_fingerprint_${i}`).join(' and ')} as unchanged`,
    'from source_rows as s cross join current_rows as c',
  ].join('\n');
}

/**
 * The dialect's row identity, unless the snapshot table or its query has a column of that name, which hides
 * it (DuckDB reads a table's own `rowid` column instead of the row numbers): then the snapshot carries
 * `dbt_scd_id` as where there is none.
 */
export function usableRowIdentity(d: Pick<Dialect, 'rowIdentity'>, columns: { name: string }[]): string | null {
  const id = d.rowIdentity;
  return id && !columns.some((c) => c.name.toLowerCase() === id.toLowerCase()) ? id : null;
}

/**
 * Where the dialect has a row identity: `compared_rows` found the changes carrying each current row's
 * identity, not its `dbt_scd_id` (a 32-character text per row in the full outer join's hash table costs most
 * of a daily snapshot of a large table); this fetches the ids of the changed rows only.
 */
function comparedScdIds(rowId: string, spec: SnapshotSpec, d: Sql, target: Relation, n: number[], newRecord: boolean): string {
  const m = spec.meta;
  const carried = [...n.map((i) => `c.strata_source_key_${i}`), 'c.strata_in_source', 'c.strata_in_current', ...(newRecord ? ['c.strata_current_is_deleted'] : [])].join(', ');
  return `compared as (select ${carried}, s.${m.scdId} as strata_current_scd_id from compared_rows as c left join (select ${rowId} as strata_row, ${m.scdId} from ${d.renderRelation(target)}) as s on s.strata_row = c.strata_current_row),`;
}

/** `new_record`: a deletion record for each key gone from the query whose current version is not one already. */
function deletionRecords(spec: SnapshotSpec, d: Sql, queryColumns: string[], current: string, keyCols: string): string {
  const q = (c: string): string => d.quoteIdentifier(c);
  const now = d.snapshotTime();
  const m = spec.meta;
  const newScdId = d.md5Hex(`coalesce(cast(snapshotted_data.${m.scdId} as ${d.typeName('string')}), '') || '|' || coalesce(cast(${now} as ${d.typeName('string')}), '')`);
  const columns = [...queryColumns.map((c) => `snapshotted_data.${q(c)}`), ...spec.keys.map((_k, i) => `snapshotted_data.dbt_unique_key_${i + 1}`)].join(', ');
  return `deletion_records as (select 'insert' as dbt_change_type, ${columns}, ${now} as ${m.updatedAt}, ${now} as ${m.validFrom}, snapshotted_data.${m.validTo} as ${m.validTo}, ${newScdId} as ${m.scdId}, 'True' as ${m.isDeleted} from (select *, ${keyCols} ${current}) as snapshotted_data join compared as c on c.strata_current_scd_id = snapshotted_data.${m.scdId} where c.strata_in_source is null and not (snapshotted_data.${m.isDeleted} = 'True'))`;
}

/**
 * Applies the staged changes: closes changed and deleted rows' current versions, inserts every new one, as
 * dbt-duckdb's snapshot_merge_sql does (an update, then an insert of each 'insert' row). Only updates and
 * deletes are matched on dbt_scd_id: a timestamp snapshot's key that comes back with the updated_at it had
 * when it was deleted has the dbt_scd_id of its closed version, and must still get a current one.
 */
export function snapshotMerge(target: Relation, staging: Relation, columns: string[], spec: SnapshotSpec, d: Sql): string {
  const q = (c: string): string => d.quoteIdentifier(c);
  const m = spec.meta;
  const cols = columns.map(q).join(', ');
  const vals = columns.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ');
  return [
    `merge into ${d.renderRelation(target)} as DBT_INTERNAL_DEST`,
    `using ${d.renderRelation(staging)} as DBT_INTERNAL_SOURCE`,
    `on DBT_INTERNAL_SOURCE.${m.scdId} = DBT_INTERNAL_DEST.${m.scdId} and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')`,
    `when matched and ${isCurrent(spec, `DBT_INTERNAL_DEST.${m.validTo}`)} and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete') then update set ${m.validTo} = DBT_INTERNAL_SOURCE.${m.validTo}`,
    `when not matched and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert' then insert (${cols}) values (${vals})`,
  ].join('\n');
}

/** Builds or updates one snapshot; returns how many rows were inserted (new versions). */
export async function applySnapshot(node: ManifestNode, sql: string, relation: Relation, dialect: Dialect, connection: Connection, relations: RelationLookup = directLookup(connection)): Promise<{ rows: number; created: boolean }> {
  const spec = snapshotSpec(node);
  const existing = await relations.get(relation);
  if (!existing) {
    let rows = 0;
    await buildAndSwap(connection, dialect, relation, 'table', async (target) => {
      await connection.execute(dialect.createTableAs(target, snapshotCreateSelect(sql, spec, dialect), headerOptions(node)));
      const r = await connection.query(`select count(*) as n from ${dialect.renderRelation(target)}`);
      rows = Number(r.rows[0]?.n ?? 0);
    }, relations);
    return { rows, created: true };
  }
  if (existing.kind !== 'table') invalid(node, `${dialect.renderRelation(relation)} exists and is a ${existing.kind}, not a snapshot table`, 'drop it, or give the snapshot another name or schema');
  const targetCols = await connection.getColumns(relation);
  const m = spec.meta;
  const missingMeta = requiredMeta(m).filter((name) => !targetCols.some((c) => c.name.toLowerCase() === name.toLowerCase()));
  if (missingMeta.length) {
    // dbt's wording (SnapshotTargetNotSnapshotTableError, a compilation error), which its adapter suite looks for.
    const message = `Compilation Error in snapshot ${node.name}: Snapshot target is missing configured columns (missing "${missingMeta.join('", "')}"): ${dialect.renderRelation(relation)} was built with other column names`;
    throw new UserError({ code: 'snapshot-invalid', severity: 'error', message, file: node.originalFilePath, hint: 'set snapshot_meta_column_names as it was when the table was built, or drop it, or give the snapshot another name or schema' });
  }
  const queryCols = (await connection.query(withSqlHeader(node, `select * from (\n${sql}\n) as snapshot_query where false limit 0`))).columns;
  for (const col of [...spec.keys.filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)), ...(spec.updatedAt ? [spec.updatedAt] : []), ...(Array.isArray(spec.checkCols) ? spec.checkCols : [])]) {
    if (!queryCols.some((c) => c.name.toLowerCase() === col.toLowerCase())) invalid(node, `its query has no column '${col}'`, 'check unique_key, updated_at and check_cols against the columns the snapshot selects');
  }
  const has = new Set(targetCols.map((c) => c.name.toLowerCase()));
  const added: ColumnDef[] = queryCols.filter((c) => !has.has(c.name.toLowerCase()));
  // A snapshot turned to hard_deletes='new_record' gets its dbt_is_deleted column, 'False' for the rows it has.
  const addDeleted = spec.hardDeletes === 'new_record' && !has.has(m.isDeleted.toLowerCase());
  const checkColumns = spec.checkCols === 'all' ? queryCols.map((c) => c.name) : (spec.checkCols ?? []);
  // Inserted: the target's columns the staged rows have (a column gone from the query stays null), and the new ones.
  const staged = new Set([...queryCols.map((c) => c.name.toLowerCase()), ...requiredMeta(m).map((x) => x.toLowerCase()), ...(spec.hardDeletes === 'new_record' ? [m.isDeleted.toLowerCase()] : [])]);
  const columns = [...targetCols.map((c) => c.name).filter((n) => staged.has(n.toLowerCase())), ...added.map((c) => c.name), ...(addDeleted ? [m.isDeleted] : [])];
  const staging = workRelation(dialect, relation, STAGING_SUFFIX);
  if (!isTemporary(dialect, staging)) {
    await dropStaging(connection, dialect, staging, relations);
    relations.forget(staging);
  }
  let rows = 0;
  const apply = async (): Promise<void> => {
    // Columns new in the query first, so old versions read null there (dbt never drops a column).
    if (added.length) await connection.execute(dialect.addColumns(relation, added));
    if (addDeleted) {
      await connection.execute(dialect.addColumns(relation, [{ name: m.isDeleted, dataType: dialect.typeName('string') }]));
      await connection.execute(`update ${dialect.renderRelation(relation)} set ${m.isDeleted} = 'False' where true`);
    }
    const unchanged = snapshotUnchangedSelect(sql, relation, spec, checkColumns, dialect);
    if (unchanged && (await connection.query(withSqlHeader(node, unchanged))).rows[0]?.unchanged === true) return;
    await connection.execute(dialect.createTableAs(staging, snapshotStagingSelect(sql, relation, spec, checkColumns, dialect, queryCols.map((c) => c.name), usableRowIdentity(dialect, [...targetCols, ...queryCols])), { ...headerOptions(node), scratch: true }));
    // The merge inserts every staged 'insert' row (none is matched), so these are the rows it inserts.
    const r = await connection.query(`select count(*) as n from ${dialect.renderRelation(staging)} where dbt_change_type = 'insert'`);
    rows = Number(r.rows[0]?.n ?? 0);
    await connection.execute(snapshotMerge(relation, staging, columns, spec, dialect));
    await connection.execute(dialect.dropRelation(staging, 'table'));
  };
  try {
    if (dialect.capabilities.transactionalDdl) await connection.transaction(apply);
    else await apply();
  } finally {
    await dropStaging(connection, dialect, staging).catch(() => undefined);
  }
  return { rows, created: false };
}
