import nunjucks from 'nunjucks';
import type { Diagnostic } from '../diagnostics/index.js';
import type { MacroFile, MacroInfo } from './types.js';
import { scanMacros, toNunjucksMacroSource } from './macro-scan.js';
import { ReturnSignal } from './signals.js';

interface CompiledFile {
  file: MacroFile;
  template: nunjucks.Template;
}

/** What a render is doing right now: its scope and the macro files instantiated for it. */
export interface RenderState {
  scope: Record<string, unknown>;
  instances: Map<number, Record<string, (...a: unknown[]) => unknown>>;
}

let current: RenderState | undefined;

/** Renders run synchronously, so the active render is a module-level fact. */
export function withRenderState<T>(state: RenderState, fn: () => T): T {
  const previous = current;
  current = state;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/**
 * dbt's macro namespace: every macro of the project and of Strata's built-ins (package `dbt`),
 * compiled once, callable by name from any template; project macros override built-ins.
 */
export class MacroRegistry {
  readonly macros: MacroInfo[] = [];
  /** `{% materialization %}` blocks: found, not run (Strata has no custom materializations yet). */
  readonly materializations: MacroInfo[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly files: CompiledFile[] = [];
  /** name → [fileIndex] by package. */
  private readonly byPackage = new Map<string, Map<string, number>>();

  constructor(
    private readonly env: nunjucks.Environment,
    private readonly projectName: string,
    files: MacroFile[],
    deferCompile = false,
  ) {
    for (const file of files) this.add(file, deferCompile);
  }

  /** Deferred, a template compiles on its first `getExported`; a syntax error would then surface as a render error. */
  private add(file: MacroFile, deferCompile: boolean): void {
    const scanned = scanMacros(file);
    this.materializations.push(...scanned.filter((m) => m.kind === 'materialization'));
    const found = scanned.filter((m) => m.kind !== 'materialization');
    let template: nunjucks.Template;
    try {
      template = new nunjucks.Template(toNunjucksMacroSource(file.contents), this.env, file.path, !deferCompile);
    } catch (e) {
      const err = e as { message: string; lineno?: number; colno?: number };
      this.diagnostics.push({ code: 'macro-syntax-error', severity: 'error', message: cleanMessage(err.message), file: file.path, line: (err.lineno ?? 0) + 1, column: err.colno ? err.colno + 1 : undefined, hint: 'every {% macro %} needs a matching {% endmacro %}; check {{ }} and {% %} are closed' });
      return;
    }
    const index = this.files.push({ file, template }) - 1;
    const pkg = this.byPackage.get(file.packageName) ?? new Map<string, number>();
    this.byPackage.set(file.packageName, pkg);
    for (const m of found) {
      const callable = m.kind === 'test' ? `test_${m.name}` : m.name;
      const prior = pkg.get(callable);
      if (prior !== undefined && file.packageName !== 'dbt') {
        const first = this.macros.find((x) => x.packageName === file.packageName && (x.kind === 'test' ? `test_${x.name}` : x.name) === callable);
        this.diagnostics.push({ code: 'duplicate-macro', severity: 'error', message: `macro '${m.name}' is defined twice: ${first?.path}:${first?.line} and ${file.path}:${m.line}`, file: file.path, line: m.line, hint: 'rename or remove one of them' });
        continue;
      }
      pkg.set(callable, index);
      this.macros.push(m);
    }
  }

  /** Package whose macro `name` resolves to: the project first, then other packages, then `dbt`. */
  resolvePackage(name: string): string | undefined {
    if (this.byPackage.get(this.projectName)?.has(name)) return this.projectName;
    for (const [pkg, names] of this.byPackage) if (pkg !== 'dbt' && names.has(name)) return pkg;
    return this.byPackage.get('dbt')?.has(name) ? 'dbt' : undefined;
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

  /** A function that calls macro `name` of `pkg` (or the resolved package) in the active render. */
  callable(name: string, pkg?: string): (...args: unknown[]) => unknown {
    return (...args: unknown[]) => this.invoke(name, pkg ?? this.resolvePackage(name), args);
  }

  invoke(name: string, pkg: string | undefined, args: unknown[]): unknown {
    const state = current;
    if (!state) throw new Error(`macro ${name} called outside a render`);
    const index = pkg === undefined ? undefined : this.byPackage.get(pkg)?.get(name);
    if (index === undefined) throw new Error(`Unable to call \`${name}\`, which is undefined or falsey`);
    let exported = state.instances.get(index);
    if (!exported) {
      const compiled = this.files[index]!;
      let result: Record<string, (...a: unknown[]) => unknown> | undefined;
      let error: unknown;
      (compiled.template as unknown as { getExported(ctx: object, cb: (e: unknown, x: unknown) => void): void }).getExported(state.scope, (err: unknown, exp: unknown) => {
        error = err;
        result = exp as Record<string, (...a: unknown[]) => unknown>;
      });
      if (error) throw error;
      exported = result ?? {};
      state.instances.set(index, exported);
    }
    const fn = exported[name];
    if (typeof fn !== 'function') throw new Error(`Unable to call \`${name}\`, which is undefined or falsey`);
    try {
      const out = fn(...args);
      return out === undefined || out === null ? out : String(out);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    }
  }
}

export function cleanMessage(message: string): string {
  return message
    .replace(/^\([^)]*\)\s*/, '')
    .replace(/\[Line \d+, Column \d+\]\s*/g, '')
    .replace(/^\s*Template render error:?\s*/i, '')
    .replace(/\b[A-Za-z]*Error: /g, '')
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}
