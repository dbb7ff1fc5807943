/**
 * dbt's undefined while it parses a node: dbt renders the node's own template with an environment whose
 * undefined class is `create_undefined()`'s (dbt-common clients/jinja.py). At parse `execute` is false, so
 * `run_query()`, `load_result()` and `adapter.get_relation()` give None, and a model goes on to read
 * `results.columns[0].values()[0]` of it; dbt parses that because its undefined is chainable: an attribute
 * of it is another, an item or slice of it is itself, and calling it returns it. A missing attribute or item
 * of a real value (None's `columns`) is such an undefined too. Printing, iterating, `length`, `==` and
 * `is defined` are Jinja2's; arithmetic, ordering (`<`) and `int` still fail, as in dbt.
 *
 * As in dbt, the leniency is the template's and its undefined values': macro files (compiled in dbt by an
 * environment of their own) and `render()`/`var()` texts render with Jinja2's runtime, where an undefined of
 * their own fails when used, while an undefined the node passes to a macro stays lenient there.
 *
 * Options keep two cases strict that dbt also rejects, only later (at compile) or earlier (before parsing):
 * `unknownCalls: 'fail'`, calling a name that is not defined at all (`{{ not_a_macro() }}`, a macro that does
 * not exist: dbt's parse returns the undefined, its compile fails), and `strictNames`, any use of such a name
 * (a package the project lists but has not installed: `dbt_utils.star(…)`). Without them this is dbt's parse
 * exactly (the corpus' `parse: true` cases). A sandbox refusal (`x.__class__`) fails as in any render, where
 * dbt's parse gives an undefined.
 *
 * The runtime is an object of functions made once per engine: it holds no state of any render.
 */
import { getattr, getitem, slice } from './access.js';
import { applyFilter } from './filters.js';
import { runtime, type Runtime } from './runtime.js';
import { Undefined } from './values.js';

/** dbt's parse-time undefined: chainable and callable. */
class LenientUndefined extends Undefined {
  /** dbt's keeps, as a plain attribute, the name it was made for or last asked for: `u.name` gives it. */
  private current = this.name;

  override attr(name: string): unknown {
    if (name === 'name') return this.current ?? null;
    this.current = name;
    return new LenientUndefined(this.hint, name);
  }
  override item(): unknown {
    return this;
  }
  override called(): unknown {
    return this;
  }
}

/** A name defined nowhere, under `unknownCalls: 'fail'`: lenient, but calling it fails as in any render. */
class UncallableName extends LenientUndefined {
  override called(): unknown {
    return Undefined.prototype.called.call(this);
  }
}

/** A missing value just made by Jinja2's rules (not a sandbox refusal), as this environment's undefined. */
const lenient = (v: unknown): unknown => (v instanceof Undefined && v.constructor === Undefined && v.kind === 'undefined' ? new LenientUndefined(v.hint, v.name) : v);

export interface LenientOptions {
  /** Names that stay strict: using them fails as in any render. */
  strictNames?: ReadonlySet<string>;
  /** `fail`: calling a name that is not defined fails as in any render (dbt's parse returns the undefined). */
  unknownCalls?: 'fail' | 'undefined';
}

/** A runtime whose undefined values are dbt's parse-time ones (see above). */
export function lenientRuntime(options: LenientOptions = {}): Runtime {
  const strictNames = options.strictNames ?? new Set<string>();
  const Missing = options.unknownCalls === 'fail' ? UncallableName : LenientUndefined;
  const missing = (name: string): Undefined => (strictNames.has(name) ? new Undefined(`'${name}' is undefined`, name) : new Missing(`'${name}' is undefined`, name));
  return {
    ...runtime,
    undef: missing,
    undefOr: (f: Record<string, unknown>, name: string): unknown => (name in f ? f[name] : missing(name)),
    getattr: (obj: unknown, name: string): unknown => lenient(getattr(obj, name)),
    getitem: (obj: unknown, key: unknown): unknown => lenient(getitem(obj, key)),
    sliceValue: (obj: unknown, start: unknown, stop: unknown, step: unknown): unknown => lenient(slice(obj, start, stop, step)),
    filter: (name: string, value: unknown, args: unknown[], kw: Record<string, unknown> | undefined): unknown => lenient(applyFilter(name, value, args, kw)),
    Undefined: LenientUndefined,
  };
}
