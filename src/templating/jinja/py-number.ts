/**
 * Python's numbers in JavaScript. An int is a JS integer (a BigInt beyond 2^53); a float is a JS number
 * that is not an integer, or a PyFloat box when its value is integral (`5.0`), so that it prints as Python does.
 */
export class PyFloat {
  private constructor(readonly value: number) {}
  /** A float with this value: a plain number when it cannot be mistaken for an int. */
  static of(n: number): number | PyFloat {
    return Number.isInteger(n) || Object.is(n, -0) ? new PyFloat(n) : n;
  }
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
export const isInt = (v: unknown): boolean => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || typeof v === 'boolean';
export const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat || typeof v === 'boolean';

/** The JS number of an int, float or bool. */
export function num(v: unknown): number {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return Number(v);
}

/** Python's repr() of a float: shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa, exp] = n.toExponential().split('e') as [string, string];
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(n);
  if (s.includes('e')) return Number(n).toFixed(20).replace(/0+$/, '');
  return s.includes('.') ? s : `${s}.0`;
}

/** An int result: a number while it is exact, a BigInt beyond. */
export function intResult(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
