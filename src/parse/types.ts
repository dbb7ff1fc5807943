/** What the `parse/` stage produces: a Manifest of nodes. Field names are camelCase; artifacts/ maps them to dbt's. */
import type { Diagnostic, SourceLocation } from '../diagnostics/index.js';

export type ResourceType =
  | 'model'
  | 'seed'
  | 'source'
  | 'test'
  | 'unit_test'
  | 'snapshot'
  | 'analysis'
  | 'landing'
  | 'operation';

export interface RefCall {
  package?: string;
  name: string;
  version?: string | number;
  at?: SourceLocation;
}

export interface SourceCall {
  source: string;
  table: string;
  at?: SourceLocation;
}

/**
 * A `constraints:` entry of a column or a model, applied in DDL when the model's contract is enforced (as dbt).
 * The adapters' `ConstraintDef` is the same shape without the warn flags, kept apart because adapters/ may use no
 * stage's types; `materializations/contract.ts` hands these to the dialect, where TypeScript checks they still agree.
 */
export interface Constraint {
  type: 'not_null' | 'unique' | 'primary_key' | 'check' | 'foreign_key' | 'custom';
  name?: string;
  /** check: the condition; foreign_key: what it references (`other_table (id)`); custom: the clause. */
  expression?: string;
  /** A model's constraint: the columns it is on. */
  columns?: string[];
  /** foreign_key written as `to: ref('x')` with `to_columns`. */
  to?: string;
  toColumns?: string[];
  warnUnenforced: boolean;
  warnUnsupported: boolean;
}

export interface ColumnInfo {
  name: string;
  description: string;
  dataType?: string;
  /** The column's `meta:` merged with its `config: {meta:}` (dbt 1.10), the config's keys winning, as dbt merges them. */
  meta: Record<string, unknown>;
  /** The column's `tags:` and its `config: {tags:}`, each once. */
  tags: string[];
  quote?: boolean;
  constraints?: Constraint[];
  /** Keys of the column's `config:` other than meta and tags, as written. */
  config?: Record<string, unknown>;
  /** MetricFlow's time granularity of the column (`granularity: day`), dbt 1.9. */
  granularity?: string;
}

/** A model's `time_spine:` (dbt 1.9, MetricFlow): its standard granularity column and custom granularities. */
export interface TimeSpine {
  standardGranularityColumn: string;
  customGranularities: { name: string; columnName?: string }[];
}

/**
 * A node's effective config after merging, lowest to highest precedence:
 * project.yml folder configs, schema.yml `config:`, the file's `{{ config() }}`.
 * Known keys are typed; adapter-specific ones (partition_by, cluster_by, …) pass through.
 */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  schema?: string | null;
  database?: string | null;
  alias?: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  unique_key?: string | string[];
  incremental_strategy?: string;
  on_schema_change?: 'ignore' | 'append_new_columns' | 'sync_all_columns' | 'fail';
  full_refresh?: boolean | null;
  pre_hook: string[];
  post_hook: string[];
  /** Seeds. */
  column_types?: Record<string, string>;
  quote_columns?: boolean;
  delimiter?: string;
  /** Tests. */
  severity?: 'error' | 'warn' | 'ERROR' | 'WARN';
  [key: string]: unknown;
}

export interface TestMetadata {
  /** `not_null`, `unique`, `accepted_values`, `relationships`, or a custom generic test. */
  name: string;
  namespace?: string | null;
  kwargs: Record<string, unknown>;
}

export interface ManifestNode {
  uniqueId: string;
  resourceType: Exclude<ResourceType, 'source'>;
  packageName: string;
  name: string;
  /** Relative to its resource path: `silver/complaints.sql`. */
  path: string;
  /**
   * Relative to the project root: `models/silver/complaints.sql`; a package's `dbt_packages/<pkg>/models/x.sql`
   * (a path the user can open; dbt's, relative to the package, comes from package-paths.ts).
   */
  originalFilePath: string;
  fqn: string[];
  language: 'sql';
  rawCode: string;
  checksum: { name: 'sha256'; checksum: string };
  config: NodeConfig;
  /** The config keys as written (before merging with defaults) — dbt's `unrendered_config`. */
  unrenderedConfig: Record<string, unknown>;
  tags: string[];
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  /** YAML file that described this node, if any. */
  patchPath?: string;
  refs: RefCall[];
  sources: SourceCall[];
  /** Filled by graph/: resolved unique ids; macros by parse/. */
  dependsOn: { nodes: string[]; macros: string[] };
  /** Where the relation lives; computed by parse/ with generate_schema_name / generate_alias_name. */
  database?: string;
  schema: string;
  alias: string;
  /** `doc('x')` blocks used. */
  docRefs?: string[];
  /** The model's own `constraints:` (columns' are on their ColumnInfo). */
  constraints?: Constraint[];
  /** A model version (`versions:` in YAML): its `v`, the model's latest, and its deprecation date. */
  version?: string;
  latestVersion?: string;
  deprecationDate?: string;
  /** A model's `time_spine:` (models only). */
  timeSpine?: TimeSpine;
  /** Tests only. */
  testMetadata?: TestMetadata;
  attachedNode?: string;
  columnName?: string;
  /** Seeds: absolute path of the CSV (rawCode stays empty like dbt). */
  seedFile?: string;
  /** Set by compile/. */
  compiledCode?: string;
  compiledPath?: string;
  /** Opaque extra data a later stage needs (landing spec, unit test fixtures, …). */
  extra?: Record<string, unknown>;
}

/** `external:` on a landed source (issue: landing). */
export interface ExternalSpec {
  location: string;
  format?: string;
  pattern?: string;
  partitions?: string | string[] | unknown[];
  options?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SourceDefinition {
  uniqueId: string;
  resourceType: 'source';
  packageName: string;
  sourceName: string;
  name: string;
  identifier: string;
  database?: string;
  schema: string;
  /** The source's and the table's `quoting:` (the table's over the source's), where written. */
  quoting?: Record<string, boolean>;
  loader: string;
  loadedAtField?: string;
  freshness?: Record<string, unknown> | null;
  external?: ExternalSpec;
  /** DuckDB: dbt-duckdb's `external_location`, formatted — the SQL the source is read as (a quoted path or a table function call). */
  externalLocation?: string;
  description: string;
  sourceDescription: string;
  columns: Record<string, ColumnInfo>;
  tags: string[];
  meta: Record<string, unknown>;
  config: { enabled: boolean; [key: string]: unknown };
  fqn: string[];
  path: string;
  originalFilePath: string;
  /** Where in the YAML it was declared. */
  at?: SourceLocation;
}

export interface MacroDefinition {
  uniqueId: string;
  name: string;
  packageName: string;
  path: string;
  originalFilePath: string;
  macroSql: string;
  /** The property file's `arguments:` where it lists them (dbt's macro properties), else the signature's names. */
  arguments: { name: string; type?: string; description?: string }[];
  dependsOn: { macros: string[] };
  description: string;
}

export interface DocBlock {
  uniqueId: string;
  name: string;
  packageName: string;
  path: string;
  originalFilePath: string;
  blockContents: string;
}

/** A downstream use of the project (dashboard, notebook, …) from `exposures:` in a property file. Not run; selectable. */
export interface Exposure {
  uniqueId: string;
  resourceType: 'exposure';
  packageName: string;
  name: string;
  label?: string;
  /** dashboard, notebook, analysis, ml or application. */
  type: string;
  maturity?: string;
  url?: string;
  owner: { name?: string; email?: string };
  description: string;
  tags: string[];
  meta: Record<string, unknown>;
  config: { enabled: boolean; tags: string[]; meta: Record<string, unknown>; [key: string]: unknown };
  unrenderedConfig: Record<string, unknown>;
  refs: RefCall[];
  sources: SourceCall[];
  /** `metric('x')` entries, kept as written: Strata has no metrics yet. */
  metrics: string[];
  /** Filled by graph/: the resolved parents. */
  dependsOn: { nodes: string[]; macros: string[] };
  fqn: string[];
  /** Of the property file: relative to its resource path, and to the project root. */
  path: string;
  originalFilePath: string;
  at?: SourceLocation;
}

/** A `groups:` entry of a property file (dbt: `group.<package>.<name>`): an owner for the nodes whose `group` config names it. */
export interface GroupDefinition {
  uniqueId: string;
  resourceType: 'group';
  packageName: string;
  name: string;
  /** `name`, `email` (text or a list), and any other keys as written (slack, github, …). */
  owner: Record<string, unknown>;
  description?: string;
  config: { meta: Record<string, unknown> };
  /** Of the property file: relative to its resource path, and to the project root. */
  path: string;
  originalFilePath: string;
  at?: SourceLocation;
}

export interface Manifest {
  projectName: string;
  adapterType: string;
  nodes: Record<string, ManifestNode>;
  sources: Record<string, SourceDefinition>;
  macros: Record<string, MacroDefinition>;
  docs: Record<string, DocBlock>;
  exposures: Record<string, Exposure>;
  /** The `groups:` of every property file, the packages' included; absent in a manifest built by hand. */
  groups?: Record<string, GroupDefinition>;
  /** Nodes switched off with `enabled: false` (dbt keeps them apart so refs to them get a clear error). */
  disabled: Record<string, ManifestNode | SourceDefinition | Exposure>;
  /**
   * Each installed package's folder from the project root (`my_pkg` → `dbt_packages/my_pkg`): its files' paths
   * start with it here, and not in dbt's artifacts (package-paths.ts). Absent in a manifest built by hand.
   */
  packageDirs?: Record<string, string>;
  /** The root project's `quoting:` (dbt's quote policy for every relation: database, schema, identifier). */
  quoting?: Record<string, boolean>;
}

export interface ParseResult {
  manifest: Manifest;
  diagnostics: Diagnostic[];
}
