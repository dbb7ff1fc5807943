/**
 * A unit test's expected value cast to the type of the model's column, computed in JS for the few types where
 * that is exact on DuckDB and BigQuery alike. The answer is the value's canonical text once cast, `null` for a
 * null, or `undefined` when only the warehouse can say: a value it might refuse (`'abc'` or `'3.0'` for an
 * INT64), round (`2.555` for a DECIMAL(10,2)), or cast in a way Strata does not model (an ENUM, a FLOAT, BYTES).
 */

/** How a column's values are cast from YAML, by the column's data type as the warehouse names it. */
type CastKind = { kind: 'text' | 'integer' | 'boolean' | 'double' | 'date' | 'time' | 'timestamp' } | { kind: 'decimal'; scale: number };

const TEXT = /^(VARCHAR|STRING|TEXT)(\s*\(\s*\d+\s*\))?$/i;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|INT64|INT2|INT4|INT8|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i;
const BOOLEAN = /^(BOOLEAN|BOOL)$/i;
// DuckDB's FLOAT is 4 bytes (its values are not JS numbers as written); BigQuery's FLOAT64 and DuckDB's DOUBLE are.
const DOUBLE = /^(DOUBLE|FLOAT64|FLOAT8|DOUBLE PRECISION)$/i;
const DECIMAL = /^(DECIMAL|NUMERIC|BIGNUMERIC|BIGDECIMAL)(?:\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/i;
const TIMESTAMP = /^(TIMESTAMP|DATETIME|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/i;

/** The cast a column type gets, or undefined when its casts are left to the warehouse. */
export function castKind(dataType: string): CastKind | undefined {
  const t = dataType.trim();
  if (TEXT.test(t)) return { kind: 'text' };
  if (INTEGER.test(t)) return { kind: 'integer' };
  if (BOOLEAN.test(t)) return { kind: 'boolean' };
  if (DOUBLE.test(t)) return { kind: 'double' };
  if (/^DATE$/i.test(t)) return { kind: 'date' };
  if (/^TIME$/i.test(t)) return { kind: 'time' };
  if (TIMESTAMP.test(t)) return { kind: 'timestamp' };
  const d = DECIMAL.exec(t);
  if (!d) return undefined;
  // Without a scale: BigQuery's NUMERIC keeps 9 digits, BIGNUMERIC 38; a bare DECIMAL(p) keeps none.
  const scale = d[3] !== undefined ? Number(d[3]) : d[2] !== undefined ? 0 : /^BIG/i.test(d[1]!) ? 38 : /^NUMERIC$/i.test(d[1]!) ? 9 : undefined;
  return scale === undefined ? undefined : { kind: 'decimal', scale };
}

/** Text both warehouses read as the same instant, date or time of day (the forms their clients print). */
const DATE_TEXT = /^\d{4}-\d\d-\d\d$/;
const TIME_TEXT = /^\d\d:\d\d:\d\d(\.\d{1,6})?$/;
const TIMESTAMP_TEXT = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d(:?\d\d)?)?$/;
const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The canonical text of `v` cast as `cast` does, or undefined when that is not certain in JS. Applied to the
 * model's own values too, so both sides read alike (`3`, `3n` and `'3'` for an integer column are all `'3'`).
 */
export function castText(cast: CastKind, v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  switch (cast.kind) {
    case 'text':
      return typeof v === 'string' ? v : undefined;
    case 'integer':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : undefined;
      return typeof v === 'string' && INTEGER_TEXT.test(v) ? BigInt(v).toString() : undefined;
    case 'boolean':
      if (typeof v === 'boolean') return String(v);
      return v === 'true' || v === 'false' ? v : undefined;
    case 'double': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : NaN;
      return Number.isFinite(n) ? String(n === 0 ? 0 : n) : undefined;
    }
    case 'decimal':
      return decimalText(typeof v === 'number' ? String(v) : v, cast.scale);
    case 'date':
      return typeof v === 'string' && DATE_TEXT.test(v) ? v : undefined;
    case 'time':
      return typeof v === 'string' && TIME_TEXT.test(v) ? v : undefined;
    case 'timestamp':
      return typeof v === 'string' && TIMESTAMP_TEXT.test(v) ? v : undefined;
  }
}

/** A plain decimal with no more fractional digits than the column keeps (so the cast does not round), without padding zeros. */
function decimalText(v: unknown, scale: number): string | undefined {
  const m = typeof v === 'string' ? DECIMAL_TEXT.exec(v) : null;
  if (!m) return undefined;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) return undefined;
  const whole = m[2]!.replace(/^0+(?=\d)/, '');
  const zero = whole === '0' && !fraction;
  return `${m[1] && !zero ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
