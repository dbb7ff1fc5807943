/**
 * Column types between BigQuery's REST schema (`{name, type, mode, fields}`, legacy type names) and
 * ZetaSQL's `TypeProto`, both ways. Pure functions.
 */

/** A column as BigQuery's `tables.get` reports it. */
export interface TableField {
  name: string;
  type: string;
  mode?: string;
  fields?: TableField[];
  description?: string;
}

export interface TypeProto {
  type_kind: string;
  array_type?: { element_type: TypeProto };
  struct_type?: { field: { field_name: string; field_type: TypeProto }[] };
  range_type?: { element_type: TypeProto };
}

/** Every spelling BigQuery accepts in a schema, to ZetaSQL's kind. */
const TO_KIND: Record<string, string> = {
  INTEGER: 'TYPE_INT64', INT64: 'TYPE_INT64', FLOAT: 'TYPE_DOUBLE', FLOAT64: 'TYPE_DOUBLE', BOOLEAN: 'TYPE_BOOL', BOOL: 'TYPE_BOOL',
  STRING: 'TYPE_STRING', BYTES: 'TYPE_BYTES', DATE: 'TYPE_DATE', DATETIME: 'TYPE_DATETIME', TIME: 'TYPE_TIME', TIMESTAMP: 'TYPE_TIMESTAMP',
  NUMERIC: 'TYPE_NUMERIC', DECIMAL: 'TYPE_NUMERIC', BIGNUMERIC: 'TYPE_BIGNUMERIC', BIGDECIMAL: 'TYPE_BIGNUMERIC', GEOGRAPHY: 'TYPE_GEOGRAPHY',
  JSON: 'TYPE_JSON', INTERVAL: 'TYPE_INTERVAL',
};

/** ZetaSQL's kind to the name `tables.get` uses (the REST API still answers with legacy names). */
const TO_REST: Record<string, string> = {
  TYPE_INT64: 'INTEGER', TYPE_INT32: 'INTEGER', TYPE_UINT32: 'INTEGER', TYPE_UINT64: 'INTEGER', TYPE_DOUBLE: 'FLOAT', TYPE_FLOAT: 'FLOAT',
  TYPE_BOOL: 'BOOLEAN', TYPE_STRING: 'STRING', TYPE_BYTES: 'BYTES', TYPE_DATE: 'DATE', TYPE_DATETIME: 'DATETIME', TYPE_TIME: 'TIME',
  TYPE_TIMESTAMP: 'TIMESTAMP', TYPE_NUMERIC: 'NUMERIC', TYPE_BIGNUMERIC: 'BIGNUMERIC', TYPE_GEOGRAPHY: 'GEOGRAPHY', TYPE_JSON: 'JSON',
  TYPE_INTERVAL: 'INTERVAL', TYPE_RANGE: 'RANGE', TYPE_ENUM: 'STRING', TYPE_PROTO: 'BYTES',
};

/** A REST field (with its mode) as a ZetaSQL type; unknown names become STRING. */
export function fieldToType(f: TableField): TypeProto {
  const t = f.type.toUpperCase();
  const base: TypeProto =
    t === 'RECORD' || t === 'STRUCT'
      ? { type_kind: 'TYPE_STRUCT', struct_type: { field: (f.fields ?? []).map((c) => ({ field_name: c.name, field_type: fieldToType(c) })) } }
      : { type_kind: TO_KIND[t.replace(/[<(].*$/, '')] ?? 'TYPE_STRING' };
  return (f.mode ?? '').toUpperCase() === 'REPEATED' ? { type_kind: 'TYPE_ARRAY', array_type: { element_type: base } } : base;
}

/** A ZetaSQL type as a REST field: arrays become REPEATED, structs RECORD with their fields. */
export function typeToField(name: string, type: TypeProto): TableField {
  if (type.type_kind === 'TYPE_ARRAY' && type.array_type) return { ...typeToField(name, type.array_type.element_type), mode: 'REPEATED' };
  if (type.type_kind === 'TYPE_STRUCT') {
    return { name, type: 'RECORD', mode: 'NULLABLE', fields: (type.struct_type?.field ?? []).map((f, i) => typeToField(f.field_name || `_field_${i + 1}`, f.field_type)) };
  }
  return { name, type: TO_REST[type.type_kind] ?? 'STRING', mode: 'NULLABLE' };
}

/** The Standard SQL spelling of a type (`ARRAY<STRUCT<a INT64>>`), for INFORMATION_SCHEMA.COLUMNS. */
export function standardTypeName(type: TypeProto): string {
  if (type.type_kind === 'TYPE_ARRAY' && type.array_type) return `ARRAY<${standardTypeName(type.array_type.element_type)}>`;
  if (type.type_kind === 'TYPE_STRUCT') return `STRUCT<${(type.struct_type?.field ?? []).map((f) => `${f.field_name} ${standardTypeName(f.field_type)}`).join(', ')}>`;
  const rest = TO_REST[type.type_kind] ?? 'STRING';
  return ({ INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' } as Record<string, string>)[rest] ?? rest;
}

/** Scalar kinds by Standard SQL name, for query parameter types (`STRING`, `INT64`…). */
export function scalarType(name: string): TypeProto {
  return { type_kind: TO_KIND[name.toUpperCase()] ?? 'TYPE_STRING' };
}
