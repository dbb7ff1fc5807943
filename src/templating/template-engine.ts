import { randomUUID } from 'node:crypto';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import type { Relation } from '../adapters/contract.js';
import type { RefCall } from '../parse/types.js';
import type { MacroInfo, MaterializationCall, MaterializationOutcome, ParseRenderJob, ParseRenderResult, RenderNode, RunRenderContext, TemplateEngine, TemplateEnvironmentOptions } from './types.js';
import { materializationRun } from './materialization-call.js';
import { parseWorkerCount, renderOnThreads, secretReferences, workerEngineOptions, type RenderEffect, type RenderOutcome } from './parse-render-pool.js';
import { MacroRegistry, renderIsAsync, withRenderState } from './macro-registry.js';
import { builtinMacroFiles } from './builtin-macros.js';
import { buildScope, type ParseRecorder } from './render-scope.js';
import { contextDict } from './context-dict.js';
import { readLiteralArgs, scanSimpleTemplate, substituteSimpleTemplate } from './fast-path.js';
import { isInertMacro, scanParseTemplate } from './parse-scan.js';
import { defaultGlobals, lenientRuntime, type CompiledTemplate, type Runtime } from './jinja/index.js';
import { renderErrorDiagnostic } from './render-errors.js';
import { CompiledTemplates } from './compiled-templates.js';
import { findCall, isWarehouseError } from './template-source-calls.js';
import { dispatchTarget, staticMacroCalls, type MacroLookup } from './static-macro-calls.js';

/** Names a project may define as its own macros, overriding dbt's (then the fast path steps aside). */
const OVERRIDABLE = ['ref', 'source', 'config'];

/** Context functions that dbt's global project defines as macros (`dbt.run_query`, `dbt.is_incremental`). */
const DBT_CONTEXT_MACROS = ['run_query', 'is_incremental', 'should_full_refresh', 'should_store_failures', 'statement'];

/** Strata's dbt engine: Jinja2's semantics (templating/jinja/), dbt's context and macro namespace. */
export class JinjaTemplateEngine implements TemplateEngine {
  readonly macros: MacroInfo[];
  get materializations(): MacroInfo[] {
    return this.registry.materializations;
  }
  get globalMacros(): MacroInfo[] {
    return this.registry.macros.filter((m) => m.packageName === 'dbt');
  }
  readonly diagnostics: Diagnostic[];
  readonly envRead: Record<string, string | null> = {};
  readonly varsRead: Record<string, string | null> = {};
  private readonly registry: MacroRegistry;
  private readonly compiled = new CompiledTemplates();
  private readonly invocationId: string;
  private readonly runStartedAt: Date;
  /** Jinja's globals and every macro by name and by package: the same for every render. */
  private readonly globals: Record<string, unknown>;
  /** Project macros that override a context name (`ref`, `source`, `config`, …). */
  private readonly overrides: string[];
  private readonly fastPathAllowed: boolean;
  /** Worker threads the parse renders used (at most, across calls), and the files they rendered. */
  readonly parallelStats = { workers: 0, byWorkers: 0 };
  /** Inert macros by name (parse-scan.ts), found on first use. */
  private inert?: Map<string, MacroInfo>;
  /** Parse renders' runtime: dbt's chainable undefined; an unknown macro, or a listed package not installed, stays an error. */
  private readonly parseRuntime: Runtime;

  constructor(private readonly options: TemplateEnvironmentOptions) {
    this.invocationId = options.identity?.invocationId ?? randomUUID();
    this.runStartedAt = new Date(options.identity?.runStartedAt ?? Date.now());
    this.registry = new MacroRegistry(options.projectName, [...builtinMacroFiles, ...options.macroFiles], options.deferMacroCompile === true, options.macroCodeCache);
    this.macros = this.registry.macros.filter((m) => m.packageName !== 'dbt' || options.macroFiles.some((f) => f.path === m.path));
    this.diagnostics = this.registry.diagnostics;
    this.globals = Object.assign(Object.create(null) as Record<string, unknown>, defaultGlobals());
    for (const name of this.registry.names()) this.globals[name] = this.registry.callable(name);
    for (const pkg of this.registry.packages()) this.globals[pkg] = Object.fromEntries(this.registry.names(pkg).map((n) => [n, this.registry.callable(n, pkg)]));
    this.overrides = this.registry.names(options.projectName);
    this.fastPathAllowed = !OVERRIDABLE.some((n) => this.registry.has(n, options.projectName));
    this.parseRuntime = lenientRuntime({ unknownCalls: 'fail', strictNames: new Set((options.declaredPackages ?? []).filter((p) => !this.registry.packages().includes(p))) });
  }

  /** The macros a macro calls, by its text (dispatch resolved for this target): its `depends_on.macros`. */
  macroCalls(m: MacroInfo): string[] {
    return staticMacroCalls(m.sql, m.packageName, this.lookup(), m.name);
  }

  /** The macros a node's template calls directly, by its text, as the project resolves them. */
  private templateCalls(source: string): string[] {
    return staticMacroCalls(source, this.options.projectName, this.lookup());
  }

  private macroLookup?: MacroLookup;
  private lookup(): MacroLookup {
    if (this.macroLookup) return this.macroLookup;
    const { registry, options } = this;
    const space = { has: (n: string, p: string) => registry.has(n, p), packages: () => registry.packages(), projectName: options.projectName, adapterType: options.adapterType, searchOrders: options.dispatch };
    return (this.macroLookup = {
      packageOf: (name, local) => registry.packageFrom(name, local),
      has: (name, pkg) => registry.has(name, pkg),
      isPackage: (name) => registry.packages().includes(name),
      dispatch: (name, namespace) => {
        const found = dispatchTarget(space, name, namespace);
        return found && `macro.${found.pkg}.${found.name}`;
      },
    });
  }

  hasMacro(name: string): boolean {
    return this.registry.has(name);
  }

  macroPackage(name: string, fromPackage: string): string | undefined {
    return this.registry.packageFrom(name, fromPackage);
  }

  setDocs(docs: Record<string, string>): void {
    Object.assign(this.options.docs, docs);
  }

  parseRender(node: RenderNode, source: string, options: TemplateEnvironmentOptions = this.options): ParseRenderResult {
    const scanned = this.parseScan(source, node.file);
    if (scanned) {
      // Past the simple shape, a file may call macros (inert ones): recorded as a render records them.
      const result: ParseRenderResult = { refs: [], sources: [], config: {}, docRefs: [], macrosUsed: scanned.beyondSimple ? this.templateCalls(source) : [], fastPath: true, diagnostics: [] };
      for (const c of scanned.calls) {
        if (c.kind === 'ref') result.refs.push(c.ref);
        else if (c.kind === 'source') result.sources.push(c.source);
        else if (c.kind === 'config') Object.assign(result.config, c.config);
      }
      return result;
    }
    const recorder: ParseRecorder = { refs: [], sources: [], config: {}, docRefs: [] };
    const result: ParseRenderResult = { refs: recorder.refs, sources: recorder.sources, config: recorder.config, docRefs: recorder.docRefs, macrosUsed: this.templateCalls(source), fastPath: false, diagnostics: [] };
    try {
      const { template, values } = this.compiled.compile(node.file, source);
      const frame = this.frame(node, recorder, undefined, values, options);
      withRenderState({ scope: frame, async: false, instances: new Map() }, () => template.renderSync(frame, { runtime: this.parseRuntime }));
    } catch (e) {
      result.diagnostics.push(this.toDiagnostic(e, node.file, source));
    }
    if (recorder.env) result.envVars = recorder.env;
    if (recorder.vars) result.varsRead = recorder.vars;
    if (recorder.secrets) result.secrets = recorder.secrets;
    for (const r of recorder.refs) r.at ??= findCall(source, node.file, 'ref', r.name);
    for (const s of recorder.sources) s.at ??= findCall(source, node.file, 'source', s.source);
    return result;
  }

  parseRenderMany(jobs: ParseRenderJob[]): ParseRenderResult[] {
    const results: ParseRenderResult[] = new Array(jobs.length);
    // The static scan first, here: it has no effects, so the full renders keep their order among themselves.
    const full: number[] = [];
    jobs.forEach((job, i) => {
      const fast = this.parseScan(job.source, job.node.file) ? this.parseRender(job.node, job.source) : undefined;
      if (fast) results[i] = fast;
      else full.push(i);
    });
    const workers = parseWorkerCount(full.length, this.options.env);
    const fullJobs = full.map((i) => jobs[i]!);
    const outcomes = workers > 0 ? renderOnThreads(fullJobs, workers, workerEngineOptions(this.options, { invocationId: this.invocationId, runStartedAt: this.runStartedAt.getTime() }), secretReferences(this.options, fullJobs), (job) => this.renderRecording(job)) : undefined;
    this.parallelStats.workers = Math.max(this.parallelStats.workers, outcomes ? workers : 0);
    full.forEach((i, k) => {
      const outcome = outcomes?.[k];
      if (outcome?.byWorker) this.parallelStats.byWorkers++;
      if (!outcome || outcome.redo) {
        results[i] = this.parseRender(jobs[i]!.node, jobs[i]!.source);
        return;
      }
      // What the render did besides its result, now, in file order, as a render on this thread does it.
      for (const e of outcome.effects) {
        if ('log' in e) this.options.log?.(e.log);
        else this.options.onSecret?.(e.secret[0], e.secret[1]);
      }
      results[i] = outcome.result;
    });
    return results;
  }

  /** A parse render on this thread whose `log()` and `secret()` effects are recorded, to be replayed in file order. */
  private renderRecording(job: ParseRenderJob): RenderOutcome {
    const effects: RenderEffect[] = [];
    const options: TemplateEnvironmentOptions = { ...this.options, onSecret: (name, value) => effects.push({ secret: [name, value] }), log: (message) => effects.push({ log: message }) };
    // As a worker's result is: plain data, as the render cache stores it.
    return { result: JSON.parse(JSON.stringify(this.parseRender(job.node, job.source, options))) as ParseRenderResult, effects };
  }

  /** The static scan of a parse render (parse-scan.ts), where the project lets it: undefined means render. */
  private parseScan(source: string, file: string): ReturnType<typeof scanParseTemplate> {
    if (!this.fastPathAllowed) return undefined;
    return scanParseTemplate(source, file, (name, args) => this.inertCall(name, args), !this.registry.has('is_incremental'));
  }

  /** `{{ name(args) }}` calls an inert macro (not shadowed by a context name) with literal arguments that fit its signature. */
  private inertCall(name: string, args: string): boolean {
    if (!this.inert) {
      const context = new Set(Object.keys(Object.getPrototypeOf(this.frame({ uniqueId: 'probe', name: 'probe', resourceType: 'model', packageName: this.options.projectName, file: 'probe', fqn: [], config: {} }, { refs: [], sources: [], config: {}, docRefs: [] })) as object));
      this.inert = new Map();
      for (const m of this.registry.macros) if (!context.has(m.name) && this.registry.resolvePackage(m.name) === m.packageName && isInertMacro(m)) this.inert.set(m.name, m);
    }
    const macro = this.inert.get(name);
    const parsed = macro && readLiteralArgs(args);
    if (!macro || !parsed) return false;
    const named = Object.keys(parsed.kw);
    // As Jinja2: no more positional arguments than parameters, no unknown keyword, none given twice.
    return parsed.pos.length <= macro.arguments.length && named.every((k) => macro.arguments.indexOf(k) >= parsed.pos.length);
  }

  async runRender(node: RenderNode, text: string, context: RunRenderContext): Promise<string> {
    if (this.fastPathAllowed) {
      // As Jinja reads a template: line ends become \n and one trailing newline is dropped.
      const normal = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
      const source = normal.endsWith('\n') ? normal.slice(0, -1) : normal;
      const calls = scanSimpleTemplate(source, node.file);
      if (calls) {
        return substituteSimpleTemplate(source, calls, (c) => {
          if (c.kind === 'ref') { const r = context.resolveRef(c.ref); return this.renderResolved(r, context, c.ref.at, ('code' in r && r.code) || 'ref-not-found'); }
          if (c.kind === 'source') return this.renderResolved(context.resolveSource(c.source.source, c.source.table), context, c.source.at, 'source-not-found');
          return '';
        });
      }
    }
    let compiled: { template: CompiledTemplate; values?: Record<string, string> };
    try {
      compiled = this.compiled.compile(node.file, text, this.options.codeCache);
    } catch (e) {
      throw new UserError(this.toDiagnostic(e, node.file, text));
    }
    const { template, values } = compiled;
    const frame = this.frame(node, undefined, context, values);
    try {
      return await withRenderState({ scope: frame, async: true, instances: new Map(), ...(context.macroOverrides ? { macroOverrides: context.macroOverrides } : {}) }, () => template.renderAsync(frame));
    } catch (e) {
      // A warehouse error met while rendering (run_query) describes itself: it is not a template mistake.
      if (isWarehouseError(e)) throw e;
      throw new UserError(this.toDiagnostic(e, node.file, text));
    }
  }

  async runMaterialization(node: RenderNode, block: MacroInfo, context: RunRenderContext, call: MaterializationCall): Promise<MaterializationOutcome> {
    const run = materializationRun(node, block, context, call);
    const frame = this.frame(node, undefined, run.context);
    // dbt's model at this point has its compiled code (`model.compiled_code`, as blocks read it).
    frame.model = { ...(frame.model as Record<string, unknown>), compiled_code: call.sql };
    try {
      return await withRenderState({ scope: frame, async: true, instances: new Map() }, () => run.invoke(this.registry));
    } catch (e) {
      if (isWarehouseError(e)) throw e;
      throw new UserError(this.toDiagnostic(e, block.path, block.sql));
    }
  }

  callMacro(name: string, args: unknown[], node?: RenderNode): unknown {
    const target: RenderNode = node ?? { uniqueId: 'macro', name, resourceType: 'operation', packageName: this.options.projectName, file: 'macro', fqn: [], config: {} };
    const recorder: ParseRecorder = { refs: [], sources: [], config: {}, docRefs: [] };
    const frame = this.frame(target, recorder);
    try {
      return withRenderState({ scope: frame, async: false, instances: new Map() }, () => {
        const value = this.registry.invoke(name, this.registry.resolvePackage(name), args);
        return typeof value === 'string' ? value.trim() : value;
      });
    } finally {
      Object.assign(this.envRead, recorder.env);
      Object.assign(this.varsRead, recorder.vars);
    }
  }

  /** The names one render sees: Jinja's globals and the macros, then dbt's context, then project overrides. */
  private frame(node: RenderNode, recorder?: ParseRecorder, run?: RunRenderContext, literals?: Record<string, string>, options: TemplateEnvironmentOptions = this.options): Record<string, unknown> {
    const scope = buildScope({ options, registry: this.registry, node, recorder, run, invocationId: this.invocationId, runStartedAt: this.runStartedAt });
    const layer: Record<string, unknown> = Object.assign(Object.create(this.globals) as Record<string, unknown>, scope, literals);
    for (const name of this.overrides) if (name in scope) layer[name] = this.registry.callable(name, this.options.projectName);
    // dbt's global project defines these as macros, so packages call them as `dbt.run_query(…)` (elementary does).
    const dbtMacros = this.globals.dbt as Record<string, unknown> | undefined;
    layer.dbt = Object.assign(Object.create(dbtMacros ?? null) as Record<string, unknown>, ...DBT_CONTEXT_MACROS.filter((n) => !dbtMacros || !Object.hasOwn(dbtMacros, n)).map((n) => ({ [n]: scope[n] })));
    const frame = Object.create(layer) as Record<string, unknown>;
    frame.context = contextDict(frame);
    // dbt's render(text): the text rendered as a template with this render's names (dbt-unit-testing renders
    // a model's raw_code so, its ref() override in effect).
    frame.render = (text: unknown): string | Promise<string> => {
      const template = this.compiled.get(node.file, String(text));
      return renderIsAsync() ? template.renderAsync(frame) : template.renderSync(frame);
    };
    return frame;
  }

  private renderResolved(resolved: { error: string; hint?: string } | Relation, ctx: RunRenderContext, at: RefCall['at'], code: string): string {
    if ('error' in resolved) throw new UserError({ code, severity: 'error', message: resolved.error, ...(at ?? {}), ...(resolved.hint ? { hint: resolved.hint } : {}) });
    return ctx.renderRelation(resolved);
  }

  private toDiagnostic(e: unknown, file: string, source: string): Diagnostic {
    return renderErrorDiagnostic(e, {
      file,
      source,
      findCall: (fn) => findCall(source, file, fn, ''),
      macroNames: () => this.registry.names(),
      declaredPackages: this.options.declaredPackages ?? [],
      installedPackages: () => this.registry.packages(),
    });
  }
}

export function createTemplateEngine(options: TemplateEnvironmentOptions): TemplateEngine {
  return new JinjaTemplateEngine(options);
}
