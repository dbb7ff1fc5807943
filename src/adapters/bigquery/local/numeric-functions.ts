/**
 * NUMERIC division and multiplication as BigQuery computes them: exact. DuckDB divides DECIMALs as DOUBLEs, so past about 15
 * significant digits its quotient has plausible wrong digits (`12345678901234567890.123456789 / 1` gave
 * `…568227.576610816`). Here the operands are NUMERIC's scaled integers (value × 10⁹, as DECIMAL(38,9)
 * holds them) divided with BigInt: `/` rounds the quotient half away from zero at nine decimals, DIV
 * truncates toward zero; a zero divisor or a result past NUMERIC's 29 integer digits is BigQuery's error
 * (`division by zero: DIV(20, 0)`, `numeric overflow: 99999999999999999999999999999.999999999 / 0.1`),
 * or NULL in the SAFE forms (`SAFE_DIVIDE`, `SAFE.DIV`). `*` rounds the product half away from zero at
 * nine decimals too (DuckDB's kept eighteen, and failed past twenty integer digits). BIGNUMERIC, held with
 * the same nine decimals, is computed with BigQuery's 38 and kept when the result fits (bignumericResult).
 * Registered as DuckDB scalar functions on the warehouse's connection.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { LOCAL_LIMIT_PREFIX, RUNTIME_PREFIX } from './untranslatable.js';

const SCALE = 10n ** 9n;
/** NUMERIC's largest value, scaled: 99999999999999999999999999999.999999999. */
const MAX = 10n ** 38n - 1n;

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** A scaled NUMERIC as BigQuery writes it in a message: no trailing zeros (`20`, `0.1`, `-2.5`). */
export function numericText(scaled: bigint): string {
  const digits = abs(scaled).toString().padStart(10, '0');
  const fraction = digits.slice(-9).replace(/0+$/, '');
  return `${scaled < 0n ? '-' : ''}${digits.slice(0, -9)}${fraction ? `.${fraction}` : ''}`;
}

export type NumericOperation = 'divide' | 'div' | 'multiply';
/** The two decimal types, both held as DECIMAL(38,9) (BIGNUMERIC's results are checked to fit: bignumeric-values.ts). */
export type DecimalType = 'numeric' | 'bignumeric';

/** n / d rounded half away from zero: the remainder is at least half the divisor. */
function rounded(n: bigint, d: bigint): bigint {
  const q = n / d;
  return 2n * abs(n % d) >= abs(d) ? q + ((n < 0n) === (d < 0n) ? 1n : -1n) : q;
}

/** `a / b`, `DIV(a, b)` or `a * b` of scaled NUMERICs: the scaled result, or BigQuery's error message. */
export function numericResult(op: NumericOperation, a: bigint, b: bigint): bigint | { error: string } {
  const shown = op === 'div' ? `DIV(${numericText(a)}, ${numericText(b)})` : `${numericText(a)} ${op === 'divide' ? '/' : '*'} ${numericText(b)}`;
  if (op !== 'multiply' && b === 0n) return { error: `division by zero: ${shown}` };
  // BigInt division truncates toward zero, as DIV does.
  const q = op === 'div' ? (a / b) * SCALE : op === 'divide' ? rounded(a * SCALE, b) : rounded(a * b, SCALE);
  return abs(q) > MAX ? { error: `numeric overflow: ${shown}` } : q;
}

/** A result: the scaled value, BigQuery's error (NULL in a SAFE form), or a value the server cannot hold. */
type Outcome = bigint | { error: string } | { limit: string };

/** BIGNUMERIC's range at its 38 decimals: [-2^255, 2^255 - 1] × 10^-38. */
const BIG_MIN = -(1n << 255n);
const BIG_MAX = (1n << 255n) - 1n;
/** From nine decimals to BIGNUMERIC's 38. */
const TO_38 = 10n ** 29n;
const HELD = "(BigQuery keeps 38 decimal digits; the local BigQuery holds BIGNUMERIC with NUMERIC's 9 and 29 integer digits)";

/**
 * `a / b`, `DIV(a, b)`, `a * b` or AVG (`a` the sum, `b` the count) of BIGNUMERICs held with nine decimals, as
 * BigQuery computes them with 38 (the quotient rounded half away from zero there; a product of two
 * nine-decimal values is exact). The result, if DECIMAL(38,9) holds it exactly; BigQuery's error for a zero
 * divisor or a result past BIGNUMERIC's range; else a refusal naming the limit (never a rounded value).
 */
export function bignumericResult(op: NumericOperation | 'avg', a: bigint, b: bigint): Outcome {
  const shown = op === 'div' ? `DIV(${numericText(a)}, ${numericText(b)})` : op === 'avg' ? `AVG of ${b / SCALE} values (sum ${numericText(a)})` : `${numericText(a)} ${op === 'multiply' ? '*' : '/'} ${numericText(b)}`;
  if (op !== 'multiply' && b === 0n) return { error: `division by zero: ${shown}` };
  const r = op === 'div' ? (a / b) * SCALE * TO_38 : op === 'multiply' ? a * b * 10n ** 20n : rounded(a * SCALE * TO_38, b);
  if (r < BIG_MIN || r > BIG_MAX) return { error: `BIGNUMERIC overflow: ${shown}` };
  if (r % TO_38 !== 0n || abs(r / TO_38) > MAX) return { limit: `a BIGNUMERIC result with more than 9 decimal digits or 29 integer digits: ${shown} ${HELD}` };
  return r / TO_38;
}

/** The DuckDB function each form is: `strata_bq_numeric_divide(a, b)`, `strata_bq_bignumeric_safe_div(a, b)`… */
export const numericFunction = (op: NumericOperation | 'avg', safe: boolean, type: DecimalType = 'numeric'): string => `strata_bq_${type}_${safe ? 'safe_' : ''}${op}`;

/** The outcome of `op` on two scaled values of `type`: BIGNUMERIC's AVG is its sum divided by its count. */
function outcome(type: DecimalType, op: NumericOperation | 'avg', a: bigint, b: bigint): Outcome {
  if (type === 'bignumeric') return bignumericResult(op, a, b);
  return numericResult(op === 'avg' ? 'divide' : op, a, b);
}

const FORMS: [DecimalType, NumericOperation | 'avg'][] = [
  ['numeric', 'divide'], ['numeric', 'div'], ['numeric', 'multiply'],
  ['bignumeric', 'divide'], ['bignumeric', 'div'], ['bignumeric', 'multiply'], ['bignumeric', 'avg'],
];

/** Registers the functions (DECIMAL(38,9) in and out) on the warehouse's connection. */
export async function registerNumericFunctions(connection: DuckDBConnection): Promise<void> {
  const { DuckDBScalarFunction, DuckDBDecimalValue, DECIMAL } = await import('@duckdb/node-api');
  for (const [type, op] of FORMS) {
    for (const safe of [false, true]) {
      connection.registerScalarFunction(
        DuckDBScalarFunction.create({
          name: numericFunction(op, safe, type),
          returnType: DECIMAL(38, 9),
          parameterTypes: [DECIMAL(38, 9), DECIMAL(38, 9)],
          mainFunction: (info, input, output) => {
            const [a, b] = [input.getColumnVector(0), input.getColumnVector(1)];
            for (let row = 0; row < input.rowCount; row++) {
              const [x, y] = [a.getItem(row), b.getItem(row)] as ({ value: bigint } | null)[];
              const q = x && y ? outcome(type, op, x.value, y.value) : null;
              // A value the server cannot hold is refused even in a SAFE form: BigQuery gives a value there.
              if (q !== null && typeof q === 'object' && 'limit' in q) return info.setError(`${LOCAL_LIMIT_PREFIX}${q.limit}`);
              if (q !== null && typeof q === 'object' && !safe) return info.setError(`${RUNTIME_PREFIX}${q.error}`);
              output.setItem(row, typeof q === 'bigint' ? new DuckDBDecimalValue(q, 38, 9) : null);
            }
            output.flush();
          },
        }),
      );
    }
  }
}
