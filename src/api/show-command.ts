import { withSessionSecrets } from '../execute/node-runner.js';
import { sourcePosition } from '../execute/warehouse-error.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import { selectForCommand, stateOption } from './state-option.js';
import { applyDeferral } from './defer.js';
import { warningsAsErrors } from './warn-error.js';
import type { StateManifest } from '../select/index.js';
import { RelationIndex } from '../compile/index.js';
import { runCompiler } from '../execute/run-context.js';
import type { ColumnDef, Connection, Warehouse } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { defaultConfig } from '../parse/node-config.js';
import { prepareProject, type PreparedProject } from './prepare.js';
import { WarehouseState, templateWarehouse } from '../execute/warehouse-state.js';
import type { CommonOptions, ExitCode, SelectionOptions } from './types.js';
import { commentOutsideNodes } from '../execute/query-comments.js';
import { detachedRecord, writeCompileResults } from './compile-results.js';
import { writeManifest } from './run-artifacts.js';
import { relationNamer } from '../execute/template-context.js';
import type { NodeRunRecord } from '../artifacts/index.js';

export interface ShowOptions extends CommonOptions, SelectionOptions {
  /** A query to preview instead of selected nodes (Jinja allowed: `select * from {{ ref('x') }}`). */
  inline?: string;
  /** Rows per preview; default 5, negative for all. */
  limit?: number;
}

export interface ShowPreview {
  /** The node's name, or `inline_query`. */
  node: string;
  columns: ColumnDef[];
  rows: Record<string, unknown>[];
}

/**
 * `strata show`, as dbt's: compiles each selected model or analysis (or an `--inline` query), runs it with a
 * row limit and returns the rows. Nothing is built; manifest.json and run_results.json (`which: show`) are
 * written when every query ran, as dbt's. Exit 1 when a query fails, 2 for a bad selection.
 */
export async function show(options: ShowOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; previews: ShowPreview[] }> {
  const started = Date.now();
  const outcome = await prepareProject({ ...options, command: 'show' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, previews: [] };
  const p = outcome.prepared;
  const diagnostics = [...p.diagnostics];
  if (options.inline !== undefined && options.select?.length) {
    return { exitCode: 2, diagnostics: [...diagnostics, { code: 'show-invalid', severity: 'error', message: '--inline and --select cannot be used together', file: '--inline', hint: 'preview either a query (--inline "select …") or nodes (--select name)' }], previews: [] };
  }
  let nodes: ManifestNode[];
  let saved: StateManifest | undefined;
  if (options.inline !== undefined) {
    nodes = [inlineNode(p, options.inline)];
    const loaded = stateOption(options);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.diagnostics.length) return { exitCode: 2, diagnostics, previews: [] };
    saved = loaded.state;
  } else {
    if (!options.select?.length) return { exitCode: 2, diagnostics: [...diagnostics, { code: 'show-invalid', severity: 'error', message: 'show needs --select or --inline', file: 'show', hint: "strata show --select my_model, or strata show --inline \"select * from {{ ref('my_model') }}\"" }], previews: [] };
    const selection = selectForCommand(p, options, ['model', 'analysis']);
    diagnostics.push(...selection.diagnostics);
    if (selection.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics, previews: [] };
    nodes = selection.ids.map((id) => p.graph.manifest.nodes[id]!);
    saved = selection.state;
    if (!nodes.length) {
      diagnostics.push({ code: 'nothing-to-do', severity: 'warn', message: 'nothing to show: no model or analysis matches the selection', file: '--select' });
      return { exitCode: 0, diagnostics, previews: [] };
    }
  }
  // --warn-error: a warning about the project or the selection stops the preview before any query runs.
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, previews: [] };
  const limit = options.limit ?? 5;
  const previews: ShowPreview[] = [];
  const records: NodeRunRecord[] = [];
  let warehouse: Warehouse | undefined;
  let connection: Connection | undefined;
  let exitCode: ExitCode = 0;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    // secret() values become known as the nodes render: each statement sets those known so far.
    connection = withSessionSecrets(p, await commentOutsideNodes(p, await warehouse.connect()));
    const manifest = p.graph.manifest;
    const relations = new RelationIndex(manifest);
    const state = await WarehouseState.introspect(connection, nodes.filter((n) => n.schema).map((n) => ({ schema: n.schema, database: n.database })));
    // An --inline query's refs are known only once it renders: every node this target lacks may defer.
    if (options.defer && saved) {
      const unreadable = await applyDeferral(p, options.inline !== undefined ? undefined : nodes.map((n) => n.uniqueId), saved, options.favorState === true, connection, relations).then(() => undefined, (e: unknown) => {
        if (e instanceof UserError) return e.diagnostics;
        throw e;
      });
      if (unreadable) return { exitCode: 2, diagnostics: [...diagnostics, ...unreadable], previews: [] };
    }
    const compiler = runCompiler(p, { relations, state, selected: nodes.map((n) => n.uniqueId) });
    const relationName = relationNamer(p);
    const tw = templateWarehouse(connection, p.adapter.dialect);
    for (const node of nodes) {
      try {
        const startedAt = new Date().toISOString();
        const sql = manifest.nodes[node.uniqueId] === node ? await compiler.compile(node.uniqueId, tw) : await compiler.compileDetached(node, tw);
        const limited = limit < 0 ? sql : `select * from (\n${sql}\n) as strata_show limit ${Math.floor(limit)}`;
        // As dbt's get_show_sql: the node's sql_header before its query (one from YAML rendered as the node is).
        const written = typeof node.config.sql_header === 'string' ? node.config.sql_header.trim() : '';
        const header = /\{[{%]/.test(written) ? (await compiler.compileDetached({ ...node, rawCode: written }, tw)).trim() : written;
        const compiledAt = new Date().toISOString();
        const shown = header ? `${header}\n${limited}` : limited;
        const result = await connection.query(shown);
        previews.push({ node: node.name, columns: result.columns, rows: result.rows });
        // dbt's ShowRunner result: the query it ran as compiled_code; an inline query has no relation.
        records.push(detachedRecord(node.uniqueId, shown, { startedAt, completedAt: compiledAt }, manifest.nodes[node.uniqueId] === node ? relationName(node) : null, new Date().toISOString()));
      } catch (e) {
        // A project or usage error (a bad ref, broken Jinja) is exit 2, as in compile; a failed query, 1.
        if (e instanceof UserError) {
          exitCode = 2;
          diagnostics.push(...e.diagnostics);
        } else {
          if (exitCode === 0) exitCode = 1;
          const err = e as { describe?: () => string; brief?: () => string; sql?: string; line?: number; column?: number; message: string };
          const text = typeof err.brief === 'function' ? err.brief() : typeof err.describe === 'function' ? err.describe() : err.message.split('\n')[0];
          diagnostics.push({ code: 'show-failed', severity: 'error', message: p.scrubber.scrub(`${node.name}: ${text}`), file: node.originalFilePath, ...showErrorLine(err, node.rawCode) });
        }
      }
    }
  } finally {
    await connection?.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
  // As dbt's show (a compile): manifest.json and run_results.json when every node ran; its first error stops it, writing none.
  if (exitCode === 0) {
    writeManifest(p);
    writeCompileResults(p, 'show', options, records, (Date.now() - started) / 1000);
  }
  return { exitCode, diagnostics, previews };
}

/** An `--inline` query as a node of its own (dbt's `sql_operation.<project>.inline_query`), not added to the graph. */
export function inlineNode(p: PreparedProject, sql: string): ManifestNode {
  const project = p.project.config.name;
  const config = defaultConfig('view');
  return {
    uniqueId: `sql_operation.${project}.inline_query`,
    resourceType: 'operation',
    packageName: project,
    name: 'inline_query',
    path: 'inline_query.sql',
    originalFilePath: '--inline',
    fqn: [project, 'inline_query'],
    language: 'sql',
    rawCode: sql,
    checksum: { name: 'sha256', checksum: '' },
    config,
    unrenderedConfig: {},
    tags: [],
    description: '',
    columns: {},
    meta: {},
    refs: [],
    sources: [],
    dependsOn: { nodes: [], macros: [] },
    schema: p.project.target.schema,
    database: p.project.target.database,
    alias: 'inline_query',
  };
}

/**
 * Where in the node's own text (a model file, or the --inline query) a warehouse error points: the line of the
 * statement DuckDB or BigQuery counted (the query around the node, with its limit) found in the node's text.
 */
function showErrorLine(err: { sql?: string; line?: number; column?: number }, rawCode: string | undefined): { line?: number; column?: number } {
  if (!err.sql || !err.line || !rawCode) return {};
  const at = sourcePosition(rawCode, err.sql.split('\n')[err.line - 1] ?? '', err.column ?? 1);
  return at ? { line: at.line, ...(err.column !== undefined ? { column: at.column } : {}) } : {};
}
