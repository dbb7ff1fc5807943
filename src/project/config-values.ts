/**
 * The allowed values of each config, as dbt documents them, checked wherever a config is written: a folder of
 * the project file, a property file's `config:`, a file's `config()` call, a test entry. A mistake is found
 * at parse time (exit 2, nothing written) instead of when its node runs. Each check is one lookup and a
 * type test: they run for every config key a project writes, so they must stay cheap.
 */
import { parseInstant } from './iso-instant.js';
import { editDistance } from '../diagnostics/did-you-mean.js';

/** What a config's value must be, for the message, and an example for the hint. */
export interface ConfigValueProblem {
  want: string;
  example: string;
}

type Check = (v: unknown) => boolean;

const isText: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const isMapping: Check = (v) => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const isTexts: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const textOrTexts: Check = (v) => isText(v) || isTexts(v);
const oneOf = (...allowed: string[]): Check => (v) => typeof v === 'string' && allowed.includes(v);
const oneOfAnyCase = (...allowed: string[]): Check => (v) => typeof v === 'string' && allowed.includes(v.toLowerCase());
const isHook: Check = (v) => isText(v) || (isMapping(v) && typeof (v as { sql?: unknown }).sql === 'string');
const isHooks: Check = (v) => isHook(v) || (Array.isArray(v) && v.every(isHook));
// dbt's thresholds: a comparison and a number, `>10`, `!=0`, `>= 5`.
const isThreshold: Check = (v) => typeof v === 'string' && /^\s*(=|==|!=|<>|>|>=|<|<=)\s*-?\d+(\.\d+)?\s*$/.test(v);
const isCount: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Each config with a fixed type or set of values, with the sentence for its message and an example. */
const RULES: Record<string, [Check, string, string]> = {
  materialized: [isText, 'text (view, table, incremental, ephemeral …)', "materialized: table"],
  schema: [isText, 'text', 'schema: silver'],
  alias: [isText, 'text', 'alias: orders_v2'],
  database: [isText, 'text', 'database: analytics'],
  tags: [textOrTexts, 'a tag or a list of tags', 'tags: [nightly, finance]'],
  enabled: [isBool, 'true or false', 'enabled: false'],
  full_refresh: [isBool, 'true or false', 'full_refresh: false'],
  store_failures: [isBool, 'true or false', 'store_failures: true'],
  quote_columns: [isBool, 'true or false', 'quote_columns: true'],
  quarantine: [isBool, 'true or false', 'quarantine: true'],
  invalidate_hard_deletes: [isBool, 'true or false', 'invalidate_hard_deletes: true'],
  meta: [isMapping, 'a mapping', 'meta: {owner: data-team}'],
  persist_docs: [isMapping, 'a mapping', 'persist_docs: {relation: true, columns: true}'],
  grants: [isMapping, 'a mapping of privileges to grantees', "grants: {select: ['reporter']}"],
  column_types: [isMapping, 'a mapping of columns to types', 'column_types: {id: bigint}'],
  docs: [isMapping, 'a mapping', 'docs: {show: false}'],
  contract: [isMapping, 'a mapping', 'contract: {enforced: true}'],
  partition_by: [isMapping, 'a mapping', "partition_by: {field: created_at, data_type: timestamp}"],
  incremental_strategy: [isText, 'text', 'incremental_strategy: merge'],
  on_schema_change: [oneOf('ignore', 'fail', 'append_new_columns', 'sync_all_columns'), 'ignore, fail, append_new_columns or sync_all_columns', 'on_schema_change: append_new_columns'],
  unique_key: [textOrTexts, 'a column or a list of columns', 'unique_key: id'],
  cluster_by: [textOrTexts, 'a column or a list of columns', 'cluster_by: [customer_id]'],
  merge_update_columns: [textOrTexts, 'a column or a list of columns', 'merge_update_columns: [status, updated_at]'],
  merge_exclude_columns: [textOrTexts, 'a column or a list of columns', 'merge_exclude_columns: [created_at]'],
  access: [oneOf('private', 'protected', 'public'), 'private, protected or public', 'access: protected'],
  group: [isText, 'text', 'group: finance'],
  sql_header: [isText, 'text', "sql_header: \"set timezone = 'UTC'\""],
  pre_hook: [isHooks, 'SQL text, {sql: …}, or a list of them', 'pre_hook: "analyze {{ this }}"'],
  post_hook: [isHooks, 'SQL text, {sql: …}, or a list of them', 'post_hook: "analyze {{ this }}"'],
  // Snapshots.
  strategy: [isText, 'timestamp or check', 'strategy: timestamp'],
  updated_at: [isText, 'a column name', 'updated_at: updated_at'],
  check_cols: [(v) => v === 'all' || isTexts(v), "'all' or a list of columns", 'check_cols: [status, plan]'],
  hard_deletes: [oneOf('ignore', 'invalidate', 'new_record'), 'ignore, invalidate or new_record', 'hard_deletes: invalidate'],
  dbt_valid_to_current: [isText, 'a SQL expression as text', "dbt_valid_to_current: \"to_date('9999-12-31')\""],
  target_schema: [isText, 'text', 'target_schema: snapshots'],
  target_database: [isText, 'text', 'target_database: analytics'],
  // Microbatch.
  event_time: [isText, 'a column name', 'event_time: created_at'],
  batch_size: [oneOf('hour', 'day', 'month', 'year'), 'hour, day, month or year', 'batch_size: day'],
  lookback: [isCount, 'a whole number of batches', 'lookback: 1'],
  begin: [(v) => parseInstant(v) !== undefined, 'an ISO date, or date and time (UTC unless it has an offset)', "begin: '2024-01-01'"],
  concurrent_batches: [(v) => typeof v === 'boolean', 'true or false', 'concurrent_batches: false'],
  // Seeds.
  delimiter: [(v) => typeof v === 'string' && v.length === 1, 'one character', "delimiter: ';'"],
  // Data tests.
  severity: [oneOfAnyCase('error', 'warn'), 'error or warn', 'severity: warn'],
  where: [isText, 'a SQL condition as text', "where: \"status != 'test'\""],
  limit: [isCount, 'a whole number of rows', 'limit: 100'],
  warn_if: [isThreshold, "a comparison with a number, like '>10' or '!=0'", "warn_if: '>10'"],
  error_if: [isThreshold, "a comparison with a number, like '>10' or '!=0'", "error_if: '!=0'"],
  fail_calc: [isText, 'a SQL expression as text', "fail_calc: 'count(*)'"],
  store_failures_as: [oneOf('table', 'view', 'ephemeral'), 'table, view or ephemeral', 'store_failures_as: view'],
};

/** Keys dbt spells two ways. */
const SPELLINGS: Record<string, string> = { 'pre-hook': 'pre_hook', 'post-hook': 'post_hook' };

/**
 * The problem with one config value, or undefined when it is allowed (or not a config this knows). Text
 * holding Jinja (`"{{ target.name == 'prod' }}"`) is rendered later, so its result is not checked here.
 */
export function configValueProblem(key: string, value: unknown): ConfigValueProblem | undefined {
  const name = key.startsWith('+') ? key.slice(1) : key;
  const rule = RULES[SPELLINGS[name] ?? name];
  if (!rule || value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.includes('{{')) return undefined;
  if (rule[0](value)) return undefined;
  return { want: rule[1], example: rule[2] };
}

/** dbt's own mapping configs whose keys are checked too. */
export function nestedConfigProblem(key: string, value: unknown): { key: string; problem: ConfigValueProblem } | undefined {
  if (!isMapping(value)) return undefined;
  // Text holding Jinja (`columns: "{{ target.type != 'databricks' }}"`, as Fivetran's packages write) is rendered later.
  const v = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, x]) => !(typeof x === 'string' && x.includes('{{'))));
  if (key === 'contract' && v.enforced !== undefined && !isBool(v.enforced) && !(typeof v.enforced === 'string' && v.enforced.includes('{{'))) return { key: 'enforced', problem: { want: 'true or false', example: 'contract: {enforced: true}' } };
  if (key === 'docs' && v.show !== undefined && !isBool(v.show)) return { key: 'show', problem: { want: 'true or false', example: 'docs: {show: false}' } };
  if (key === 'docs' && v.node_color !== undefined && v.node_color !== null && !isText(v.node_color)) return { key: 'node_color', problem: { want: 'a colour name or #hex code as text', example: "docs: {node_color: '#cd7f32'}" } };
  if (key === 'persist_docs') for (const k of ['relation', 'columns']) if (v[k] !== undefined && !isBool(v[k])) return { key: k, problem: { want: 'true or false', example: 'persist_docs: {relation: true, columns: true}' } };
  if (key === 'column_types') for (const [k, t] of Object.entries(v)) if (!isText(t)) return { key: k, problem: { want: 'a type name as text', example: `column_types: {${k}: varchar}` } };
  if (key === 'grants') for (const [k, g] of Object.entries(v)) if (!textOrTexts(g)) return { key: k, problem: { want: 'a grantee or a list of grantees', example: `grants: {${k}: ['reporter']}` } };
  return undefined;
}

/** A one-line message for a config's problem: `severity must be error or warn, not "fatal"`. */
export function describeConfigProblem(path: string, value: unknown, problem: ConfigValueProblem): string {
  const shown = value instanceof Date ? value.toISOString().slice(0, 10) : JSON.stringify(value);
  return `${path} must be ${problem.want}, not ${shown && shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}`;
}

/** Every problem of a config mapping's values (a property file's `config:`, a config() call's arguments). */
export function configMappingProblems(config: Record<string, unknown>): { key: string; path: string; value: unknown; problem: ConfigValueProblem }[] {
  const out: { key: string; path: string; value: unknown; problem: ConfigValueProblem }[] = [];
  for (const key in config) {
    const value = config[key];
    const problem = configValueProblem(key, value);
    if (problem) {
      out.push({ key, path: key, value, problem });
      continue;
    }
    const nested = nestedConfigProblem(key.startsWith('+') ? key.slice(1) : key, value);
    if (nested) out.push({ key, path: `${key}.${nested.key}`, value: (value as Record<string, unknown>)[nested.key], problem: nested.problem });
  }
  return out;
}

/**
 * Config names dbt and its adapters take, besides those RULES checks: a key close to one of them but not one
 * (`materialzed`) is most likely a typo, which dbt would keep as a custom config and never apply.
 */
const OTHER_CONFIGS = [
  'snapshot_meta_column_names', 'quoting', 'freshness', 'loaded_at_field', 'quarantine_tests', 'row_level', 'reland_changed', 'external',
  'incremental_predicates', 'predicates', 'partitions',
  'require_partition_filter', 'partition_expiration_days', 'labels', 'kms_key_name', 'hours_to_expiration', 'enable_refresh',
  'refresh_interval_minutes', 'max_staleness', 'copy_grants', 'transient', 'query_tag', 'snowflake_warehouse', 'secure', 'target_lag',
  'automatic_clustering', 'file_format', 'location_root', 'tblproperties', 'indexes', 'unlogged', 'on_configuration_change', 'sort',
  'dist', 'sort_type', 'bind', 'backup', 'auto_refresh', 'packages', 'submission_method', 'python_version', 'language', 'description',
  'location', 'options', 'format', 'glue_register', 'invalidate_hard_deletes', 'persist_docs', 'grant_access_to', 'job_execution_timeout_seconds',
];
const KNOWN_CONFIGS = new Set([...Object.keys(RULES), ...Object.keys(SPELLINGS), ...OTHER_CONFIGS]);

/** For a config key no config has: the known one it is most likely a typo of (`materialzed` → materialized). */
export function misspeltConfig(key: string): string | undefined {
  const name = key.startsWith('+') ? key.slice(1) : key;
  if (name.length < 5 || KNOWN_CONFIGS.has(name)) return undefined;
  let best: string | undefined;
  for (const known of KNOWN_CONFIGS) {
    if (Math.abs(known.length - name.length) > 2) continue;
    if (editDistance(name, known) <= 2 && (!best || editDistance(name, known) < editDistance(name, best))) best = known;
  }
  return best;
}
