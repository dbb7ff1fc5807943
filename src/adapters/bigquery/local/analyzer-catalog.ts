/**
 * The analyzer's view of the warehouse for one statement: a ZetaSQL `SimpleCatalogProto` holding exactly
 * the tables the statement names, each under the path it is written with (`` `p`.`d`.`t` ``, `` `p.d.t` ``,
 * `d.t`), the INFORMATION_SCHEMA views it reads, and the script's declared variables as constants.
 */
import { fieldToType, type TableField, type TypeProto } from './bigquery-types.js';

/** A table name as the SQL wrote it, resolved to the warehouse's `project.dataset.table` (or a temp table's name). */
export function canonicalName(path: string[], project: string): string {
  const parts = path.flatMap((p) => p.split('.'));
  return parts.length === 2 ? `${project}.${parts[0]}.${parts[1]}` : parts.join('.');
}

const S = 'STRING';
const I = 'INTEGER';
const T = 'TIMESTAMP';
const cols = (spec: [string, string][]): TableField[] => spec.map(([name, type]) => ({ name, type, mode: 'NULLABLE' }));

/** The INFORMATION_SCHEMA views Strata and dbt packages read, with BigQuery's columns. */
export const INFORMATION_SCHEMA_VIEWS: Record<string, TableField[]> = {
  COLUMNS: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['column_name', S], ['ordinal_position', I], ['is_nullable', S], ['data_type', S], ['is_generated', S], ['generation_expression', S], ['is_stored', S], ['is_hidden', S], ['is_updatable', S], ['is_system_defined', S], ['is_partitioning_column', S], ['clustering_ordinal_position', I], ['collation_name', S], ['column_default', S], ['rounding_mode', S]]),
  COLUMN_FIELD_PATHS: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['column_name', S], ['field_path', S], ['data_type', S], ['description', S], ['collation_name', S], ['rounding_mode', S]]),
  TABLES: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['table_type', S], ['is_insertable_into', S], ['is_typed', S], ['creation_time', T], ['base_table_catalog', S], ['base_table_schema', S], ['base_table_name', S], ['snapshot_time_ms', T], ['ddl', S], ['default_collation_name', S], ['upsert_stream_apply_watermark', T]]),
  TABLE_OPTIONS: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['option_name', S], ['option_type', S], ['option_value', S]]),
  SCHEMATA: cols([['catalog_name', S], ['schema_name', S], ['schema_owner', S], ['creation_time', T], ['last_modified_time', T], ['location', S], ['ddl', S], ['default_collation_name', S]]),
  PARTITIONS: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['partition_id', S], ['total_rows', I], ['total_logical_bytes', I], ['total_billable_bytes', I], ['last_modified_time', T], ['storage_tier', S]]),
  OBJECT_PRIVILEGES: cols([['object_catalog', S], ['object_schema', S], ['object_name', S], ['object_type', S], ['privilege_type', S], ['grantee', S]]),
  VIEWS: cols([['table_catalog', S], ['table_schema', S], ['table_name', S], ['view_definition', S], ['check_option', S], ['use_standard_sql', S]]),
};

/** The INFORMATION_SCHEMA view a path names (`…INFORMATION_SCHEMA.COLUMNS` → COLUMNS), if it does. */
export function informationSchemaView(path: string[]): string | undefined {
  const parts = path.flatMap((p) => p.split('.'));
  const at = parts.findIndex((p) => p.toUpperCase() === 'INFORMATION_SCHEMA');
  return at >= 0 && at === parts.length - 2 ? parts[at + 1]!.toUpperCase() : undefined;
}

export interface CatalogInput {
  /** Table paths as written in the statement. */
  paths: string[][];
  /** The columns of the table a path names, or undefined when there is no such table. */
  columnsOf(path: string[]): TableField[] | undefined;
  constants: { name: string; type: TypeProto }[];
  /** Functions the script created so far (FunctionProto, plain data), if any. */
  functions?: unknown[];
  /** The builtin function options (language options) the catalog loads. */
  languageOptions: unknown;
  /** The table's name in the warehouse (`project.dataset.table`), which scans of it report as their `full_name`. */
  fullName?(path: string[]): string;
}

interface CatalogNode {
  name: string;
  table: { name: string; column: { name: string; type: TypeProto }[] }[];
  catalog: CatalogNode[];
}

function child(node: CatalogNode, name: string): CatalogNode {
  let c = node.catalog.find((x) => x.name === name);
  if (!c) node.catalog.push((c = { name, table: [], catalog: [] }));
  return c;
}

/** BigQuery's aliases of INT64, NUMERIC and BIGNUMERIC, which ZetaSQL resolves through the catalog. */
export const TYPE_ALIASES = [
  ...['INT', 'SMALLINT', 'INTEGER', 'BIGINT', 'TINYINT', 'BYTEINT'].map((name) => ({ name, type: { type_kind: 'TYPE_INT64' } })),
  { name: 'DECIMAL', type: { type_kind: 'TYPE_NUMERIC' } },
  { name: 'BIGDECIMAL', type: { type_kind: 'TYPE_BIGNUMERIC' } },
];

/** Builds the catalog for one statement (plain data, sent with each Analyze call). */
export function buildCatalog(input: CatalogInput): Record<string, unknown> {
  const root: CatalogNode = { name: 'strata_local', table: [], catalog: [] };
  const seen = new Set<string>();
  for (const path of input.paths) {
    const id = JSON.stringify(path);
    if (seen.has(id)) continue;
    seen.add(id);
    const fields = input.columnsOf(path);
    if (!fields) continue;
    let node = root;
    for (const segment of path.slice(0, -1)) node = child(node, segment);
    node.table.push({ name: path.at(-1)!, ...(input.fullName ? { full_name: input.fullName(path) } : {}), column: fields.map((f) => ({ name: f.name, type: fieldToType(f) })) });
  }
  return {
    ...root,
    builtin_function_options: { language_options: input.languageOptions },
    named_type: TYPE_ALIASES,
    constant: input.constants.map((c) => ({ name_path: [c.name], type: c.type, value: {} })),
    ...(input.functions?.length ? { custom_function: input.functions } : {}),
  };
}
