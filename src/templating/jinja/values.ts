/** Python's view of values: type names, str(), repr(), truthiness and equality, as Jinja2 templates see them. */
import { PyFloat, floatRepr } from './py-number.js';
import { JinjaError } from './errors.js';
import { deleteKey, noteKey, orderedKeys } from './dict-order.js';

/** Jinja2's default Undefined: prints as nothing, is false, iterates as empty, fails when used further. */
export class Undefined {
  constructor(
    readonly hint: string,
    readonly name?: string,
    /** `security`: a sandboxed attribute (`x.__class__`), an error of its own kind when used. */
    readonly kind: 'undefined' | 'security' = 'undefined',
  ) {}
  fail(): never {
    throw new JinjaError(this.kind, this.hint);
  }
  /** `u.name`, `u[key]` and `u(…)`: Jinja2's undefined fails; dbt's parse-time one (lenient-runtime.ts) goes on. */
  attr(_name: string): unknown {
    this.fail();
  }
  item(): unknown {
    this.fail();
  }
  called(): unknown {
    throw Object.assign(new JinjaError(this.kind, this.hint), { called: this.name });
  }
  toString(): string {
    return '';
  }
}

export const undefinedName = (name: string): Undefined => new Undefined(`'${name}' is undefined`, name);

const TUPLE = Symbol.for('strata.python.tuple');
/** Marks an array as a tuple: it prints as `(1, 2)`. */
export function tuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}
export const isTuple = (v: unknown): boolean => Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;

/**
 * A list's members by name (an agate row's columns and methods), held by its prototype and shared by every list
 * of that kind: `[NAMED](name)` answers `row.name` and `row['name']`, or undefined when there is none.
 */
export const NAMED = Symbol.for('strata.python.named');
export type NamedMembers = (this: unknown[], name: string) => unknown;

const VIEW = Symbol.for('strata.python.view');
/** A list that prints as a Python view or range: `dict_items([...])`, `range(0, 3)`. */
export function view<T extends unknown[]>(items: T, label: string): T {
  Object.defineProperty(items, VIEW, { value: label });
  return items;
}
const viewLabel = (v: unknown[]): string | undefined => (v as unknown as Record<symbol, string | undefined>)[VIEW];

/** Jinja's `{% set ns = namespace() %}`: the one object `{% set ns.x = … %}` may assign to. */
export class Namespace {
  constructor(init: Record<string, unknown> = {}) {
    Object.assign(this, init);
  }
  toString(): string {
    return repr(this);
  }
}

/**
 * A dict is a plain object keyed by its keys' string forms, in the order they were added (dict-order.ts). The keys that were not strings (`{1: 'jan'}`, None,
 * a tuple) are remembered under this symbol, so that `keys()`, `items()`, `for k in d` and `repr` give back the
 * int 1, not the text '1', as Python does. (A dict holding both 1 and '1' keeps one of them: a known limit.)
 */
const KEYS = Symbol('strata.jinja.dict-keys');
type Keyed = Record<string, unknown> & { [KEYS]?: Map<string, unknown> };

/** A key remembered as itself: a number, bool, None or tuple (a relation or other object is its string form, as before). */
const remembered = (key: unknown): boolean => typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint' || key === null || key instanceof PyFloat || isTuple(key);

/** The property a key is stored under. */
export function keyString(key: unknown): string {
  return typeof key === 'string' ? key : str(key);
}

/** `d[key] = value`, remembering a key that is not a string. */
export function setKey(d: Record<string, unknown>, key: unknown, value: unknown): void {
  const k = keyString(key);
  noteKey(d, k);
  d[k] = value;
  const map = (d as Keyed)[KEYS];
  if (remembered(key)) {
    if (map) map.set(k, key);
    else Object.defineProperty(d, KEYS, { value: new Map([[k, key]]), enumerable: false, configurable: true });
  } else map?.delete(k);
}

/** The dict's keys as they were given (dbt's `__keywords` marker left out). */
export function dictKeys(d: Record<string, unknown>): unknown[] {
  const map = (d as Keyed)[KEYS];
  const keys = orderedKeys(d).filter((k) => k !== '__keywords');
  return map ? keys.map((k) => (map.has(k) ? map.get(k) : k)) : keys;
}

/** `to.update(from)`: its entries, with their keys as given (each value through `each`, if given). */
export function assignDict(to: Record<string, unknown>, from: Record<string, unknown>, each?: (v: unknown) => unknown): Record<string, unknown> {
  const map = (from as Keyed)[KEYS];
  for (const k of orderedKeys(from)) setKey(to, map?.has(k) ? map.get(k) : k, each ? each(from[k]) : from[k]);
  return to;
}

/** `del d[key]`. */
export function deleteDictKey(d: Record<string, unknown>, key: unknown): void {
  const k = keyString(key);
  deleteKey(d, k);
  (d as Keyed)[KEYS]?.delete(k);
}

/** A plain object used as a Python dict (not a class instance, array or function). */
export function isDict(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === null) return true;
  // An object with a string form of its own (a relation) is a value, not a dict.
  return proto === Object.prototype && (v as { toString: unknown }).toString === Object.prototype.toString;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof Undefined) return 'Undefined';
  if (typeof v === 'function') return 'function';
  if (isDict(v)) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** Python's `repr()` of a string: single quotes unless it has one and no double quote. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

export function repr(v: unknown): string {
  if (typeof v === 'string') return reprString(v);
  if (Array.isArray(v)) {
    const label = viewLabel(v);
    if (label?.startsWith('range(')) return label;
    const inner = v.map(repr).join(', ');
    if (label) return `${label}([${inner}])`;
    return isTuple(v) ? `(${inner}${v.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  if (isDict(v)) return `{${dictKeys(v).map((k) => `${repr(k)}: ${repr(v[keyString(k)])}`).join(', ')}}`;
  if (v instanceof Namespace) return `<Namespace ${repr({ ...v })}>`;
  if (v instanceof Undefined) return 'Undefined';
  return str(v);
}

/** Python's `str()`, as `{{ x }}` prints it. */
export function str(v: unknown): string {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return Number.isInteger(v) ? String(v) : floatRepr(v);
    case 'boolean': return v ? 'True' : 'False';
    case 'bigint': return String(v);
    case 'undefined': return '';
    case 'function': return `<function ${(v as { name?: string }).name || 'anonymous'}>`;
  }
  if (v === null) return 'None';
  if (Array.isArray(v) || isDict(v)) return repr(v);
  return String(v);
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || v === 0n) return false;
  if (typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Undefined) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  const len = (v as { __len__?: () => number }).__len__;
  if (typeof len === 'function') return len.call(v) > 0;
  return true;
}

const numeric = (v: unknown): number | bigint | undefined => {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
};

/** Python's `==`: deep for lists and dicts, 1 == 1.0 == True. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na == nb; // eslint-disable-line eqeqeq
  if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) && Array.isArray(b)) return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => equals(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equals(a[k], b[k]));
  }
  const ea = (a as { equals?: (o: unknown) => boolean } | null)?.equals;
  if (typeof ea === 'function') return ea.call(a, b);
  if (a && b && typeof a === 'object' && Object.getPrototypeOf(a) === Object.getPrototypeOf(b)) {
    const va = primitive(a);
    return va !== undefined && va === primitive(b);
  }
  return false;
}

/** Python's ordering: numbers with numbers, strings with strings, sequences element by element. */
export function compare(a: unknown, b: unknown, op: string): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equals(a[i], b[i])) return compare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  const ca = (a as { compareTo?: (o: unknown) => number } | null)?.compareTo;
  if (typeof ca === 'function') return ca.call(a, b);
  const va = primitive(a);
  const vb = primitive(b);
  if (va !== undefined && vb !== undefined && typeof va === typeof vb) return va < vb ? -1 : va > vb ? 1 : 0;
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  throw new JinjaError('type', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** The number a class instance stands for (a datetime's epoch milliseconds), if it has one. */
function primitive(v: unknown): number | string | undefined {
  if (!v || typeof v !== 'object' || v.valueOf === Object.prototype.valueOf) return undefined;
  const p = v.valueOf();
  return typeof p === 'number' || typeof p === 'string' ? p : undefined;
}

/** Python's `in`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new JinjaError('type', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => equals(x, item));
  if (container instanceof Undefined) return false;
  if (container instanceof Map || container instanceof Set) return container.has(item);
  if (isDict(container) || container instanceof Namespace) {
    if (Array.isArray(item) && !isTuple(item)) throw new JinjaError('type', `unhashable type: 'list'`);
    if (isDict(item)) throw new JinjaError('type', `unhashable type: 'dict'`);
    return item !== undefined && !(item instanceof Undefined) ? Object.prototype.hasOwnProperty.call(container, keyString(item)) : false;
  }
  const c = (container as { __contains__?: (x: unknown) => boolean } | null)?.__contains__;
  if (typeof c === 'function') return c.call(container, item);
  if (container && typeof container === 'object') return String(item) in container;
  throw new JinjaError('type', `argument of type '${typeName(container)}' is not iterable`);
}

/** The items `for` iterates: a list's items, a dict's keys, a string's characters. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v === undefined || v instanceof Undefined) return [];
  if (isDict(v)) return dictKeys(v);
  if (v instanceof Map) return [...v.keys()];
  if (v && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)];
  throw new JinjaError('type', `'${typeName(v)}' object is not iterable`);
}
