/** Python's `set` as dbt's context has it (`set(a) != set(b)` compares members, not order). */
import { JinjaError, markPython, pyRepr } from './jinja/index.js';
import { splitKw } from './jinja/call-args.js';

const keyOf = (v: unknown): string => (typeof v === 'string' ? `s:${v}` : `r:${pyRepr(v)}`);

export class PySet {
  private readonly items = new Map<string, unknown>();
  constructor(values: Iterable<unknown> = []) {
    for (const v of values) this.items.set(keyOf(v), v);
  }
  [Symbol.iterator](): Iterator<unknown> {
    return this.items.values();
  }
  __len__(): number {
    return this.items.size;
  }
  __contains__(v: unknown): boolean {
    return this.items.has(keyOf(v));
  }
  equals(other: unknown): boolean {
    return other instanceof PySet && other.items.size === this.items.size && [...this.items.keys()].every((k) => other.items.has(k));
  }
  add(v: unknown): null {
    this.items.set(keyOf(v), v);
    return null;
  }
  discard(v: unknown): null {
    this.items.delete(keyOf(v));
    return null;
  }
  remove(v: unknown): null {
    return this.discard(v);
  }
  union(...others: Iterable<unknown>[]): PySet {
    return new PySet([...this, ...others.flatMap((o) => [...o])]);
  }
  intersection(other: Iterable<unknown>): PySet {
    const o = new PySet(other);
    return new PySet([...this].filter((v) => o.__contains__(v)));
  }
  difference(other: Iterable<unknown>): PySet {
    const o = new PySet(other);
    return new PySet([...this].filter((v) => !o.__contains__(v)));
  }
  issubset(other: Iterable<unknown>): boolean {
    const o = new PySet(other);
    return [...this].every((v) => o.__contains__(v));
  }
  issuperset(other: Iterable<unknown>): boolean {
    return new PySet(other).issubset(this);
  }
  toString(): string {
    return this.items.size ? `{${[...this].map(pyRepr).join(', ')}}` : 'set()';
  }
}

const iterable = (v: unknown): v is Iterable<unknown> => v !== null && v !== undefined && typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function';

/** dbt's `set(value, default=None)`: a set of the items, or `default` when the value is not iterable (Python's TypeError). */
export const setFunction = markPython((...args: unknown[]) => {
  const { pos, kw } = splitKw(args);
  const items = pos[0];
  if (items === undefined) return new PySet([]);
  return iterable(items) ? new PySet(items) : (kw.default ?? pos[1] ?? null);
});

/** dbt's `set_strict(value)`: a set of the items; a value that is not iterable is an error. */
export const setStrictFunction = markPython((items?: unknown) => {
  if (items === undefined) return new PySet([]);
  if (!iterable(items)) throw new JinjaError('type', `'${items === null ? 'NoneType' : typeof items}' object is not iterable`);
  return new PySet(items);
});
