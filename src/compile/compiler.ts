import { dirname, join } from 'node:path';
import { CompiledFileWriter } from './compiled-file-writer.js';
import type { Dialect, Relation } from '../adapters/contract.js';
import type { Manifest, ManifestNode, SourceDefinition } from '../parse/types.js';
import { dbtOriginalFilePath, targetFilePath, type PackageDirs } from '../parse/index.js';
import type { RenderNode, RunRenderContext, TemplateEngine, TemplateWarehouse } from '../templating/types.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import { injectCtes, type Cte } from './inject-ctes.js';
import type { RelationIndex } from './relations.js';
import { indexResolver, parsedRefsOnly, runRenderContext, type RunResolver } from './run-render-context.js';
import { eventTimeField } from '../materializations/index.js';

/** Resource types whose run-time refs must be ones their parse found (dbt's RuntimeRefResolver.validate); generic tests are not checked. */
const CHECKED_REFS = new Set(['model', 'snapshot', 'test', 'analysis']);

export interface CompilerOptions {
  manifest: Manifest;
  engine: TemplateEngine;
  dialect: Dialect;
  relations: RelationIndex;
  /** Whether `is_incremental()` is true for this node now (target exists as a table, no full refresh). */
  isIncremental: (node: ManifestNode) => boolean;
  fullRefresh: boolean;
  /** When set, compiled SQL is written under `<compiledDir>/<project>/<path>`. */
  compiledDir?: string;
  /** How manifest.json names that folder (`compiled_path`): the target path as configured, then `compiled`. */
  compiledPathPrefix?: string;
  /** Per installed package, the vars its nodes see (`var()` in a package's model reads its own vars first). */
  packageVars?: Record<string, Record<string, unknown>>;
  /** What templates see of the whole run: dbt's `graph` and `selected_resources`. */
  context?: Pick<RunRenderContext, 'graph' | 'selectedResources' | 'storeFailures'>;
  /**
   * dbt's `--empty`: a model's refs and sources read no rows (`(select * from x where false limit 0)`), so
   * every model is built, with its real columns, without reading data.
   */
  emptyInputs?: boolean;
  /**
   * dbt 1.10's `--sample`: in a model or snapshot (not a test or analysis), a ref or source of an input with an
   * `event_time` reads the rows this condition on that column keeps (the sample window, the dialect's form).
   */
  sampleFilter?: (field: string) => string;
  /** Applied to each compiled file before it is written (secret values: `****`); the SQL run is not scrubbed. */
  scrub?: (text: string) => string;
}

/** A relation that renders as an empty read of itself (`--empty`), or as its rows in a microbatch's window. */
type EmptyRead = Relation & { emptyRead?: true; batchFilter?: string };

/** How such a relation reads: `rendered` is its name (a CTE's, for an ephemeral model). */
function renderRead(r: EmptyRead, rendered: string): string {
  if (r.emptyRead) return `(select * from ${rendered} where false limit 0)`;
  return r.batchFilter ? `(select * from ${rendered} where ${r.batchFilter})` : rendered;
}

/** A microbatch model's batch being compiled: its window, whether it is incremental, and its inputs' event_time filter. */
export interface BatchCompile {
  batch: { id: string; start: Date; end: Date };
  incremental: boolean;
  /** The condition on an input's event_time column that keeps the batch's rows (the dialect's form). */
  filter: (field: string) => string;
  /** The batch's start as dbt suffixes its compiled file (`2024-01-01`). */
  suffix: string;
}

/** An input read in a window (`filter` on its event_time: a batch's or the sample's); as it is without an event_time. */
function windowRead(found: ManifestNode | SourceDefinition, r: EmptyRead, filter: ((field: string) => string) | undefined, dialect: Pick<Dialect, 'quoteIdentifier'>): EmptyRead {
  if (!filter || r.emptyRead) return r;
  // dbt 1.11: quoted where the input's column says `quote: true`, or a source's `quoting: {column: true}`.
  const field = eventTimeField(found, (n) => dialect.quoteIdentifier(n));
  return field === undefined ? r : { ...r, batchFilter: filter(field) };
}

/** A relation as a render writes it: `ref('x').render()` is the name alone, as dbt's (how a ref opts out of --empty and event_time filters). */
function readRenderer(dialect: Pick<Dialect, 'renderRelation'>): (r: EmptyRead, plain?: boolean) => string {
  return (r, plain) => {
    const name = r.schema === '' ? r.identifier : dialect.renderRelation(r);
    return plain ? name : renderRead(r, name);
  };
}

/** Nodes whose inputs `--sample` filters: dbt's ModelNode and SnapshotNode. */
const SAMPLED = new Set(['model', 'snapshot']);

/** Resource types whose code is SQL to render. Seeds and landings have none. */
const RENDERED = new Set(['model', 'test', 'snapshot', 'analysis', 'operation', 'unit_test']);

export function renderNodeOf(node: ManifestNode, dirs?: PackageDirs): RenderNode {
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    resourceType: node.resourceType,
    packageName: node.packageName,
    file: node.originalFilePath,
    originalFilePath: dbtOriginalFilePath(dirs, node),
    fqn: node.fqn,
    config: node.config,
    path: node.path,
  };
}

/** The final render of nodes (run context), with ephemeral models inlined as CTEs. No warehouse writes. */
export class Compiler {
  private readonly ephemeralBodies = new Map<string, Promise<{ sql: string; ctes: Cte[] }>>();
  private readonly files?: CompiledFileWriter;
  /** When each node compiled (ISO times), for the `compile` timing of run_results and on-run-end results, as dbt's. */
  readonly compileTimings = new Map<string, { startedAt: string; completedAt: string }>();

  constructor(private readonly options: CompilerOptions) {
    if (options.compiledDir) this.files = new CompiledFileWriter(options.compiledDir);
  }

  needsRender(node: ManifestNode): boolean {
    return RENDERED.has(node.resourceType) && node.config.materialized !== 'seed';
  }

  /** Compiles one node; throws UserError with the template's file and line on failure. `log`: where its `log()` goes. */
  async compile(id: string, warehouse?: TemplateWarehouse, log?: (message: string) => void): Promise<string> {
    const { sql, record } = await this.compileUnrecorded(id, warehouse, log);
    await record();
    return sql;
  }

  /**
   * Compiles one node without recording it: `record()` sets its `compiled_code` and writes its compiled file,
   * as `compile` does. For a render done ahead of the node's turn, recorded only if the node does run.
   */
  async compileUnrecorded(id: string, warehouse?: TemplateWarehouse, log?: (message: string) => void): Promise<{ sql: string; record: () => Promise<void> }> {
    const node = this.node(id);
    const startedAt = new Date().toISOString();
    // A seed compiles to nothing, and says so in no time, as dbt's.
    if (!this.needsRender(node)) {
      this.compileTimings.set(id, { startedAt, completedAt: startedAt });
      return { sql: '', record: async () => undefined };
    }
    const { sql, ctes } = await this.render(node, warehouse, log);
    const compiled = injectCtes(sql, ctes);
    this.compileTimings.set(id, { startedAt, completedAt: new Date().toISOString() });
    return {
      sql: compiled,
      record: async () => {
        node.compiledCode = compiled;
        if (this.files) await this.write(node, compiled);
      },
    };
  }

  /**
   * Compiles one batch of a microbatch model (dbt 1.9): refs and sources of inputs with an `event_time` read
   * only the batch's window, `model.batch` is set, and `is_incremental()` is the batch's. Its SQL becomes the
   * node's compiled code and is also written as `<name>/<name>_<batch start>.sql` beside the model's file, as dbt.
   */
  async compileBatch(id: string, batch: BatchCompile, warehouse?: TemplateWarehouse, log?: (message: string) => void): Promise<string> {
    const node = this.node(id);
    const startedAt = new Date().toISOString();
    const { sql, ctes } = await this.render(node, warehouse, log, batch);
    const compiled = injectCtes(sql, ctes);
    this.compileTimings.set(id, { startedAt: this.compileTimings.get(id)?.startedAt ?? startedAt, completedAt: new Date().toISOString() });
    node.compiledCode = compiled;
    if (this.files) {
      await this.write(node, compiled);
      const text = this.options.scrub ? this.options.scrub(compiled) : compiled;
      await this.files.write(join(node.packageName, dirname(node.originalFilePath), node.name, `${node.name}_${batch.suffix}.sql`), text);
    }
    return compiled;
  }

  /** Compiles a node that is not in the manifest (`strata show --inline`): its refs resolved, ephemerals inlined, no file written. */
  async compileDetached(node: ManifestNode, warehouse?: TemplateWarehouse): Promise<string> {
    const { sql, ctes } = await this.render(node, warehouse);
    return injectCtes(sql, ctes);
  }

  /** After compiling node by node (a run): records the compiled files written, for the next compile. */
  saveCompiledIndex(): void {
    this.files?.saveIndex();
  }

  /** Compiles many, collecting diagnostics instead of stopping at the first. */
  async compileAll(ids: string[], warehouse?: TemplateWarehouse): Promise<{ compiled: Map<string, string>; diagnostics: Diagnostic[]; timing: Map<string, { startedAt: string; completedAt: string }> }> {
    const compiled = new Map<string, string>();
    const diagnostics: Diagnostic[] = [];
    // When each node's compile began and ended: run_results.json's `compile` timing for `compile` and `docs generate`.
    const timing = new Map<string, { startedAt: string; completedAt: string }>();
    const all = async (): Promise<void> => {
      for (const id of ids) {
        const startedAt = new Date().toISOString();
        try {
          compiled.set(id, await this.compile(id, warehouse));
          timing.set(id, { startedAt, completedAt: new Date().toISOString() });
        } catch (e) {
          if (e instanceof UserError) diagnostics.push(...e.diagnostics);
          else if (typeof (e as { templateFile?: unknown }).templateFile === 'string') diagnostics.push(queryFailed(e, this.node(id).originalFilePath));
          else throw e;
        }
      }
    };
    await (this.files ? this.files.batch(all) : all());
    return { compiled, diagnostics, timing };
  }

  private node(id: string): ManifestNode {
    const node = this.options.manifest.nodes[id];
    if (!node) throw new Error(`compile: unknown node ${id}`);
    return node;
  }

  /**
   * What a node's hooks see beside its own context, as its SQL does: dbt's `graph`, `selected_resources`, its
   * package's vars, and relations written as its SQL writes them (a sampled read as its filtered query).
   */
  hookContext(node: ManifestNode): Partial<RunRenderContext> {
    const vars = this.options.packageVars?.[node.packageName];
    const { dialect } = this.options;
    // A hook's relations are the warehouse's (no ephemeral CTE names): its sampled reads as the model's, the rest as ever.
    const renderRelation = (r: EmptyRead, plain?: boolean): string => (plain ? dialect.renderRelation(r) : renderRead(r, dialect.renderRelation(r)));
    return { ...this.options.context, renderRelation, ...(vars ? { varsOverride: vars } : {}) };
  }

  /** Whether `is_incremental()` is true for `node`: its hooks render with the answer its SQL had. */
  isIncremental(node: ManifestNode): boolean {
    return this.options.isIncremental(node);
  }

  /**
   * How a node's hooks resolve `ref()` and `source()`: as dbt renders a model's hooks in the model's context,
   * under `--sample` a model's or snapshot's hook reads an input with an `event_time` in the sample's window.
   */
  hookResolver(node: ManifestNode): RunResolver {
    const { relations, dialect } = this.options;
    const filter = SAMPLED.has(node.resourceType) ? this.options.sampleFilter : undefined;
    return indexResolver(relations, node.packageName, (found) => windowRead(found, relations.relationOf(found), filter, dialect));
  }

  private async render(node: ManifestNode, warehouse?: TemplateWarehouse, log?: (message: string) => void, batch?: BatchCompile): Promise<{ sql: string; ctes: Cte[] }> {
    const { relations, dialect, engine } = this.options;
    // Nodes dbt resolves refs of with its RuntimeRefResolver (operations and hooks may ref what they like).
    // Generic tests are left out: their refs are read from their YAML arguments and their macro's own body, not
    // from a full render as dbt's parse does, so a ref made through another macro would be refused wrongly.
    const checked = (n: ManifestNode, r: RunResolver): RunResolver => (CHECKED_REFS.has(n.resourceType) && !n.testMetadata ? parsedRefsOnly(r, relations, n) : r);
    const ctes: Cte[] = [];
    const addCtes = (more: Cte[]): void => {
      for (const c of more) if (!ctes.some((x) => x.id === c.id)) ctes.push(c);
    };
    const pending: Promise<void>[] = [];
    const file = node.originalFilePath;
    const empty = this.options.emptyInputs === true && node.resourceType === 'model';
    const emptyRead = (r: Relation): EmptyRead => (empty ? { ...r, emptyRead: true } : r);
    // Ephemeral refs become CTE names (rendered alongside); with --empty, reads of real relations read no rows.
    // In a batch, an input with an event_time is read in the batch's window only (dbt's event_time filter);
    // under --sample, in the sample's window (a batch's filter already narrowed to it).
    const filter = batch ? batch.filter : SAMPLED.has(node.resourceType) ? this.options.sampleFilter : undefined;
    const inWindow = (found: ManifestNode | SourceDefinition, r: EmptyRead): EmptyRead => windowRead(found, r, filter, dialect);
    const place = (found: ManifestNode | SourceDefinition): Relation => {
      if (found.resourceType === 'source' || found.config.materialized !== 'ephemeral') return inWindow(found, emptyRead(relations.relationOf(found)));
      pending.push(
        this.ephemeral(found, warehouse).then((body) => {
          addCtes(body.ctes);
          addCtes([{ id: found.uniqueId, name: `__dbt__cte__${found.name}`, sql: body.sql }]);
        }),
      );
      // An ephemeral input with an event_time is filtered too, around its CTE (as dbt's create_ephemeral_from).
      // Under --empty it reads no rows either (dbt renders an ephemeral ref with a limit as it does any other).
      return inWindow(found, emptyRead({ schema: '', identifier: `__dbt__cte__${found.name}` }));
    };
    const context = runRenderContext(
      { dialect, thisRelation: relations.relationOf(node), resolver: checked(node, indexResolver(relations, node.packageName, place)), warehouse, isIncremental: batch ? batch.incremental : this.options.isIncremental(node), fullRefresh: this.options.fullRefresh },
      {
        // `ref('x').render()` is the name alone, as dbt's: no --empty or event_time filter (how a ref opts out of them).
        renderRelation: readRenderer(dialect),
        ...(batch ? { batch: batch.batch } : {}),
        isEphemeral: (ref) => relations.findRef(ref, node.packageName)?.config.materialized === 'ephemeral',
        ...this.options.context,
        ...(this.options.packageVars?.[node.packageName] ? { varsOverride: this.options.packageVars[node.packageName] } : {}),
        ...(log ? { log } : {}),
      },
    );
    const sql = await engine.runRender(renderNodeOf(node, this.options.manifest.packageDirs), node.rawCode, context);
    try {
      await Promise.all(pending);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError({ code: 'compile-error', severity: 'error', message: String(e), file });
    }
    return { sql, ctes };
  }

  /** An ephemeral model's body and the CTEs it needs itself, rendered once. */
  private ephemeral(node: ManifestNode, warehouse?: TemplateWarehouse): Promise<{ sql: string; ctes: Cte[] }> {
    let body = this.ephemeralBodies.get(node.uniqueId);
    if (!body) {
      body = this.render(node, warehouse);
      this.ephemeralBodies.set(node.uniqueId, body);
    }
    return body;
  }

  private async write(node: ManifestNode, sql: string): Promise<void> {
    // dbt's place: `<package>/<path in the package>` (a package's file without its dbt_packages/<pkg>/ folder).
    const rel = targetFilePath(this.options.manifest.packageDirs, node);
    node.compiledPath = join(this.options.compiledPathPrefix ?? join('target', 'compiled'), rel);
    await this.files!.write(rel, this.options.scrub ? this.options.scrub(sql) : sql);
  }
}

/** A warehouse query that failed while a template ran (`run_query`): the template's file and line, the warehouse's message. */
function queryFailed(e: unknown, nodeFile: string): Diagnostic {
  const err = e as { templateFile?: string; templateLine?: number; message?: string };
  const where = err.templateFile && err.templateFile !== nodeFile ? ` (while compiling ${nodeFile})` : '';
  return { code: 'query-failed', severity: 'error', message: `a query run by the template failed${where}: ${String(err.message ?? e).split('\n')[0]}`, file: err.templateFile ?? nodeFile, ...(err.templateLine ? { line: err.templateLine } : {}), hint: 'fix the SQL the template passes to run_query / statement' };
}
