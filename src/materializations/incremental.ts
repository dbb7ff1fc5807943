import type { ColumnDef, Connection, Dialect, ExecuteResult, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { PartitionSpec } from '../adapters/contract.js';
import { partitionSpecOf } from '../adapters/partition-spec.js';
import { incrementalStrategiesOf } from '../adapters/incremental-strategies.js';
import { UserError } from '../diagnostics/index.js';
import { STAGING_SUFFIX, directLookup, dropStaging, isTemporary, workRelation } from './swap.js';
import type { AlongsideStatements, RelationLookup } from './types.js';
import { headerOptions } from './sql-header.js';
import { lossyRetypeCheck, reconcileColumns } from './on-schema-change.js';

/** A model's `unique_key` as a list of columns (a list, or a text split at commas, as dbt); none: rows are appended. */
export function uniqueKeyOf(node: ManifestNode): string[] {
  const k = node.config.unique_key;
  if (k === undefined || k === null || k === '') return [];
  return (Array.isArray(k) ? k : String(k).split(',')).map((x) => String(x).trim()).filter(Boolean);
}

function fail(node: ManifestNode, message: string, hint?: string): never {
  throw new UserError({ code: 'incremental-invalid', severity: 'error', message, file: node.originalFilePath, ...(hint ? { hint } : {}) });
}

// (merge_returning_columns changes no row, so it is left alone.)
const ADAPTER_MERGE_SETTINGS = ['merge_update_condition', 'merge_insert_condition', 'merge_update_set_expressions', 'merge_clauses'];

/** `partitions: ['date(2026, 1, 1)', …]`: SQL literals of the partitions insert_overwrite replaces. */
function staticPartitions(node: ManifestNode): string[] | undefined {
  const p = node.config.partitions;
  return Array.isArray(p) && p.length ? p.map(String) : undefined;
}

/** `incremental_predicates` (a string or a list), as written; dbt reads its older name `predicates` first. */
function predicatesOf(node: ManifestNode): string[] {
  const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length);
  const p = set(node.config.predicates) ? node.config.predicates : node.config.incremental_predicates;
  if (!set(p)) return [];
  return (Array.isArray(p) ? p : [p]).map(String).filter((x) => x.trim());
}

/** A config that lists columns (a list, or one name), as written; undefined when not set. */
function columnList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return (Array.isArray(value) ? value : [value]).map((x) => String(x).trim()).filter(Boolean);
}

/**
 * dbt's `merge_update_columns` (only these) or `merge_exclude_columns` (all but these): the columns a
 * matched row takes from the new rows, as named in the table; undefined: every column.
 */
function updateColumnsOf(node: ManifestNode, columns: string[]): string[] | undefined {
  const only = columnList(node.config.merge_update_columns);
  const except = columnList(node.config.merge_exclude_columns);
  if (only && except) fail(node, `${node.name} sets both merge_update_columns and merge_exclude_columns`, 'keep one: the columns a matched row takes from the new rows, or the columns it keeps');
  const named = only ?? except;
  if (!named) return undefined;
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const unknown = named.filter((c) => !byLower.has(c.toLowerCase()));
  const key = only ? 'merge_update_columns' : 'merge_exclude_columns';
  if (unknown.length) fail(node, `${key} of ${node.name} names ${unknown.join(', ')}, which its table does not have (columns: ${columns.join(', ')})`, `correct the names in ${key}`);
  if (only) return only.map((c) => byLower.get(c.toLowerCase())!);
  const excluded = new Set(named.map((c) => c.toLowerCase()));
  return columns.filter((c) => !excluded.has(c.toLowerCase()));
}

/**
 * As dbt-bigquery, a merge matches on the key alone: a key whose partition value moved must find its old row.
 * Pruning the target to the new rows' partitions (`merge_partition_pruning=true`) is opt-in, safe only when a
 * key never changes partition. Under `require_partition_filter` the ON gets dbt's always-true filter on the
 * partition column, which BigQuery asks for.
 */
function mergeScope(node: ManifestNode, partitionBy: PartitionSpec | undefined): { partitionBy?: PartitionSpec; partitionFilterFor?: PartitionSpec } {
  if (!partitionBy) return {};
  if (node.config.merge_partition_pruning === true) return { partitionBy };
  return node.config.require_partition_filter === true ? { partitionFilterFor: partitionBy } : {};
}

/**
 * What an incremental run declares before the model's SQL: where the dialect has it and the SQL names
 * `_dbt_max_partition`, the variable (dbt-bigquery's pattern for dynamic partitions: `where d >= _dbt_max_partition`).
 * The build sends it before the staging table; `strata plan` before the query it dry-runs.
 */
export function maxPartitionDeclaration(sql: string, target: Relation, dialect: Dialect, partitionBy: PartitionSpec | undefined): string | undefined {
  if (!partitionBy || !dialect.declareMaxPartition || !sql.includes('_dbt_max_partition')) return undefined;
  return dialect.declareMaxPartition(target, partitionBy);
}

/** The model's `partition_by`, checked. */
function partitionOf(node: ManifestNode): PartitionSpec | undefined {
  try {
    return partitionSpecOf(node.config.partition_by);
  } catch (e) {
    fail(node, `${node.name}: ${(e as Error).message}`, "see the partition_by examples in docs/profiles.md");
  }
}

/** The staging table's build, after the `_dbt_max_partition` declaration where the SQL names it. */
function stagingBuild(node: ManifestNode, sql: string, target: Relation, staging: Relation, dialect: Dialect, partitionBy: PartitionSpec | undefined): string {
  const ctas = dialect.createTableAs(staging, sql, { ...headerOptions(node), scratch: true });
  const declaration = maxPartitionDeclaration(sql, target, dialect, partitionBy);
  return declaration ? `${declaration};\n${ctas}` : ctas;
}

/**
 * A microbatch batch: the rows of its window in the table deleted and the batch's inserted, together. Where
 * DDL is transactional the caller's transaction holds both; elsewhere (BigQuery) they go as one
 * multi-statement transaction, so a failed insert leaves the window's previous rows.
 */
async function replaceWindow(connection: Connection, dialect: Dialect, relation: Relation, window: string, insert: string): Promise<void> {
  const statements = [`delete from ${dialect.renderRelation(relation)} where ${window}`, insert];
  if (dialect.capabilities.transactionalDdl) for (const s of statements) await connection.execute(s);
  else await connection.execute([dialect.beginTransaction(), ...statements, dialect.commitTransaction()].join(';\n'));
}

/**
 * Applies new rows to an existing table with the configured strategy, in one transaction. `alongside`
 * statements (a quarantine's) run in that transaction too, before and after the strategy's.
 */
export async function applyIncremental(node: ManifestNode, sql: string, relation: Relation, dialect: Dialect, connection: Connection, relations: RelationLookup = directLookup(connection), alongside: AlongsideStatements = { before: [], after: [] }, batchWindow?: string, custom?: StrategyMacro): Promise<{ rows: number; strategy: string }> {
  const keys = uniqueKeyOf(node);
  const supported = incrementalStrategiesOf(dialect);
  const defaultStrategy = keys.length ? (supported.includes('delete+insert') ? 'delete+insert' : 'merge') : 'append';
  const configured = node.config.incremental_strategy;
  // dbt's `default` is the warehouse's default strategy (unless the project redefines its macro: `custom`).
  const strategy = custom ? String(configured) : configured === undefined || configured === null || configured === 'default' ? defaultStrategy : String(configured);
  // Microbatch is written once for every warehouse (delete the batch's window, insert its rows): see microbatch.ts.
  if (strategy === 'microbatch' && batchWindow === undefined) throw new Error(`${node.uniqueId}: a microbatch model is applied one batch at a time`);
  const partitionBy = partitionOf(node);
  if (custom) return applyWithMacro(node, sql, relation, dialect, connection, relations, alongside, partitionBy, custom);
  if (strategy !== 'microbatch' && !supported.includes(strategy)) fail(node, `incremental_strategy '${strategy}' is not supported on ${dialect.name}`, `use one of ${supported.join(', ')}`);
  if (strategy === 'microbatch' && keys.length && dialect.capabilities.microbatchRefusesUniqueKey) fail(node, "microbatch incremental strategy does not support 'unique_key': each batch replaces its window of rows by event_time, it does no key-based upserts", "remove unique_key, or use incremental_strategy='merge'");
  if ((strategy === 'merge' || strategy === 'delete+insert') && !keys.length) fail(node, `incremental_strategy '${strategy}' needs a unique_key`, "add unique_key='id' (or a list) to the model's config");
  // dbt-duckdb's own merge settings: ignored, a condition would change which rows are written, so the
  // model fails on its incremental runs (as dbt-duckdb's checks of them do); its other models still build.
  const adapterOnly = ADAPTER_MERGE_SETTINGS.find((k) => node.config[k] !== undefined && node.config[k] !== null);
  if (adapterOnly) fail(node, `${adapterOnly} (one adapter's own merge setting) is not supported: Strata's merge updates every matched row and inserts every new one`, "remove it, and filter the rows in the model's SQL under is_incremental() instead");
  // As dbt: they narrow the match of merge and delete+insert; append and insert_overwrite match nothing.
  const predicates = predicatesOf(node);
  if (strategy === 'insert_overwrite' && !partitionBy) fail(node, `incremental_strategy 'insert_overwrite' needs partition_by`, "add partition_by={'field': 'created_at', 'data_type': 'timestamp'} to the model's config");
  return withStaging(node, sql, relation, dialect, connection, relations, partitionBy, async ({ staging, created, columns, ddl }) => {
    const updateColumns = strategy === 'merge' ? updateColumnsOf(node, columns) : undefined;
    // A microbatch batch writes only its window's rows, as dbt-duckdb's does: the window is all it replaced,
    // so a row outside it (from an input without event_time) would be a duplicate on the next run.
    const batchFilter = strategy === 'microbatch' ? ` where ${batchWindow!}` : '';
    const stagingSelect = `select * from ${dialect.renderRelation(staging)}${batchFilter}`;
    const rows = await newRows(dialect, connection, created, stagingSelect, batchFilter !== '');
    await inOneTransaction(dialect, connection, ddl, alongside, async () => {
      if (strategy === 'append') await connection.execute(dialect.insertInto(relation, stagingSelect, columns));
      else if (strategy === 'merge') await connection.execute(dialect.merge(relation, staging, keys, columns, { ...mergeScope(node, partitionBy), predicates, updateColumns }));
      else if (strategy === 'microbatch') await replaceWindow(connection, dialect, relation, batchWindow!, dialect.insertInto(relation, stagingSelect, columns));
      else if (strategy === 'insert_overwrite') await connection.execute(dialect.insertOverwrite!(relation, staging, columns, partitionBy!, staticPartitions(node)));
      else {
        await connection.execute(dialect.deleteWhereKeyIn(relation, staging, keys, predicates));
        await connection.execute(dialect.insertInto(relation, stagingSelect, columns));
      }
    });
    return { rows, strategy };
  });
}

/**
 * Renders a custom strategy's SQL (dbt's `get_incremental_<strategy>_sql(arg_dict)`) for the staging table and the
 * columns to write, named as in the staging table.
 */
export type StrategyMacro = (staging: Relation, columns: string[]) => Promise<string>;

/**
 * A strategy carried out by its macro, as dbt's incremental materialization calls it: the new rows staged, the
 * table's columns changed as on_schema_change says, then the macro's SQL (one or more statements), in one
 * transaction with the quarantine's statements where the warehouse has them.
 */
async function applyWithMacro(node: ManifestNode, sql: string, relation: Relation, dialect: Dialect, connection: Connection, relations: RelationLookup, alongside: AlongsideStatements, partitionBy: PartitionSpec | undefined, custom: StrategyMacro): Promise<{ rows: number; strategy: string }> {
  const strategy = String(node.config.incremental_strategy);
  return withStaging(node, sql, relation, dialect, connection, relations, partitionBy, async ({ staging, created, columns, ddl }) => {
    const rows = await newRows(dialect, connection, created, `select * from ${dialect.renderRelation(staging)}`, false);
    await inOneTransaction(dialect, connection, ddl, alongside, async () => {
      const text = (await custom(staging, columns)).trim();
      if (!text) fail(node, `the macro of incremental_strategy '${strategy}' returned no SQL for ${node.name}`, 'return the statement(s) that apply the new rows of arg_dict["temp_relation"] to arg_dict["target_relation"]');
      await connection.execute(text);
    });
    return { rows, strategy };
  });
}

/**
 * The new rows a strategy writes: the warehouse's count of the staging table's build where it gives one (and
 * `select` takes them all), else a count of `select` (a microbatch batch takes its window's rows only).
 */
async function newRows(dialect: Dialect, connection: Connection, created: ExecuteResult, select: string, filtered: boolean): Promise<number> {
  if (created.rowsAffected !== undefined && dialect.capabilities.ctasRowCount && !filtered) return created.rowsAffected;
  return Number((await connection.query(`select count(*) as n from (${select}) as strata_rows`)).rows[0]?.n ?? 0);
}

/** The column changes, the strategy's statements and the `alongside` ones, in one transaction where DDL is transactional. */
async function inOneTransaction(dialect: Dialect, connection: Connection, ddl: string[], alongside: AlongsideStatements, apply: () => Promise<void>): Promise<void> {
  const run = async (): Promise<void> => {
    for (const s of ddl) await connection.execute(s);
    for (const s of alongside.before) await connection.execute(s);
    await apply();
    for (const s of alongside.after) await connection.execute(s);
  };
  if (dialect.capabilities.transactionalDdl) await connection.transaction(run);
  else await run();
}

interface Staged {
  staging: Relation;
  created: ExecuteResult;
  /** The columns the new rows are written with (as on_schema_change decided). */
  columns: string[];
  /** The changes to the table's columns that go before them. */
  ddl: string[];
}

/**
 * The new rows in a staging table, checked against the table (on_schema_change), for `use`; the staging
 * table is dropped afterwards, whatever happens.
 */
async function withStaging<T>(node: ManifestNode, sql: string, relation: Relation, dialect: Dialect, connection: Connection, relations: RelationLookup, partitionBy: PartitionSpec | undefined, use: (staged: Staged) => Promise<T>): Promise<T> {
  const staging = workRelation(dialect, relation, STAGING_SUFFIX);
  // A temporary one is replaced by its `create or replace`, and the catalog does not list it.
  const temporary = isTemporary(dialect, staging);
  if (!temporary) await dropStaging(connection, dialect, staging, relations);
  const created = await connection.execute(stagingBuild(node, sql, relation, staging, dialect, partitionBy));
  if (!temporary) relations.added(staging, 'table');
  try {
    const [targetCols, newCols] = [await connection.getColumns(relation), await connection.getColumns(staging)];
    const { columns, ddl, retyped } = reconcileColumns(node, dialect, relation, targetCols, newCols);
    const lossCheck = retyped && lossyRetypeCheck(dialect, relation, retyped);
    if (lossCheck) {
      const counts = Object.values((await connection.query(lossCheck)).rows[0] ?? {}).map(Number);
      const lossy = retyped.filter((_c, i) => (counts[i] ?? 0) > 0);
      if (lossy.length) {
        fail(
          node,
          `on_schema_change='sync_all_columns' would change existing rows of ${node.name}: ${lossy.map((c) => `${c.name} ${c.from} -> ${c.to} (${counts[retyped.indexOf(c)]} row(s) not kept as they are)`).join('; ')}; nothing was changed`,
          `cast the column in the model to its table's type, or run with --full-refresh to rebuild the table (dbt would cast the old rows, losing what the new type cannot hold)`,
        );
      }
    }
    if (!columns.length) fail(node, `${node.name} and its existing table ${dialect.renderRelation(relation)} have no column in common`, 'run with --full-refresh to rebuild the table');
    return await use({ staging, created, columns, ddl });
  } finally {
    await dropStaging(connection, dialect, staging, relations).catch(() => undefined);
  }
}
