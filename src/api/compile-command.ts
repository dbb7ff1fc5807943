import { runCompiler } from '../execute/run-context.js';
import { columnSelectionFor } from './column-selection.js';
import { selectForCommand, stateOption } from './state-option.js';
import { applyDeferral } from './defer.js';
import { warningsAsErrors } from './warn-error.js';
import { join } from 'node:path';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import { RelationIndex } from '../compile/index.js';
import type { Warehouse, Connection } from '../adapters/contract.js';
import { prepareProject } from './prepare.js';
import { inlineNode } from './show-command.js';
import { writeManifest } from './run-artifacts.js';
import { compileRecords, detachedRecord, writeCompileResults } from './compile-results.js';
import { WarehouseState, templateWarehouse } from '../execute/warehouse-state.js';
import type { CommonOptions, SelectionOptions, ExitCode } from './types.js';
import { commentOutsideNodes } from '../execute/query-comments.js';

export interface CompileOptions extends CommonOptions, SelectionOptions {
  /** Compile without opening the warehouse: `run_query` returns none and `is_incremental()` is false. */
  offline?: boolean;
  /** `--inline "select …"`: compile this query (Jinja allowed) instead of the selection; run_results.json holds its result. */
  inline?: string;
}

export interface CompileResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  /** unique id → compiled SQL, in graph order. */
  compiled: Map<string, string>;
  invocationId: string;
  /** Where the compiled files went, as the user named the target path (`target/compiled`, or under `--target-path`). */
  compiledPath?: string;
}

/**
 * A compiler outside a run (`compile`, `show`): no full refresh, `is_incremental()` true where the
 * warehouse has the model's table, templates seeing `selected` as `selected_resources`.
 */
/** `strata compile`: renders selected models, tests and analyses to `target/compiled/`, writes manifest.json. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const started = Date.now();
  const outcome = await prepareProject({ ...options, command: 'compile' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, compiled: new Map(), invocationId: outcome.invocationId };
  const p = outcome.prepared;
  if (options.inline !== undefined && (options.select?.length || options.selector)) {
    return { exitCode: 2, diagnostics: [...p.diagnostics, { code: 'compile-invalid', severity: 'error', message: '--inline and --select cannot be used together', file: '--inline', hint: 'compile either a query (--inline "select …") or nodes (--select name)' }], compiled: new Map(), invocationId: p.invocationId };
  }
  const selection = options.inline !== undefined ? { ids: [], ...stateOption(options) } : selectForCommand(p, options, ['model', 'test', 'analysis', 'snapshot'], await columnSelectionFor(p, options));
  const diagnostics = [...p.diagnostics, ...selection.diagnostics];
  if (selection.diagnostics.some((d) => d.severity === 'error')) {
    return { exitCode: 2, diagnostics, compiled: new Map(), invocationId: p.invocationId };
  }
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, compiled: new Map(), invocationId: p.invocationId };
  const manifest = p.graph.manifest;
  const relations = new RelationIndex(manifest);
  let warehouse: Warehouse | undefined;
  let connection: Connection | undefined;
  try {
    let state = new WarehouseState();
    if (!options.offline) {
      warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
      connection = await commentOutsideNodes(p, await warehouse.connect());
      const schemas = selection.ids.map((id) => manifest.nodes[id]!).map((n) => ({ schema: n.schema, database: n.database }));
      state = await WarehouseState.introspect(connection, schemas.filter((s) => s.schema));
    }
    if (options.defer && selection.state) await applyDeferral(p, options.inline !== undefined ? undefined : selection.ids, selection.state, options.favorState === true, connection, relations);
    if (options.inline !== undefined) {
      const node = inlineNode(p, options.inline);
      const startedAt = new Date().toISOString();
      const sql = await runCompiler(p, { relations, state, selected: [] }).compileDetached(node, connection ? templateWarehouse(connection, p.adapter.dialect) : undefined);
      // As dbt's: manifest.json (without the inline node) and run_results.json with the inline node's result.
      writeManifest(p);
      writeCompileResults(p, 'compile', options, [detachedRecord(node.uniqueId, sql, { startedAt, completedAt: new Date().toISOString() }, null)], (Date.now() - started) / 1000);
      return { exitCode: 0, diagnostics, compiled: new Map([[node.uniqueId, sql]]), invocationId: p.invocationId };
    }
    const compiler = runCompiler(p, { relations, state, selected: selection.ids, compiledDir: join(p.targetDir, 'compiled') });
    const result = await compiler.compileAll(selection.ids, connection ? templateWarehouse(connection, p.adapter.dialect) : undefined);
    diagnostics.push(...result.diagnostics);
    p.templateCode?.save();
    writeManifest(p);
    const failed = result.diagnostics.some((d) => d.severity === 'error');
    // As dbt: run_results.json when every node compiled (its compile stops at the first error, writing none).
    if (!failed) writeCompileResults(p, 'compile', options, compileRecords(p, result), (Date.now() - started) / 1000);
    return { exitCode: failed ? 2 : 0, diagnostics, compiled: result.compiled, invocationId: p.invocationId, compiledPath: join(p.project.config.targetPath, 'compiled') };
  } catch (e) {
    if (e instanceof UserError) return { exitCode: 2, diagnostics: [...diagnostics, ...e.diagnostics], compiled: new Map(), invocationId: p.invocationId };
    throw e;
  } finally {
    await connection?.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
}
