import type { ColumnDef } from './contract-relations.js';

/**
 * A column's whole type, as dbt-bigquery's `BigQueryColumn.data_type` spells it: a record's fields inside
 * `STRUCT<…>` (each name backquoted) and a repeated column as `ARRAY<…>`. Where the warehouse already spells
 * the whole type in `dataType` (DuckDB's `STRUCT(a INTEGER)`, `INTEGER[]`), that, unchanged.
 */
export function columnTypeText(c: Pick<ColumnDef, 'dataType' | 'fields' | 'repeated'>): string {
  const inner = c.fields?.length ? `STRUCT<${c.fields.map((f) => `\`${f.name}\` ${columnTypeText(f)}`).join(', ')}>` : c.dataType;
  return c.repeated ? `ARRAY<${inner}>` : inner;
}
