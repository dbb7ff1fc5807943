/**
 * A BigQuery SELECT run on given rows by ZetaSQL's reference evaluator — BigQuery's semantics, exactly,
 * on small data. The tables the SQL names (`` `p`.`d`.`t` ``) are handed over as top-level tables with
 * their rows (the evaluator reads rows of top-level tables only). Values go in and come out as plain
 * strings, numbers and booleans keyed by column; supported column types: INT64, FLOAT64, NUMERIC (exact,
 * out as decimal text), STRING, BOOL, DATE, TIMESTAMP (text with or without an offset: `Z`, `+00`, `+05:30`).
 */
import type { ZetaSql } from './zetasql-service.js';
import type { AnalyzerSettings } from './analyzer-options.js';
import { fieldToType, scalarType, type TableField } from './bigquery-types.js';
import { TYPE_ALIASES } from './analyzer-catalog.js';

export interface InputTable {
  /** `project.dataset.table`, as the SQL names it (backquoted per part or whole). */
  name: string;
  fields: TableField[];
  rows: Record<string, unknown>[];
}

type Value = Record<string, unknown>;
const DAY_MS = 86_400_000;
const NUMERIC_SCALE = 9;

/** Decimal text as ZetaSQL's NUMERIC bytes: value × 10⁹, two's complement, little-endian, fewest bytes. */
function numericBytes(v: unknown): Buffer {
  const plain = String(v).trim();
  const text = /^[+-]?\d+(\.\d*)?$/.test(plain) ? plain : Number(v).toFixed(NUMERIC_SCALE);
  if (!/^[+-]?\d+(\.\d*)?$/.test(text)) throw new Error(`the reference evaluator helper cannot read ${plain} as NUMERIC`);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.') as [string, string?];
  let scaled = BigInt(whole + fraction.slice(0, NUMERIC_SCALE).padEnd(NUMERIC_SCALE, '0'));
  if (Number(fraction[NUMERIC_SCALE] ?? '0') >= 5) scaled += 1n; // half away from zero, as BigQuery rounds
  let x = negative ? -scaled : scaled;
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(x & 0xffn);
    bytes.push(byte);
    x >>= 8n;
    if ((x === 0n && byte < 0x80) || (x === -1n && byte >= 0x80)) break;
  }
  return Buffer.from(bytes);
}

/** ZetaSQL's NUMERIC bytes as exact decimal text ('7.92', '-1.5', '0'). */
function numericText(bytes: Uint8Array): string {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  if (bytes.length && bytes[bytes.length - 1]! >= 0x80) x -= 1n << BigInt(8 * bytes.length);
  const digits = (x < 0n ? -x : x).toString().padStart(NUMERIC_SCALE + 1, '0');
  const fraction = digits.slice(-NUMERIC_SCALE).replace(/0+$/, '');
  return `${x < 0n ? '-' : ''}${digits.slice(0, -NUMERIC_SCALE)}${fraction ? `.${fraction}` : ''}`;
}

/** Timestamp text as epoch milliseconds: no offset means UTC; DuckDB's `+00` offsets are read as `+00:00`. */
function timestampMs(v: unknown): number {
  const text = String(v).replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const ms = Date.parse(/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new Error(`the reference evaluator helper cannot read ${String(v)} as a TIMESTAMP`);
  return ms;
}

/** A plain value as the evaluator's ValueProto for a column of BigQuery type `type`. */
function toValue(v: unknown, type: string): Value {
  if (v === null || v === undefined) return {};
  switch (type) {
    case 'INTEGER':
      return { int64_value: String(v) };
    case 'FLOAT':
      return { double_value: Number(v) };
    case 'NUMERIC':
      return { numeric_value: numericBytes(v) };
    case 'BOOLEAN':
      return { bool_value: v === true || v === 'true' };
    case 'DATE':
      return { date_value: Math.round(Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / DAY_MS) };
    case 'TIMESTAMP': {
      const ms = timestampMs(v);
      return { timestamp_value: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 } };
    }
    case 'STRING':
      return { string_value: String(v) };
    default:
      throw new Error(`the reference evaluator helper does not take ${type} values`);
  }
}

/** An evaluator value as a plain value: dates and timestamps as ISO strings. */
function fromValue(v: Value): unknown {
  const kind = v.value as string | undefined;
  if (!kind) return null;
  if (kind === 'date_value') return new Date(Number(v.date_value) * DAY_MS).toISOString().slice(0, 10);
  if (kind === 'timestamp_value') {
    const t = v.timestamp_value as { seconds?: string; nanos?: number };
    return new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1_000_000)).toISOString();
  }
  if (kind === 'int64_value') return String(v.int64_value);
  if (kind === 'numeric_value') return numericText(v.numeric_value as Uint8Array);
  if (kind === 'array_value') return ((v.array_value as { element?: Value[] }).element ?? []).map(fromValue);
  return v[kind];
}

/** Runs `sql` on the given tables; `parameters` are named STRING query parameters. */
export async function evaluateSelect(zs: ZetaSql, settings: AnalyzerSettings, sql: string, tables: InputTable[], parameters: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const table: unknown[] = [];
  const content: Record<string, unknown> = {};
  let text = sql;
  tables.forEach((t, i) => {
    const name = `strata_input_${i}`;
    const [p, d, n] = t.name.split('.');
    for (const written of [`\`${p}\`.\`${d}\`.\`${n}\``, `\`${p}.${d}.${n}\``]) text = text.split(written).join(name);
    table.push({ name, column: t.fields.map((f) => ({ name: f.name, type: fieldToType(f) })) });
    content[name] = { table_data: { row: t.rows.map((r) => ({ cell: t.fields.map((f) => toValue(r[f.name], f.type)) })) } };
  });
  const params = Object.entries(parameters).map(([name, value]) => ({ name, type: scalarType('STRING') }));
  const out = await zs.call('evaluateQuery', {
    sql: text,
    options: settings.analyzerOptions(params),
    simple_catalog: { name: 'evaluation', table, named_type: TYPE_ALIASES, builtin_function_options: { language_options: settings.languageOptions } },
    table_content: content,
    params: Object.entries(parameters).map(([name, value]) => ({ name, value: { string_value: value } })),
  });
  const columns = ((out.prepared?.columns ?? []) as { name: string }[]).map((c) => c.name);
  return ((out.content?.table_data?.row ?? []) as { cell?: Value[] }[]).map((r) => Object.fromEntries(columns.map((c, i) => [c, fromValue(r.cell?.[i] ?? {})])));
}
