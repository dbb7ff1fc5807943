/** Python's `set` as dbt's context has it (`set(a) != set(b)` compares members, not order). */
import { markPython, pyRepr } from './jinja/index.js';

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

export const setFunction = markPython((items?: unknown) => new PySet(items === undefined || items === null ? [] : typeof items === 'string' ? [...items] : (items as Iterable<unknown>)));
