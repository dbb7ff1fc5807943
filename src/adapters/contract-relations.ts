/** The relations, columns and constraints the warehouse contract (contract.ts) speaks of: plain shapes, no behaviour. */
export interface Relation {
  /** DuckDB: catalog (usually omitted); BigQuery: project. */
  database?: string;
  /** DuckDB: schema; BigQuery: dataset. */
  schema: string;
  identifier: string;
  /**
   * DuckDB: what the relation is read as instead of its name — a source's `external_location` (a quoted path,
   * `read_csv(…)`). Rendered as it is; never created, dropped or listed.
   */
  external?: string;
  /**
   * dbt's quote policy: a part set to false is written as it is, unquoted (project `quoting:`, a model's
   * `quoting` config, `api.Relation.create(quote_policy=…)`). A part not set is quoted.
   */
  quotePolicy?: QuotePolicy;
}

/** Which parts of a relation's name are quoted; a part set to false is not. */
export interface QuotePolicy {
  database?: boolean;
  schema?: boolean;
  identifier?: boolean;
}

export type RelationKind = 'table' | 'view' | 'external';

export interface ColumnDef {
  name: string;
  /** Warehouse type as the warehouse spells it (`VARCHAR`, `INT64`). */
  dataType: string;
  nullable?: boolean;
  description?: string;
  /** A record's fields, where the warehouse names its type by kind only (BigQuery's RECORD: `STRUCT`). */
  fields?: ColumnDef[];
  /** A repeated field (BigQuery's REPEATED mode: an array of `dataType`). */
  repeated?: boolean;
}

/** A column or model constraint of an enforced contract (dbt's `constraints:`), as the dialect renders it: parse/'s `Constraint` without its warn flags (see there). */
export interface ConstraintDef {
  type: 'not_null' | 'unique' | 'primary_key' | 'check' | 'foreign_key' | 'custom';
  name?: string;
  expression?: string;
  /** On a model's constraint: its columns. */
  columns?: string[];
  to?: string;
  toColumns?: string[];
}

/** A contracted table's column list: each column with its type and constraints, and the model's constraints. */
export interface ContractDdl {
  columns: { name: string; dataType: string; constraints: ConstraintDef[] }[];
  constraints: ConstraintDef[];
}

/** How a warehouse treats each constraint type: checked on write, written but not checked, or not written at all. */
export type ConstraintSupport = Record<ConstraintDef['type'], 'enforced' | 'not_enforced' | 'unsupported'>;

export interface ExistingRelation extends Relation {
  kind: RelationKind;
  /** Its comment, where the warehouse lists it with the relation (DuckDB: `persist_docs`). */
  comment?: string;
}

/** One statistic of a relation in dbt's catalog (`stats.<id>`): label, value, whether the docs show it. */
export interface CatalogStat {
  id: string;
  label: string;
  value: unknown;
  include: boolean;
  description: string;
}

/** What a warehouse's own dbt catalog says of a relation beyond its columns (BigQuery: `describeRelation`). */
export interface RelationDetails {
  /** `metadata.type` as the warehouse's dbt adapter spells it (dbt-bigquery: `table`, `view`, `external`). */
  type: string;
  comment?: string;
  stats: CatalogStat[];
  /**
   * The columns as that catalog lists them, where it lists more than the relation's columns (dbt-bigquery: each
   * field nested in a record as its own `parent.child` column, a missing comment as `''`). catalog.json
   * shows these; column lineage keeps the relation's own columns.
   */
  columns?: ColumnDef[];
}

/** What differs between warehouses, stated once so strategies branch on facts, not names. */
export interface Capabilities {
  /** DDL can run inside a transaction and roll back (DuckDB yes, BigQuery no). */
  transactionalDdl: boolean;
  /** `MERGE` statement available. */
  merge: boolean;
  /**
   * `CREATE OR REPLACE TABLE|VIEW … AS` swaps atomically, so a failed or killed build leaves the old relation
   * (BigQuery; DuckDB, whose single statement runs in its own transaction).
   */
  atomicReplace: boolean;
  /** `CREATE TABLE … AS` answers with the rows it wrote (DuckDB's `Count`; BigQuery's new table's numRows), so no `count(*)` is needed after it. */
  ctasRowCount?: boolean;
  /** Dry-run cost estimates (BigQuery). */
  dryRun: boolean;
  /**
   * A microbatch model with a `unique_key` fails its incremental batches, as dbt-duckdb's microbatch refuses it
   * (batches replace their window by `event_time`; a key would suggest upserts that never happen). Elsewhere
   * the key is ignored, as dbt-bigquery's.
   */
  microbatchRefusesUniqueKey?: boolean;
}

/** Options a materialization passes to table/view creation (partitioning, clustering, labels…). */
export interface RelationOptions {
  config?: Record<string, unknown>;
  description?: string;
  columns?: ColumnDef[];
  /** An enforced contract: the table is created with these column definitions and constraints, then filled. */
  contract?: ContractDdl;
  /** CREATE TEMP … where the warehouse has it. */
  temporary?: boolean;
  /**
   * A work table Strata drops once done (an incremental model's or a snapshot's `__strata_tmp`): BigQuery gives
   * it a 12-hour expiration, as dbt-bigquery its temp relations, so one a killed run leaves is not kept.
   */
  scratch?: boolean;
}

/** `partition_by` of a BigQuery table, normalised (dbt-bigquery's shape). */
export interface PartitionSpec {
  field: string;
  dataType: 'date' | 'timestamp' | 'datetime' | 'int64';
  granularity: 'hour' | 'day' | 'month' | 'year';
  range?: { start: number; end: number; interval: number };
}

/** A table's partitioning (time unit or integer range, on a column) and clustering, as the warehouse keeps them. */
export interface TableLayout {
  partition?: { field: string; granularity?: PartitionSpec['granularity']; range?: { start: number; end: number; interval: number } };
  clusterBy: string[];
}

export interface MergeOptions {
  /**
   * Restrict the target scan to the partitions present in the source (BigQuery, opt-in): a key whose
   * partition value moved is then not matched, so only safe where a key never changes partition.
   */
  partitionBy?: PartitionSpec;
  /** The target's partition column, for an always-true filter on it (BigQuery's `require_partition_filter`). */
  partitionFilterFor?: PartitionSpec;
  /** dbt's `incremental_predicates`: conditions added to the match, over `DBT_INTERNAL_DEST` / `DBT_INTERNAL_SOURCE`. */
  predicates?: string[];
  /** The columns a matched row gets from the source (dbt's `merge_update_columns` / `merge_exclude_columns`); all when absent, none: matched rows stay as they are. */
  updateColumns?: string[];
}
