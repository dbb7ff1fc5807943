/**
 * CAST and SAFE_CAST as DuckDB SQL with BigQuery's rules for text: to INT64 only an integer literal
 * (decimal or hexadecimal), to BOOL only `true` / `false`, to DATE, DATETIME and TIMESTAMP only BigQuery's
 * canonical forms; anything else is BigQuery's error (or NULL when safe). A FLOAT64 to INT64 rounds half
 * away from zero.
 */
import { quoteString } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { bigQueryError, localLimit, Untranslatable } from './untranslatable.js';
import { wordOf } from './sql-tokens.js';

const DATE_TEXT = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}';
const TIME_TEXT = '([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}([.][0-9]*)?)?';
/** Text BigQuery casts to a date or time type, and its message for other text. */
const TEXT_FORMS: Record<string, { pattern: string; message: (x: string) => string }> = {
  DATE: { pattern: DATE_TEXT, message: (x) => `'Invalid date: ''' || ${x} || ''''` },
  TIMESTAMP: { pattern: `${DATE_TEXT}${TIME_TEXT}`, message: (x) => `'Invalid datetime string "' || ${x} || '"'` },
  TIMESTAMPTZ: { pattern: `${DATE_TEXT}${TIME_TEXT}( ?([Zz]|[+-][0-9]{1,2}(:?[0-9]{2})?)| [A-Za-z][A-Za-z0-9_/+-]*)?`, message: (x) => `'Invalid timestamp: ''' || ${x} || ''''` },
};

/**
 * CAST / SAFE_CAST. To an integer, text must be an integer literal in BigQuery ('1.5' is an error, or
 * NULL when safe), where DuckDB would round; a FLOAT64 rounds half away from zero.
 */
export function castCall(tr: Translator, safe: boolean, open: number, close: number): string {
  let as = -1;
  let depth = 0;
  for (let j = open + 1; j < close; j++) {
    const t = tr.t[j]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    else if (depth === 0 && wordOf(t) === 'as') as = j;
  }
  if (as < 0) throw new Untranslatable('cast without AS');
  const x = tr.emit(open + 1, as).trim();
  const type = tr.emit(as + 1, close).trim();
  const fn = safe ? 'try_cast' : 'cast';
  // Text to BOOL is only 'true' or 'false' (any case) in BigQuery; DuckDB also takes 'yes', 't', '1'…
  if (type === 'BOOLEAN') return `(CASE WHEN typeof(${x}) = 'VARCHAR' AND lower(CAST(${x} AS VARCHAR)) NOT IN ('true', 'false') THEN ${safe ? 'NULL' : `CAST(${bigQueryError(`'Bad bool value: ' || CAST(${x} AS VARCHAR)`)} AS BOOLEAN)`} ELSE ${fn}(${x} AS BOOLEAN) END)`;
  const text = TEXT_FORMS[type.toUpperCase()];
  if (text && type !== 'BIGINT') {
    // BigQuery reads only its canonical text (`2026-01-05`, `2026-01-05 10:00:00[.f][zone]`); DuckDB also takes `2026/01/05`, `10:00`…
    const bad = safe ? 'NULL' : `CAST(${bigQueryError(text.message(`CAST(${x} AS VARCHAR)`))} AS ${type})`;
    // A lower-case `t` or `z` is read as BigQuery reads it (DuckDB refuses them).
    const upper = `regexp_replace(regexp_replace(CAST(${x} AS VARCHAR), '^([0-9-]+)t', '\\1T'), '([0-9])z$', '\\1Z')`;
    return `(CASE WHEN typeof(${x}) = 'VARCHAR' AND NOT regexp_full_match(CAST(${x} AS VARCHAR), ${quoteString(text.pattern)}) THEN ${bad} WHEN typeof(${x}) = 'VARCHAR' THEN ${fn}(${upper} AS ${type}) ELSE ${fn}(${x} AS ${type}) END)`;
  }
  if (type === 'DOUBLE') return floatCast(x, fn);
  if (['bignumeric', 'bigdecimal'].includes(wordOf(tr.t[tr.next(as)]))) return bignumericCast(x, safe);
  if (type !== 'BIGINT') return `${fn}(${x} AS ${type})`;
  const bad = safe ? 'NULL' : `CAST(${bigQueryError(`'Bad int64 value: ' || CAST(${x} AS VARCHAR)`)} AS BIGINT)`;
  // A FLOAT64 rounds half away from zero (DuckDB's cast rounds half to even).
  // Hexadecimal text is an integer too (`'0x1F'` is 31, `'-0x10'` -16); DuckDB reads it unsigned only.
  const hex = `(CASE WHEN starts_with(trim(CAST(${x} AS VARCHAR)), '-') THEN -1 ELSE 1 END) * ${fn}(ltrim(trim(CAST(${x} AS VARCHAR)), '+-') AS BIGINT)`;
  return `(CASE WHEN typeof(${x}) = 'VARCHAR' AND regexp_full_match(trim(CAST(${x} AS VARCHAR)), '[+-]?0[xX][0-9a-fA-F]+') THEN ${hex} WHEN typeof(${x}) = 'VARCHAR' AND NOT regexp_full_match(trim(CAST(${x} AS VARCHAR)), '[+-]?[0-9]+') THEN ${bad} WHEN typeof(${x}) IN ('DOUBLE', 'FLOAT') THEN ${fn}(round(try_cast(${x} AS DOUBLE)) AS BIGINT) ELSE ${fn}(${x} AS BIGINT) END)`;
}


/**
 * To FLOAT64, BigQuery also reads hexadecimal text (`'0x10'` is 16, `'-0x1F'` -31, `'0x1p3'` 8), which
 * DuckDB refuses: up to 16 hex digits with an optional binary exponent are read here; a hexadecimal
 * fraction (`'0x1.8'`) is refused as the local server's limit, not reported as a bad value.
 */
function floatCast(x: string, fn: string): string {
  const t = `trim(CAST(${x} AS VARCHAR))`;
  const digits = `regexp_extract(${t}, '0[xX]([0-9a-fA-F]+)', 1)`;
  const power = `coalesce(try_cast(regexp_extract(${t}, '[pP]([+-]?[0-9]+)$', 1) AS INTEGER), 0)`;
  const sign = `(CASE WHEN starts_with(${t}, '-') THEN -1 ELSE 1 END)`;
  const hex = `${sign} * CAST(CAST('0x' || ${digits} AS UBIGINT) AS DOUBLE) * pow(2, ${power})`;
  const fraction = localLimit(`'hexadecimal text with a fraction cast to FLOAT64: ' || ${t}`);
  return `(CASE WHEN typeof(${x}) <> 'VARCHAR' THEN ${fn}(${x} AS DOUBLE) ` +
    `WHEN regexp_full_match(${t}, '[+-]?0[xX][0-9a-fA-F]{1,16}([pP][+-]?[0-9]+)?') THEN ${hex} ` +
    `WHEN regexp_full_match(${t}, '[+-]?0[xX]([0-9a-fA-F]+[.]?[0-9a-fA-F]*|[.][0-9a-fA-F]+)([pP][+-]?[0-9]+)?') THEN CAST(${fraction} AS DOUBLE) ` +
    `ELSE ${fn}(${x} AS DOUBLE) END)`;
}

/**
 * Text to BIGNUMERIC: held as DECIMAL(38,9) here (bignumeric-scale.ts), so text with more than nine
 * decimals or 29 integer digits, or in exponent form, is refused as the local server's limit (BigQuery
 * keeps 38 of each); text that is no number is BigQuery's `Invalid BIGNUMERIC value` (NULL when safe).
 */
function bignumericCast(x: string, safe: boolean): string {
  const t = `trim(CAST(${x} AS VARCHAR))`;
  const bad = safe ? 'NULL' : `CAST(${bigQueryError(`'Invalid BIGNUMERIC value: ' || CAST(${x} AS VARCHAR)`)} AS DECIMAL(38,9))`;
  const beyond = localLimit(`'BIGNUMERIC text with more than 9 decimal digits, 29 integer digits or an exponent: ' || ${t}`);
  return `(CASE WHEN typeof(${x}) <> 'VARCHAR' THEN CAST(${x} AS DECIMAL(38,9)) ` +
    `WHEN regexp_full_match(${t}, '[+-]?0*([0-9]{1,29}([.][0-9]{0,9}0*)?|[.][0-9]{1,9}0*)') THEN CAST(${t} AS DECIMAL(38,9)) ` +
    `WHEN isfinite(try_cast(${t} AS DOUBLE)) THEN CAST(${beyond} AS DECIMAL(38,9)) ELSE ${bad} END)`;
}
