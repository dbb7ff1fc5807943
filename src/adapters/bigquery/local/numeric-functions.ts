/**
 * NUMERIC division and multiplication as BigQuery computes them: exact. DuckDB divides DECIMALs as DOUBLEs, so past about 15
 * significant digits its quotient has plausible wrong digits (`12345678901234567890.123456789 / 1` gave
 * `…568227.576610816`). Here the operands are NUMERIC's scaled integers (value × 10⁹, as DECIMAL(38,9)
 * holds them) divided with BigInt: `/` rounds the quotient half away from zero at nine decimals, DIV
 * truncates toward zero; a zero divisor or a result past NUMERIC's 29 integer digits is BigQuery's error
 * (`division by zero: DIV(20, 0)`, `numeric overflow: 99999999999999999999999999999.999999999 / 0.1`),
 * or NULL in the SAFE forms (`SAFE_DIVIDE`, `SAFE.DIV`). `*` rounds the product half away from zero at
 * nine decimals too (DuckDB's kept eighteen, and failed past twenty integer digits). Registered as DuckDB
 * scalar functions on the warehouse's connection.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { RUNTIME_PREFIX } from './untranslatable.js';

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

/** The DuckDB function each form is: `strata_bq_numeric_divide(a, b)`, `strata_bq_numeric_safe_div(a, b)`… */
export const numericFunction = (op: NumericOperation, safe: boolean): string => `strata_bq_numeric_${safe ? 'safe_' : ''}${op}`;

/** Registers the functions (DECIMAL(38,9) in and out) on the warehouse's connection. */
export async function registerNumericFunctions(connection: DuckDBConnection): Promise<void> {
  const { DuckDBScalarFunction, DuckDBDecimalValue, DECIMAL } = await import('@duckdb/node-api');
  for (const op of ['divide', 'div', 'multiply'] as const) {
    for (const safe of [false, true]) {
      connection.registerScalarFunction(
        DuckDBScalarFunction.create({
          name: numericFunction(op, safe),
          returnType: DECIMAL(38, 9),
          parameterTypes: [DECIMAL(38, 9), DECIMAL(38, 9)],
          mainFunction: (info, input, output) => {
            const [a, b] = [input.getColumnVector(0), input.getColumnVector(1)];
            for (let row = 0; row < input.rowCount; row++) {
              const [x, y] = [a.getItem(row), b.getItem(row)] as ({ value: bigint } | null)[];
              const q = x && y ? numericResult(op, x.value, y.value) : null;
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
