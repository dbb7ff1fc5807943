/** Jinja2's default globals: range, dict, namespace, cycler, joiner. */
import { JinjaError } from './errors.js';
import { markPython } from './methods.js';
import { num } from './py-number.js';
import { Namespace, assignDict, isDict, iterate, setKey, str, view } from './values.js';
import { splitKw } from './call-args.js';

/** The most items `range()` makes: a template that asks for more is stopped with an error, not out of memory. */
export const MAX_RANGE = 100_000;

function range(...args: unknown[]): number[] {
  if (args.length < 1 || args.length > 3) throw new JinjaError('type', `range expected at most 3 arguments, got ${args.length}`);
  const n = args.map((a) => {
    if (typeof a !== 'number' && typeof a !== 'boolean' && typeof a !== 'bigint') throw new JinjaError('type', `'${typeof a === 'string' ? 'str' : 'float'}' object cannot be interpreted as an integer`);
    if (typeof a === 'number' && !Number.isInteger(a)) throw new JinjaError('type', "'float' object cannot be interpreted as an integer");
    return num(a);
  });
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
  if (step === 0) throw new JinjaError('value', 'range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE) throw new JinjaError('runtime', `Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`);
  const out: number[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return view(out, `range(${start}, ${stop}${step !== 1 ? `, ${step}` : ''})`);
}

class Cycler {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}
  get current(): unknown {
    return this.items[this.pos];
  }
  next(): unknown {
    const v = this.items[this.pos];
    this.pos = (this.pos + 1) % this.items.length;
    return v;
  }
  reset(): null {
    this.pos = 0;
    return null;
  }
}

class Joiner {
  private used = false;
  constructor(private readonly sep: string) {}
  __call__(): string {
    if (this.used) return this.sep;
    this.used = true;
    return '';
  }
}

/** `dict.fromkeys(keys, value=None)`. */
function fromkeys(...args: unknown[]): Record<string, unknown> {
  const { pos, kw } = splitKw(args);
  if (pos[0] === undefined) throw new JinjaError('type', 'fromkeys expected at least 1 argument, got 0');
  if (Object.keys(kw).length) throw new JinjaError('type', 'dict.fromkeys() takes no keyword arguments');
  const out: Record<string, unknown> = {};
  for (const k of iterate(pos[0])) setKey(out, k, pos[1] ?? null);
  return out;
}

export function defaultGlobals(): Record<string, unknown> {
  return {
    range: markPython(range),
    dict: Object.assign(markPython((...args: unknown[]) => {
      const { pos, kw } = splitKw(args);
      // Keys as given (dict([(1, 'a')]) keeps the int 1), as a dict literal keeps them.
      const out: Record<string, unknown> = {};
      if (isDict(pos[0])) assignDict(out, pos[0]);
      else if (pos[0] !== undefined) for (const [k, v] of pos[0] as unknown[][]) setKey(out, k, v);
      for (const [k, v] of Object.entries(kw)) setKey(out, k, v);
      return out;
    }), { fromkeys: markPython(fromkeys) }),
    namespace: markPython((...args: unknown[]) => {
      const { pos, kw } = splitKw(args);
      return new Namespace({ ...(isDict(pos[0]) ? pos[0] : {}), ...kw });
    }),
    cycler: markPython((...items: unknown[]) => {
      if (!items.length) throw new JinjaError('runtime', 'at least one item has to be provided');
      return new Cycler(items);
    }),
    joiner: markPython((sep: unknown = ', ') => new Joiner(str(sep))),
    lipsum: markPython(() => 'Lorem ipsum dolor sit amet.'),
  };
}
