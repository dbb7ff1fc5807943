/**
 * DuckDB values as BigQuery's REST API writes cells (`{f: [{v}]}`): scalars as strings, TIMESTAMP as
 * microseconds since the epoch (or float seconds when the client did not ask for int64 timestamps),
 * DATETIME with a `T`, INTERVAL as `Y-M D H:M:S`, NUMERIC without trailing zeros, BYTES in base64, arrays as `[{v}]`, structs as
 * `{f: [{v}]}`. Typed by the analyzer's output schema, by position.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { TableField } from './bigquery-types.js';

/** A timestamp cell, for the answer: micros (`1577836800000000`) or seconds (`1577836800.0`). */
export class TimestampCell {
  constructor(readonly micros: bigint) {}
  text(int64: boolean): string {
    if (int64) return String(this.micros);
    const sign = this.micros < 0n ? '-' : '';
    const abs = this.micros < 0n ? -this.micros : this.micros;
    return `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
  }
}

function scalar(v: DuckDBValue, type: string): unknown {
  if (v === null || v === undefined) return null;
  const t = type.toUpperCase();
  if (t === 'TIMESTAMP') {
    const micros = (v as { micros?: bigint }).micros;
    return new TimestampCell(typeof micros === 'bigint' ? micros : BigInt(Math.round(new Date(String(v)).getTime() * 1000)));
  }
  if (t === 'DATETIME') return String(v).replace(' ', 'T');
  // A DOUBLE where BigQuery computes a NUMERIC (DuckDB's AVG or division of decimals): NUMERIC's 9 digits.
  if (t === 'NUMERIC' || t === 'BIGNUMERIC') return (typeof v === 'number' ? v.toFixed(9) : String(v)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  if (t === 'BYTES') {
    const bytes = (v as { bytes?: Uint8Array }).bytes;
    return bytes ? Buffer.from(bytes).toString('base64') : String(v);
  }
  if (t === 'FLOAT' || t === 'FLOAT64') {
    const n = Number(v);
    return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : String(n);
  }
  if (t === 'INTERVAL' && typeof v === 'object' && 'months' in v) return intervalText(v as { months: number; days: number; micros: bigint });
  return String(v);
}

/** An INTERVAL in BigQuery's canonical text, `[-]Y-M [-]D [-]H:M:S[.F]` (`0-0 3 0:0:0`). */
function intervalText(i: { months: number; days: number; micros: bigint }): string {
  const ym = `${i.months < 0 ? '-' : ''}${Math.floor(Math.abs(i.months) / 12)}-${Math.abs(i.months) % 12}`;
  const abs = i.micros < 0n ? -i.micros : i.micros;
  const fraction = abs % 1_000_000n ? `.${String(abs % 1_000_000n).padStart(6, '0').replace(/0+$/, '')}` : '';
  const seconds = abs / 1_000_000n;
  const hms = `${i.micros < 0n ? '-' : ''}${seconds / 3600n}:${(seconds / 60n) % 60n}:${seconds % 60n}${fraction}`;
  return `${ym} ${i.days} ${hms}`;
}

/**
 * A value whose shape is not its field's (a scalar where BigQuery's result has a RECORD, a struct missing
 * fields): a translation that bound a name differently than BigQuery. Thrown, so that the job fails with
 * this message instead of answering NULLs or a wrong row.
 */
export class WrongShape extends Error {}

function wrongShape(f: TableField, what: string): never {
  throw new WrongShape(`the DuckDB translation gave ${what} for \`${f.name}\`, a ${(f.mode ?? '').toUpperCase() === 'REPEATED' ? 'REPEATED ' : ''}${f.type.toUpperCase()} in BigQuery's result`);
}

/** A struct's values in its fields' order: by name where every name is its own, else by position. */
function structValues(v: DuckDBValue, f: TableField): DuckDBValue[] {
  const entries = typeof v === 'object' && v !== null && 'entries' in v ? (v as { entries: Record<string, DuckDBValue> }).entries : undefined;
  if (!entries) return wrongShape(f, `a value that is not a struct (${String(v)})`);
  const fields = f.fields ?? [];
  const names = Object.keys(entries);
  if (names.length !== fields.length) return wrongShape(f, `a struct of ${names.length} fields (${names.join(', ')}) where it has ${fields.length}`);
  const byName = new Set(fields.map((c) => c.name)).size === fields.length && fields.every((c) => c.name in entries);
  return byName ? fields.map((c) => entries[c.name]!) : Object.values(entries);
}

/** One value as a REST cell's `v`. */
export function restValue(v: DuckDBValue, f: TableField): unknown {
  if (v === null || v === undefined) return (f.mode ?? '').toUpperCase() === 'REPEATED' ? [] : null;
  if ((f.mode ?? '').toUpperCase() === 'REPEATED') {
    const items = typeof v === 'object' && 'items' in v ? (v as { items: readonly DuckDBValue[] }).items : wrongShape(f, `a value that is not a list (${String(v)})`);
    return items.map((x) => ({ v: restValue(x, { ...f, mode: 'NULLABLE' }) }));
  }
  if (f.type.toUpperCase() === 'RECORD' || f.type.toUpperCase() === 'STRUCT') {
    const values = structValues(v, f);
    return { f: (f.fields ?? []).map((c, i) => ({ v: restValue(values[i] ?? null, c) })) };
  }
  if (typeof v === 'object' && ('entries' in v || 'items' in v)) return wrongShape(f, `a ${'entries' in v ? 'struct' : 'list'} (${String(v)})`);
  return scalar(v, f.type);
}

/** Rows' cells ready for the REST answer, by position (two columns may share a name). */
export function restRows(rows: DuckDBValue[][], fields: TableField[]): unknown[][] {
  return rows.map((r) => fields.map((f, i) => restValue(r[i] ?? null, f)));
}

/** A record's value as the cell the answer carries (timestamps in the format the request asked for). */
export function cellValue(v: unknown, int64Timestamps: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof TimestampCell) return v.text(int64Timestamps);
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && 'v' in x ? { v: cellValue((x as { v: unknown }).v, int64Timestamps) } : { v: cellValue(x, int64Timestamps) }));
  if (typeof v === 'object' && 'f' in (v as object)) return { f: ((v as { f: { v: unknown }[] }).f).map((c) => ({ v: cellValue(c.v, int64Timestamps) })) };
  return String(v);
}
