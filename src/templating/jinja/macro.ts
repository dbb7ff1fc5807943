/** Macros as Jinja2 calls them: positional and keyword binding, `varargs`, `kwargs`, `caller`, and dbt's `return()`. */
import { JinjaError } from './errors.js';
import { isPythonCallable } from './methods.js';
import { PyFloat } from './py-number.js';
import { Undefined, assignDict, isDict, tuple, typeName } from './values.js';
import { withKw } from './call-args.js';
import { currentBudget, limits, tooDeep, withBudget } from './budget.js';

/** dbt's `{{ return(x) }}`: ends the macro that is running, whose value is `x`. */
export class MacroReturn {
  readonly isControlSignal = true;
  constructor(readonly value: unknown) {}
}

export interface BoundArgs {
  /** Per parameter: its value, or `MISSING` (the macro then evaluates the default). */
  values: unknown[];
  varargs: unknown[];
  kwargs: Record<string, unknown>;
  caller: unknown;
}

export const MISSING: unique symbol = Symbol('missing');

type Body = (bound: BoundArgs) => unknown;

export class Macro {
  constructor(
    readonly name: string,
    readonly params: string[],
    readonly catchVarargs: boolean,
    readonly catchKwargs: boolean,
    readonly usesCaller: boolean,
    private readonly body: Body,
  ) {}

  get arguments(): string[] {
    return tuple([...this.params]);
  }
  get catch_varargs(): boolean {
    return this.catchVarargs;
  }
  get catch_kwargs(): boolean {
    return this.catchKwargs;
  }
  get caller(): boolean {
    return this.usesCaller;
  }

  bind(args: unknown[], kw: Record<string, unknown> | undefined): BoundArgs {
    const values: unknown[] = this.params.map((_, i) => (i < args.length ? args[i] : MISSING));
    const bound: BoundArgs = { values, varargs: [], kwargs: {}, caller: undefined };
    if (args.length > this.params.length) {
      if (!this.catchVarargs) throw new JinjaError('type', `macro '${this.name}' takes not more than ${this.params.length} argument(s)`);
      bound.varargs = args.slice(this.params.length);
    }
    for (const [key, value] of Object.entries(kw ?? {})) {
      if (key === 'caller') {
        if (!this.usesCaller) throw new JinjaError('type', `macro '${this.name}' takes no keyword argument 'caller'`);
        bound.caller = value;
        continue;
      }
      const at = this.params.indexOf(key);
      if (at >= 0) {
        if (values[at] !== MISSING) throw new JinjaError('type', `macro '${this.name}' got multiple values for argument '${key}'`);
        values[at] = value;
      } else if (this.catchKwargs) bound.kwargs[key] = value;
      else throw new JinjaError('type', `macro '${this.name}' takes no keyword argument '${key}'`);
    }
    return bound;
  }

  /** Calls the macro: its output, or the value given to `return()`. A Promise in an async render. */
  invoke(args: unknown[], kw?: Record<string, unknown>): unknown {
    // Called from Strata outside any render (run-operation): the call is a render of its own, with its own budget.
    const budget = currentBudget();
    if (!budget) return withBudget(true, () => this.invoke(args, kw));
    const bound = this.bind(args, kw);
    if (++budget.depth > limits.depth) tooDeep(budget, this.name);
    let out: unknown;
    try {
      out = this.body(bound);
    } catch (e) {
      budget.depth--;
      if (e instanceof MacroReturn) return e.value;
      throw e;
    }
    if (out instanceof Promise) {
      return out.then(
        (v) => ((budget.depth--), v),
        (e: unknown) => ((budget.depth--), e instanceof MacroReturn ? e.value : Promise.reject(e)),
      );
    }
    budget.depth--;
    return out;
  }

  /** Called from JS (`adapter.dispatch(...)` results, `callMacro`): keyword arguments as a trailing marked object. */
  asFunction(): (...args: unknown[]) => unknown {
    const fn = (...args: unknown[]) => {
      const last = args[args.length - 1] as Record<string, unknown> | undefined;
      if (last && typeof last === 'object' && last.__keywords === true) {
        const { __keywords: _k, ...kw } = last;
        void _k;
        return this.invoke(args.slice(0, -1), kw);
      }
      return this.invoke(args);
    };
    return Object.assign(fn, { macro: this });
  }

  toString(): string {
    return `<Macro '${this.name}'>`;
  }
}

/** Unboxes floats for JS functions that do not know the engine's values. */
function plain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Macro) return v.asFunction();
  return v;
}

function plainDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.some((x) => x instanceof PyFloat || x instanceof Macro) ? v.map(plain) : v;
  if (isDict(v)) {
    for (const k in v) if (v[k] instanceof PyFloat || v[k] instanceof Macro) return assignDict({}, v, plain);
    return v;
  }
  return plain(v);
}

/** Calls any callable value with positional and keyword arguments. */
export function callValue(fn: unknown, args: unknown[], kw: Record<string, unknown> | undefined): unknown {
  if (fn instanceof Macro) return fn.invoke(args, kw);
  if (typeof fn === 'function') {
    const macro = (fn as { macro?: unknown }).macro;
    if (macro instanceof Macro) return macro.invoke(args, kw);
    if (isPythonCallable(fn)) {
      try {
        return fn(...withKw(args, kw));
      } catch (e) {
        // A JS TypeError in a Python method (`{}.update(1)`) is Python's TypeError for the template.
        if (e instanceof TypeError) throw new JinjaError('type', e.message);
        throw e;
      }
    }
    const out = fn(...withKw(args.map(plainDeep), kw && Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, plainDeep(v)]))));
    return out;
  }
  if (fn instanceof Undefined) return fn.called();
  const call = (fn as { __call__?: (...a: unknown[]) => unknown } | null)?.__call__;
  if (typeof call === 'function') return call.call(fn, ...withKw(args, kw));
  throw new JinjaError('type', `'${typeName(fn)}' object is not callable`);
}
