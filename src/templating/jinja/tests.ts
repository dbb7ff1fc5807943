/** Jinja2's tests (`x is defined`, `x is divisibleby 3`). */
import { Macro } from './macro.js';
import { PyFloat, isFloat, isInt, num } from './py-number.js';
import { Undefined, compare, contains, equals, isDict } from './values.js';

type Test = (v: unknown, ...args: unknown[]) => boolean;

const isNumberValue = (v: unknown): boolean => (typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat || typeof v === 'boolean');

export const TESTS: Record<string, Test> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  string: (v) => typeof v === 'string',
  number: isNumberValue,
  integer: (v) => isInt(v) && typeof v !== 'boolean',
  float: (v) => isFloat(v),
  // dbt's Relation is a mapping too (`obj is mapping and obj.get('metadata')`, dbt_utils._is_relation).
  mapping: (v) => isDict(v) || (!!v && typeof v === 'object' && !Array.isArray(v) && (typeof (v as { items?: unknown }).items === 'function' || typeof (v as { get?: unknown }).get === 'function')),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v) || (!!v && typeof v === 'object' && Symbol.iterator in v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  callable: (v) => typeof v === 'function' || v instanceof Macro,
  sameas: (v, o) => v === o || (v === null && o === null),
  escaped: () => false,
  even: (v) => num(v) % 2 === 0,
  odd: (v) => Math.abs(num(v) % 2) === 1,
  divisibleby: (v, n) => num(v) % num(n) === 0,
  lower: (v) => String(v) === String(v).toLowerCase(),
  upper: (v) => String(v) === String(v).toUpperCase(),
  in: (v, seq) => contains(seq, v),
  eq: (a, b) => equals(a, b),
  equalto: (a, b) => equals(a, b),
  '==': (a, b) => equals(a, b),
  ne: (a, b) => !equals(a, b),
  '!=': (a, b) => !equals(a, b),
  lt: (a, b) => compare(a, b, '<') < 0,
  lessthan: (a, b) => compare(a, b, '<') < 0,
  '<': (a, b) => compare(a, b, '<') < 0,
  le: (a, b) => compare(a, b, '<=') <= 0,
  '<=': (a, b) => compare(a, b, '<=') <= 0,
  gt: (a, b) => compare(a, b, '>') > 0,
  greaterthan: (a, b) => compare(a, b, '>') > 0,
  '>': (a, b) => compare(a, b, '>') > 0,
  ge: (a, b) => compare(a, b, '>=') >= 0,
  '>=': (a, b) => compare(a, b, '>=') >= 0,
  filter: () => false,
  test: () => false,
};
