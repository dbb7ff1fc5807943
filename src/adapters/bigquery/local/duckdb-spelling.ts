/**
 * How BigQuery's names, literals, types and functions are spelled in DuckDB: the tables the translation
 * (to-duckdb.ts) reads, and quoting. Pure data and functions.
 */

export const TYPES: Record<string, string> = {
  int64: 'BIGINT', integer: 'BIGINT', int: 'BIGINT', smallint: 'BIGINT', tinyint: 'BIGINT', byteint: 'BIGINT', bigint: 'BIGINT',
  float64: 'DOUBLE', bool: 'BOOLEAN', boolean: 'BOOLEAN', string: 'VARCHAR', bytes: 'BLOB', numeric: 'DECIMAL(38,9)', decimal: 'DECIMAL(38,9)',
  bignumeric: 'DECIMAL(38,9)', bigdecimal: 'DECIMAL(38,9)', timestamp: 'TIMESTAMPTZ', datetime: 'TIMESTAMP', json: 'JSON',
};

/** Functions that are the same in both, or only renamed. */
export const RENAMED: Record<string, string> = {
  regexp_contains: 'regexp_matches', countif: 'count_if', logical_and: 'bool_and', logical_or: 'bool_or', array_length: 'len',
  generate_array: 'generate_series', is_nan: 'isnan', is_inf: 'isinf', json_extract_scalar: 'json_extract_string', json_value: 'json_extract_string',
};

/** Functions BigQuery has that these rules do not translate faithfully. */
export const REFUSED = new Set(['farm_fingerprint', 'format', 'net.host', 'st_geogpoint', 'ml.predict', 'range_bucket', 'approx_top_count', 'hll_count.init']);

/** Words that can follow a FROM item and are no alias. */
export const CLAUSE_WORDS = new Set(['on', 'using', 'where', 'with', 'left', 'right', 'full', 'inner', 'cross', 'join', 'group', 'order', 'limit', 'union', 'intersect', 'except', 'qualify', 'window', 'having', 'as']);

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A BigQuery format string for DuckDB's strftime/strptime. */
export function timeFormat(fmt: string): string {
  return fmt.replace(/%E\*S/g, '%S').replace(/%E(\d)S/g, '%S').replace(/%Ez/g, '%z').replace(/%F/g, '%Y-%m-%d').replace(/%T/g, '%H:%M:%S');
}

/** A REST schema type (with mode) as a DuckDB column type. */
export function duckTypeOfField(f: { type: string; mode?: string; fields?: { name: string; type: string; mode?: string; fields?: unknown[] }[] }): string {
  const t = f.type.toUpperCase();
  const base =
    t === 'RECORD' || t === 'STRUCT'
      ? `STRUCT(${(f.fields ?? []).map((c) => `${quoteIdent(c.name)} ${duckTypeOfField(c as typeof f)}`).join(', ')})`
      : ({ INTEGER: 'BIGINT', INT64: 'BIGINT', FLOAT: 'DOUBLE', FLOAT64: 'DOUBLE', BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', STRING: 'VARCHAR', BYTES: 'BLOB', DATE: 'DATE', DATETIME: 'TIMESTAMP', TIME: 'TIME', TIMESTAMP: 'TIMESTAMPTZ', NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,9)', JSON: 'JSON', GEOGRAPHY: 'VARCHAR', INTERVAL: 'INTERVAL' } as Record<string, string>)[t] ?? 'VARCHAR';
  return (f.mode ?? '').toUpperCase() === 'REPEATED' ? `${base}[]` : base;
}
