import type { RunRenderContext } from '../templating/types.js';
import type { Connection } from '../adapters/contract.js';
import { runResultEntry, type NodeRunRecord } from '../artifacts/index.js';
import { indexResolver, runRenderContext, type RelationIndex } from '../compile/index.js';
import type { RunProject } from './types.js';
import { hookLine } from './hook-line.js';
import { hookOf } from '../project/index.js';
import { templateWarehouse } from './warehouse-state.js';

export type ProjectHook = 'on-run-start' | 'on-run-end';

export interface ProjectHooksOutcome {
  /** The first hook that failed, as a message naming it; the hooks after it did not run. */
  failure?: string;
  /** Where that hook is written: its project file and the line of its entry. */
  failureAt?: { file: string; line?: number };
  /** One result per hook that ran, as dbt (1.9+) writes them to run_results.json: `operation.<project>.<project>-<hook>-<n>`. */
  records: NodeRunRecord[];
}

/**
 * What a template run outside any node sees (a project hook, `strata run-operation`): the target's schema
 * as `this`, refs and sources resolved, and the warehouse for `run_query` and `statement`.
 */
export function operationContext(p: RunProject, relations: RelationIndex, connection: Connection, extra: Record<string, unknown> = {}, context: Pick<RunRenderContext, 'graph' | 'selectedResources'> = {}): RunRenderContext {
  const { dialect } = p.adapter;
  return runRenderContext(
    { dialect, thisRelation: { database: p.project.target.database, schema: p.project.target.schema, identifier: '' }, resolver: indexResolver(relations), warehouse: templateWarehouse(connection, dialect) },
    { extraContext: extra, ...context },
  );
}

/** One project's hooks of a kind: an installed package's or the root project's. */
interface HookGroup {
  name: string;
  hooks: string[];
  file: string;
  vars?: Record<string, unknown>;
}

/** dbt's order: installed packages' hooks first, by package name, then the root project's. */
function hookGroups(p: RunProject, which: ProjectHook): HookGroup[] {
  const cfg = p.project.config;
  const packages = [...cfg.installedPackages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [
    ...packages.map((pkg) => ({ name: pkg.name, hooks: which === 'on-run-start' ? pkg.onRunStart : pkg.onRunEnd, file: `${pkg.dir}/dbt_project.yml`, vars: cfg.packageVars[pkg.name] })),
    { name: cfg.name, hooks: which === 'on-run-start' ? cfg.onRunStart : cfg.onRunEnd, file: cfg.configFile },
  ].filter((g) => g.hooks.length);
}

/**
 * The project's `on-run-start` / `on-run-end` hooks, and its installed packages', as dbt runs them: each is
 * Jinja, rendered with the run's context (`target`, `run_query`, macros…; on-run-end also gets `results` and
 * `schemas`), then executed on the warehouse. Stops at the first hook that fails (those after it are skipped).
 * Each is told to the reporter as it starts and ends (`hook-started` / `hook-finished`, dbt's hook lines).
 */
export async function runProjectHooks(
  p: RunProject,
  relations: RelationIndex,
  connection: Connection,
  which: ProjectHook,
  extra: Record<string, unknown> = {},
  /** `graph` and `selected_resources`, as the command's models see them. */
  context: Pick<RunRenderContext, 'graph' | 'selectedResources'> = {},
): Promise<ProjectHooksOutcome> {
  const all = hookGroups(p, which).flatMap((g) => g.hooks.map((hook, index) => ({ group: g, hook, index })));
  const records: NodeRunRecord[] = [];
  const idOf = (g: HookGroup, index: number): string => `operation.${g.name}.${g.name}-${which}-${index}`;
  // dbt's name of a hook in its console lines and messages: `<package>.<hook>.<n>`, n counting every hook of the kind.
  const dbtName = (n: number): string => `${all[n]!.group.name}.${which}.${n}`;
  const told = (n: number): { hook: ProjectHook; name: string; index: number; total: number } => ({ hook: which, name: dbtName(n), index: n + 1, total: all.length });
  for (const [n, { group, hook, index }] of all.entries()) {
    const id = idOf(group, index);
    const started = Date.now();
    // As dbt's safe_run_hooks: run_results.json's message `<name> passed` / `… failed, error:`, failures 0 / 1, adapter_response {}.
    const record = (status: 'success' | 'error', message: string, resultMessage: string): NodeRunRecord => {
      const now = Date.now();
      return { uniqueId: id, status, message, resultMessage, threadId: 'main', startedAt: new Date(started).toISOString(), completedAt: new Date(now).toISOString(), executionTime: (now - started) / 1000, adapterResponse: {}, failures: status === 'success' ? 0 : 1 };
    };
    p.reporter.emit({ type: 'hook-started', ...told(n) });
    try {
      const name = `${group.name}-${which}-${index}`;
      const rendered = await p.engine.runRender(
        { uniqueId: id, name, resourceType: 'operation', packageName: group.name, file: group.file, fqn: [group.name, 'hooks', name], config: {} } as never,
        hook,
        { ...operationContext(p, relations, connection, extra, context), ...(group.vars ? { varsOverride: group.vars } : {}) },
      );
      // As dbt's get_hook_dict: a hook that renders to a `{sql, transaction}` mapping (`after_commit(…)`) runs its sql
      // (a project hook runs outside any transaction either way).
      const sql = hookOf(rendered).sql;
      if (sql.trim()) await connection.execute(sql);
      records.push(record('success', 'OK', `${dbtName(n)} passed`));
      p.reporter.emit({ type: 'hook-finished', ...told(n), status: 'success', executionTime: records.at(-1)!.executionTime });
    } catch (e) {
      const error = p.scrubber.scrub((e as Error).message.split('\n')[0] ?? '');
      // The console's ERROR line names the hook; its error is told once, by the command's diagnostic.
      const failure = `${which} hook ${dbtName(n)} failed: ${error}`;
      records.push(record('error', failure, `${dbtName(n)} failed, error:\n ${error}`));
      p.reporter.emit({ type: 'hook-finished', ...told(n), status: 'error', executionTime: records.at(-1)!.executionTime });
      // As dbt 1.9: the hooks after a failed one are skipped, and say so in run_results.json and on the console.
      for (const later of all.slice(n + 1)) {
        const at = new Date().toISOString();
        const m = all.indexOf(later);
        records.push({ uniqueId: idOf(later.group, later.index), status: 'skipped', message: `skipped: ${which} hook ${dbtName(n)} failed`, resultMessage: `${dbtName(m)} skipped`, threadId: 'main', startedAt: at, completedAt: at, executionTime: 0, adapterResponse: {}, failures: 1 });
        p.reporter.emit({ type: 'hook-finished', ...told(m), status: 'skipped', executionTime: 0 });
      }
      return { failure, failureAt: { file: group.file, line: hookLine(p.project.config.rootDir, group.file, which, index) }, records };
    }
  }
  return { records };
}

/**
 * The `results` an on-run-end hook sees: each node's run_results.json entry (dbt's attribute names: `status`,
 * `timing`, `thread_id`, `adapter_response`, …) with its `node` as `graph` has it (`config`, `schema`, `alias`,
 * `original_file_path`: dbt_artifacts uploads them).
 */
export function hookResults(records: NodeRunRecord[], nodeOf: (id: string) => Record<string, unknown> | undefined): Record<string, unknown>[] {
  return records.map((r) => {
    const e = runResultEntry(r);
    const node = nodeOf(r.uniqueId) ?? { unique_id: r.uniqueId };
    // dbt's RunResult: these fields, its node and (dbt 1.9) batch_results.
    return withToDict({ status: e.status, timing: e.timing, thread_id: e.thread_id, execution_time: e.execution_time, adapter_response: e.adapter_response, message: e.message, failures: e.failures, node: withToDict({ ...node }), batch_results: null });
  });
}

/** dbt's result and node objects have `to_dict()` (elementary calls it); hidden from iteration and JSON. */
function withToDict<T extends Record<string, unknown>>(value: T): T {
  return Object.defineProperty(value, 'to_dict', { value: () => ({ ...value }), enumerable: false });
}
