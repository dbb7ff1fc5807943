import { closest, type Diagnostic } from '../diagnostics/index.js';
import { FILTERS } from './jinja/filters.js';
import { TESTS } from './jinja/tests.js';
import type { MacroFile, MacroInfo, TemplateCodeStore } from './types.js';
import { macroNameOf, scanMacros } from './macro-scan.js';
import { CompiledTemplate, JinjaError, Macro, markPython, splitKw } from './jinja/index.js';
import { RenderLocalStorage } from './jinja/render-local-storage.js';

/** What a render is doing right now: its root frame, its mode and the macro files instantiated for it. */
export interface RenderState {
  scope: Record<string, unknown>;
  async: boolean;
  instances: Map<number, Record<string, Macro> | Promise<Record<string, Macro>>>;
  /** Unit tests' `overrides.macros`, by `name` and `package.name`: the value such a call returns. */
  macroOverrides?: Record<string, unknown>;
}

let syncState: RenderState | undefined;
const asyncState = new RenderLocalStorage<RenderState>();

/** Runs `fn` as the render `state`: sync renders by a module variable, async ones by async context. */
export function withRenderState<T>(state: RenderState, fn: () => T): T {
  if (state.async) return asyncState.run(state, fn);
  const previous = syncState;
  syncState = state;
  try {
    return fn();
  } finally {
    syncState = previous;
  }
}

const currentState = (): RenderState | undefined => syncState ?? asyncState.getStore();

/** A name of the render's own context (dbt's, or a project override): its frame's layer holds them. */
function isContextName(scope: Record<string, unknown>, name: string): boolean {
  const layer = Object.getPrototypeOf(scope) as Record<string, unknown> | null;
  return layer !== null && Object.hasOwn(layer, name);
}

/** Whether the render running now is asynchronous (a run render), for a template rendered inside it. */
export const renderIsAsync = (): boolean => currentState()?.async ?? false;

/** The render under way, if any: its root frame (dbt's context with the macros) and whether it is async. */
export const currentRender = (): Pick<RenderState, 'scope' | 'async'> | undefined => currentState();

/** After a macro file's name in the code cache: its synchronous render's code (no file name holds this character). */
const SYNC_CODE = '\u0001sync';

/** A filter or test a template names that Jinja2 lacks, where the template names it. */
interface UnknownName {
  kind: 'filter' | 'test';
  name: string;
  line?: number;
}

function unknownNameIn(e: JinjaError): UnknownName | undefined {
  const m = /^No (filter|test) named '([^']+)'\.$/.exec(e.message);
  return m ? { kind: m[1] as UnknownName['kind'], name: m[2]!, line: e.line } : undefined;
}

/** The warning for a macro file naming a filter or test Jinja2 lacks: dbt accepts the file, and fails when the macro runs. */
function unknownFilterWarning(file: MacroFile, u: UnknownName): Diagnostic {
  const known = Object.keys(u.kind === 'filter' ? FILTERS : TESTS);
  const near = closest(u.name, known);
  return {
    code: 'jinja-unknown-filter',
    severity: 'warn',
    message: `No ${u.kind} named '${u.name}': a macro of this file that uses it fails when it runs (dbt, too, accepts the file and fails then)`,
    file: file.path,
    ...(u.line ? { line: u.line } : {}),
    hint: near ? `did you mean '${near}'?` : u.kind === 'filter' ? "use one of Jinja2's filters (lower, replace, default, join, …) or dbt's as_bool, as_native, as_number, as_text; or remove the macro if nothing calls it" : "use one of Jinja2's tests (defined, none, string, number, …); or remove the macro if nothing calls it",
  };
}

interface CompiledFile {
  file: MacroFile;
  template?: CompiledTemplate;
}

/**
 * dbt's macro namespace: every macro of the project, its packages and Strata's built-ins (package `dbt`),
 * callable by name from any template; project macros override built-ins. A file's macros are made once per
 * render, when one of them is first called, in that render's scope.
 */
export class MacroRegistry {
  readonly macros: MacroInfo[] = [];
  /** `{% materialization %}` blocks, each callable as the macro `materialization_<name>_<adapter>` of its package. */
  readonly materializations: MacroInfo[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly files: CompiledFile[] = [];
  /** name → file index, by package. */
  private readonly byPackage = new Map<string, Map<string, number>>();
  private readonly callables = new Map<string, (...a: unknown[]) => unknown>();

  /**
   * With a code store (commands that keep one in target/), a macro file whose text an earlier command compiled is not parsed again
   * (its syntax was checked then, by the same build of Strata): its render code is taken from the cache.
   */
  constructor(
    private readonly projectName: string,
    files: MacroFile[],
    deferCompile = false,
    private readonly codeCache?: TemplateCodeStore,
  ) {
    for (const file of files) this.add(file, deferCompile);
  }

  private add(file: MacroFile, deferCompile: boolean): void {
    const scanned = scanMacros(file);
    const compiled: CompiledFile = { file };
    if (!deferCompile) {
      try {
        const made = this.compile(file);
        compiled.template = made.template;
        if (made.unknownName) this.diagnostics.push(unknownFilterWarning(file, made.unknownName));
      } catch (e) {
        const err = e as JinjaError;
        this.diagnostics.push({ code: 'macro-syntax-error', severity: 'error', message: `template syntax error: ${err.message}`, file: file.path, ...(err.line ? { line: err.line } : {}), hint: 'fix the Jinja syntax at this line' });
        return;
      }
    }
    const index = this.files.push(compiled) - 1;
    const pkg = this.byPackage.get(file.packageName) ?? new Map<string, number>();
    this.byPackage.set(file.packageName, pkg);
    for (const m of scanned) {
      const callable = macroNameOf(m);
      const prior = pkg.get(callable);
      if (prior !== undefined && file.packageName !== 'dbt') {
        const first = [...this.macros, ...this.materializations].find((x) => x.packageName === file.packageName && macroNameOf(x) === callable);
        this.diagnostics.push({ code: 'duplicate-macro', severity: 'error', message: `macro '${m.name}' is defined twice: ${first?.path}:${first?.line} and ${file.path}:${m.line}`, file: file.path, line: m.line, hint: 'rename or remove one of them' });
        continue;
      }
      pkg.set(callable, index);
      (m.kind === 'materialization' ? this.materializations : this.macros).push(m);
    }
  }

  /**
   * A macro file's template. One that names a filter or test Jinja2 lacks is accepted, as dbt accepts it (its
   * parse reads a macro's syntax; Jinja2 compiles the macro, and checks its filters, only when it is called): the
   * filter fails when it runs, and `unknownName` tells the caller, for a warning.
   */
  private compile(file: MacroFile): { template: CompiledTemplate; unknownName?: UnknownName } {
    try {
      return { template: this.compileChecked(file) };
    } catch (e) {
      const unknownName = e instanceof JinjaError && e.kind === 'syntax' ? unknownNameIn(e) : undefined;
      if (!unknownName) throw e;
      // Not cached: the next command checks the file again, and warns again.
      return { template: new CompiledTemplate(file.contents, file.path, undefined, undefined, true), unknownName };
    }
  }

  /**
   * A macro file's template, its code generated (which checks filter and test names): from the code cache when it
   * holds this text, else parsed (and its code kept there). Its synchronous code (parse renders) is kept too,
   * under the file's name with SYNC_CODE after it.
   */
  private compileChecked(file: MacroFile): CompiledTemplate {
    const cache = this.codeCache;
    if (!cache) {
      const template = new CompiledTemplate(file.contents, file.path);
      template.code(true);
      return template;
    }
    const syncName = `${file.path}${SYNC_CODE}`;
    // The compiled store first: a store that does not compile is dropped, and then holds no code either.
    const maker = cache.maker?.(file.path, file.contents);
    const syncMaker = cache.maker?.(syncName, file.contents);
    const code = cache.get(file.path, file.contents);
    const sync = { code: cache.get(syncName, file.contents), maker: syncMaker, keep: (c: string) => cache.put(syncName, file.contents, c) };
    if (code !== undefined) return new CompiledTemplate(file.contents, file.path, { code, maker }, sync);
    const template = new CompiledTemplate(file.contents, file.path, undefined, sync);
    cache.put(file.path, file.contents, template.code(true));
    return template;
  }

  /** Package whose macro `name` resolves to: the project first, then other packages, then `dbt`. */
  resolvePackage(name: string): string | undefined {
    if (this.byPackage.get(this.projectName)?.has(name)) return this.projectName;
    for (const [pkg, names] of this.byPackage) if (pkg !== 'dbt' && names.has(name)) return pkg;
    return this.byPackage.get('dbt')?.has(name) ? 'dbt' : undefined;
  }

  /** Package whose macro `name` a template of package `local` calls, as dbt's resolver looks: `local` first, then `resolvePackage`. */
  packageFrom(name: string, local: string): string | undefined {
    return this.byPackage.get(local)?.has(name) ? local : this.resolvePackage(name);
  }

  has(name: string, pkg?: string): boolean {
    return pkg ? !!this.byPackage.get(pkg)?.has(name) : this.resolvePackage(name) !== undefined;
  }

  packages(): string[] {
    return [...this.byPackage.keys()];
  }

  names(pkg?: string): string[] {
    if (pkg) return [...(this.byPackage.get(pkg)?.keys() ?? [])];
    return [...new Set([...this.byPackage.values()].flatMap((m) => [...m.keys()]))];
  }

  /** A function that calls macro `name` of `pkg` (or the resolved package) in the active render; made once. */
  callable(name: string, pkg?: string): (...args: unknown[]) => unknown {
    const key = `${pkg ?? ''}\u0000${name}`;
    let fn = this.callables.get(key);
    if (!fn) {
      fn = markPython((...args: unknown[]) => {
        const { pos, kw } = splitKw(args);
        return this.invoke(name, pkg ?? this.resolvePackage(name), pos, kw);
      });
      Object.defineProperty(fn, 'name', { value: name });
      this.callables.set(key, fn);
    }
    return fn;
  }

  invoke(name: string, pkg: string | undefined, args: unknown[], kw: Record<string, unknown> = {}): unknown {
    const state = currentState();
    if (!state) throw new Error(`macro ${name} called outside a render`);
    const overrides = state.macroOverrides;
    if (overrides) {
      if (pkg !== undefined && `${pkg}.${name}` in overrides) return overrides[`${pkg}.${name}`];
      if (name in overrides) return overrides[name];
    }
    const index = pkg === undefined ? undefined : this.byPackage.get(pkg)?.get(name);
    if (index === undefined) throw new JinjaError('undefined', `'${name}' is undefined`);
    const exported = this.instance(state, index);
    const call = (macros: Record<string, Macro>): unknown => {
      const macro = macros[name];
      if (!(macro instanceof Macro)) throw new JinjaError('undefined', `'${name}' is undefined`);
      return macro.invoke(args, kw);
    };
    return exported instanceof Promise ? exported.then(call) : call(exported);
  }

  private instance(state: RenderState, index: number): Record<string, Macro> | Promise<Record<string, Macro>> {
    const known = state.instances.get(index);
    if (known) return known;
    const compiled = this.files[index]!;
    try {
      compiled.template ??= this.compile(compiled.file).template;
    } catch (e) {
      if (e instanceof JinjaError) e.file ??= compiled.file.path;
      throw e;
    }
    const frame = Object.create(state.scope) as Record<string, unknown>;
    const shadows = compiled.file.packageName !== this.projectName && compiled.file.packageName !== 'dbt';
    const collect = (): Record<string, Macro> => {
      const out: Record<string, Macro> = {};
      for (const key of Object.keys(frame)) if (frame[key] instanceof Macro) out[key] = frame[key];
      // dbt compiles each macro alone: a package's macro does not hide a name of the render's context (`model`,
      // `ref`) from the other macros of its file (dbt-unit-testing's utils.sql has a model() macro beside
      // macros that read model.package_name). The project's own macros do override those names, as in dbt.
      if (shadows) for (const key of Object.keys(out)) if (isContextName(state.scope, key)) delete frame[key];
      return out;
    };
    const made = state.async ? compiled.template.renderAsync(frame).then(collect) : (compiled.template.renderSync(frame), collect());
    state.instances.set(index, made);
    return made;
  }
}
