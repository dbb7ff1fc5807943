import type { Capabilities, ColumnDef, ConstraintSupport, Dialect, ExternalWrite, FileRead, MergeOptions, Relation, RelationKind, RelationOptions, TypeWidening } from '../contract.js';
import { contractDefinitions } from '../contract-ddl.js';
import { relationParts } from '../relation-parts.js';
import { readFileSql } from './duckdb-file-reader.js';
import { widenType } from './duckdb-type-widening.js';
import { whenMatched } from '../merge-sql.js';
import { externalModelSql } from './duckdb-external.js';
import { sqlHeaderPrefix } from '../sql-header.js';

const TEMP_CATALOG = 'temp';

/**
 * DuckDB's keywords a bare column name cannot be in `where x >= …` (its `duckdb_keywords()` of category reserved
 * or type_function, each tried so).
 */
const RESERVED = new Set(
  ('all analyse analyze and anti any array as asc asof asymmetric at authorization binary both by case cast check collate collation column columns ' +
    'concurrently constraint create cross default deferrable desc describe distinct do else end except false fetch for foreign freeze from full generated ' +
    'glob group having ilike in initially inner intersect into is isnull join lambda lateral leading left like limit map natural not notnull null offset ' +
    'on only or order outer overlaps pivot pivot_longer pivot_wider placing positional primary qualify references returning right select semi show ' +
    'similar some struct summarize symmetric table tablesample then to trailing true try_cast union unique unpack unpivot using variadic verbose when ' +
    'where window with').split(' '),
);

/** DuckDB SQL, as strings. No driver here. */
export class DuckDBDialect implements Dialect {
  readonly name = 'duckdb';
  readonly capabilities: Capabilities = { transactionalDdl: true, merge: true, atomicReplace: true, ctasRowCount: true, dryRun: false, microbatchRefusesUniqueKey: true };
  readonly constraintSupport: ConstraintSupport = { not_null: 'enforced', unique: 'enforced', primary_key: 'enforced', check: 'enforced', foreign_key: 'unsupported', custom: 'enforced' };
  readonly reservedWords: ReadonlySet<string> = RESERVED;
  readonly constraintNotes = { foreign_key: 'Strata rebuilds a table by swapping in a new one, and DuckDB cannot drop a table that another references' };
  /** DuckDB stores a CTE read more than once whole; `not materialized` reads it at each reference instead. */
  readonly inlineCte = 'not materialized';
  /** A row's number in its table, stable within a statement. */
  readonly rowIdentity = 'rowid';

  /** Sums of `hash()` (64 bits, summed as a 128-bit integer: no overflow), of the values in two orders. */
  rowSetFingerprint(values: string[]): string[] {
    return [`sum(hash(${values.join(', ')}))`, `sum(hash(${[...values].reverse().join(', ')}, 'strata'))`];
  }

  readFileSql(file: string, read: FileRead): string {
    return readFileSql(this, file, read);
  }

  widenType(column: string, tableType: string, fileType: string): TypeWidening {
    return widenType(column, tableType, fileType);
  }

  copyToParquetSql(select: string, file: string): string {
    return `copy (${select}) to ${this.quoteString(file)} (format parquet)`;
  }

  bronzeViewSql(root: string, folder: string, ledger: string): string {
    const q = (v: string): string => this.quoteString(v);
    const base = `${root.replace(/\/+$/, '')}/`;
    const glob = q(`${base}${folder}/*.parquet`);
    const listed = `${ledger}.status = 'loaded' and substr(${ledger}.bronze_file, 1, ${folder.length + 1}) = ${q(`${folder}/`)}`;
    const missing = `select count(*) from ${ledger} where ${listed} and ${q(base)} || ${ledger}.bronze_file not in (select file from glob(${glob}))`;
    const message = `bronze files of landed objects are missing from ${base}${folder}: run strata land to see which, and how to mend it`;
    return [
      `select * exclude (_strata_bronze_file) from read_parquet(${glob}, union_by_name = true, hive_partitioning = false, filename = '_strata_bronze_file')`,
      `where _strata_bronze_file in (select ${q(base)} || ${ledger}.bronze_file from ${ledger} where ${listed})`,
      `and (select case when (${missing}) > 0 then error(${q(message)}) else true end)`,
    ].join('\n');
  }

  externalModel(staging: string, write: ExternalWrite, empty: boolean): { before: string[]; view: string } {
    return externalModelSql(staging, write, empty);
  }

  quoteIdentifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  renderRelation(r: Relation): string {
    if (r.external) return r.external;
    return relationParts(r, (p) => this.quoteIdentifier(p)).join('.');
  }

  quoteString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  createSchema(schema: string, database?: string): string {
    return `create schema if not exists ${database ? `${this.quoteIdentifier(database)}.` : ''}${this.quoteIdentifier(schema)}`;
  }

  createTableAs(relation: Relation, sql: string, options: RelationOptions = {}): string {
    if (options.contract && !options.temporary) {
      // Created with its columns' types and constraints, then filled: a row breaking one fails the build.
      // Two statements: the caller runs them in one transaction so the old table survives a failure.
      const definitions = contractDefinitions(options.contract, this.constraintSupport, (n) => this.quoteIdentifier(n), { notEnforced: '', namedTypes: ['primary_key', 'unique', 'check'] });
      const target = this.renderRelation(relation);
      return `${sqlHeaderPrefix(options)}create or replace table ${target} (\n  ${definitions.join(',\n  ')}\n);\ninsert into ${target}\nselect * from (\n${sql}\n) as strata_contract`;
    }
    // A relation in the temp catalog (temporaryRelation) can only be a temporary table.
    const temporary = options.temporary || relation.database === TEMP_CATALOG;
    const name = options.temporary && relation.database !== TEMP_CATALOG ? this.quoteIdentifier(relation.identifier) : this.renderRelation(relation);
    return `${sqlHeaderPrefix(options)}create or replace ${temporary ? 'temp ' : ''}table ${name} as (\n${sql}\n)`;
  }

  /** DuckDB's `temp` catalog holds only temporary tables (it cannot be attached under another name). */
  temporaryRelation(identifier: string): Relation {
    return { database: TEMP_CATALOG, schema: 'main', identifier };
  }

  createViewAs(relation: Relation, sql: string, options: RelationOptions = {}): string {
    return `${sqlHeaderPrefix(options)}create or replace view ${this.renderRelation(relation)} as (\n${sql}\n)`;
  }

  dropRelation(relation: Relation, kind: RelationKind): string {
    return `drop ${kind === 'view' ? 'view' : 'table'} if exists ${this.renderRelation(relation)}`;
  }

  renameRelation(from: Relation, toIdentifier: string, kind: RelationKind): string {
    return `alter ${kind === 'view' ? 'view' : 'table'} ${this.renderRelation(from)} rename to ${this.quoteIdentifier(toIdentifier)}`;
  }

  insertInto(target: Relation, sourceSql: string, columns: string[]): string {
    const cols = columns.map((c) => this.quoteIdentifier(c)).join(', ');
    return `insert into ${this.renderRelation(target)} (${cols})\nselect ${cols} from (\n${sourceSql}\n) as DBT_INTERNAL_SOURCE`;
  }

  merge(target: Relation, source: Relation, uniqueKey: string[], columns: string[], options: MergeOptions = {}): string {
    const q = (c: string): string => this.quoteIdentifier(c);
    const on = [...uniqueKey.map((k) => `DBT_INTERNAL_DEST.${q(k)} = DBT_INTERNAL_SOURCE.${q(k)}`), ...(options.predicates ?? []).map((p) => `(${p})`)].join(' and ');
    const cols = columns.map(q).join(', ');
    const vals = columns.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ');
    return `merge into ${this.renderRelation(target)} as DBT_INTERNAL_DEST\nusing ${this.renderRelation(source)} as DBT_INTERNAL_SOURCE\non ${on}${whenMatched(options.updateColumns ?? columns, q)}\nwhen not matched then insert (${cols}) values (${vals})`;
  }

  deleteWhereKeyIn(target: Relation, source: Relation, uniqueKey: string[], predicates: string[] = []): string {
    const q = (c: string): string => this.quoteIdentifier(c);
    const keys = uniqueKey.map(q).join(', ');
    return `delete from ${this.renderRelation(target)} as DBT_INTERNAL_DEST where (${keys}) in (select distinct ${keys} from ${this.renderRelation(source)})${predicates.map((p) => ` and (${p})`).join('')}`;
  }

  addColumns(relation: Relation, columns: ColumnDef[]): string {
    // As dbt-duckdb's (api.Relation.create(identifier=column)): a new column's name follows the identifier quote policy.
    const name = (n: string): string => (relation.quotePolicy?.identifier === false ? n : this.quoteIdentifier(n));
    return columns.map((c) => `alter table ${this.renderRelation(relation)} add column ${name(c.name)} ${c.dataType}`).join(';\n');
  }

  /** `persist_docs: {relation: true}`: the description as the table's or view's comment. */
  relationComment(relation: Relation, kind: RelationKind, comment: string): string {
    return `comment on ${kind === 'view' ? 'view' : 'table'} ${this.renderRelation(relation)} is ${this.quoteString(comment)}`;
  }

  /** `persist_docs: {columns: true}`: column comments, on a table's columns or a view's. */
  columnDescriptions(relation: Relation, columns: ColumnDef[]): string[] {
    return columns.filter((c) => c.description).map((c) => `comment on column ${this.renderRelation(relation)}.${this.quoteIdentifier(c.name)} is ${this.quoteString(c.description!)}`);
  }

  alterColumnType(relation: Relation, column: string, type: string): string {
    // A struct cast matches fields by name: old rows keep theirs, and a new field is null in them.
    return `alter table ${this.renderRelation(relation)} alter column ${this.quoteIdentifier(column)} set data type ${type}`;
  }

  tryCast(expr: string, type: string): string {
    return `try_cast(${expr} as ${type})`;
  }

  beginTransaction(): string {
    return 'begin transaction';
  }
  commitTransaction(): string {
    return 'commit';
  }
  rollbackTransaction(): string {
    return 'rollback';
  }

  typeName(generic: 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'date' | 'numeric'): string {
    return { string: 'varchar', integer: 'bigint', float: 'double', boolean: 'boolean', timestamp: 'timestamp', date: 'date', numeric: 'decimal(38, 9)' }[generic];
  }

  secondsSince(timestampExpr: string): string {
    return `(epoch(current_timestamp) - epoch(${timestampExpr}))`;
  }

  snapshotTime(): string {
    return 'cast(current_timestamp as timestamp)';
  }

  md5Hex(expr: string): string {
    return `md5(${expr})`;
  }

  secretReference(name: string): string {
    return `getvariable(${this.quoteString(name)})`;
  }

  countRows(sql: string): string {
    return `select count(*) as n from (\n${sql}\n) as strata_count`;
  }
}

export const duckdbDialect = new DuckDBDialect();
