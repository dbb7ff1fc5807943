import type { Connection, Relation } from '../adapters/contract.js';
import type { RelationIndex } from '../compile/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { StateManifest } from '../select/index.js';
import type { PreparedProject } from './prepare.js';
import { WarehouseState } from '../execute/warehouse-state.js';
import { conventionsOf } from '../adapters/registry.js';
import { UserError } from '../diagnostics/index.js';
import { stateSourcesInput } from './clone-sources.js';
import { profileLine } from './profile-line.js';

/**
 * Built nodes the selected ones read (directly) that this command does not build; with no selection (an
 * `--inline` query, whose refs are known only once it renders), every built node of the project.
 */
function unselectedParents(p: PreparedProject, ids: string[] | undefined): ManifestNode[] {
  if (!ids) return Object.values(p.graph.manifest.nodes).filter((n) => ['model', 'seed', 'snapshot'].includes(n.resourceType) && n.config.materialized !== 'ephemeral');
  const selected = new Set(ids);
  const out = new Map<string, ManifestNode>();
  for (const id of ids) {
    for (const parent of p.graph.parentMap[id] ?? []) {
      const n = p.graph.manifest.nodes[parent];
      if (n && !selected.has(parent) && ['model', 'seed', 'snapshot'].includes(n.resourceType) && n.config.materialized !== 'ephemeral') out.set(parent, n);
    }
  }
  return [...out.values()];
}

/**
 * Stops (a UserError, exit 2) when this target cannot read a deferred relation (DuckDB: the state's relations
 * are in a file this target does not attach), pointing at the target in profiles.yml where the fix goes.
 */
async function checkReadable(p: PreparedProject, state: StateManifest, connection: Connection | undefined, deferred: Relation[]): Promise<void> {
  const deferReadable = conventionsOf(p.adapter.type)?.deferReadable;
  if (!deferReadable || !connection || !deferred.length) return;
  const problems = await deferReadable(stateSourcesInput(p, state, deferred), connection);
  const file = p.project.profilesFile;
  if (problems.length) throw new UserError(problems.map((d) => (file ? { ...d, file, line: profileLine(file, p.project.target.name, 'attach') } : d)));
}

/**
 * dbt's `--defer`: each unselected parent of the selection that this target has not built (any, with
 * `--favor-state`) is read where the saved manifest says it is built. Returns how many were deferred.
 */
export async function applyDeferral(p: PreparedProject, ids: string[] | undefined, state: StateManifest, favorState: boolean, connection: Connection | undefined, relations: RelationIndex): Promise<number> {
  const parents = unselectedParents(p, ids);
  if (!parents.length) return 0;
  // Without a connection (compile --offline) nothing is known to be built here: every parent defers.
  if (!connection) favorState = true;
  const here = favorState || !connection ? new WarehouseState() : await WarehouseState.introspect(connection, parents.filter((n) => n.schema).map((n) => ({ schema: n.schema, database: n.database })));
  const deferred = new Map<string, Relation>();
  for (const n of parents) {
    const saved = state.nodes.get(n.uniqueId)?.relation;
    if (saved && (favorState || here.get(relations.relationOf(n)) === undefined)) deferred.set(n.uniqueId, saved);
  }
  // An --inline query may read none of the parents that defer: it is not stopped for one it may not read.
  if (ids) await checkReadable(p, state, connection, [...deferred.values()]);
  relations.defer(deferred);
  if (deferred.size) p.reporter.emit({ type: 'info', message: `Deferring ${deferred.size} unselected node(s) to the manifest in --state ${state.path}` });
  return deferred.size;
}
