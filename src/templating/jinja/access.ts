/** `obj.attr`, `obj[key]` and slices with Jinja2's rules: attribute first for `.`, item first for `[]`, Undefined when missing. */
import { JinjaError } from './errors.js';
import { boundMethod } from './methods.js';
import { PyFloat, isFloat, num } from './py-number.js';
import { NAMED, Namespace, Undefined, isDict, isTuple, repr, str, tuple, typeName, type NamedMembers } from './values.js';

const missingAttr = (obj: unknown, name: string): Undefined => new Undefined(`'${typeName(obj) === 'dict' ? 'dict object' : typeName(obj) === 'list' ? 'list object' : typeName(obj) === 'str' ? 'str object' : typeName(obj) + ' object'}' has no attribute '${name}'`, name);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function bindIfFunction(obj: object, v: unknown): unknown {
  return typeof v === 'function' && !hasOwn(v, 'prototype') ? v.bind(obj) : v;
}

export function getattr(obj: unknown, name: string): unknown {
  if (obj instanceof Undefined) return obj.attr(name);
  if (obj === null || obj === undefined) return missingAttr(obj, name);
  if (Array.isArray(obj)) {
    const named = (obj as unknown as { [NAMED]?: NamedMembers })[NAMED];
    const v = named === undefined ? undefined : named.call(obj, name);
    if (v !== undefined) return v;
    if (hasOwn(obj, name) && !/^\d+$/.test(name) && name !== 'length') return (obj as unknown as Record<string, unknown>)[name];
  }
  if (name.startsWith('__')) return new Undefined(`access to attribute '${name}' of '${typeName(obj)}' object is unsafe.`, name, 'security');
  if (typeof obj === 'string' || Array.isArray(obj)) return boundMethod(obj, name) ?? missingAttr(obj, name);
  if (isDict(obj)) {
    const own = hasOwn(obj, name) ? obj[name] : undefined;
    if (typeof own === 'function') return own;
    const method = boundMethod(obj, name);
    if (method) return method;
    return hasOwn(obj, name) ? own : missingAttr(obj, name);
  }
  if (typeof obj === 'object' || typeof obj === 'function') {
    // As dbt's sandboxed environment: attributes starting with `_` are not reachable on objects.
    if (name.startsWith('_')) return new Undefined(`access to attribute '${name}' of '${typeName(obj)}' object is unsafe.`, name, 'security');
    if (name in (obj as object)) {
      const v = (obj as Record<string, unknown>)[name];
      return typeof obj === 'function' ? v : bindIfFunction(obj as object, v);
    }
    const item = (obj as { __getitem__?: (k: unknown) => unknown }).__getitem__;
    if (typeof item === 'function') {
      const v = item.call(obj, name);
      if (v !== undefined) return v;
    }
    return missingAttr(obj, name);
  }
  if (typeof obj === 'number' || obj instanceof PyFloat) {
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
    if (name === 'is_integer') return () => Number.isInteger(num(obj));
  }
  return missingAttr(obj, name);
}

function index(len: number, key: unknown): number | undefined {
  if (typeof key === 'boolean') return index(len, key ? 1 : 0);
  if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
  const i = key < 0 ? len + key : key;
  return i >= 0 && i < len ? i : undefined;
}

export function getitem(obj: unknown, key: unknown): unknown {
  if (obj instanceof Undefined) return obj.item();
  if (key instanceof SliceKey) {
    try {
      return slice(obj, key.start, key.stop, key.step);
    } catch (e) {
      if (e instanceof JinjaError && e.kind === 'type') return new Undefined(e.message);
      throw e;
    }
  }
  if (typeof obj === 'string' || Array.isArray(obj)) {
    if (typeof key === 'string') return getattr(obj, key);
    if (isFloat(key) || (key !== null && typeof key === 'object')) throw new JinjaError('type', `${typeName(obj)} indices must be integers or slices, not ${typeName(key)}`);
    const i = index(obj.length, key);
    return i === undefined ? new Undefined(`${typeName(obj)} object has no element ${repr(key)}`) : obj[i];
  }
  if (isDict(obj) || obj instanceof Namespace) {
    // A key that is an object (a relation) is its string form, as in the dict it was stored in.
    const k = typeof key === 'string' ? key : key === null || isTuple(key) || (key !== undefined && !Array.isArray(key) && !isDict(key)) ? str(key) : undefined;
    if (k !== undefined && hasOwn(obj, k)) return (obj as Record<string, unknown>)[k];
    if (typeof key === 'string') return getattr(obj, key);
    return new Undefined(`'dict object' has no attribute ${repr(key)}`);
  }
  if (obj && typeof obj === 'object') {
    const item = (obj as { __getitem__?: (k: unknown) => unknown }).__getitem__;
    if (typeof item === 'function') {
      const v = item.call(obj, key);
      if (v !== undefined) return v;
    }
    if (typeof key === 'string' || typeof key === 'number') return getattr(obj, String(key));
  }
  return new Undefined(`'${typeName(obj)} object' has no attribute ${repr(key)}`);
}

/** `a[start:stop:step]` as a key object, so `getitem` can tell it from a value. */
export class SliceKey {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
}

export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (obj instanceof Undefined) return obj.item();
  if (typeof obj !== 'string' && !Array.isArray(obj)) throw new JinjaError('type', `'${typeName(obj)}' object is not subscriptable`);
  const items: unknown[] = typeof obj === 'string' ? [...obj] : obj;
  const len = items.length;
  const bad = [start, stop, step].find((v) => v !== undefined && v !== null && typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint');
  if (bad !== undefined) throw new JinjaError('type', 'slice indices must be integers or None or have an __index__ method');
  const st = step === undefined || step === null ? 1 : num(step);
  if (st === 0) throw new JinjaError('value', 'slice step cannot be zero');
  const norm = (v: unknown, def: number): number => {
    if (v === undefined || v === null) return def;
    let i = num(v);
    if (i < 0) i += len;
    return st > 0 ? Math.min(Math.max(i, 0), len) : Math.min(Math.max(i, -1), len - 1);
  };
  const a = norm(start, st > 0 ? 0 : len - 1);
  const b = norm(stop, st > 0 ? len : -1);
  const out: unknown[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(items[i]);
  if (typeof obj === 'string') return out.join('');
  return isTuple(obj) ? tuple(out) : out;
}
