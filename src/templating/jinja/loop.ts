/** Jinja2's `loop` variable. */
import { JinjaError } from './errors.js';
import { equals, Undefined } from './values.js';
import { num } from './py-number.js';

export class LoopContext {
  index0 = -1;
  private lastChanged: unknown[] | undefined;
  constructor(
    private readonly items: unknown[],
    readonly depth0: number,
    private readonly recurse?: (items: unknown, depth: number) => unknown,
  ) {}
  get length(): number {
    return this.items.length;
  }
  get index(): number {
    return this.index0 + 1;
  }
  get revindex(): number {
    return this.items.length - this.index0;
  }
  get revindex0(): number {
    return this.items.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.items.length - 1;
  }
  get depth(): number {
    return this.depth0 + 1;
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.items[this.index0 - 1] : new Undefined('there is no previous item');
  }
  get nextitem(): unknown {
    return this.index0 + 1 < this.items.length ? this.items[this.index0 + 1] : new Undefined('there is no next item');
  }
  cycle(...values: unknown[]): unknown {
    if (!values.length) throw new JinjaError('type', 'no items for cycling given');
    return values[this.index0 % values.length];
  }
  changed(...values: unknown[]): boolean {
    if (this.lastChanged && this.lastChanged.length === values.length && this.lastChanged.every((v, i) => equals(v, values[i]))) return false;
    this.lastChanged = values;
    return true;
  }
  /** `loop(children)` in a recursive loop. */
  __call__(items: unknown): unknown {
    if (!this.recurse) throw new JinjaError('type', "Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
    return this.recurse(items, this.depth0 + 1);
  }
  toString(): string {
    return `<LoopContext ${this.index}/${this.length}>`;
  }
}

export const loopLength = (v: unknown): number => num(v);
