/**
 * The one small interface a warehouse implements. A warehouse is one folder under adapters/:
 * a pure Dialect (SQL strings, no I/O, never imports a driver) and an I/O Connection.
 * Materializations are written once against these verbs.
 */
import type { TargetConfig } from '../project/types.js';

export type { Relation, QuotePolicy, RelationKind, ColumnDef, ConstraintDef, ContractDdl, ConstraintSupport, ExistingRelation, Capabilities, RelationOptions, PartitionSpec, MergeOptions, TableLayout, CatalogStat, RelationDetails } from './contract-relations.js';
import type { Relation, RelationKind, ColumnDef, ConstraintDef, ContractDdl, ConstraintSupport, ExistingRelation, Capabilities, RelationOptions, PartitionSpec, MergeOptions, TableLayout, CatalogStat, RelationDetails } from './contract-relations.js';

export interface Dialect {
  readonly name: string;
  readonly capabilities: Capabilities;
  quoteIdentifier(name: string): string;
  /** `"silver"."complaints"` / `` `proj`.`silver`.`complaints` `` */
  renderRelation(relation: Relation): string;
  /** A string literal with proper escaping. */
  quoteString(value: string): string;
  createSchema(schema: string, database?: string): string;
  createTableAs(relation: Relation, sql: string, options?: RelationOptions): string;
  /**
   * Where the warehouse has session-temporary tables (DuckDB): the name of one. `createTableAs` makes it
   * temporary: only the connection that created it sees it, nothing of it reaches the database file or its
   * log, and it is gone when the connection closes (or the process dies). Strata keeps a node's work tables
   * (incremental staging, quarantine checks, snapshot changes) there.
   */
  temporaryRelation?(identifier: string): Relation;
  /** What each constraint type of a contract becomes here (dbt's adapter constraint support). */
  readonly constraintSupport: ConstraintSupport;
  /** Why an unsupported constraint type is left out, where there is more to say than that. */
  readonly constraintNotes?: Partial<Record<ConstraintDef['type'], string>>;
  createViewAs(relation: Relation, sql: string, options?: RelationOptions): string;
  dropRelation(relation: Relation, kind: RelationKind): string;
  /** Rename within the same schema. */
  renameRelation(from: Relation, toIdentifier: string, kind: RelationKind): string;
  insertInto(target: Relation, sourceSql: string, columns: string[]): string;
  merge(target: Relation, source: Relation, uniqueKey: string[], columns: string[], options?: MergeOptions): string;
  /** Incremental strategies this warehouse supports; default: append, merge, delete+insert. */
  readonly incrementalStrategies?: string[];
  /** Replace the partitions present in `source` (or the static list) with its rows (BigQuery). */
  insertOverwrite?(target: Relation, source: Relation, columns: string[], partitionBy: PartitionSpec, staticPartitions?: string[]): string;
  /**
   * dbt-bigquery's `_dbt_max_partition`: a script variable holding the target's greatest partition value,
   * declared before an incremental run's staging build whose SQL names it (BigQuery).
   */
  declareMaxPartition?(target: Relation, partitionBy: PartitionSpec): string;
  /**
   * Microbatch: rows whose `field` (an event_time, as written) is in `[start, end)`, both given as
   * `2024-01-01 00:00:00+00:00`. Absent: dbt's plain comparison of the field with the two texts.
   */
  eventTimeFilter?(field: string, start: string, end: string): string;
  /**
   * Words (lower case) that a bare column name cannot be in an expression here: an `event_time` such as `at`
   * or `order` is quoted where Strata writes it into a filter; any other name is written as configured, as dbt's.
   */
  readonly reservedWords?: ReadonlySet<string>;
  /** A zero-copy clone of a table (BigQuery's `create or replace table … clone …`), where the warehouse has one (`strata clone`). */
  cloneTable?(target: Relation, source: Relation): string;
  /** An external table over object-store files (BigQuery over `gs://`). */
  createExternalTable?(relation: Relation, uris: string[], format: string, hivePrefix?: string): string;
  /** Statements that persist column descriptions (`persist_docs: {columns: true}`); `kind`: the relation's. */
  columnDescriptions?(relation: Relation, columns: ColumnDef[], kind?: RelationKind): string[];
  /** A statement that persists a relation's description after it is built (`persist_docs: {relation: true}`), where it is not given at creation. */
  relationComment?(relation: Relation, kind: RelationKind, comment: string): string;
  /** delete+insert's delete, the target aliased `DBT_INTERNAL_DEST`; `predicates` narrow it (incremental_predicates). */
  deleteWhereKeyIn(target: Relation, source: Relation, uniqueKey: string[], predicates?: string[]): string;
  addColumns(relation: Relation, columns: ColumnDef[]): string;
  /** Landing: alters a column to a wider type (a struct with more fields), the old rows' values converted. */
  alterColumnType?(relation: Relation, column: string, type: string): string;
  /** `expr` cast to `type`, NULL where it cannot be (DuckDB's `try_cast`): how `sync_all_columns` finds rows a type change would alter. */
  tryCast?(expr: string, type: string): string;
  beginTransaction(): string;
  commitTransaction(): string;
  rollbackTransaction(): string;
  /** The SQL type name for a generic type: `string`, `integer`, `float`, `boolean`, `timestamp`, `date`. */
  typeName(generic: 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'date' | 'numeric'): string;
  /** A query's rows, wrapped for counting: `select count(*) as n from (…)`. */
  countRows(sql: string): string;
  /**
   * How SQL reads a secret set on the session (so peppers never appear in SQL text):
   * DuckDB `getvariable('X')`, BigQuery a query parameter `@X`.
   */
  secretReference(name: string): string;
  /** dbt's `grants`: `grant <privilege> on <kind> <relation> to <grantees>`, where the warehouse has them. */
  grantSql?(relation: Relation, kind: RelationKind, privilege: string, grantees: string[]): string;
  revokeSql?(relation: Relation, kind: RelationKind, privilege: string, grantees: string[]): string;
  /** Now, as a snapshot records it (dbt's `snapshot_get_time`). */
  snapshotTime(): string;
  /**
   * The words that make a CTE read more than once be evaluated at each reference instead of stored whole
   * (DuckDB's `not materialized`), where the warehouse stores such a CTE by default. Absent: the warehouse
   * already evaluates each reference (BigQuery).
   */
  readonly inlineCte?: string;
  /**
   * A row's identity within one statement, as a column every table has (DuckDB's `rowid`): a snapshot then
   * finds its changes on narrow rows and fetches the long `dbt_scd_id` of the changed ones only. Absent: the
   * snapshot carries `dbt_scd_id` itself (BigQuery, where reading the table twice would cost more bytes).
   * A table's own column of that name hides it; the snapshot then does without (`usableRowIdentity`).
   */
  readonly rowIdentity?: string;
  /**
   * Aggregates of a set of rows (each row given as its value expressions) that two sets with the same rows,
   * in any order, share, and that differ for other rows but by a chance of about 2^-64 each (DuckDB: sums of
   * 64-bit hashes of the values, in two orders). A snapshot compares its query's keys and versions with its
   * current rows' this way, and when they agree has nothing to stage: a day where the source is as it was
   * costs two narrow scans instead of a join of both. Absent: the snapshot always stages its changes
   * (BigQuery, where the extra read would cost bytes on every day that has changes).
   */
  rowSetFingerprint?(values: string[]): string[];
  /** The md5 of a text expression, as lowercase hex (dbt's snapshot hash). */
  md5Hex(expr: string): string;
  /** Seconds between a timestamp expression and now (source freshness). */
  secondsSince(timestampExpr: string): string;
  /**
   * Capability `dryRun`: what the dry run of a node's query sends when the node has a `sql_header`, and the
   * header's statements that are not in it (a warehouse whose dry run cannot estimate them before the query).
   * Absent: the header, then the query.
   */
  dryRunWithHeader?(query: string, header: string): { sql: string; leftOut: string[] };
  /**
   * SQL that reads one local file (landing). Present: the warehouse reads files itself, and landing loads
   * each file in one transaction with its ledger row. Absent: files go through the object store and a
   * load job (`Connection.loadFiles`).
   */
  readFileSql?(file: string, read: FileRead): string;
  /**
   * Landing: how a bronze table's column of `tableType` takes a file's column of `fileType` (nested types
   * included): as it is, after widening the column, converted (a scalar: its values checked first), or not.
   */
  widenType?(column: string, tableType: string, fileType: string): TypeWidening;
  /** Landing with `land_as: parquet`: writes a query's rows to one local Parquet file. */
  copyToParquetSql?(select: string, file: string): string;
  /**
   * Landing with `land_as: parquet`: the bronze view's query over `<root>/<folder>/*.parquet` — the files the
   * ledger lists as landed (`bronze_file`, relative to `root`), columns matched by name — failing on read
   * when a listed file is missing.
   */
  bronzeViewSql?(root: string, folder: string, ledger: string): string;
  /**
   * dbt-duckdb's `external` materialization: the statements that write `staging` (a temporary table's name)
   * to the file (`empty`: it has no rows), and the query of the view over it.
   */
  externalModel?(staging: string, write: ExternalWrite, empty: boolean): { before: string[]; view: string };
}

/** Where and how an external model's rows are written, and how its view reads them back. */
export interface ExternalWrite {
  /** Absolute path, or an object-store URL. */
  location: string;
  format: 'parquet' | 'csv' | 'json';
  /** `COPY … to location (<copyOptions>)`. */
  copyOptions: string;
  /** The location, or a glob over a partitioned or per-thread output's files. */
  readLocation: string;
  readOptions: Record<string, unknown>;
}

/**
 * Landing: how a table column takes a landed file's column. `takes`: as it is. `widen`: after the column is
 * altered to `type` (old rows keep their values; a new field is null in them); `fields` names what is new or
 * wider (`author.verified (new)`, `score (BIGINT → DOUBLE)`). `convert`: a scalar converted to the table's
 * type, whose values are checked first. `conflict`: `field` (a path inside the column) has a type the table
 * cannot hold; `suggested` would hold both. `takes` and `widen` may come with `rounding` checks: values a
 * double cannot hold exactly (a BIGINT of 2^53 + 1), the table's to be widened or the file's to be
 * inserted, which refuse the file when any is found; `suggested` then holds them all (as text).
 */
export type TypeWidening =
  | { kind: 'takes'; rounding?: RoundingCheck[]; suggested?: string }
  | { kind: 'widen'; type: string; fields: string[]; rounding?: RoundingCheck[]; suggested?: string }
  | { kind: 'convert' }
  | { kind: 'conflict'; field: string; tableType: string; fileType: string; suggested: string };

/**
 * Values of one field (`score`, `author.karma`) that a conversion between numeric types could round: the
 * table's rows (`side: 'table'`: its integers, the field becoming DOUBLE) or the file's (`side: 'file'`: its
 * integers, inserted into a DOUBLE). `where` is SQL over the column, true for a row holding such a value.
 */
export interface RoundingCheck {
  side: 'table' | 'file';
  field: string;
  tableType: string;
  fileType: string;
  where: string;
}

/** One local file to read in SQL: its format and reader options as the source's `external:` gives them. */
export interface FileRead {
  format: string;
  options: Record<string, unknown>;
  hivePartitioned: boolean;
  /** Lower-cased column name → type, of the table the file lands in (empty when it does not exist yet). */
  tableTypes: Map<string, string>;
  /** The column names on a CSV file's first line (an error when it has none, or one is empty or repeated). */
  csvHeader(delim: string, quote: string): string[];
  /**
   * The file's columns, as a `describe` of the same reader gave them: a reader that detects types (JSON) may
   * take them instead of detecting them a second time.
   */
  detected?: ColumnDef[];
}

export interface ExecuteResult {
  rowsAffected?: number;
  /** BigQuery: bytes processed / billed, job id. DuckDB: empty. */
  bytesProcessed?: number;
  bytesBilled?: number;
  jobId?: string;
  /** Free-form adapter response merged into run_results.json `adapter_response`. */
  response?: Record<string, unknown>;
}

export interface QueryResult {
  columns: ColumnDef[];
  rows: Record<string, unknown>[];
  /** The adapter's response to the query as dbt's adapter gives it (`_message` first): a test's `adapter_response`. */
  response?: Record<string, unknown>;
}

export interface DryRunResult {
  bytesProcessed: number;
  /** Referenced tables, for plans. */
  referencedTables?: Relation[];
}

/** One session on a warehouse. Not safe for concurrent use: the scheduler gives each thread its own. */
export interface Connection {
  execute(sql: string): Promise<ExecuteResult>;
  query(sql: string): Promise<QueryResult>;
  /**
   * A statement with bound values (`$1`), which are never in its text: how DuckDB's `setSessionSecret` sets a
   * `secret()` value. Its text carries the query comment, as `execute`'s does; the statement log does not show it.
   */
  executeBound?(sql: string, values: string[]): Promise<void>;
  /** Undefined when the relation does not exist. */
  getRelation(relation: Relation): Promise<ExistingRelation | undefined>;
  listRelations(schema: string, database?: string): Promise<ExistingRelation[]>;
  getColumns(relation: Relation): Promise<ColumnDef[]>;
  /**
   * A table's partitioning and clustering as the warehouse keeps them (BigQuery, whose `create or replace`
   * refuses to change them); undefined when there is no such table. Absent: the warehouse has no such rule.
   */
  tableLayout?(relation: Relation): Promise<TableLayout | undefined>;
  /**
   * Every relation's columns in one schema, in one query (dbt's `get_catalog`), keyed by the relation's name in
   * lower case, each list in column order. `docs generate` reads the catalog with it; a warehouse without it is
   * read relation by relation with `getColumns`.
   */
  getSchemaColumns?(schema: string, database?: string): Promise<Map<string, ColumnDef[]>>;
  /** The grants a relation has now, privilege → grantees (dbt's `get_show_grant_sql`), leaving out the session's own user. */
  getGrants?(relation: Relation): Promise<Map<string, Set<string>>>;
  /**
   * Runs `fn` in a transaction where the warehouse has them (commit on success, rollback on throw);
   * elsewhere just runs it.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Loads a local CSV into a new table (seeds). Column types override inference. */
  loadCsv(relation: Relation, csvPath: string, options: { columnTypes?: Record<string, string>; delimiter?: string }): Promise<ExecuteResult>;
  /** Estimate without running (capability `dryRun`). */
  dryRun?(sql: string): Promise<DryRunResult>;
  /**
   * Loads files already in the warehouse's object store (`gs://…`) into `relation`, replacing it
   * (BigQuery load job). `jobId` makes a retried load idempotent.
   */
  loadFiles?(relation: Relation, uris: string[], options: { format: string; jobId: string; hivePrefix?: string; options?: Record<string, unknown> }): Promise<{ rows: number; columns: ColumnDef[] }>;
  /**
   * Landing where SQL cannot add a field inside a record (BigQuery): the table's schema takes these RECORD
   * columns' new fields, appended at the end of each record (at any depth), nullable; nothing else changes.
   */
  widenRecords?(relation: Relation, columns: ColumnDef[]): Promise<void>;
  /**
   * dbt-bigquery's `grant_access_to`: authorizes a view on another dataset (an access entry of the dataset).
   * False when the dataset already had that entry.
   */
  authorizeView?(view: Relation, target: { project?: string; dataset: string }): Promise<boolean>;
  /** `docs generate`: the relation's type, comment and statistics as the warehouse's dbt catalog gives them. */
  describeRelation?(relation: Relation): Promise<RelationDetails>;
  /**
   * Makes a `secret()` value available to this connection's statements, the value never in any statement's
   * text (so in no log or query history of the warehouse): BigQuery passes it as a query parameter of each job,
   * DuckDB sets a session variable with a prepared statement. Setting the same value again costs nothing.
   */
  setSessionSecret?(name: string, value: string): void | Promise<void>;
  /**
   * Cancels what the connection is running now (Ctrl-C), as dbt's `cancel_open_connections`: DuckDB interrupts
   * its query, BigQuery cancels its job. That statement then fails; one started later runs as usual.
   */
  interrupt?(): void;
  /**
   * The project's `query-comment` with `job-label: true`: the comment of the statements that follow (undefined:
   * none), which this warehouse turns into the labels of their jobs (BigQuery, as dbt-bigquery does).
   */
  labelJobs?(comment: string | undefined): void;
  close(): Promise<void>;
}

/** An opened warehouse: a factory of connections sharing one database. */
export interface Warehouse {
  readonly type: string;
  readonly dialect: Dialect;
  connect(): Promise<Connection>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Absolute project root; relative paths in the profile resolve against it. */
  projectRoot: string;
  /** Values that must be scrubbed from errors. */
  secrets?: string[];
  /** The invocation, for deterministic job ids (BigQuery). */
  invocationId?: string;
}

export type { AdapterMacroFile, ColumnConventions, ProjectScaffold, AdapterCommandOption, CommandIo, AdapterCommand, AdapterConventions, StateSources, StateSourcesInput } from './conventions.js';

/** What a warehouse folder exports. Registered lazily so a DuckDB user never loads Google clients. */
export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  open(target: TargetConfig, options: OpenOptions): Promise<Warehouse>;
  /** Checks a profile target's settings and reports problems as messages (no I/O). */
  validateTarget?(target: TargetConfig): string[];
  /**
   * Whether opening this target leaves the warehouse as it is (an existing local database, nothing to create or
   * attach): a command may then open it while it still reads the project, and close it unused if it stops first.
   */
  opensWithoutWriting?(target: TargetConfig, options: OpenOptions): boolean;
}
