/**
 * The runtime of a lenient render: dbt's undefined while it parses a node (the class `create_undefined` makes,
 * which dbt's parse environment uses in place of Jinja2's). At parse `execute` is false, so `run_query()`,
 * `load_result()` and `adapter.get_relation()` give None, and a model goes on to read
 * `results.columns[0].values()[0]` of it; dbt parses that without error because its undefined is chainable:
 * an attribute, an item or a slice of an undefined is undefined, and calling one returns it. A missing attribute
 * of a real value (None's `columns`) is such an undefined too. Printing, iterating, `length`, `==` and `is
 * defined` behave as Jinja2's undefined; arithmetic and ordering (`<`) still fail, as they do in dbt.
 *
 * Options keep two cases strict that dbt also rejects, only later (at compile) or earlier (before parsing):
 * `unknownCalls: 'fail'`, calling a name that is not defined at all (`{{ not_a_macro() }}`, a macro that does
 * not exist: dbt's parse returns the undefined, its compile fails), and `strictNames`, anything read from such
 * a name (a package the project lists but has not installed: `dbt_utils.star(…)`). Without them this is dbt's
 * parse exactly (the corpus' `parse: true` cases). An attribute the sandbox refuses (`x.__class__`) fails as in
 * any render, where dbt's parse gives an undefined.
 *
 * The runtime is an object of functions made once per engine: it holds no state of any render.
 */
import { getattr, getitem, slice } from './access.js';
import { callValue } from './macro.js';
import { runtime, type Runtime } from './runtime.js';
import { Undefined } from './values.js';

/** A name the frame does not define: calling it is still an error in a lenient render. */
class MissingName extends Undefined {}

/** A name that stays strict in a lenient render: using it fails as in any render. */
class StrictName extends Undefined {}

/** An undefined that a lenient render carries on with (a sandbox refusal is not one). */
const chainable = (v: unknown): v is Undefined => v instanceof Undefined && !(v instanceof StrictName) && v.kind === 'undefined';

export interface LenientOptions {
  /** Names that stay strict: using them fails as in any render. */
  strictNames?: ReadonlySet<string>;
  /** `fail`: calling a name that is not defined fails as in any render (dbt's parse returns the undefined). */
  unknownCalls?: 'fail' | 'undefined';
}

/** A runtime whose undefined values chain, as dbt's while parsing (see above). */
export function lenientRuntime(options: LenientOptions = {}): Runtime {
  const strictNames = options.strictNames ?? new Set<string>();
  const callable = (fn: unknown): fn is Undefined => chainable(fn) && !(options.unknownCalls === 'fail' && fn instanceof MissingName);
  const missing = (name: string): Undefined => (strictNames.has(name) ? new StrictName(`'${name}' is undefined`, name) : new MissingName(`'${name}' is undefined`, name));
  return {
    ...runtime,
    undef: missing,
    undefOr: (f: Record<string, unknown>, name: string): unknown => (name in f ? f[name] : missing(name)),
    getattr: (obj: unknown, name: string): unknown => (chainable(obj) ? new Undefined(obj.hint, name) : getattr(obj, name)),
    getitem: (obj: unknown, key: unknown): unknown => (chainable(obj) ? obj : getitem(obj, key)),
    sliceValue: (obj: unknown, start: unknown, stop: unknown, step: unknown): unknown => (chainable(obj) ? obj : slice(obj, start, stop, step)),
    call: (fn: unknown, args: unknown[], kw: Record<string, unknown> | undefined): unknown => (callable(fn) ? fn : callValue(fn, args, kw)),
  };
}
