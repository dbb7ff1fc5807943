import type { Capabilities, ColumnDef, ConstraintSupport, Dialect, MergeOptions, PartitionSpec, Relation, RelationKind, RelationOptions } from '../contract.js';
import { partitionSpecOf } from '../partition-spec.js';
import { contractDefinitions } from '../contract-ddl.js';
import { relationParts } from '../relation-parts.js';
import { whenMatched } from '../merge-sql.js';
import { sqlHeaderPrefix } from '../sql-header.js';
import { dryRunWithHeader, type DryRunWithHeader } from './bigquery-dry-run-header.js';

/** BigQuery's reserved keywords (its lexical structure): a column of one of these names is quoted in an expression. */
const RESERVED = new Set(
  ('all and any array as asc assert_rows_modified at between by case cast collate contains create cross cube current default define desc distinct ' +
    'else end enum escape except exclude exists extract false fetch following for from full group grouping groups hash having if ignore in inner ' +
    'intersect interval into is join lateral left like limit lookup merge natural new no not null nulls of on or order outer over partition preceding ' +
    'proto qualify range recursive respect right rollup rows select set some struct tablesample then to treat true unbounded union unnest using when ' +
    'where window with within').split(' '),
);

/** BigQuery Standard SQL, as strings. No client here: every statement is pinned and parsed in tests. */
export class BigQueryDialect implements Dialect {
  readonly name = 'bigquery';
  readonly capabilities: Capabilities = { transactionalDdl: false, merge: true, atomicReplace: true, ctasRowCount: true, dryRun: true };
  readonly incrementalStrategies = ['merge', 'insert_overwrite', 'append'];
  readonly reservedWords: ReadonlySet<string> = RESERVED;
  /** As dbt-bigquery: not null is checked; primary and foreign keys are kept as `not enforced` metadata. */
  readonly constraintSupport: ConstraintSupport = { not_null: 'enforced', primary_key: 'not_enforced', foreign_key: 'not_enforced', unique: 'unsupported', check: 'unsupported', custom: 'enforced' };

  quoteIdentifier(name: string): string {
    return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
  }

  renderRelation(r: Relation): string {
    return relationParts(r, (p) => this.quoteIdentifier(p)).join('.');
  }

  quoteString(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
  }

  /** The dataset is created in the location the job runs in (the profile's `location`). */
  createSchema(schema: string, database?: string): string {
    return `create schema if not exists ${database ? `${this.quoteIdentifier(database)}.` : ''}${this.quoteIdentifier(schema)}`;
  }

  createTableAs(relation: Relation, sql: string, options: RelationOptions = {}): string {
    const config = options.config ?? {};
    const lines = [options.temporary ? `create temp table ${this.quoteIdentifier(relation.identifier)}` : `create or replace table ${this.renderRelation(relation)}`];
    if (options.contract && !options.temporary) {
      // The column list with types and constraints before `as`: BigQuery checks not null, keeps keys unenforced.
      const definitions = contractDefinitions(options.contract, this.constraintSupport, (n) => this.quoteIdentifier(n), { notEnforced: 'not enforced', namedTypes: ['foreign_key'] });
      lines[0] += ` (\n  ${definitions.join(',\n  ')}\n)`;
    }
    const partition = partitionSpecOf(config.partition_by);
    if (partition) lines.push(`partition by ${this.partitionExpression(partition)}`);
    const cluster = config.cluster_by === undefined || config.cluster_by === null ? [] : Array.isArray(config.cluster_by) ? config.cluster_by.map(String) : [String(config.cluster_by)];
    if (cluster.length) lines.push(`cluster by ${cluster.map((c) => this.quoteIdentifier(c)).join(', ')}`);
    // A work table expires after 12 hours, as dbt-bigquery's temp relations (`bigquery_table_options`).
    const opts = this.tableOptions(options.scratch && !options.temporary ? { ...config, hours_to_expiration: 12 } : config, options.description, !options.temporary);
    if (opts) lines.push(opts);
    lines.push(`as (\n${sql}\n)`);
    return sqlHeaderPrefix(options) + lines.join('\n');
  }

  createViewAs(relation: Relation, sql: string, options: RelationOptions = {}): string {
    const opts = this.tableOptions({ labels: options.config?.labels, persist_docs: options.config?.persist_docs }, options.description, true, true);
    return `${sqlHeaderPrefix(options)}create or replace view ${this.renderRelation(relation)}${opts ? `\n${opts}` : ''}\nas (\n${sql}\n)`;
  }

  /** Zero-copy: the clone shares the source's storage until either changes (dbt-bigquery's `create_or_replace_clone`). */
  cloneTable(target: Relation, source: Relation): string {
    return `create or replace table ${this.renderRelation(target)}\nclone ${this.renderRelation(source)}`;
  }

  /** A source with `materialized: external`: an external table over the files, nothing loaded. */
  createExternalTable(relation: Relation, uris: string[], format: string, hivePrefix?: string): string {
    const fmt = bigquerySourceFormat(format);
    const opts = [`format = ${this.quoteString(fmt)}`, `uris = [${uris.map((u) => this.quoteString(u)).join(', ')}]`];
    if (hivePrefix) opts.push(`hive_partition_uri_prefix = ${this.quoteString(hivePrefix)}`);
    if (fmt === 'CSV') opts.push('skip_leading_rows = 1');
    return `create or replace external table ${this.renderRelation(relation)}${hivePrefix ? '\nwith partition columns' : ''}\noptions(${opts.join(', ')})`;
  }

  dropRelation(relation: Relation, kind: RelationKind): string {
    return `drop ${kind === 'view' ? 'view' : kind === 'external' ? 'external table' : 'table'} if exists ${this.renderRelation(relation)}`;
  }

  renameRelation(from: Relation, toIdentifier: string): string {
    return `alter table ${this.renderRelation(from)} rename to ${this.quoteIdentifier(toIdentifier)}`;
  }

  insertInto(target: Relation, sourceSql: string, columns: string[]): string {
    const cols = columns.map((c) => this.quoteIdentifier(c)).join(', ');
    return `insert into ${this.renderRelation(target)} (${cols})\nselect ${cols} from (\n${sourceSql}\n) as DBT_INTERNAL_SOURCE`;
  }

  /**
   * MERGE on the unique key, as dbt-bigquery. With `options.partitionBy` (opt-in) the target scan is
   * restricted to the partitions present in the new rows (a script: the partitions are computed first);
   * with `partitionFilterFor`, dbt's always-true `is null or is not null` on the partition column, which a
   * table with `require_partition_filter` needs.
   */
  merge(target: Relation, source: Relation, uniqueKey: string[], columns: string[], options: MergeOptions = {}): string {
    const q = (c: string): string => this.quoteIdentifier(c);
    const on = uniqueKey.map((k) => `DBT_INTERNAL_DEST.${q(k)} = DBT_INTERNAL_SOURCE.${q(k)}`);
    const script: string[] = [];
    if (options.partitionBy) {
      script.push(this.declarePartitions(options.partitionBy, source));
      on.push(`${this.partitionExpression(options.partitionBy, 'DBT_INTERNAL_DEST')} in unnest(strata_partitions)`);
    } else if (options.partitionFilterFor) {
      const f = `DBT_INTERNAL_DEST.${q(options.partitionFilterFor.field)}`;
      on.push(`(${f} is null or ${f} is not null)`);
    }
    for (const p of options.predicates ?? []) on.push(`(${p})`);
    const cols = columns.map(q).join(', ');
    const vals = columns.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ');
    script.push(`merge into ${this.renderRelation(target)} as DBT_INTERNAL_DEST\nusing ${this.renderRelation(source)} as DBT_INTERNAL_SOURCE\non ${on.join(' and ')}${whenMatched(options.updateColumns ?? columns, q)}\nwhen not matched then insert (${cols}) values (${vals})`);
    return script.join(';\n');
  }

  /** As dbt-bigquery: the field cast to TIMESTAMP, so a DATE or DATETIME event_time compares with the UTC bounds. */
  eventTimeFilter(field: string, start: string, end: string): string {
    return `cast(${field} as timestamp) >= '${start}' and cast(${field} as timestamp) < '${end}'`;
  }

  /**
   * insert_overwrite: replace exactly the partitions present in the new rows (or the static `partitions`
   * list), in one MERGE — atomic in BigQuery.
   */
  insertOverwrite(target: Relation, source: Relation, columns: string[], partitionBy: PartitionSpec, staticPartitions?: string[]): string {
    const q = (c: string): string => this.quoteIdentifier(c);
    const cols = columns.map(q).join(', ');
    const vals = columns.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ');
    const declare = staticPartitions?.length
      ? `declare strata_partitions array<${this.partitionArrayType(partitionBy)}> default [${staticPartitions.join(', ')}]`
      : this.declarePartitions(partitionBy, source);
    return `${declare};\nmerge into ${this.renderRelation(target)} as DBT_INTERNAL_DEST\nusing ${this.renderRelation(source)} as DBT_INTERNAL_SOURCE\non false\nwhen not matched by source and ${this.partitionExpression(partitionBy, 'DBT_INTERNAL_DEST')} in unnest(strata_partitions) then delete\nwhen not matched then insert (${cols}) values (${vals})`;
  }

  /** As dbt-bigquery's `declare_dbt_max_partition`: the greatest non-null partition field of the target. */
  declareMaxPartition(target: Relation, partitionBy: PartitionSpec): string {
    const f = this.quoteIdentifier(partitionBy.field);
    return `declare _dbt_max_partition ${this.partitionArrayType(partitionBy)} default (\n  select max(${f}) from ${this.renderRelation(target)}\n  where ${f} is not null\n)`;
  }

  deleteWhereKeyIn(target: Relation, source: Relation, uniqueKey: string[], predicates: string[] = []): string {
    const q = (c: string): string => this.quoteIdentifier(c);
    const match = uniqueKey.map((k) => `DBT_INTERNAL_SOURCE.${q(k)} = DBT_INTERNAL_DEST.${q(k)}`).join(' and ');
    return `delete from ${this.renderRelation(target)} as DBT_INTERNAL_DEST where exists (select 1 from ${this.renderRelation(source)} as DBT_INTERNAL_SOURCE where ${match})${predicates.map((p) => ` and (${p})`).join('')}`;
  }

  addColumns(relation: Relation, columns: ColumnDef[]): string {
    return `alter table ${this.renderRelation(relation)} ${columns.map((c) => `add column if not exists ${this.quoteIdentifier(c.name)} ${this.columnType(c)}`).join(', ')}`;
  }

  /** A column's type in DDL: a record's fields spelled out (`STRUCT<a INT64>`), a repeated field as an ARRAY. */
  private columnType(c: ColumnDef): string {
    const base = c.fields?.length ? `STRUCT<${c.fields.map((f) => `${this.quoteIdentifier(f.name)} ${this.columnType(f)}`).join(', ')}>` : c.dataType;
    return c.repeated ? `ARRAY<${base}>` : base;
  }

  /**
   * Column descriptions (`persist_docs: {columns: true}`), one statement per column — on a view too, as
   * dbt-bigquery's `persist_docs` does (BigQuery's `alter view … alter column … set options`).
   */
  columnDescriptions(relation: Relation, columns: ColumnDef[], kind: RelationKind = 'table'): string[] {
    const what = kind === 'view' ? 'view' : 'table';
    return columns
      .filter((c) => c.description)
      .map((c) => `alter ${what} ${this.renderRelation(relation)} alter column ${this.quoteIdentifier(c.name)} set options(description = ${this.quoteString(c.description!)})`);
  }

  beginTransaction(): string {
    return 'begin transaction';
  }
  commitTransaction(): string {
    return 'commit transaction';
  }
  rollbackTransaction(): string {
    return 'rollback transaction';
  }

  typeName(generic: 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'date' | 'numeric'): string {
    return { string: 'STRING', integer: 'INT64', float: 'FLOAT64', boolean: 'BOOL', timestamp: 'TIMESTAMP', date: 'DATE', numeric: 'NUMERIC' }[generic];
  }

  /** As dbt-bigquery: an IAM role on a table or view, to `user:`, `group:`, `serviceAccount:` or `domain:` members. */
  grantSql(relation: Relation, kind: RelationKind, privilege: string, grantees: string[]): string {
    return `grant ${this.quoteIdentifier(privilege)} on ${kind === 'view' ? 'view' : 'table'} ${this.renderRelation(relation)} to ${grantees.map((g) => `"${g.replace(/["\\]/g, '')}"`).join(', ')}`;
  }

  revokeSql(relation: Relation, kind: RelationKind, privilege: string, grantees: string[]): string {
    return `revoke ${this.quoteIdentifier(privilege)} on ${kind === 'view' ? 'view' : 'table'} ${this.renderRelation(relation)} from ${grantees.map((g) => `"${g.replace(/["\\]/g, '')}"`).join(', ')}`;
  }

  snapshotTime(): string {
    return 'current_timestamp()';
  }

  md5Hex(expr: string): string {
    return `to_hex(md5(${expr}))`;
  }

  /** The header's temp functions before the query (not a script, so estimated); its other statements left out: see bigquery-dry-run-header.ts. */
  dryRunWithHeader(query: string, header: string): DryRunWithHeader {
    return dryRunWithHeader(query, header);
  }

  secondsSince(timestampExpr: string): string {
    return `timestamp_diff(current_timestamp(), cast(${timestampExpr} as timestamp), second)`;
  }

  /** A named query parameter: the value travels with the job, never in the SQL text. */
  secretReference(name: string): string {
    return `@${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  }

  countRows(sql: string): string {
    return `select count(*) as n from (\n${sql}\n) as strata_count`;
  }

  /** The expression a table is partitioned by, optionally on an alias (`DBT_INTERNAL_DEST.ts`). */
  partitionExpression(p: PartitionSpec, alias?: string): string {
    const f = `${alias ? `${alias}.` : ''}${this.quoteIdentifier(p.field)}`;
    if (p.dataType === 'int64') return alias ? f : `range_bucket(${f}, generate_array(${p.range!.start}, ${p.range!.end}, ${p.range!.interval}))`;
    const g = p.granularity;
    if (p.dataType === 'date') return g === 'day' ? f : `date_trunc(${f}, ${g})`;
    if (p.dataType === 'datetime') return `datetime_trunc(${f}, ${g})`;
    return `timestamp_trunc(${f}, ${g})`;
  }

  private partitionArrayType(p: PartitionSpec): string {
    return { date: 'date', timestamp: 'timestamp', datetime: 'datetime', int64: 'int64' }[p.dataType];
  }

  private declarePartitions(p: PartitionSpec, source: Relation): string {
    return `declare strata_partitions array<${this.partitionArrayType(p)}> default (\n  select array_agg(distinct ${p.dataType === 'int64' ? this.quoteIdentifier(p.field) : this.partitionExpression(p)}) from ${this.renderRelation(source)}\n)`;
  }

  private tableOptions(config: Record<string, unknown>, description: string | undefined, persistable: boolean, isView = false): string | undefined {
    const opts: string[] = [];
    const docs = (config.persist_docs ?? {}) as { relation?: boolean };
    if (persistable && description && docs.relation) opts.push(`description = ${this.quoteString(description)}`);
    const labels = config.labels as Record<string, unknown> | undefined;
    if (labels && Object.keys(labels).length) opts.push(`labels = [${Object.entries(labels).map(([k, v]) => `(${this.quoteString(k)}, ${this.quoteString(String(v))})`).join(', ')}]`);
    if (!isView) {
      if (config.require_partition_filter === true) opts.push('require_partition_filter = true');
      if (config.partition_expiration_days !== undefined) opts.push(`partition_expiration_days = ${Number(config.partition_expiration_days)}`);
      if (config.hours_to_expiration !== undefined) opts.push(`expiration_timestamp = timestamp_add(current_timestamp(), interval ${Number(config.hours_to_expiration)} hour)`);
      if (config.kms_key_name) opts.push(`kms_key_name = ${this.quoteString(String(config.kms_key_name))}`);
    }
    return opts.length ? `options(\n  ${opts.join(',\n  ')}\n)` : undefined;
  }
}

/** A landing format as BigQuery's load jobs and external tables name it. */
export function bigquerySourceFormat(format: string): 'PARQUET' | 'CSV' | 'NEWLINE_DELIMITED_JSON' {
  const f = format.toLowerCase();
  return f === 'csv' ? 'CSV' : f === 'json' || f === 'ndjson' ? 'NEWLINE_DELIMITED_JSON' : 'PARQUET';
}

export const bigqueryDialect = new BigQueryDialect();
