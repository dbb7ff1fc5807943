import { join } from 'node:path';
import type { Connection, Warehouse } from '../adapters/contract.js';
import { runResultsArtifact, writeJsonArtifact, type NodeRunRecord } from '../artifacts/index.js';
import { RelationIndex } from '../compile/index.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import { runGraph } from '../execute/index.js';
import { runCloneNode, type CloneRunContext } from '../execute/clone-runner.js';
import type { ManifestNode } from '../parse/types.js';
import { stateRelations, type StateRelations } from './clone-sources.js';
import { prepareProject, type PreparedProject } from './prepare.js';
import { countStatuses, writeManifest } from './run-artifacts.js';
import { runRecord } from '../execute/run-records.js';
import { selectForCommand } from './state-option.js';
import { observeConnection } from '../execute/statement-log.js';
import { warningsAsErrors } from './warn-error.js';
import { resourceTypeFilter } from './resource-types.js';
import type { CommandResult, CommonOptions, SelectionOptions } from './types.js';
import { commentPerNode, QueryComments, useNodeComment, type NodeCommentedConnection } from '../execute/query-comments.js';

export interface CloneOptions extends CommonOptions, Omit<SelectionOptions, 'defer' | 'favorState'> {
  /** Replace relations the target already has (else they are left alone, as dbt). */
  fullRefresh?: boolean;
  /** `--resource-type`: clone only these of model, seed and snapshot. */
  resourceTypes?: string[];
}

/** dbt's clone selects the relations a ref can name: models, seeds, snapshots. */
const CLONE_TYPES = ['model', 'seed', 'snapshot'];

function usage(message: string, file: string, hint: string, invocationId = ''): CommandResult {
  return { exitCode: 2, diagnostics: [{ code: 'clone-invalid', severity: 'error', message, file, hint }], invocationId, results: [] };
}

/**
 * `strata clone --state DIR` (dbt 1.6): for each selected model, seed and snapshot, creates in this target a
 * relation holding the state's relation (see materializations/clone.ts for how). Relations the target has
 * are left alone unless `fullRefresh`. Writes manifest.json and run_results.json; exit 1 when a clone failed.
 */
export async function clone(options: CloneOptions): Promise<CommandResult> {
  const started = Date.now();
  if (!options.state) return usage('clone needs --state: the folder of the manifest.json whose relations to clone', '--state', 'strata clone --state path/to/prod-target');
  const outcome = await prepareProject({ ...options, command: 'clone' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, invocationId: outcome.invocationId, results: [] };
  const p = outcome.prepared;
  const only = resourceTypeFilter(options.resourceTypes);
  const selection = selectForCommand(p, options, only.types ? CLONE_TYPES.filter((t) => only.types!.includes(t)) : CLONE_TYPES);
  const diagnostics: Diagnostic[] = [...p.diagnostics, ...only.diagnostics, ...selection.diagnostics];
  if (only.diagnostics.length) return { exitCode: 2, diagnostics, invocationId: p.invocationId, results: [] };
  if (selection.diagnostics.some((d) => d.severity === 'error') || !selection.state) return { exitCode: 2, diagnostics, invocationId: p.invocationId, results: [] };
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, invocationId: p.invocationId, results: [] };
  const manifest = p.graph.manifest;
  const nodes = selection.ids.map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => !!n && n.config.materialized !== 'ephemeral');
  if (!nodes.length) {
    diagnostics.push({ code: 'nothing-to-do', severity: 'warn', message: 'nothing to clone: no model, seed or snapshot matches the selection', file: '--select' });
    return { exitCode: 0, diagnostics, invocationId: p.invocationId, results: [] };
  }
  const records: NodeRunRecord[] = [];
  let warehouse: Warehouse | undefined;
  const connections: Connection[] = [];
  let sources: StateRelations | undefined;
  let interrupted = false;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    // As dbt's clone runner, each node's statements carry its comment; the others (schemas, the state's relations) the master one.
    const comments = new QueryComments(p);
    const commented: NodeCommentedConnection[] = [];
    const connect = async (): Promise<Connection> => {
      const c = await commentPerNode(comments, await warehouse!.connect());
      commented.push(c);
      connections.push(c.connection);
      return c.connection;
    };
    const admin = await connect();
    sources = await stateRelations(p, selection.state, admin, options.profile || undefined);
    if (sources.diagnostics.length) return { exitCode: 2, diagnostics: [...diagnostics, ...sources.diagnostics], invocationId: p.invocationId, results: [] };
    const relations = new RelationIndex(manifest);
    const schemas = new Map(nodes.map((n) => [`${n.database ?? ''}.${n.schema}`, n]));
    for (const n of schemas.values()) await admin.execute(p.adapter.dialect.createSchema(n.schema, n.database));
    const threads = Math.max(1, options.threads ?? p.project.target.threads);
    for (let i = 1; i < Math.min(threads, nodes.length); i++) await connect();
    const ctx: CloneRunContext = { p, state: selection.state, locate: sources.locate, relations, fullRefresh: options.fullRefresh === true };
    p.reporter.emit({ type: 'run-started', command: 'clone', total: nodes.length, threads, invocationId: p.invocationId });
    const ran = await runGraph({
      ids: nodes.map((n) => n.uniqueId),
      parents: () => [],
      threads: connections.length,
      failFast: false,
      signal: options.signal,
      reporter: p.reporter,
      describe: (id) => `clone of ${manifest.nodes[id]!.resourceType} ${p.adapter.dialect.renderRelation(relations.relationOf(manifest.nodes[id]!))}`,
      label: (id) => ({ name: manifest.nodes[id]!.name, resourceType: manifest.nodes[id]!.resourceType }),
      // Each statement is told to the reporter (--debug, the log file), as a build tells it.
      runNode: async (id, worker) => {
        const c = commented[worker % commented.length]!;
        try {
          return (await useNodeComment(c, manifest.nodes[id]!)) ?? (await runCloneNode(ctx, manifest.nodes[id]!, observeConnection(c.connection, (s) => p.reporter.emit({ type: 'sql', uniqueId: id, sql: s.sql, elapsed: s.elapsed, ok: s.ok }))));
        } finally {
          await c.use(undefined);
        }
      },
    });
    interrupted = ran.interrupted;
    for (const r of ran.results) records.push(runRecord(r, manifest.nodes[r.uniqueId], p.scrubber));
  } catch (e) {
    if (e instanceof UserError) return { exitCode: 2, diagnostics: [...diagnostics, ...e.diagnostics], invocationId: p.invocationId, results: records };
    const described = (e as { describe?: () => string }).describe;
    if (typeof described !== 'function') throw e;
    diagnostics.push({ code: 'warehouse-error', severity: 'error', message: p.scrubber.scrub(described.call(e)), file: p.project.profilesFile ?? 'profiles.yml' });
    return { exitCode: 1, diagnostics, invocationId: p.invocationId, results: records };
  } finally {
    if (sources && connections[0]) await sources.release(connections[0]);
    for (const c of connections) await c.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
  const elapsed = (Date.now() - started) / 1000;
  writeManifest(p);
  writeJsonArtifact(join(p.targetDir, 'run_results.json'), runResultsArtifact({ invocationId: p.invocationId, records, elapsed, args: cloneArgs(p, options), env: p.env }), p.scrubber);
  const failed = records.some((r) => r.status === 'error');
  p.reporter.emit({ type: 'run-finished', elapsed, counts: countStatuses(records), status: failed || interrupted ? 'error' : 'success' });
  return { exitCode: failed || interrupted ? 1 : 0, diagnostics, invocationId: p.invocationId, results: records };
}

/** The invocation's arguments, in run_results.json as dbt writes them. */
function cloneArgs(p: PreparedProject, options: CloneOptions): Record<string, unknown> {
  return {
    which: 'clone',
    select: options.select ?? [],
    exclude: options.exclude ?? [],
    state: options.state,
    full_refresh: options.fullRefresh ?? false,
    target: p.project.target.name,
    vars: options.vars ?? {},
    ...(options.selector ? { selector: options.selector } : {}),
    ...(options.warnError ? { warn_error: true } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}
