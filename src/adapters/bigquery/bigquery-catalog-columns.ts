import type { ColumnDef } from '../contract.js';

/** A field of a tables.get schema (REST), as much of it as a column's type needs. */
export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  description?: string;
  fields?: SchemaField[];
  maxLength?: string;
  precision?: string;
  scale?: string;
  rangeElementType?: { type: string };
}

/** The REST (legacy) names of types whose GoogleSQL name differs. */
export const STANDARD_TYPES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/**
 * A field's GoogleSQL type as INFORMATION_SCHEMA spells it: a record's fields spelled out
 * (`STRUCT<name STRING, tags ARRAY<STRING>>`), a repeated field as an ARRAY, a length or precision kept
 * (`STRING(8)`, `NUMERIC(10, 2)`), a range's element type (`RANGE<DATE>`).
 */
export function googleSqlType(f: SchemaField): string {
  const named = STANDARD_TYPES[f.type] ?? f.type;
  const parameters = f.rangeElementType ? `<${f.rangeElementType.type}>` : f.maxLength ? `(${f.maxLength})` : f.precision ? `(${f.precision}${f.scale ? `, ${f.scale}` : ''})` : '';
  const base = f.fields?.length ? `STRUCT<${f.fields.map((x) => `${x.name} ${googleSqlType(x)}`).join(', ')}>` : `${named}${parameters}`;
  return f.mode === 'REPEATED' ? `ARRAY<${base}>` : base;
}

/**
 * A relation's columns as dbt-bigquery's catalog lists them (`_bigquery__get_columns_sql`, from
 * INFORMATION_SCHEMA.COLUMN_FIELD_PATHS): every top-level column and every field nested in a record, at any
 * depth, named by its path (`address.city`), typed as its own GoogleSQL type; numbered in the order of the
 * top-level columns, then of the paths as text within each (`row_number() over (order by ordinal_position,
 * field_path)`); a field without a description has the comment `''` (`coalesce(column_comment, '')`).
 */
export function catalogColumns(fields: SchemaField[]): ColumnDef[] {
  return fields.flatMap((top) => pathsOf(top, top.name).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

function pathsOf(f: SchemaField, path: string): ColumnDef[] {
  const own: ColumnDef = { name: path, dataType: googleSqlType(f), nullable: f.mode !== 'REQUIRED', description: f.description ?? '' };
  return [own, ...(f.fields ?? []).flatMap((x) => pathsOf(x, `${path}.${x.name}`))];
}
