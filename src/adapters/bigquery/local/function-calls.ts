/**
 * BigQuery's functions as DuckDB SQL, with BigQuery's semantics (see to-duckdb.ts): date and time
 * functions, then the others (text, hashes, arithmetic, arrays, casts); the rest as written.
 */
import { quoteString, timeFormat, TYPES } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { bigQueryError, Untranslatable } from './untranslatable.js';
import { CURRENT, extractForm, limitedAggregate } from './special-forms.js';
import { castCall } from './casts.js';

/** A function call being translated: its name, brackets, argument ranges and readers of its arguments. */
export interface Call {
  name: string;
  f: string;
  open: number;
  close: number;
  r: [number, number][];
  /** Argument k as DuckDB SQL. */
  a(k: number): string;
  /** Argument k as a date part word (`day`). */
  part(k: number): string;
  /** Argument k's value if it is a string literal. */
  literal(k: number): string | undefined;
}

/** Date and time functions. */
export function timeCall(c: Call, tr: Translator): string | undefined {
  switch (c.f) {
    case 'date_trunc':
    case 'timestamp_trunc':
    case 'datetime_trunc':
      return trunc(c.f, c.a(0), c.part(1));
    case 'timestamp_diff':
      return `date_sub(${quoteString(c.part(2))}, ${c.a(1)}, ${c.a(0)})`;
    case 'datetime_diff':
    case 'date_diff':
    case 'time_diff':
      // Sunday-based weeks between the two days (a DATETIME counts by its date).
      if (c.part(2) === 'week') return `date_diff('day', CAST(${c.a(1)} AS DATE) - CAST(dayofweek(${c.a(1)}) AS INTEGER), CAST(${c.a(0)} AS DATE) - CAST(dayofweek(${c.a(0)}) AS INTEGER)) // 7`;
      return `date_diff(${quoteString(c.part(2))}, ${c.a(1)}, ${c.a(0)})`;
    case 'timestamp_add':
    case 'datetime_add':
    case 'timestamp_sub':
    case 'datetime_sub':
      return `((${c.a(0)}) ${c.f.endsWith('add') ? '+' : '-'} ${c.a(1)})`;
    case 'date_add':
    case 'date_sub':
      return `CAST((${c.a(0)}) ${c.f.endsWith('add') ? '+' : '-'} ${c.a(1)} AS DATE)`;
    case 'parse_timestamp':
    case 'parse_datetime':
    case 'parse_date': {
      const fmt = c.literal(0);
      if (fmt === undefined || c.r.length > 2) throw new Untranslatable(`${c.name} with a computed format or a time zone`);
      const type = c.f === 'parse_timestamp' ? 'TIMESTAMPTZ' : c.f === 'parse_date' ? 'DATE' : 'TIMESTAMP';
      // `%E*S` reads seconds with or without a fraction: DuckDB's strptime tries each format of a list.
      const formats = fmt.includes('%E*S') ? [fmt.split('%E*S').join('%E6S'), fmt.split('%E*S').join('%S')] : [fmt];
      const duck = formats.map((f) => timeFormat(f, true));
      if (duck.some((d) => d === undefined)) throw new Untranslatable(`${c.name} with the format '${fmt}'`);
      // Without a year in the format BigQuery's is 1970, DuckDB's 1900: the text is read after a year 1970.
      const yearless = !/%[-_0^#]?(Y|y|F|D|x|G|g|C|s|E4Y|EY|Ey|Ec|Ex)/.test(fmt.replace(/%%/g, ''));
      const text = yearless ? `'1970 ' || (${c.a(1)})` : c.a(1);
      const list = duck.map((d) => quoteString(`${yearless ? '%Y ' : ''}${d}`));
      return `CAST(strptime(${text}, ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}) AS ${type})`;
    }
    case 'format_timestamp':
    case 'format_datetime':
    case 'format_date': {
      const fmt = c.literal(0);
      if (fmt === undefined || c.r.length > 2) throw new Untranslatable(`${c.name} with a computed format or a time zone`);
      return formatTime(c, fmt);
    }
    case 'date':
      if (c.r.length === 3) return `make_date(${c.a(0)}, ${c.a(1)}, ${c.a(2)})`;
      if (c.r.length === 1) return `CAST(${c.a(0)} AS DATE)`;
      throw new Untranslatable('date() with a time zone');
    case 'timestamp':
    case 'datetime':
    case 'string':
      if (c.r.length !== 1) throw new Untranslatable(`${c.name}() with ${c.r.length} arguments`);
      return `CAST(${c.a(0)} AS ${TYPES[c.f]})`;
    case 'unix_seconds':
      return `CAST(floor(epoch_us(${c.a(0)}) / 1000000) AS BIGINT)`;
    case 'unix_millis':
      return `CAST(floor(epoch_us(${c.a(0)}) / 1000) AS BIGINT)`;
    case 'unix_micros':
      return `epoch_us(${c.a(0)})`;
    case 'timestamp_seconds':
    case 'timestamp_millis':
    case 'timestamp_micros':
      return `CAST(make_timestamp(CAST(${c.a(0)} AS BIGINT) * ${{ timestamp_seconds: 1_000_000, timestamp_millis: 1000, timestamp_micros: 1 }[c.f]}) AS TIMESTAMPTZ)`;
    case 'unix_date':
      return `date_diff('day', DATE '1970-01-01', ${c.a(0)})`;
    case 'date_from_unix_date':
      return `CAST(DATE '1970-01-01' + CAST(${c.a(0)} AS INTEGER) AS DATE)`;
    case 'time':
      if (c.r.length !== 3) throw new Untranslatable(`${c.name}() with ${c.r.length} arguments`);
      return `make_time(${c.a(0)}, ${c.a(1)}, ${c.a(2)})`;
    case 'last_day':
      return lastDay(c.a(0), c.r.length > 1 ? c.part(1) : 'month');
    case 'generate_date_array':
      return dateArray(c);
    case 'current_timestamp':
    case 'current_date':
    case 'current_datetime':
      if (c.r.length) throw new Untranslatable(`${c.name}() with a time zone`);
      return CURRENT[c.f]!;
    case 'extract':
      return extractForm(tr, c.open, c.close);
    default:
      return undefined;
  }
}

/** The other functions (text, hashes, arithmetic, arrays, casts); the rest as written. */
export function valueCall(c: Call, tr: Translator): string {
  switch (c.f) {
    case 'cast':
    case 'safe_cast':
      return castCall(tr, c.f === 'safe_cast', c.open, c.close);
    case 'error':
      // ERROR(message) fails the query with the message as BigQuery's runtime error.
      return bigQueryError(`CAST((${c.a(0)}) AS VARCHAR)`);
    case 'concat':
      return `(${c.r.map((_, k) => `(${c.a(k)})`).join(' || ')})`;
    case 'regexp_replace':
      return `regexp_replace(${c.a(0)}, ${c.a(1)}, ${c.a(2)}, 'g')`;
    case 'regexp_extract': {
      const pattern = c.literal(1);
      if (pattern === undefined || c.r.length > 2) throw new Untranslatable('regexp_extract with a computed pattern or a position');
      const group = /\((?!\?)/.test(pattern.replace(/\\\\|\\\(/g, '')) ? 1 : 0;
      return `(CASE WHEN regexp_matches(${c.a(0)}, ${c.a(1)}) THEN regexp_extract(${c.a(0)}, ${c.a(1)}, ${group}) END)`;
    }
    case 'to_hex':
      return `lower(hex(${c.a(0)}))`;
    case 'md5':
    case 'sha256':
    case 'sha1':
      return `unhex(${c.f}(${c.a(0)}))`;
    case 'safe_divide':
      return `(CASE WHEN (${c.a(1)}) = 0 THEN NULL ELSE (${c.a(0)}) / (${c.a(1)}) END)`;
    case 'div':
      return `((${c.a(0)}) // (${c.a(1)}))`;
    case 'generate_array': {
      // A NULL bound or step gives NULL (DuckDB's series is empty), a step of 0 BigQuery's error.
      const nulls = c.r.map((_, k) => `(${c.a(k)}) IS NULL`).join(' OR ');
      const zero = c.r.length > 2 ? `WHEN (${c.a(2)}) = 0 THEN ${bigQueryError("'Sequence step cannot be 0.'")} ` : '';
      return `(CASE WHEN ${nulls} THEN NULL ${zero}ELSE generate_series(${tr.emit(c.open + 1, c.close)}) END)`;
    }
    case 'json_extract_scalar':
    case 'json_value':
      // A scalar only, numbers as written (json-scalar.ts); DuckDB's json_extract_string gave objects' text.
      return `strata_bq_json_scalar(CAST((${c.a(0)}) AS VARCHAR), ${c.r.length > 1 ? c.a(1) : "'$'"})`;
    case 'safe_add':
    case 'safe_subtract':
    case 'safe_multiply':
      // NULL on overflow (a NUMERIC SAFE_MULTIPLY is a typed site).
      return `try((${c.a(0)}) ${{ safe_add: '+', safe_subtract: '-', safe_multiply: '*' }[c.f]} (${c.a(1)}))`;
    case 'safe_negate':
      return `try(-(${c.a(0)}))`;
    case 'ieee_divide':
      return `((${c.a(0)}) / (${c.a(1)}))`;
    case 'substr':
    case 'substring':
      return substr(c);
    case 'trim':
    case 'ltrim':
    case 'rtrim': {
      if (c.r.length > 1) return `${c.f}(${c.a(0)}, ${c.a(1)})`;
      // Any white space, tabs and line breaks included (DuckDB's trims spaces only).
      const ends = { trim: '^[\\s\\v\\p{Z}]+|[\\s\\v\\p{Z}]+$', ltrim: '^[\\s\\v\\p{Z}]+', rtrim: '[\\s\\v\\p{Z}]+$' }[c.f];
      return `regexp_replace(${c.a(0)}, '${ends}', '', 'g')`;
    }
    case 'left':
    case 'right':
      return nonNegative(c.a(1), `Second argument in ${c.f.toUpperCase()}() cannot be negative`, `${c.f}(${c.a(0)}, ${c.a(1)})`);
    case 'repeat':
      return nonNegative(c.a(1), 'Second argument (repeat count) for REPEAT cannot be negative', `repeat(${c.a(0)}, ${c.a(1)})`);
    case 'split':
      return `string_split(${c.a(0)}, ${c.r.length > 1 ? c.a(1) : "','"})`;
    case 'approx_count_distinct':
      return `count(distinct ${c.a(0)})`;
    case 'approx_quantiles': {
      const n = Number(tr.arg(c.r[1]));
      if (!Number.isInteger(n) || n < 1) throw new Untranslatable('approx_quantiles with a computed number of quantiles');
      // Exact quantiles (BigQuery's are approximate): equal on small inputs. Sorted by a NaN key first, as
      // BigQuery orders FLOAT64 (NaN the smallest; DuckDB's is above +inf); NULLs are left out.
      const distinct = /^\s*distinct\s/i.test(c.a(0)) ? 'DISTINCT ' : '';
      const x = `(${c.a(0).replace(/^\s*distinct\s+/i, '')})`;
      const keyed = `CASE WHEN ${x} IS NULL THEN NULL ELSE {'k': strata_bq_nan_order(${x}), 'v': ${x}} END`;
      return `list_transform(quantile_disc(${distinct}${keyed}, [${Array.from({ length: n + 1 }, (_, k) => String(k / n)).join(', ')}]), q -> q.v)`;
    }
    case 'struct':
      return tr.struct(c.open, c.r);
    case 'log':
      // LOG(X) is the natural logarithm, LOG(X, Y) the base-Y one; DuckDB's log(x) is base 10, log(b, x) base b.
      return c.r.length === 1 ? `ln(${c.a(0)})` : `log(${c.a(1)}, ${c.a(0)})`;
    case 'greatest':
    case 'least':
      // NULL if any argument is NULL (DuckDB's would skip it); NaN if a FLOAT64 one is NaN (DuckDB's NaN is above +inf).
      return `(CASE WHEN ${c.r.map((_, k) => `(${c.a(k)}) IS NULL`).join(' OR ')} THEN NULL ${c.r.map((_, k) => `WHEN strata_bq_nan_order(${c.a(k)}) = 0 THEN ${c.a(k)} `).join('')}ELSE ${c.f}(${tr.emit(c.open + 1, c.close)}) END)`;
    case 'string_agg':
    case 'array_agg':
      return limitedAggregate(c, tr) ?? `${c.name}(${tr.emit(c.open + 1, c.close)})`;
    default:
      return `${c.name}(${tr.emit(c.open + 1, c.close)})`;
  }
}

/** `then`, or BigQuery's error when `n` is negative (DuckDB would count from the other end, or give ''). */
function nonNegative(n: string, message: string, then: string): string {
  return `coalesce(CASE WHEN (${n}) < 0 THEN ${bigQueryError(quoteString(message))} END, ${then})`;
}

/**
 * SUBSTR(x, position[, length]): position 0 is 1, a negative one counts from the end and stops at the
 * first character (`SUBSTR('abc', -5, 2)` is `ab`, DuckDB's is empty); a negative length is an error.
 */
function substr(c: Call): string {
  const [x, p] = [c.a(0), c.a(1)];
  const start = `(CASE WHEN (${p}) = 0 THEN 1 WHEN (${p}) < 0 THEN greatest(length(${x}) + (${p}) + 1, 1) ELSE (${p}) END)`;
  if (c.r.length < 3) return `substring(${x}, ${start})`;
  const n = c.a(2);
  return `coalesce(CASE WHEN (${n}) < 0 THEN ${bigQueryError("'Third argument in SUBSTR() cannot be negative'")} END, substring(${x}, ${start}, ${n}))`;
}

/** DATE_TRUNC / TIMESTAMP_TRUNC / DATETIME_TRUNC: WEEK starts on Sunday, as in BigQuery. */
export function trunc(f: string, x: string, part: string): string {
  if (part === 'week') {
    const day = `(CAST(dayofweek(${x}) AS INTEGER))`;
    return f === 'date_trunc' ? `(CAST(${x} AS DATE) - ${day})` : `(date_trunc('day', ${x}) - to_days(${day}))`;
  }
  if (part.startsWith('week') || part === 'isoweek') {
    if (part !== 'isoweek' && part !== 'week_monday') throw new Untranslatable(`${f} by ${part}`);
    part = 'week';
  }
  return f === 'date_trunc' ? `CAST(date_trunc(${quoteString(part)}, ${x}) AS DATE)` : `date_trunc(${quoteString(part)}, ${x})`;
}

/** LAST_DAY(d, part): the last day of its month, quarter, year or (Sunday- or Monday-based) week. */
function lastDay(x: string, part: string): string {
  if (part === 'month') return `last_day(${x})`;
  if (part === 'quarter' || part === 'year') return `CAST(date_trunc('${part}', ${x}) + INTERVAL ${part === 'year' ? 12 : 3} MONTH - INTERVAL 1 DAY AS DATE)`;
  if (part === 'week') return `CAST(CAST(${x} AS DATE) - CAST(dayofweek(${x}) AS INTEGER) + 6 AS DATE)`;
  if (part === 'isoweek' || part === 'week_monday') return `CAST(CAST(${x} AS DATE) - CAST(isodow(${x}) AS INTEGER) + 7 AS DATE)`;
  throw new Untranslatable(`last_day by ${part}`);
}

/** GENERATE_DATE_ARRAY(start, end[, INTERVAL n DAY|WEEK]): steps of whole days only (month steps are not translated). */
function dateArray(c: Call): string {
  let days = '1';
  if (c.r.length > 2) {
    const step = /^\(\((.+)\) \* INTERVAL (1|7) DAY\)$/s.exec(c.a(2));
    if (!step) throw new Untranslatable('generate_date_array with a step other than days or weeks');
    days = `(${step[1]}) * ${step[2]}`;
  }
  return `list_transform(generate_series(0, CAST(date_diff('day', ${c.a(0)}, ${c.a(1)}) // (${days}) AS BIGINT)), k -> CAST(${c.a(0)} + CAST(k * (${days}) AS INTEGER) AS DATE))`;
}

/**
 * FORMAT_TIMESTAMP / FORMAT_DATETIME / FORMAT_DATE with a literal format. `%E*S` is the seconds with as
 * many fraction digits as the value has (`07`, `07.5`): DuckDB has no such element, so the text is built
 * around it.
 */
function formatTime(c: Call, fmt: string): string {
  const x = c.a(1);
  const pieces = fmt.split('%E*S').map((piece) => {
    const duck = timeFormat(piece);
    if (duck === undefined) throw new Untranslatable(`${c.name} with the format '${fmt}'`);
    return duck ? `strftime(${x}, ${quoteString(duck)})` : '';
  });
  const seconds = `rtrim(rtrim(strftime(${x}, '%S.%f'), '0'), '.')`;
  const parts = pieces.flatMap((p, k) => (k === 0 ? [p] : [seconds, p])).filter(Boolean);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
}
