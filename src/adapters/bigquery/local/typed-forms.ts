/**
 * BigQuery's semantics for the typed sites (typed-sites.ts), as DuckDB SQL: DuckDB macros created once on
 * the warehouse's connection, and the call each site becomes. Checked against ZetaSQL's reference
 * evaluator (translation-drift.test.ts) and BigQuery's documented results (typed-semantics.test.ts).
 */
import type { TypedSite } from './typed-sites.js';
import { quoteString } from './duckdb-spelling.js';
import { bigQueryError, Untranslatable } from './untranslatable.js';
import { numericFunction, type DecimalType } from './numeric-functions.js';
import { trunc } from './function-calls.js';
import { aggregateForm } from './aggregate-forms.js';
import { NAN_ORDER_MACRO } from './nan-order.js';
import { compositeEquality } from './composite-equality.js';

/**
 * `a op b`, or BigQuery's error for a zero divisor (`division by zero: 1 / 0`, `division by zero: MOD(1, 0)`)
 * with the operands written as BigQuery writes them; NULL / 0 is NULL.
 */
const checked = (result: string, shown: (x: string) => string, mod = false): string =>
  `coalesce(CASE WHEN b = 0 AND a IS NOT NULL THEN ${bigQueryError(`'division by zero: ' || ${mod ? `'MOD(' || ${shown('a')} || ', ' || ${shown('b')} || ')'` : `${shown('a')} || ' / ' || ${shown('b')}`}`)} END, ${result})`;
const text = (x: string): string => `CAST(${x} AS VARCHAR)`;
const floatText = (x: string): string => `strata_bq_float_string(CAST(${x} AS DOUBLE))`;
const numericText = (x: string): string => `strata_bq_numeric_string(${x})`;

/** With the seconds' fraction as BigQuery writes it: none, 3 or 6 digits. */
const timeText = (x: string, date: string, zone: string): string =>
  `CASE WHEN extract(microseconds FROM ${x}) % 1000000 = 0 THEN strftime(${x}, '${date}%H:%M:%S${zone}') ` +
  `WHEN extract(microseconds FROM ${x}) % 1000 = 0 THEN strftime(${x}, '${date}%H:%M:%S.%g${zone}') ` +
  `ELSE strftime(${x}, '${date}%H:%M:%S.%f${zone}') END`;

/** The macros, as `create` statements run when the warehouse opens (temp: never written to a data file). */
export const TYPED_MACROS: string[] = [
  // 15 significant digits if they give the value back, else 17 (`0.33333333333333331`); a whole number without `.0`.
  `create or replace temp macro strata_bq_float_string(x) AS CASE WHEN isnan(x) THEN 'nan' WHEN x = 0 THEN '0' ` +
    `WHEN CAST(printf('%.15g', x) AS DOUBLE) = x THEN printf('%.15g', x) ELSE printf('%.17g', x) END`,
  // NUMERIC without trailing zeros (`1.5`, `100`), where DuckDB writes every digit of the scale.
  `create or replace temp macro strata_bq_numeric_string(x) AS rtrim(rtrim(CAST(CAST(x AS DECIMAL(38,9)) AS VARCHAR), '0'), '.')`,
  // FLOAT64: finite operands with an infinite (or NaN) result are BigQuery's error (`double overflow: 1e+308 * 10`).
  `create or replace temp macro strata_bq_float_op(r, a, b, op) AS CASE WHEN NOT isfinite(r) AND isfinite(a) AND isfinite(b) ` +
    `THEN ${bigQueryError(`'double overflow: ' || ${floatText('a')} || ' ' || op || ' ' || ${floatText('b')}`)} ELSE r END`,
  `create or replace temp macro strata_bq_safe_float_op(r, a, b) AS CASE WHEN NOT isfinite(r) AND isfinite(a) AND isfinite(b) THEN NULL ELSE r END`,
  `create or replace temp macro strata_bq_float_function(r, finite, call) AS CASE WHEN NOT isfinite(r) AND finite THEN ${bigQueryError("'Floating point error in function: ' || call")} ELSE r END`,
  `create or replace temp macro strata_bq_divide(a, b) AS ${checked("strata_bq_float_op(a / b, CAST(a AS DOUBLE), CAST(b AS DOUBLE), '/')", floatText)}`,
  `create or replace temp macro strata_bq_div(a, b) AS ${checked('a // b', text)}`,
  `create or replace temp macro strata_bq_mod(a, b) AS ${checked('a % b', text, true)}`,
  `create or replace temp macro strata_bq_mod_numeric(a, b) AS ${checked('a % b', numericText, true)}`,
  // ROUND(x, n) of a FLOAT64 rounds the exact binary value, so 2.675 (2.67499999…) is 2.67. DuckDB
  // multiplies first, and 2.675 * 100 is exactly 267.5; only then is the exact expansion consulted.
  `create or replace temp macro strata_bq_round(x, n) AS CASE WHEN n >= 0 AND abs(x) * pow(10, n) - floor(abs(x) * pow(10, n)) = 0.5 ` +
    `AND substr(printf('%.' || CAST(n + 30 AS VARCHAR) || 'f', abs(x)), strpos(printf('%.' || CAST(n + 30 AS VARCHAR) || 'f', abs(x)), '.') + n + 1, 1) = '4' ` +
    `THEN sign(x) * floor(abs(x) * pow(10, n)) / pow(10, n) ELSE round(x, CAST(n AS INTEGER)) END`,
  // arr[OFFSET(i)] / arr[ORDINAL(i)]: an index out of bounds is an error (DuckDB: NULL, or counted from the end when negative).
  `create or replace temp macro strata_bq_array_at(a, i, base) AS CASE WHEN i IS NULL OR a IS NULL THEN NULL WHEN i < base OR i >= len(a) + base ` +
    `THEN ${bigQueryError("'Array index ' || CAST(i AS VARCHAR) || ' is out of bounds'")} ELSE a[i - base + 1] END`,
  `create or replace temp macro strata_bq_safe_array_at(a, i, base) AS CASE WHEN i < base OR i >= len(a) + base THEN NULL ELSE a[i - base + 1] END`,
  // SUM past its type's range is BigQuery's error (DuckDB's INT64 sum is a HUGEINT, its DECIMAL sum holds more digits).
  `create or replace temp macro strata_bq_int64_sum(v) AS CASE WHEN v > 9223372036854775807 OR v < -9223372036854775808 THEN ${bigQueryError("'int64 overflow'")} ELSE CAST(v AS BIGINT) END`,
  `create or replace temp macro strata_bq_numeric_sum(v) AS CASE WHEN abs(v) > 99999999999999999999999999999.999999999 THEN ${bigQueryError("'numeric overflow: SUM'")} ELSE v END`,
  `create or replace temp macro strata_bq_timestamp_string(x) AS ${timeText('x', '%Y-%m-%d ', '+00')}`,
  `create or replace temp macro strata_bq_datetime_string(x) AS ${timeText('x', '%Y-%m-%d ', '')}`,
  // strftime takes no TIME: the time on some day.
  `create or replace temp macro strata_bq_time_string(x) AS ${timeText("(DATE '2000-01-01' + x)", '', '')}`,
  NAN_ORDER_MACRO,
];

const decimalType = (result: string): DecimalType => (result === 'TYPE_BIGNUMERIC' ? 'bignumeric' : 'numeric');

const STRING_MACRO: Record<string, string> = {
  TYPE_TIMESTAMP: 'strata_bq_timestamp_string', TYPE_DATETIME: 'strata_bq_datetime_string', TYPE_TIME: 'strata_bq_time_string',
  TYPE_DOUBLE: 'strata_bq_float_string', TYPE_FLOAT: 'strata_bq_float_string', TYPE_NUMERIC: 'strata_bq_numeric_string', TYPE_BIGNUMERIC: 'strata_bq_numeric_string',
};

/** A NaN-aware IN, BETWEEN, CASE x WHEN or NULLIF (nan-sites.ts): NaN equals nothing, and is neither above nor below a number. */
function nanForm(site: Extract<TypedSite, { kind: 'nan' }>, arg: (k: number) => string): string {
  const x = `(${arg(0)})`;
  const isNan = (v: string): string => `isnan(CAST(${v} AS DOUBLE))`;
  const rest = site.args.slice(1).map((_, k) => `(${arg(k + 1)})`);
  if (site.nested && (site.form === 'in-list' || site.form === 'in-array' || site.form === 'in-subquery')) {
    // x IN (a, b) is x = a OR x = b, with BigQuery's equality of STRUCTs and ARRAYs; IN UNNEST and IN (subquery) likewise over the elements.
    const nested = site.nested;
    const list = site.form === 'in-subquery' ? `(select list(strata_v) from ${rest[0]} as strata_in(strata_v))` : rest[0];
    const pairs = `list_transform(${list}, strata_e -> ${compositeEquality(nested, x, 'strata_e')})`;
    const any = site.form === 'in-list'
      ? `(${rest.map((r) => compositeEquality(nested, x, r)).join(' OR ')})`
      : `(CASE WHEN list_contains(${pairs}, true) THEN true WHEN list_count(${pairs}) < len(${list}) THEN NULL ELSE false END)`;
    return site.negated ? `(NOT ${any})` : any;
  }
  const test = ((): string => {
    switch (site.form) {
      case 'case-value':
        return `(CASE WHEN ${isNan(x)} THEN NULL ELSE ${x} END)`;
      case 'nullif':
        return `(CASE WHEN ${isNan(rest[0]!)} THEN ${x} ELSE nullif(${x}, ${rest[0]}) END)`;
      case 'between': {
        // lo <= x AND x <= hi, each false with a NaN operand (NULL with a NULL one).
        const le = (a: string, b: string): string => `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${isNan(a)} OR ${isNan(b)} THEN false ELSE ${a} <= ${b} END)`;
        return `(${le(rest[0]!, x)} AND ${le(x, rest[1]!)})`;
      }
      // A NaN is in no list: the answer is NULL if the list holds a NULL, else false.
      case 'in-list':
        return `(CASE WHEN ${isNan(x)} THEN (CASE WHEN ${rest.map((r) => `${r} IS NULL`).join(' OR ')} THEN NULL ELSE false END) ELSE ${x} IN (${rest.join(', ')}) END)`;
      case 'in-array':
        return `(CASE WHEN ${isNan(x)} THEN (CASE WHEN list_count(${rest[0]}) < len(${rest[0]}) THEN NULL ELSE false END) ELSE ${x} IN (select unnest(${rest[0]})) END)`;
      case 'in-subquery':
        return `(CASE WHEN ${isNan(x)} THEN (CASE WHEN (select count(*) from (${rest[0]}) as strata_in(v) where v IS NULL) > 0 THEN NULL ELSE false END) ELSE ${x} IN (${rest[0]}) END)`;
    }
  })();
  return site.negated ? `(NOT ${test})` : test;
}

/** A site as DuckDB SQL; `arg(k)` is its k-th operand, translated. */
export function typedForm(site: TypedSite, arg: (k: number) => string): string {
  const form = ((): string => {
    switch (site.kind) {
      case 'literal':
        return quoteString(site.value);
      case 'divide':
      case 'div':
      case 'mod': {
        const numeric = /NUMERIC/.test(site.result);
        // Exact, in numeric-functions.ts (DuckDB would divide DECIMALs as DOUBLEs); SAFE: NULL on a zero divisor or an overflow.
        if (numeric && site.kind !== 'mod') return `${numericFunction(site.kind, !!site.safe, decimalType(site.result))}(CAST((${arg(0)}) AS DECIMAL(38,9)), CAST((${arg(1)}) AS DECIMAL(38,9)))`;
        const [a, b] = [`(${arg(0)})`, `(${arg(1)})`];
        // SAFE.: NULL for a zero divisor (DuckDB's TRY cannot hold error()).
        const quotient = `strata_bq_safe_float_op(${a} / ${b}, CAST(${a} AS DOUBLE), CAST(${b} AS DOUBLE))`;
        if (site.safe) return `try(CASE WHEN ${b} = 0 THEN NULL ELSE ${site.kind === 'mod' ? `${a} % ${b}` : site.kind === 'divide' ? quotient : `${a} // ${b}`} END)`;
        return `strata_bq_${site.kind}${numeric ? '_numeric' : ''}(${a}, ${b})`;
      }
      case 'array-at':
        return `strata_bq_${site.safe ? 'safe_' : ''}array_at((${arg(0)}), (${arg(1)}), ${site.base})`;
      case 'trunc': {
        const part = arg(1).trim().toLowerCase();
        if (!/^\w+$/.test(part)) throw new Untranslatable(`DATE_TRUNC by ${part}`);
        return trunc('datetime_trunc', `(${arg(0)})`, part);
      }
      case 'multiply':
        return `${numericFunction('multiply', !!site.safe, decimalType(site.result))}(CAST((${arg(0)}) AS DECIMAL(38,9)), CAST((${arg(1)}) AS DECIMAL(38,9)))`;
      case 'aggregate':
        // DISTINCT, when the argument's range leaves it out, put back.
        return aggregateForm(site.fn, site.result, `${site.distinct ? 'DISTINCT ' : ''}${arg(0).replace(/^distinct\s+/i, '')}`);
      case 'float': {
        const xs = site.args.map((_, k) => `CAST((${arg(k)}) AS DOUBLE)`);
        if (site.op === 'POW' || site.op === 'EXP') {
          const r = site.op === 'POW' ? `pow(${xs[0]}, ${xs[1]})` : `exp(${xs[0]})`;
          const call = `'${site.op}(' || ${xs.map(floatText).join(" || ', ' || ")} || ')'`;
          const finite = xs.map((x) => `isfinite(${x})`).join(' AND ');
          return site.safe ? `(CASE WHEN NOT isfinite(${r}) AND ${finite} THEN NULL ELSE ${r} END)` : `strata_bq_float_function(${r}, ${finite}, ${call})`;
        }
        const r = `(${arg(0)}) ${site.op} (${arg(1)})`;
        // A comparison with NaN is false (`!=` true) in BigQuery; DuckDB holds NaN equal to itself and above +inf.
        if (!['+', '-', '*'].includes(site.op)) return `(CASE WHEN ${xs[0]} IS NULL OR ${xs[1]} IS NULL THEN NULL WHEN isnan(${xs[0]}) OR isnan(${xs[1]}) THEN ${site.op === '!=' ? 'true' : 'false'} ELSE ${r} END)`;
        return site.safe ? `strata_bq_safe_float_op(${r}, ${xs[0]}, ${xs[1]})` : `strata_bq_float_op(${r}, ${xs[0]}, ${xs[1]}, '${site.op}')`;
      }
      case 'round':
        return `strata_bq_round(CAST((${arg(0)}) AS DOUBLE), (${arg(1)}))`;
      case 'nan':
        return nanForm(site, arg);
      // The column as written: its join's side makes the NaN keys NULL (float-using.ts).
      case 'using':
        return arg(0);
      case 'composite': {
        const equal = compositeEquality(site.type, arg(0), arg(1));
        return site.op === '=' ? `(${equal})` : `(NOT (${equal}))`;
      }
      case 'to-string':
        return `${STRING_MACRO[site.from]}(${/DOUBLE|FLOAT/.test(site.from) ? `CAST((${arg(0)}) AS DOUBLE)` : `(${arg(0)})`})`;
    }
  })();
  // The SAFE forms of divisions and array subscripts are written above.
  return site.safe && !['divide', 'div', 'mod', 'array-at', 'multiply', 'float'].includes(site.kind) ? `try(${form})` : form;
}
