/**
 * A node's config checked as a whole at parse time, as dbt documents each rule: a snapshot's unique_key and
 * strategy, an incremental model's strategy and key, an enforced contract's columns, the materialization's
 * name, and the values its file's `config()` call gives. Before, these failed when the node ran (exit 1,
 * after earlier nodes were written). Cheap: a few property reads per node; text is searched only for a
 * problem's line.
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import { configMappingProblems, describeConfigProblem, misspeltConfig } from '../project/config-values.js';
import type { ColumnInfo, NodeConfig, ResourceType } from './types.js';
import { strategyMacroName, strategyMacroOf } from '../templating/strategy-macro.js';

/** What one node's checks read. */
export interface NodeCheckInput {
  resourceType: Exclude<ResourceType, 'source'>;
  name: string;
  config: NodeConfig;
  columns: Record<string, ColumnInfo>;
  /** The node's file, and the configs its `config()` calls gave (their keys are located in its text). */
  file: string;
  fileConfig: Record<string, unknown>;
  text: () => string;
  /** The property-file entry that described it, and its config. */
  patch?: { file: string; line?: number; config: Record<string, unknown> };
  /** Where in its file the node starts (a snapshot block). */
  line?: number;
  adapterType: string;
  /** The incremental strategies the target's warehouse carries out (from its adapter, as plain data); unset: not checked. */
  incrementalStrategies?: readonly string[];
  /** Names of custom `{% materialization %}` blocks of the project's macros. */
  customMaterializations: ReadonlySet<string>;
  /** The package the node's templates take macro `name` from, if any (a custom incremental strategy's macro). */
  macroPackageOf?: (name: string) => string | undefined;
}

/** dbt's built-in materializations of models (materialized_view, and dbt-duckdb's external elsewhere than DuckDB, are reported, selected, at run time). */
const MODEL_MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral', 'materialized_view', 'external'];

/** 1-based line of `key=` (or `key:`) in a text, else of its first `config(`, else undefined. */
function lineOfKey(text: string, key: string): number | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`\\b${escaped}\\s*[=:]`).exec(text) ?? /\bconfig\s*\(/.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Every config problem of one node, each located where the offending (or missing) key is written. */
export function nodeConfigDiagnostics(n: NodeCheckInput): Diagnostic[] {
  if (!n.config.enabled) return [];
  const out: Diagnostic[] = [];
  const at = (key?: string): { file: string; line: number } => {
    if (key !== undefined && key in n.fileConfig) return { file: n.file, line: lineOfKey(n.text(), key) ?? n.line ?? 1 };
    if (key !== undefined && n.patch && key in n.patch.config) return { file: n.patch.file, line: n.patch.line ?? 1 };
    if (Object.keys(n.fileConfig).length) return { file: n.file, line: lineOfKey(n.text(), 'config') ?? n.line ?? 1 };
    if (n.patch) return { file: n.patch.file, line: n.patch.line ?? 1 };
    return { file: n.file, line: n.line ?? 1 };
  };
  const what = `${n.resourceType} '${n.name}'`;
  const problem = (code: string, key: string | undefined, message: string, hint: string): void => {
    out.push({ code, severity: 'error', message: `${what}: ${message}`, ...at(key), hint });
  };
  for (const p of configMappingProblems(n.fileConfig)) problem('config-invalid', p.key, describeConfigProblem(p.path, p.value, p.problem), p.problem.example);
  for (const key in n.fileConfig) {
    const known = misspeltConfig(key);
    if (known) out.push({ code: 'config-unknown-key', severity: 'warn', message: `${what}: '${key}' is no config, so it has no effect`, ...at(key), hint: `did you mean '${known}'?` });
  }
  if (out.some((d) => d.severity === 'error')) return out;
  if (n.resourceType === 'model') modelChecks(n, problem);
  for (const p of unappliedPartitionOptions(n.config.partition_by)) out.push({ code: p.code, severity: p.severity, message: `${what}: ${p.message}`, ...at('partition_by'), hint: p.hint });
  if (n.resourceType === 'snapshot') snapshotChecks(n.config, problem);
  return out;
}

/**
 * partition_by options of dbt's adapter that Strata does not carry out (on any target): an ingestion-time partitioned table
 * (`_PARTITIONTIME`) would be a different table, so it is refused; copy jobs would give the same rows, so it
 * is a warning. Never silently ignored.
 */
function unappliedPartitionOptions(value: unknown): { code: string; severity: 'error' | 'warn'; message: string; hint: string }[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const v = value as Record<string, unknown>;
  const on = (x: unknown): boolean => x === true || String(x).toLowerCase() === 'true';
  const out: { code: string; severity: 'error' | 'warn'; message: string; hint: string }[] = [];
  if (on(v.time_ingestion_partitioning)) {
    out.push({ code: 'config-unsupported', severity: 'error', message: "partition_by.time_ingestion_partitioning is not supported by Strata: dbt's adapter builds an ingestion-time partitioned table (filtered on _PARTITIONTIME), Strata would partition by the column itself", hint: "remove time_ingestion_partitioning: the table is then partitioned by the column, and queries filter on that column instead of _PARTITIONTIME" });
  }
  if (on(v.copy_partitions)) {
    out.push({ code: 'config-unsupported', severity: 'warn', message: 'partition_by.copy_partitions is not applied by Strata: insert_overwrite replaces the partitions with one MERGE (the same rows, billed as a query) instead of copy jobs', hint: 'remove copy_partitions to silence this warning' });
  }
  return out;
}

type Problem = (code: string, key: string | undefined, message: string, hint: string) => void;

const keysOf = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function modelChecks(n: NodeCheckInput, problem: Problem): void {
  const c = n.config;
  const m = c.materialized;
  if (typeof m === 'string' && !MODEL_MATERIALIZATIONS.includes(m) && !n.customMaterializations.has(m)) {
    problem('materialization-unknown', 'materialized', `materialized='${m}' is not a materialization`, didYouMean(m, [...MODEL_MATERIALIZATIONS, ...n.customMaterializations]) ?? 'use view, table, incremental or ephemeral, or define it with {% materialization %} in a macro file');
  }
  if (m === 'incremental') incrementalChecks(n, problem);
  if (m === 'external') externalChecks(c, problem);
  // dbt: "Node … with 'ephemeral' materialization has an invalid value (public) for the access field".
  if (c.access === 'public' && m === 'ephemeral') problem('access-invalid', 'access', "an ephemeral model cannot be public (dbt: 'ephemeral' materialization has an invalid value (public) for the access field): it is no relation others could read", 'make it protected (the default) or private, or materialize it as a view or table');
  const contract = c.contract as { enforced?: unknown } | undefined;
  if (contract && typeof contract === 'object' && contract.enforced === true) {
    if (m === 'ephemeral') problem('contract-invalid', 'contract', 'an ephemeral model cannot have an enforced contract: it is no relation whose columns could be checked', "materialize it as a view or table, or set contract: {enforced: false}");
    const columns = Object.values(n.columns);
    const untyped = columns.filter((col) => !col.dataType).map((col) => col.name);
    if (!columns.length) problem('contract-invalid', 'contract', 'its contract is enforced, which needs every column listed with a data_type, and it lists none', 'list the columns under the model in its property file, each with data_type');
    else if (untyped.length) problem('contract-invalid', 'contract', `its contract is enforced, which needs a data_type for every column; missing for: ${untyped.join(', ')}`, 'add data_type: to each of those columns in the property file');
  }
}

/** dbt-duckdb's external model settings that can be checked before anything runs (Jinja in them is rendered at run time). */
function externalChecks(c: Record<string, unknown>, problem: Problem): void {
  const isJinja = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');
  if (c.format !== undefined && c.format !== null && !isJinja(c.format) && !['parquet', 'csv', 'json'].includes(String(c.format).toLowerCase())) {
    problem('external-config-invalid', 'format', `format '${String(c.format)}' is not one of parquet, csv, json`, "set format to parquet, csv or json (or leave it out: the location's extension decides)");
  }
  if (c.options !== undefined && c.options !== null && (typeof c.options !== 'object' || Array.isArray(c.options))) problem('external-config-invalid', 'options', 'options must be a mapping of COPY options', "e.g. options: {partition_by: 'region', codec: 'zstd'}");
  for (const key of ['parquet_read_options', 'csv_read_options', 'json_read_options']) {
    const v = c[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) problem('external-config-invalid', key, `${key} must be a mapping of reader options`, `e.g. ${key}: {union_by_name: true}`);
    else for (const k of Object.keys(v)) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) problem('external-config-invalid', key, `${key} has an option '${k}' that is not a name`, 'reader options are names such as union_by_name or hive_partitioning');
  }
}

function incrementalChecks(n: NodeCheckInput, problem: Problem): void {
  const c = n.config;
  const supported = n.incrementalStrategies;
  const strategy = c.incremental_strategy;
  if (strategy === 'microbatch') {
    microbatchChecks(c, problem);
    return;
  }
  // A custom strategy (or a built-in one the project redefines) is its macro's to check, as in dbt.
  if (supported && n.macroPackageOf && strategyMacroOf(strategy, supported, n.macroPackageOf)) return;
  if (typeof strategy === 'string' && !strategy.includes('{{') && strategy !== 'default' && supported && !supported.includes(strategy)) {
    const custom = strategyMacroName(strategy);
    problem('config-invalid', 'incremental_strategy', `incremental_strategy '${strategy}' is not one ${n.adapterType} supports, and no macro ${custom} defines it as a custom strategy`, `use one of ${supported.join(', ')}, or define {% macro ${custom}(arg_dict) %} in the project's macros (it returns the SQL that applies the new rows)`);
    return;
  }
  if ((strategy === 'merge' || strategy === 'delete+insert') && !keysOf(c.unique_key).length) problem('config-invalid', 'incremental_strategy', `incremental_strategy '${strategy}' needs a unique_key`, "add unique_key='id' (or a list of columns) to its config");
  if (strategy === 'insert_overwrite' && (c.partition_by === undefined || c.partition_by === null)) problem('config-invalid', 'incremental_strategy', "incremental_strategy 'insert_overwrite' needs partition_by", "add partition_by={'field': 'created_at', 'data_type': 'timestamp'} to its config");
  const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
  if (set(c.merge_update_columns) && set(c.merge_exclude_columns)) problem('config-invalid', 'merge_update_columns', 'it sets both merge_update_columns and merge_exclude_columns', 'keep one: the columns a matched row takes from the new rows, or the columns it keeps');
}

/**
 * dbt 1.9's microbatch (written once for every warehouse, so on none's list of strategies): it needs the
 * model's event_time, a batch_size and where its first build begins. The values themselves (a batch_size
 * of hour, day, month or year; an ISO `begin`) are checked with every config, where they are written.
 */
function microbatchChecks(c: NodeConfig, problem: Problem): void {
  const missing = (v: unknown): boolean => v === undefined || v === null || v === '';
  // dbt-core's wording (a parsing error there), with an example config as the fix.
  const needs: [string, string, string][] = [
    ['event_time', "an 'event_time' (string) config that indicates the name of the event time column", "event_time='created_at' (the column of this model's rows that says when each happened)"],
    ['batch_size', "a 'batch_size' config that is one of [hour, day, month, year]", "batch_size='day' (or hour, month, year)"],
    ['begin', "a 'begin' (datetime) config that indicates the earliest timestamp the microbatch model should be built from", "begin='2024-01-01' (where its first build starts)"],
  ];
  for (const [key, what, example] of needs) if (missing(c[key])) problem('config-invalid', 'incremental_strategy', `a microbatch model must provide ${what}`, `add ${example} to its config`);
  // Built batch by batch, a microbatch model has neither a quarantine nor a contract check yet: refused, not skipped.
  if (c.quarantine === true || c.quarantine === 'true') problem('config-invalid', 'quarantine', 'quarantine is not supported on a microbatch model yet', "remove quarantine, or use incremental_strategy='merge' with an is_incremental() filter");
  const contract = c.contract as { enforced?: unknown } | undefined;
  if (contract && typeof contract === 'object' && contract.enforced === true) problem('contract-invalid', 'contract', 'an enforced contract is not checked on a microbatch model yet', "set contract: {enforced: false}, or use incremental_strategy='merge'");
}

/** dbt's snapshot rules (as materializations/snapshot.ts applies them when it runs). */
function snapshotChecks(c: NodeConfig, problem: Problem): void {
  if (!keysOf(c.unique_key).length) problem('snapshot-invalid', 'unique_key', 'unique_key is not set', "add unique_key='id' (or a list of columns) to its config");
  const strategy = c.strategy;
  if (strategy !== 'timestamp' && strategy !== 'check') {
    const hint = "set strategy='timestamp' with updated_at='<column>', or strategy='check' with check_cols=['col', …] or 'all'";
    problem('snapshot-invalid', 'strategy', strategy === undefined || strategy === null ? 'strategy is not set' : `strategy '${String(strategy)}' is not timestamp or check`, hint);
  }
  if (strategy === 'timestamp' && !c.updated_at) problem('snapshot-invalid', 'strategy', 'the timestamp strategy needs updated_at', "add updated_at='updated_at' (the column that changes when a row does)");
  if (strategy === 'check' && c.check_cols !== 'all' && !(Array.isArray(c.check_cols) && c.check_cols.length)) problem('snapshot-invalid', c.check_cols === undefined ? 'strategy' : 'check_cols', "the check strategy needs check_cols: 'all' or a list of columns", "add check_cols=['status', 'plan'] or check_cols='all'");
  const names = c.snapshot_meta_column_names;
  if (names !== undefined && names !== null) {
    const known = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'];
    const unknown = typeof names === 'object' && !Array.isArray(names) ? Object.keys(names).filter((k) => !known.includes(k)) : ['(not a mapping)'];
    if (unknown.length) problem('snapshot-invalid', 'snapshot_meta_column_names', `snapshot_meta_column_names renames ${unknown.join(', ')}, which is none of ${known.join(', ')}`, 'write snapshot_meta_column_names: {dbt_valid_to: valid_to, …}');
  }
}
