import nunjucks from 'nunjucks';
import { randomUUID } from 'node:crypto';
import { UserError, didYouMean, locate, type Diagnostic } from '../diagnostics/index.js';
import type { RefCall, SourceCall } from '../parse/types.js';
import type { MacroInfo, ParseRenderResult, RenderNode, RunRenderContext, TemplateEngine, TemplateEnvironmentOptions } from './types.js';
import { createNunjucksEnvironment } from './nunjucks-env.js';
import { MacroRegistry, cleanMessage, withRenderState } from './macro-registry.js';
import { builtinMacroFiles } from './builtin-macros.js';
import { buildScope, type ParseRecorder } from './render-scope.js';
import { NeedsWarehouse, ReturnSignal, TemplateUserError } from './signals.js';
import { scanSimpleTemplate, substituteSimpleTemplate } from './fast-path.js';
import { rewriteJinja } from './jinja-rewrite.js';
import { hoistLiterals } from './literal-hoisting.js';

const MAX_REPLAYS = 50;

interface CompiledTemplate {
  template: nunjucks.Template;
  /** Values of literals hoisted out of the source (see literal-hoisting.ts). */
  values?: Record<string, string>;
}

/** A template that does not compile. nunjucks' parser reports 1-based positions (its runtime, 0-based). */
class TemplateSyntaxError extends Error {
  readonly line: number;
  readonly column?: number;
  constructor(err: TemplateErrorLike, source: string) {
    super(err.message);
    if (typeof err.lineno === 'number' && err.lineno > 0) {
      this.line = err.lineno;
      this.column = err.colno && err.colno > 0 ? err.colno : undefined;
    } else {
      // The lexer gives no position for an unclosed tag at the end of the file: point at the last opener.
      const opener = Math.max(source.lastIndexOf('{{'), source.lastIndexOf('{%'));
      const at = locate(source, Math.max(0, opener));
      this.line = at.line;
      this.column = at.column;
    }
  }
}

interface TemplateErrorLike {
  message: string;
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

/** nunjucks' dbt-compatible engine: parse renders record calls, run renders produce final SQL. */
export class NunjucksTemplateEngine implements TemplateEngine {
  readonly macros: MacroInfo[];
  get materializations(): MacroInfo[] {
    return this.registry.materializations;
  }
  readonly diagnostics: Diagnostic[];
  readonly envRead: Record<string, string | null> = {};
  readonly varsRead: Record<string, string | null> = {};
  private readonly env: nunjucks.Environment;
  private readonly registry: MacroRegistry;
  private readonly templates = new Map<string, nunjucks.Template>();
  private readonly invocationId = randomUUID();
  private readonly runStartedAt = new Date();

  constructor(private readonly options: TemplateEnvironmentOptions) {
    this.env = createNunjucksEnvironment();
    this.registry = new MacroRegistry(this.env, options.projectName, [...builtinMacroFiles, ...options.macroFiles], options.deferMacroCompile === true);
    this.macros = this.registry.macros.filter((m) => m.packageName !== 'dbt' || options.macroFiles.some((f) => f.path === m.path));
    this.diagnostics = this.registry.diagnostics;
    // Every macro name is a global: nunjucks then finds it from models and from other macros.
    for (const name of this.registry.names()) this.env.addGlobal(name, this.registry.callable(name));
  }

  hasMacro(name: string): boolean {
    return this.registry.has(name);
  }

  /** Lets later callers (tests, docs) know block contents; set once docs are parsed. */
  setDocs(docs: Record<string, string>): void {
    Object.assign(this.options.docs, docs);
  }

  parseRender(node: RenderNode, source: string): ParseRenderResult {
    const calls = scanSimpleTemplate(source, node.file);
    if (calls) {
      const result: ParseRenderResult = { refs: [], sources: [], config: {}, docRefs: [], macrosUsed: [], fastPath: true, diagnostics: [] };
      for (const c of calls) {
        if (c.kind === 'ref') result.refs.push(c.ref);
        else if (c.kind === 'source') result.sources.push(c.source);
        else if (c.kind === 'config') Object.assign(result.config, c.config);
      }
      return result;
    }
    const recorder: ParseRecorder = { refs: [], sources: [], config: {}, docRefs: [] };
    const result: ParseRenderResult = { refs: recorder.refs, sources: recorder.sources, config: recorder.config, docRefs: recorder.docRefs, macrosUsed: this.macrosCalled(source), fastPath: false, diagnostics: [] };
    try {
      const template = this.compile(node.file, source);
      this.renderOnce(template, node, { recorder, answers: new Map() });
    } catch (e) {
      result.diagnostics.push(this.toDiagnostic(e, node.file, source));
    }
    if (recorder.env) result.envVars = recorder.env;
    if (recorder.vars) result.varsRead = recorder.vars;
    if (recorder.secrets) result.secrets = recorder.secrets;
    for (const r of recorder.refs) r.at ??= this.findCall(source, node.file, 'ref', r.name);
    for (const s of recorder.sources) s.at ??= this.findCall(source, node.file, 'source', s.source);
    return result;
  }

  async runRender(node: RenderNode, text: string, context: RunRenderContext): Promise<string> {
    // As Jinja reads a template: line ends become \n and one trailing newline is dropped.
    const normal = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    const source = normal.endsWith('\n') ? normal.slice(0, -1) : normal;
    const calls = scanSimpleTemplate(source, node.file);
    if (calls) {
      return substituteSimpleTemplate(source, calls, (c) => {
        if (c.kind === 'ref') return this.renderResolved(context.resolveRef(c.ref), context, c.ref.at, 'ref-not-found');
        if (c.kind === 'source') return this.renderResolved(context.resolveSource(c.source.source, c.source.table), context, c.source.at, 'source-not-found');
        return '';
      });
    }
    let template: CompiledTemplate;
    try {
      template = this.compile(node.file, source);
    } catch (e) {
      throw new UserError(this.toDiagnostic(e, node.file, source));
    }
    const answers = new Map<string, unknown>();
    for (let pass = 0; pass < MAX_REPLAYS; pass++) {
      try {
        return this.renderOnce(template, node, { run: context, answers });
      } catch (e) {
        const signal = ((e as TemplateErrorLike).cause ?? e) as unknown;
        if (signal instanceof NeedsWarehouse) {
          answers.set(signal.key, await signal.fetch());
          continue;
        }
        throw new UserError(this.toDiagnostic(e, node.file, source));
      }
    }
    throw new UserError({ code: 'too-many-queries', severity: 'error', message: `${node.file} runs more than ${MAX_REPLAYS} warehouse queries while rendering`, file: node.file, hint: 'move data-dependent logic into fewer run_query calls' });
  }

  callMacro(name: string, args: unknown[], node?: RenderNode): unknown {
    const target: RenderNode = node ?? { uniqueId: 'macro', name, resourceType: 'operation', packageName: this.options.projectName, file: 'macro', fqn: [], config: {} };
    const recorder: ParseRecorder = { refs: [], sources: [], config: {}, docRefs: [] };
    const scope = buildScope({ options: this.options, registry: this.registry, node: target, recorder, answers: new Map(), invocationId: this.invocationId, runStartedAt: this.runStartedAt });
    try {
      return withRenderState({ scope, instances: new Map() }, () => {
        const value = this.registry.invoke(name, this.registry.resolvePackage(name), args);
        return typeof value === 'string' ? value.trim() : value;
      });
    } finally {
      Object.assign(this.envRead, recorder.env);
      Object.assign(this.varsRead, recorder.vars);
    }
  }

  private renderResolved(resolved: { error: string; hint?: string } | import('../adapters/contract.js').Relation, ctx: RunRenderContext, at: RefCall['at'], code: string): string {
    if ('error' in resolved) throw new UserError({ code, severity: 'error', message: resolved.error, ...(at ?? {}), ...(resolved.hint ? { hint: resolved.hint } : {}) });
    return ctx.renderRelation(resolved);
  }

  private compile(file: string, source: string): CompiledTemplate {
    const hoisted = hoistLiterals(source);
    if (hoisted) {
      const key = `${file}\u0000${hoisted.template}`;
      let t = this.templates.get(key);
      if (!t) {
        try {
          t = new nunjucks.Template(rewriteJinja(hoisted.template), this.env, file, true);
          this.templates.set(key, t);
        } catch {
          // Report the error against the text as written (positions), below.
        }
      }
      if (t) return { template: t, values: hoisted.values };
    }
    const key = `${file}\u0000${source}`;
    let t = this.templates.get(key);
    if (!t) {
      try {
        t = new nunjucks.Template(rewriteJinja(source), this.env, file, true);
      } catch (e) {
        throw new TemplateSyntaxError(e as TemplateErrorLike, source);
      }
      this.templates.set(key, t);
    }
    return { template: t };
  }

  private renderOnce(compiled: CompiledTemplate, node: RenderNode, o: { recorder?: ParseRecorder; run?: RunRenderContext; answers: Map<string, unknown> }): string {
    const { template, values } = compiled;
    const built = buildScope({ options: this.options, registry: this.registry, node, recorder: o.recorder, run: o.run, answers: o.answers, invocationId: this.invocationId, runStartedAt: this.runStartedAt });
    const scope = values ? Object.assign(built, values) : built;
    return withRenderState({ scope, instances: new Map() }, () => {
      // No callback: nunjucks then renders synchronously and throws (with a callback it defers).
      return template.render(scope) ?? '';
    });
  }

  /** Macros the template calls: names followed by `(` inside its tags (SQL's own `length(x)` is not a call of dbt.length). */
  private macrosCalled(source: string): string[] {
    const used = new Set<string>();
    for (const tag of source.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)) {
      for (const m of tag[0].matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
        const pkg = this.registry.resolvePackage(m[1]!);
        if (pkg) used.add(`macro.${pkg}.${m[1]}`);
      }
    }
    return [...used];
  }

  private findCall(source: string, file: string, fn: string, first: string): { file: string; line: number; column: number } {
    const exact = new RegExp(`${fn}\\s*\\(\\s*['"]${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).exec(source);
    const any = exact ?? new RegExp(`${fn}\\s*\\(`).exec(source);
    return { file, ...(any ? locate(source, any.index) : { line: 1, column: 1 }) };
  }

  private toDiagnostic(e: unknown, file: string, source: string): Diagnostic {
    if (e instanceof TemplateSyntaxError) {
      return { code: 'jinja-syntax-error', severity: 'error', message: `template syntax error: ${cleanMessage(e.message)}`, file, line: e.line, ...(e.column ? { column: e.column } : {}), hint: 'check that every {{ }} / {% %} is closed and every block has its end tag' };
    }
    const err = e as TemplateErrorLike;
    const cause = err?.cause ?? e;
    const line = typeof err?.lineno === 'number' ? err.lineno + 1 : undefined;
    const column = typeof err?.colno === 'number' ? err.colno + 1 : undefined;
    const where = { file, ...(line ? { line } : {}), ...(column ? { column } : {}) };
    if (cause instanceof UserError) return cause.diagnostics[0]!;
    if (cause instanceof TemplateUserError) {
      const at = !line && (cause.code === 'ref-not-found' || cause.code === 'source-not-found') ? this.findCall(source, file, cause.code.startsWith('ref') ? 'ref' : 'source', '') : where;
      return { code: cause.code, severity: 'error', message: cause.message, ...at, ...(cause.hint ? { hint: cause.hint } : {}) };
    }
    if (cause instanceof ReturnSignal) return { code: 'jinja-render-error', severity: 'error', message: 'return() used outside a macro', ...where, hint: 'return() only works inside {% macro %}' };
    const message = cleanMessage(err?.message ?? String(e));
    const unknown = /Unable to call `([^`]+)`, which is undefined/.exec(message);
    if (unknown) {
      const parts = unknown[1]!.split('["');
      const name = parts.pop()!.replace(/"]$/, '');
      const namespace = parts.length ? parts[parts.length - 1]!.replace(/"]$/, '') : undefined;
      // `dbt_utils.star(…)`: a package's macro, where the package is not there.
      if (namespace && (this.options.declaredPackages ?? []).includes(namespace) && !this.registry.packages().includes(namespace)) {
        return { code: 'macro-not-found', severity: 'error', message: `'${namespace}.${name}' is not defined: there is no package '${namespace}'`, ...where, hint: `packages.yml lists it but it is not installed: run strata deps (local: and git: packages; for a hub package, list its git: repository)` };
      }
      const hint = didYouMean(name, this.registry.names()) ?? 'define it in a .sql file under macro-paths (macros/)';
      return { code: 'macro-not-found', severity: 'error', message: `'${name}' is not a macro or function`, ...where, hint };
    }
    return { code: 'jinja-render-error', severity: 'error', message, ...where };
  }
}

export function createTemplateEngine(options: TemplateEnvironmentOptions): TemplateEngine {
  return new NunjucksTemplateEngine(options);
}

export type { SourceCall };
