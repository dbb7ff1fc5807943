import type { ColumnConventions } from '../adapters/contract.js';

/**
 * dbt's `api.Column` for the adapter at hand: `translate_type`, `string_type`, `numeric_type` and `create`,
 * as packages call them (`api.Column.translate_type('string')`), and the Column objects that
 * `adapter.get_columns_in_relation` returns (`is_string()`, `is_number()`, `string_size()`, `data_type`).
 * dbt's base Column, unless the adapter's conventions say otherwise (its labels, string type and quoting).
 */
const BASE: ColumnConventions = {
  labels: { STRING: 'TEXT', TIMESTAMP: 'TIMESTAMP', FLOAT: 'FLOAT', INTEGER: 'INT' },
  stringType: (size) => `character varying(${size})`,
  quote: (name) => `"${name}"`,
};

const STRING_TYPES = /^(character varying|varchar|text|string|char|character|nvarchar|bpchar)\b/i;
const NUMBER_TYPES = /^(int|integer|bigint|smallint|tinyint|hugeint|int64|int32|int16|int8|uinteger|ubigint|usmallint|utinyint|numeric|decimal|float|float4|float8|float64|double|real|bignumeric|double precision)\b/i;
const INTEGER_TYPES = /^(int|integer|bigint|smallint|tinyint|hugeint|int64|int32|int16|int8|uinteger|ubigint|usmallint|utinyint|serial|bigserial)\b/i;
const FLOAT_TYPES = /^(float|float4|float8|float64|double|real|double precision)\b/i;

/** A column as dbt's Column: name, type and the questions packages ask of it. */
export class ColumnValue {
  readonly column: string;
  readonly dtype: string;
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;
  constructor(
    readonly name: string,
    readonly data_type: string,
    readonly quoted: string,
  ) {
    this.column = name;
    this.dtype = data_type;
    const size = /\((\d+)(?:\s*,\s*(\d+))?\)/.exec(data_type);
    this.char_size = STRING_TYPES.test(data_type) && size ? Number(size[1]) : null;
    this.numeric_precision = !STRING_TYPES.test(data_type) && size ? Number(size[1]) : null;
    this.numeric_scale = size?.[2] !== undefined ? Number(size[2]) : null;
  }
  is_string(): boolean {
    return STRING_TYPES.test(this.data_type);
  }
  is_number(): boolean {
    return NUMBER_TYPES.test(this.data_type);
  }
  is_numeric(): boolean {
    return /^(numeric|decimal|bignumeric)\b/i.test(this.data_type);
  }
  is_integer(): boolean {
    return INTEGER_TYPES.test(this.data_type);
  }
  is_float(): boolean {
    return FLOAT_TYPES.test(this.data_type);
  }
  string_size(): number {
    if (!this.is_string()) throw new Error(`Called string_size() on non-string field ${this.name}`);
    return this.char_size ?? 256;
  }
  can_expand_to(other: ColumnValue): boolean {
    return this.is_string() && other.is_string() && this.string_size() < other.string_size();
  }
  toString(): string {
    return `<Column ${this.name} (${this.data_type})>`;
  }
}

export function columnApi(conventions: ColumnConventions = BASE): Record<string, unknown> {
  const { labels, quote } = conventions;
  return {
    translate_type: (dtype: unknown): string => labels[String(dtype).toUpperCase()] ?? String(dtype),
    string_type: (size?: unknown): string => conventions.stringType(Number(size ?? 256)),
    numeric_type: (dtype: unknown, precision?: unknown, scale?: unknown): string =>
      precision === undefined || precision === null || scale === undefined || scale === null ? String(dtype) : `${String(dtype)}(${String(precision)},${String(scale)})`,
    create: (name: unknown, dataType: unknown): ColumnValue => new ColumnValue(String(name), String(dataType), quote(String(name))),
  };
}
