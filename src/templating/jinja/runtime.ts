/** What compiled templates call: one object of functions, so the generated code stays small. */
import { getattr, getitem, slice, SliceKey } from './access.js';
import { JinjaError, locateError } from './errors.js';
import { checkLength, limits, loopBudget, outputTooLarge, tooManyIterations } from './budget.js';
import { FILTERS, applyFilter } from './filters.js';
import { LoopContext } from './loop.js';
import { Macro, MISSING, callValue, type BoundArgs } from './macro.js';
import * as ops from './operators.js';
import { PyFloat } from './py-number.js';
import { TESTS } from './tests.js';
import { Namespace, Undefined, compare, contains, equals, isDict, isTuple, iterate, setKey, str, truthy, tuple, undefinedName, typeName } from './values.js';

function unpack(value: unknown, n: number): unknown[] {
  const items = iterate(value);
  if (items.length !== n) throw new JinjaError('value', items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`);
  return items;
}

function dict(pairs: [unknown, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) {
    if ((Array.isArray(k) && !isTuple(k)) || isDict(k)) throw new JinjaError('type', `unhashable type: '${typeName(k)}'`);
    setKey(out, k, v);
  }
  return out;
}

function setattr(obj: unknown, attr: string, value: unknown): void {
  if (!(obj instanceof Namespace)) throw new JinjaError('runtime', 'cannot assign attribute on non-namespace object');
  (obj as unknown as Record<string, unknown>)[attr] = value;
}

function cmp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==': return equals(a, b);
    case '!=': return !equals(a, b);
    case '<': return compare(a, b, op) < 0;
    case '>': return compare(a, b, op) > 0;
    case '<=': return compare(a, b, op) <= 0;
    case '>=': return compare(a, b, op) >= 0;
    case 'in': return contains(b, a);
    default: return !contains(b, a);
  }
}

TESTS.filter = (v: unknown) => typeof v === 'string' && Object.prototype.hasOwnProperty.call(FILTERS, v);
TESTS.test = (v: unknown) => typeof v === 'string' && Object.prototype.hasOwnProperty.call(TESTS, v);

function test(name: string, value: unknown, args: unknown[]): boolean {
  const t = TESTS[name];
  if (!t) throw new JinjaError('runtime', `No test named '${name}'.`);
  return t(value, ...args);
}

/** Positional arguments from `*args`, keyword arguments from `**kwargs`. */
function spread(args: unknown[], star: unknown): unknown[] {
  return star === undefined ? args : [...args, ...iterate(star)];
}

function mergeKw(kw: Record<string, unknown> | undefined, dstar: unknown): Record<string, unknown> | undefined {
  if (dstar === undefined) return kw;
  if (!isDict(dstar)) throw new JinjaError('type', 'argument after ** must be a mapping');
  return { ...(kw ?? {}), ...dstar };
}

/** Output of `{{ x }}`: Undefined prints nothing; Python's str() otherwise. */
function output(v: unknown): string {
  return typeof v === 'string' ? v : str(v);
}

export const runtime = {
  str: output,
  truthy,
  undef: undefinedName,
  undefOr: (f: Record<string, unknown>, name: string): unknown => (name in f ? f[name] : undefinedName(name)),
  getattr,
  getitem,
  slice: (a: unknown, b: unknown, c: unknown) => new SliceKey(a, b, c),
  sliceValue: slice,
  call: callValue,
  spread,
  mergeKw,
  filter: applyFilter,
  test,
  cmp,
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  floordiv: ops.floordiv,
  mod: ops.mod,
  pow: ops.pow,
  neg: ops.neg,
  pos: ops.pos,
  concat: (...items: unknown[]) => {
    const strings = items.map(output);
    checkLength(strings.reduce((n, x) => n + x.length, 0));
    return strings.join('');
  },
  tuple,
  dict,
  iter: iterate,
  unpack,
  setattr,
  float: PyFloat.of,
  bigint: (s: string) => BigInt(s),
  MISSING,
  macro: (name: string, params: string[], varargs: boolean, kwargs: boolean, caller: boolean, body: (b: BoundArgs) => unknown) => new Macro(name, params, varargs, kwargs, caller, body),
  loop: (items: unknown[], depth0: number, recurse?: (items: unknown, depth: number) => unknown) => new LoopContext(items, depth0, recurse),
  locate: locateError,
  Undefined,
  // Bounds of one render (budget.ts): loops count into the render's budget, text is checked as it grows.
  budget: loopBudget,
  limits,
  tooManyIterations,
  outputTooLarge,
};

export type Runtime = typeof runtime;
