import type { ColumnConventions, ColumnDef } from '../adapters/contract.js';
import { columnTypeText } from '../adapters/column-type.js';
import { splitArgs } from './call-args.js';

/**
 * dbt's `api.Column` for the adapter at hand: `translate_type`, `string_type`, `numeric_type` and `create`,
 * as packages call them (`api.Column.translate_type('string')`), callable itself (`api.Column('id', 'INT64')`),
 * and the Column objects that `adapter.get_columns_in_relation` returns (`is_string()`, `is_number()`,
 * `string_size()`, `data_type`, `literal()`; BigQueryColumn's `mode`, `fields` and `flatten()`).
 * dbt's base Column, unless the adapter's conventions say otherwise (its labels, string type, quoting,
 * numeric type and literal).
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
  /** BigQueryColumn's: NULLABLE, REQUIRED or REPEATED. */
  readonly mode: string;
  /** A record's fields (BigQuery's RECORD), as Columns. */
  readonly fields: ColumnValue[];
  constructor(
    readonly name: string,
    readonly data_type: string,
    readonly quoted: string,
    shape: { dtype?: string; mode?: string; fields?: ColumnValue[] } = {},
    private readonly conventions: ColumnConventions = BASE,
  ) {
    this.column = name;
    this.dtype = shape.dtype ?? data_type;
    this.mode = shape.mode ?? 'NULLABLE';
    this.fields = shape.fields ?? [];
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
  /** dbt's: the value as this column's type (`1::integer`; BigQuery: `cast(1 as INT64)`). */
  literal(value: unknown): string {
    return this.conventions.literal ? this.conventions.literal(String(value), this.dtype) : `${String(value)}::${this.data_type}`;
  }
  translate_type(dtype: unknown): string {
    return translateType(this.conventions, dtype);
  }
  string_type(size?: unknown): string {
    return this.conventions.stringType(Number(size ?? 256));
  }
  numeric_type(dtype: unknown, precision?: unknown, scale?: unknown): string {
    return numericType(this.conventions, dtype, precision, scale);
  }
  /** BigQueryColumn's: a record's leaf fields as columns named by their path (`item.code`); a plain column, itself. */
  flatten(prefix: string[] = []): ColumnValue[] {
    const path = [...prefix, this.name];
    if (!this.fields.length) return [new ColumnValue(path.join('.'), this.data_type, this.conventions.quote(path.join('.')), { dtype: this.dtype, mode: this.mode }, this.conventions)];
    return this.fields.flatMap((f) => f.flatten(path));
  }
  toString(): string {
    return `<Column ${this.name} (${this.data_type})>`;
  }
}

const translateType = (c: ColumnConventions, dtype: unknown): string => c.labels[String(dtype).toUpperCase()] ?? String(dtype);
const numericType = (c: ColumnConventions, dtype: unknown, precision?: unknown, scale?: unknown): string => {
  if (c.numericType) return c.numericType(String(dtype), precision, scale);
  return precision === undefined || precision === null || scale === undefined || scale === null ? String(dtype) : `${String(dtype)}(${String(precision)},${String(scale)})`;
};

/**
 * A warehouse column as dbt's Column: its whole type as `data_type` (BigQuery's `STRUCT<…>`, `ARRAY<…>`, as
 * BigQueryColumn), `dtype` the type alone (`RECORD` for a record, the element type of an array), its mode.
 */
export function columnValueOf(c: ColumnDef, quote: (name: string) => string, conventions: ColumnConventions = BASE): ColumnValue {
  const fields = (c.fields ?? []).map((f) => columnValueOf(f, conventions.quote, conventions));
  const mode = c.repeated ? 'REPEATED' : c.nullable === false ? 'REQUIRED' : 'NULLABLE';
  return new ColumnValue(c.name, columnTypeText(c), quote(c.name), { dtype: fields.length ? 'RECORD' : c.dataType, mode, fields }, conventions);
}

export function columnApi(conventions: ColumnConventions = BASE): Record<string, unknown> {
  const create = (name: unknown, dataType: unknown, mode?: unknown): ColumnValue =>
    new ColumnValue(String(name), String(dataType), conventions.quote(String(name)), typeof mode === 'string' ? { mode } : {}, conventions);
  return {
    // `api.Column('id', 'INT64')`, as dbt's class is called (BigQueryColumn also takes `mode=`).
    __call__: (...args: unknown[]): ColumnValue => {
      const { pos, kw } = splitArgs(args);
      return create(pos[0] ?? kw.column, pos[1] ?? kw.dtype, kw.mode);
    },
    translate_type: (dtype: unknown): string => translateType(conventions, dtype),
    string_type: (size?: unknown): string => conventions.stringType(Number(size ?? 256)),
    numeric_type: (dtype: unknown, precision?: unknown, scale?: unknown): string => numericType(conventions, dtype, precision, scale),
    create: (name: unknown, dataType: unknown): ColumnValue => create(name, dataType),
  };
}
