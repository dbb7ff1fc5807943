import { join } from 'node:path';
import { keepLastNodeRun, runResultsArtifact, writeJsonArtifact, type NodeRunRecord } from '../artifacts/index.js';
import { relationNamer } from '../execute/template-context.js';
import type { PreparedProject } from './prepare.js';
import type { CommonOptions, SelectionOptions } from './types.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Connection, QueryResult } from '../adapters/contract.js';
import { RelationIndex } from '../compile/index.js';
import { runCompiler } from '../execute/run-context.js';
import { WarehouseState, templateWarehouse } from '../execute/warehouse-state.js';
import { withSessionSecrets } from '../execute/node-runner.js';
import { selectForCommand } from './state-option.js';

/** A compile's outcome as `compileAll` returns it. */
export interface CompiledNodes {
  compiled: Map<string, string>;
  timing: Map<string, { startedAt: string; completedAt: string }>;
}

/**
 * One result per compiled node, as dbt's CompileRunner gives them: status `success`, no message, the compiled
 * SQL, and a `compile` and an `execute` timing (the execute step of a compile does nothing).
 */
export function compileRecords(p: PreparedProject, nodes: CompiledNodes): NodeRunRecord[] {
  const relationName = relationNamer(p);
  const records: NodeRunRecord[] = [];
  for (const [id, sql] of nodes.compiled) {
    const node = p.graph.manifest.nodes[id];
    const at = nodes.timing.get(id);
    if (!node || !at) continue;
    const seconds = (Date.parse(at.completedAt) - Date.parse(at.startedAt)) / 1000;
    records.push({
      uniqueId: id, status: 'success', message: '', threadId: 'Thread-1',
      compileStartedAt: at.startedAt, compileCompletedAt: at.completedAt, startedAt: at.completedAt, completedAt: at.completedAt,
      executionTime: seconds, adapterResponse: {}, failures: null, compiledCode: sql, relationName: relationName(node),
    });
  }
  return records;
}

/**
 * One node that compiled (and, for `show`, ran) outside the graph or in `show`: an `--inline` query
 * (`relation_name` null) or a previewed node, as dbt's CompileRunner / ShowRunner results.
 */
export function detachedRecord(uniqueId: string, sql: string, compile: { startedAt: string; completedAt: string }, relationName: string | null, completedAt = compile.completedAt): NodeRunRecord {
  return {
    uniqueId, status: 'success', message: '', threadId: 'Thread-1',
    compileStartedAt: compile.startedAt, compileCompletedAt: compile.completedAt, startedAt: compile.completedAt, completedAt,
    executionTime: (Date.parse(completedAt) - Date.parse(compile.startedAt)) / 1000, adapterResponse: {}, failures: null, compiledCode: sql, relationName,
  };
}

/**
 * Writes run_results.json for `compile` (`which: 'compile'`, `--inline` too), `docs generate` (`which:
 * 'generate'`) or `show` (`which: 'show'`), as dbt does when every node compiled (and ran). The file it
 * replaces, if it holds a run of nodes, is kept first for the docs site (artifacts/last-node-run.ts).
 */
export function writeCompileResults(p: PreparedProject, which: 'compile' | 'generate' | 'show', options: CommonOptions & SelectionOptions & { inline?: string; limit?: number }, records: NodeRunRecord[], elapsed: number): void {
  keepLastNodeRun(p.targetDir);
  const args: Record<string, unknown> = {
    which,
    select: options.select ?? [],
    exclude: options.exclude ?? [],
    target: p.project.target.name,
    vars: options.vars ?? {},
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.selector ? { selector: options.selector } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.state ? { state: options.state } : {}),
    ...(options.defer ? { defer: true } : {}),
    ...(options.favorState ? { favor_state: true } : {}),
    ...(options.inline !== undefined ? { inline: options.inline } : {}),
    ...(which === 'show' ? { limit: options.limit ?? 5 } : {}),
  };
  const artifact = runResultsArtifact({ invocationId: p.invocationId, records, elapsed, args, env: p.env });
  // A node that only compiled has no message: null, as dbt writes it.
  artifact.results = artifact.results.map((r) => ({ ...r, message: null }));
  writeJsonArtifact(join(p.targetDir, 'run_results.json'), artifact, p.scrubber);
}

/**
 * `docs generate`'s compile, as dbt's (its GenerateTask is a CompileTask): every model, test, analysis and
 * snapshot, to target/compiled/ and the manifest's compiled code, with `execute` true and the warehouse open on
 * every warehouse (BigQuery too): a template's `run_query` runs, as dbt's (its docs generate connects), with the
 * `secret()` values known so far set on the session first, as `show` and `run-operation` do (the SQL holds only
 * their references). A project whose templates run no query runs none. A node that does not compile is
 * an error, as in dbt (its compile stops the command): no records then, and `docs generate` writes no
 * run_results.json, catalog or site. `answers` gets each query a template ran and its result, for the column
 * lineage's compile (which runs none).
 */
export async function compileForDocs(p: PreparedProject, connection: Connection, answers?: Map<string, QueryResult>): Promise<{ records?: NodeRunRecord[]; diagnostics: Diagnostic[] }> {
  const selection = selectForCommand(p, {}, ['model', 'test', 'analysis', 'snapshot']);
  const manifest = p.graph.manifest;
  const state = await WarehouseState.introspect(connection, selection.ids.map((id) => manifest.nodes[id]!).filter((n) => n.schema).map((n) => ({ schema: n.schema, database: n.database })));
  const compiler = runCompiler(p, { relations: new RelationIndex(manifest), state, selected: selection.ids, compiledDir: join(p.targetDir, 'compiled') });
  const live = templateWarehouse(withSessionSecrets(p, connection), p.adapter.dialect);
  const recorded = { ...live, query: async (sql: string) => {
    const result = await live.query(sql);
    answers?.set(sql, result);
    return result;
  } };
  const result = await compiler.compileAll(selection.ids, recorded);
  p.templateCode?.save();
  const diagnostics = [...selection.diagnostics, ...result.diagnostics];
  return result.diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { records: compileRecords(p, result), diagnostics };
}
