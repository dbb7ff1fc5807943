/**
 * dbt's `adapter` object in templates: dispatch, quoting, and the relation and column methods packages call
 * (`get_columns_in_relation`, `get_relation`, `drop_relation`, `create_schema`, `list_relations_without_caching`,
 * `get_missing_columns`, …). Warehouse calls return Promises, which the run render awaits; while parsing
 * (`execute` false) they answer as dbt's parse does: nothing.
 */
import type { ColumnConventions, Relation } from '../adapters/contract.js';
import { splitArgs } from './call-args.js';
import { columnValueOf, type ColumnValue } from './api-column.js';
import { relationObject } from './template-relation.js';
import type { RunRenderContext } from './types.js';
import { TemplateUserError } from './signals.js';
import { strategyMacroName } from './strategy-macro.js';

type Args = unknown[];
type RelationLike = { database?: string | null; schema?: string; identifier?: string; type?: string | null; external?: string | null } | null | undefined;

const toRelation = (rel: NonNullable<RelationLike>): Relation => ({ ...(rel.database ? { database: String(rel.database) } : {}), schema: String(rel.schema), identifier: String(rel.identifier), ...(typeof rel.external === 'string' ? { external: rel.external } : {}) });
const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** dbt-adapters' behaviour flags and their defaults (a project sets them under `flags:`). */
const ADAPTER_BEHAVIOR_FLAGS: Record<string, boolean> = { enable_truthy_nulls_equals_macro: false };

/** dbt's BehaviorFlag: true or false in an `if`, and `.setting` / `.no_warn` (dbt's way to read it without a warning). */
class BehaviorFlag {
  constructor(readonly setting: boolean) {}
  get no_warn(): boolean {
    return this.setting;
  }
  __len__(): number {
    return this.setting ? 1 : 0;
  }
  toString(): string {
    return this.setting ? 'True' : 'False';
  }
}

/** `adapter.behavior`: each of the adapter's behaviour flags, as the project sets it or by its default. */
function behaviorObject(projectFlags: Record<string, boolean>): Record<string, BehaviorFlag> {
  return Object.fromEntries(Object.entries(ADAPTER_BEHAVIOR_FLAGS).map(([name, byDefault]) => [name, new BehaviorFlag(projectFlags[name] ?? byDefault)]));
}

/**
 * dbt's `adapter.get_incremental_strategy_macro(context, strategy)`, as a copy of dbt's incremental materialization
 * calls it: the macro `get_incremental_<strategy>_sql` among the render's names (`context`), a `+` read as `_`;
 * no strategy is `default`.
 */
function strategyMacroIn(...args: Args): unknown {
  const { pos, kw } = splitArgs(args);
  const names = (pos[0] ?? kw.model_context) as Record<string, unknown> | null | undefined;
  const given = pos[1] ?? kw.strategy;
  const name = strategyMacroName(given === undefined || given === null || given === '' ? 'default' : String(given));
  const macro = names && typeof names === 'object' ? names[name] : undefined;
  if (typeof macro !== 'function') throw new TemplateUserError('incremental-strategy-unknown', `could not find an incremental strategy macro with the name "${name}"`, `define {% macro ${name}(arg_dict) %} in the project's macros`);
  return macro;
}

export function templateAdapter(adapterType: string, dispatch: (name: string, namespace?: string) => unknown, run: RunRenderContext | undefined, behaviorFlags: Record<string, boolean> = {}, target?: Record<string, unknown>, quoting: Record<string, boolean> = {}, columnConventions?: ColumnConventions): Record<string, unknown> {
  const execute = !!run?.warehouse;
  const wh = run?.warehouse;
  const quote = (s: string): string => (run ? run.quoteIdentifier(s) : `"${s}"`);
  const columns = (rel: RelationLike): unknown => {
    if (!execute || !rel) return [];
    return wh!.getColumns(toRelation(rel)).then((cols) => cols.map((c) => columnValueOf(c, run!.quoteIdentifier, columnConventions)));
  };
  const getRelation = (...args: Args): unknown => {
    const { pos, kw } = splitArgs(args);
    const r: Relation = { ...((kw.database ?? pos[0]) ? { database: String(kw.database ?? pos[0]) } : {}), schema: String(kw.schema ?? pos[1]), identifier: String(kw.identifier ?? pos[2]) };
    if (!execute) return null;
    return wh!.relationExists(r).then((exists) => (exists ? relationObject(r, run!.renderRelation, run!.quoteIdentifier, 'table') : null));
  };
  const run_ = (sql: string): Promise<unknown> => wh!.query(sql).then(() => null);
  const drop = (rel: RelationLike): unknown => {
    if (!execute || !rel) return null;
    const name = run!.renderRelation(toRelation(rel));
    const first = rel.type === 'view' ? 'view' : 'table';
    return run_(`drop ${first} if exists ${name}`).catch(() => run_(`drop ${first === 'view' ? 'table' : 'view'} if exists ${name}`));
  };
  const listRelations = (schemaRelation: RelationLike): unknown => {
    if (!execute || !schemaRelation) return [];
    const sql = `select table_schema, table_name, table_type from information_schema.tables where lower(table_schema) = lower(${sqlString(String(schemaRelation.schema))})`;
    return wh!.query(sql).then((res) =>
      res.rows.map((r) => relationObject({ ...(schemaRelation.database ? { database: String(schemaRelation.database) } : {}), schema: String(r.table_schema), identifier: String(r.table_name) }, run!.renderRelation, run!.quoteIdentifier, /view/i.test(String(r.table_type)) ? 'view' : 'table')),
    );
  };
  const missingColumns = (from: RelationLike, to: RelationLike): unknown => {
    if (!execute) return [];
    return Promise.all([columns(from) as Promise<ColumnValue[]>, columns(to) as Promise<ColumnValue[]>]).then(([a, b]) => a.filter((c) => !b.some((d) => d.name.toLowerCase() === c.name.toLowerCase())));
  };
  const unsupported = (name: string, hint = 'compute it with run_query, or open an issue naming the package that needs it') => () => {
    throw new TemplateUserError('unsupported-adapter-method', `adapter.${name}() is not supported by Strata yet`, hint);
  };
  return {
    dispatch,
    behavior: behaviorObject(behaviorFlags),
    type: () => adapterType,
    quote,
    // dbt's: quoted unless the project's `quoting:` sets that part (database, schema, identifier) false; other keys quote.
    quote_as_configured: (...a: Args) => {
      const { pos, kw } = splitArgs(a);
      const [name, part] = [String(pos[0] ?? kw.identifier), pos[1] ?? kw.quote_key];
      return typeof part === 'string' && ['database', 'schema', 'identifier'].includes(part) && quoting[part] === false ? name : quote(name);
    },
    // dbt's: a seed's column quoted unless its `quote_columns` config is false.
    quote_seed_column: (...a: Args) => {
      const { pos, kw } = splitArgs(a);
      const name = String(pos[0] ?? kw.column);
      return (pos[1] ?? kw.quote_config) === false ? name : quote(name);
    },
    get_columns_in_relation: columns,
    get_relation: getRelation,
    load_relation: (rel: RelationLike) => (rel ? getRelation(rel.database ?? null, rel.schema, rel.identifier) : null),
    drop_relation: drop,
    truncate_relation: (rel: RelationLike) => (execute && rel ? run_(`delete from ${run!.renderRelation(toRelation(rel))}`) : null),
    rename_relation: (from: RelationLike, to: RelationLike) => (execute && from && to ? run_(`alter ${from.type === 'view' ? 'view' : 'table'} ${run!.renderRelation(toRelation(from))} rename to ${run!.quoteIdentifier(String(to.identifier))}`) : null),
    create_schema: (rel: RelationLike) => (execute && rel ? run_(`create schema if not exists ${run!.quoteIdentifier(String(rel.schema))}`) : null),
    drop_schema: (rel: RelationLike) => (execute && rel ? run_(`drop schema if exists ${run!.quoteIdentifier(String(rel.schema))} cascade`) : null),
    check_schema_exists: (_db: unknown, schema: unknown) => (execute ? wh!.query(`select count(*) as n from information_schema.schemata where lower(schema_name) = lower(${sqlString(String(schema))})`).then((r) => Number(r.rows[0]?.n ?? 0) > 0) : false),
    list_relations_without_caching: listRelations,
    get_missing_columns: missingColumns,
    already_exists: (schema: unknown, name: unknown) => (execute ? wh!.relationExists({ schema: String(schema), identifier: String(name) }) : false),
    expand_target_column_types: () => null,
    cache_added: () => null,
    cache_dropped: () => null,
    cache_renamed: () => null,
    // In a materialization block, ends the transaction its statements opened (execute/block-transaction.ts).
    commit: () => (execute && wh!.commit ? wh!.commit().then(() => null) : null),
    get_incremental_strategy_macro: strategyMacroIn,
    submit_python_job: unsupported('submit_python_job'),
    // dbt-bigquery's (its legacy-SQL __PARTITIONS_SUMMARY__ read): refused by name rather than an unknown macro.
    get_partitions_metadata: unsupported('get_partitions_metadata', "read the partitions with run_query: select partition_id, total_rows from `<project>.<dataset>.INFORMATION_SCHEMA.PARTITIONS` where table_name = '<table>'"),
    // dbt-duckdb's: where external models' files go (the profile's external_root, default '.'); harmless elsewhere.
    external_root: () => String(target?.external_root ?? '.'),
  };
}
