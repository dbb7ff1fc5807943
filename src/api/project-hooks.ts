import type { Connection } from '../adapters/contract.js';
import type { RelationIndex } from '../compile/index.js';
import type { PreparedProject } from './prepare.js';
import { templateWarehouse } from './warehouse-state.js';

export type ProjectHook = 'on-run-start' | 'on-run-end';

/**
 * The project's `on-run-start` / `on-run-end` hooks, as dbt runs them: each is Jinja, rendered with the
 * run's context (`target`, `run_query`, macros…; on-run-end also gets `results` and `schemas`), then
 * executed on the warehouse. Returns an error message for the first hook that fails.
 */
export async function runProjectHooks(
  p: PreparedProject,
  relations: RelationIndex,
  connection: Connection,
  which: ProjectHook,
  extra: Record<string, unknown> = {},
): Promise<string | undefined> {
  const hooks = which === 'on-run-start' ? p.project.config.onRunStart : p.project.config.onRunEnd;
  if (!hooks.length) return undefined;
  const { dialect } = p.adapter;
  const name = p.project.config.name;
  for (const [index, hook] of hooks.entries()) {
    const id = `operation.${name}.${name}-${which}-${index}`;
    try {
      const sql = await p.engine.runRender(
        { uniqueId: id, name: `${name}-${which}-${index}`, resourceType: 'operation', packageName: name, file: p.project.config.configFile, fqn: [name, 'hooks', `${name}-${which}-${index}`], config: {} } as never,
        hook,
        {
          thisRelation: { database: p.project.target.database, schema: p.project.target.schema, identifier: '' },
          renderRelation: (r) => dialect.renderRelation(r),
          quoteIdentifier: (n) => dialect.quoteIdentifier(n),
          resolveRef: (ref) => {
            const t = relations.resolveRef(ref);
            return 'error' in t ? t : relations.relationOf(t);
          },
          resolveSource: (s, t) => {
            const src = relations.resolveSource(s, t);
            return 'error' in src ? src : relations.relationOf(src);
          },
          isIncremental: false,
          fullRefresh: false,
          warehouse: templateWarehouse(connection, dialect),
          extraContext: extra,
        },
      );
      if (sql.trim()) await connection.execute(sql);
      p.reporter.emit({ type: 'info', message: `${which} hook ${index + 1} of ${hooks.length} OK` });
    } catch (e) {
      return p.scrubber.scrub(`${which} hook ${index + 1} (${p.project.config.configFile}) failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return undefined;
}

/** The `results` an on-run-end hook sees: dbt's attribute names on each result. */
export function hookResults(outcomes: { uniqueId: string; status: string; message?: string; executionTime: number; adapterResponse?: Record<string, unknown>; failures?: number | null }[], nodeOf: (id: string) => { name: string; resourceType: string } | undefined): Record<string, unknown>[] {
  return outcomes.map((r) => {
    const n = nodeOf(r.uniqueId);
    return { node: { unique_id: r.uniqueId, name: n?.name, resource_type: n?.resourceType }, status: r.status, message: r.message ?? null, execution_time: r.executionTime, adapter_response: r.adapterResponse ?? {}, failures: r.failures ?? null };
  });
}

