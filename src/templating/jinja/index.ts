/**
 * Strata's Jinja engine: Jinja2's semantics (with dbt's `do` and `loopcontrols` extensions), compiled to
 * JavaScript functions. It owns its state: nothing here changes another module.
 */
import { CodeGenerator } from './codegen.js';
import { parseTemplate } from './parser.js';
import { runtime } from './runtime.js';
import { defaultGlobals } from './globals.js';
import { Undefined } from './values.js';
import { MacroReturn } from './macro.js';
import { JinjaError } from './errors.js';
import { markPython } from './methods.js';
import { withBudget } from './budget.js';
import { lenientRuntime } from './lenient-runtime.js';

export { JinjaError, type JinjaErrorKind } from './errors.js';
export { Macro, MacroReturn } from './macro.js';
export { Undefined, Namespace, tuple, isTuple, NAMED, type NamedMembers, str as pyStr, repr as pyRepr, truthy as pyTruthy, isDict, setKey as setDictKey, dictKeys, keyString as dictKeyString } from './values.js';
export { PyFloat } from './py-number.js';
export { markPython } from './methods.js';
export { splitKw, type Kw } from './call-args.js';
export { defaultGlobals } from './globals.js';
export { limits as templateLimits, limitsFrom, DEFAULT_LIMITS, type TemplateLimits } from './budget.js';
export { pyJsonDumps, pyJsonLoads } from './json.js';
export { dictsToWire, dictsFromWire } from './dict-wire.js';
export { percentFormat, pyFormat } from './formatting.js';

export { lenientRuntime, type LenientOptions } from './lenient-runtime.js';
export type { Runtime } from './runtime.js';

export type RenderFn = (rt: typeof runtime, frame: Record<string, unknown>) => string;
export type AsyncRenderFn = (rt: typeof runtime, frame: Record<string, unknown>) => Promise<string>;

/**
 * How one template renders: `runtime` replaces Jinja2's (`lenientRuntime()`: dbt's parse-time undefined). It is
 * this template's only, as dbt's environment is: a macro file or a `render()` inside it renders with Jinja2's.
 */
export interface RenderOptions {
  runtime?: typeof runtime;
}

/** Compiled template: a render function per mode, made on first use. */
export class CompiledTemplate {
  private syncFn?: RenderFn;
  private asyncFn?: AsyncRenderFn;
  private valueFn?: (rt: typeof runtime, f: Record<string, unknown>) => unknown;
  private parsed?: ReturnType<typeof parseTemplate>;
  private asyncCode?: string;
  private asyncMaker?: () => AsyncRenderFn;
  /**
   * Parses the template: a syntax error throws here. Given the asynchronous render's JavaScript generated before
   * from this very text and name (a cache across commands), and possibly that code already compiled (`maker`,
   * which returns the render function), it is parsed only if rendered another way. The same for the synchronous
   * render (`sync`): its code from the cache, or else `keep` is given the code once generated.
   */
  constructor(
    readonly source: string,
    readonly name: string,
    cached?: { code: string; maker?: () => unknown },
    private readonly sync?: { code?: string; maker?: () => unknown; keep?: (code: string) => void },
    /** Unknown filters and tests fail when they run, not when the template compiles (see CodeGenerator). */
    private readonly lenient = false,
  ) {
    if (!cached) this.parsed = parseTemplate(source);
    this.asyncCode = cached?.code;
    this.asyncMaker = cached?.maker as (() => AsyncRenderFn) | undefined;
  }

  private makeSync(): RenderFn {
    const sync = this.sync;
    if (sync?.code !== undefined) return (sync.maker ? sync.maker() : new Function(sync.code)()) as RenderFn;
    const code = this.code(false);
    sync?.keep?.(code);
    return new Function(code)() as RenderFn;
  }

  private get ast(): ReturnType<typeof parseTemplate> {
    return (this.parsed ??= parseTemplate(this.source));
  }

  /** The generated JavaScript (for caching and debugging). */
  code(isAsync: boolean): string {
    if (isAsync) return (this.asyncCode ??= new CodeGenerator(true, this.name, this.lenient).template(this.ast));
    return new CodeGenerator(isAsync, this.name, this.lenient).template(this.ast);
  }

  renderSync(frame: Record<string, unknown>, options?: RenderOptions): string {
    this.syncFn ??= this.makeSync();
    const fn = this.syncFn;
    const rt = options?.runtime ?? runtime;
    return withBudget(false, () => fn(rt, frame));
  }

  /**
   * dbt's native rendering of a YAML value: a template that is one `{{ expression }}` gives the expression's
   * value (a number stays a number); anything else renders to text.
   */
  renderValue(frame: Record<string, unknown>): unknown {
    const only = this.ast.length === 1 ? this.ast[0]! : undefined;
    if (only?.t !== 'output') return this.renderSync(frame);
    this.valueFn ??= new Function(new CodeGenerator(false, this.name, this.lenient).value(only.expr))() as (rt: typeof runtime, f: Record<string, unknown>) => unknown;
    const valueFn = this.valueFn;
    const v = withBudget(false, () => valueFn(runtime, frame));
    return v instanceof Undefined ? '' : v;
  }

  renderAsync(frame: Record<string, unknown>, options?: RenderOptions): Promise<string> {
    this.asyncFn ??= this.asyncMaker ? this.asyncMaker() : (new Function(this.code(true))() as AsyncRenderFn);
    const fn = this.asyncFn;
    const rt = options?.runtime ?? runtime;
    return withBudget(true, () => fn(rt, frame));
  }
}

/** A frame whose names are `globals`, then `context`: templates' assignments go into a child of it. */
export function rootFrame(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const root = Object.create(null) as Record<string, unknown>;
  for (const layer of layers) Object.assign(root, layer);
  return Object.create(root) as Record<string, unknown>;
}

/** dbt's `return(value)`: ends the macro with that value (any type, floats included). */
export const dbtReturn = markPython((...args: unknown[]): never => {
  if (!args.length) throw new JinjaError('type', "_return() missing 1 required positional argument: 'data'");
  throw new MacroReturn(args[0]);
});

/**
 * Renders a template with Jinja2's default globals and a context: the conformance corpus' entry point. `dbt`
 * adds dbt's `return()`; `parse` renders with the undefined dbt uses while parsing (lenient-runtime.ts).
 */
export function renderJinja(source: string, context: Record<string, unknown>, options: { name?: string; dbt?: boolean; parse?: boolean } = {}): string {
  const template = new CompiledTemplate(source, options.name ?? '<template>');
  const dbt = options.dbt ? { return: dbtReturn } : {};
  return template.renderSync(rootFrame(defaultGlobals(), dbt, context), options.parse ? { runtime: lenientRuntime() } : undefined);
}

export { runtime };
