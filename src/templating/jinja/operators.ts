/** Python's arithmetic operators with their types, errors and int/float results. */
import { JinjaError } from './errors.js';
import { checkItems, checkLength } from './budget.js';
import { PyFloat, intResult, isFloat } from './py-number.js';
import { Undefined, isTuple, tuple, typeName } from './values.js';
import { percentFormat } from './formatting.js';

type N = number | bigint;

/** An int or float operand (bools count as ints), or undefined for anything else. */
function operand(v: unknown): N | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

function check(a: unknown, b: unknown): void {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
}

const unsupported = (op: string, a: unknown, b: unknown): JinjaError => new JinjaError('type', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);

/** Applies an int operation exactly (BigInt when needed) or a float one. */
function arith(a: unknown, b: unknown, op: string, ints: (x: bigint, y: bigint) => bigint, floats: (x: number, y: number) => number): unknown {
  const x = operand(a);
  const y = operand(b);
  if (x === undefined || y === undefined) throw unsupported(op, a, b);
  if (!isFloat(a) && !isFloat(b)) {
    if (typeof x === 'number' && typeof y === 'number') {
      const r = floats(x, y);
      if (Number.isSafeInteger(r)) return r;
    }
    return intResult(ints(BigInt(x), BigInt(y)));
  }
  return PyFloat.of(floats(Number(x), Number(y)));
}

/** `a.__add__(b)`, then `b.__radd__(a)`, for class instances (datetimes and timedeltas). */
function dunder(a: unknown, b: unknown, name: string): unknown {
  const f = (a as Record<string, unknown> | null)?.[`__${name}__`];
  let r = typeof f === 'function' && a !== null && typeof a === 'object' ? f.call(a, b) : undefined;
  if (r !== undefined) return r;
  const g = (b as Record<string, unknown> | null)?.[`__r${name}__`];
  r = typeof g === 'function' && b !== null && typeof b === 'object' ? g.call(b, a) : undefined;
  return r;
}

export function add(a: unknown, b: unknown): unknown {
  check(a, b);
  if ((a !== null && typeof a === 'object' && !Array.isArray(a) && !(a instanceof PyFloat)) || (b !== null && typeof b === 'object' && !Array.isArray(b) && !(b instanceof PyFloat))) {
    const r = dunder(a, b, 'add');
    if (r !== undefined) return r;
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') {
      checkLength(a.length + b.length);
      return a + b;
    }
    throw new JinjaError('type', `can only concatenate str (not "${typeName(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
    throw new JinjaError('type', `can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  }
  return arith(a, b, '+', (x, y) => x + y, (x, y) => x + y);
}

export function sub(a: unknown, b: unknown): unknown {
  check(a, b);
  if ((a !== null && typeof a === 'object' && !(a instanceof PyFloat)) || (b !== null && typeof b === 'object' && !(b instanceof PyFloat))) {
    const r = dunder(a, b, 'sub');
    if (r !== undefined) return r;
  }
  return arith(a, b, '-', (x, y) => x - y, (x, y) => x - y);
}

function repeat(seq: unknown, times: unknown): unknown {
  const n = Math.max(0, Number(operand(times)));
  if (typeof seq === 'string') {
    checkLength(seq.length * n);
    return seq.repeat(n);
  }
  const arr = seq as unknown[];
  checkItems(arr.length * n);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...arr);
  return isTuple(arr) ? tuple(out) : out;
}

export function mul(a: unknown, b: unknown): unknown {
  check(a, b);
  const seq = (v: unknown): boolean => typeof v === 'string' || Array.isArray(v);
  const int = (v: unknown): boolean => operand(v) !== undefined && !isFloat(v);
  if (seq(a) && int(b)) return repeat(a, b);
  if (seq(b) && int(a)) return repeat(b, a);
  if (seq(a) || seq(b)) throw new JinjaError('type', `can't multiply sequence by non-int of type '${typeName(seq(a) ? b : a)}'`);
  return arith(a, b, '*', (x, y) => x * y, (x, y) => x * y);
}

export function div(a: unknown, b: unknown): unknown {
  check(a, b);
  const x = operand(a);
  const y = operand(b);
  if (x === undefined || y === undefined) throw unsupported('/', a, b);
  if (Number(y) === 0) throw new JinjaError('zero-division', 'division by zero');
  return PyFloat.of(Number(x) / Number(y));
}

export function floordiv(a: unknown, b: unknown): unknown {
  check(a, b);
  const y = operand(b);
  if (y !== undefined && Number(y) === 0 && operand(a) !== undefined) throw new JinjaError('zero-division', isFloat(a) || isFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
  return arith(a, b, '//', (p, q) => {
    const d = p / q;
    return (p % q !== 0n && (p < 0n) !== (q < 0n)) ? d - 1n : d;
  }, (p, q) => Math.floor(p / q));
}

export function mod(a: unknown, b: unknown): unknown {
  check(a, b);
  if (typeof a === 'string') return percentFormat(a, b);
  const y = operand(b);
  if (y !== undefined && Number(y) === 0 && operand(a) !== undefined) throw new JinjaError('zero-division', isFloat(a) || isFloat(b) ? 'float modulo' : 'integer modulo by zero');
  return arith(a, b, '%', (p, q) => {
    const r = p % q;
    return r !== 0n && (r < 0n) !== (q < 0n) ? r + q : r;
  }, (p, q) => {
    const r = p % q;
    return r !== 0 && (r < 0) !== (q < 0) ? r + q : r === 0 ? 0 : r;
  });
}

export function pow(a: unknown, b: unknown): unknown {
  check(a, b);
  const y = operand(b);
  if (y !== undefined && !isFloat(b) && Number(y) < 0 && !isFloat(a)) {
    const x = operand(a);
    if (x === undefined) throw unsupported('** or pow()', a, b);
    if (Number(x) === 0) throw new JinjaError('zero-division', '0.0 cannot be raised to a negative power');
    return PyFloat.of(Number(x) ** Number(y));
  }
  return arith(a, b, '** or pow()', (p, q) => p ** q, (p, q) => p ** q);
}

export function neg(a: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  const x = operand(a);
  if (x === undefined) throw new JinjaError('type', `bad operand type for unary -: '${typeName(a)}'`);
  if (isFloat(a)) return PyFloat.of(-Number(x));
  return typeof x === 'bigint' ? intResult(-x) : x === 0 ? 0 : -x;
}

export function pos(a: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  const x = operand(a);
  if (x === undefined) throw new JinjaError('type', `bad operand type for unary +: '${typeName(a)}'`);
  return typeof a === 'boolean' ? x : a;
}
