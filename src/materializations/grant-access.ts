import type { Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';

/** One `grant_access_to` entry: the dataset (and its project) the view is authorized on. */
export interface AccessTarget {
  project?: string;
  dataset: string;
}

/** The node's `grant_access_to` list, checked; throws a message naming the fix when it is malformed. */
export function accessTargetsOf(node: ManifestNode): AccessTarget[] {
  const value = node.config.grant_access_to;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((t) => {
    const entry = (t ?? {}) as Record<string, unknown>;
    if (typeof t !== 'object' || typeof entry.dataset !== 'string' || !entry.dataset) {
      throw new Error(`grant_access_to must be a list of {project: …, dataset: …} (got ${JSON.stringify(t)}): name the dataset the view is authorized on`);
    }
    return { dataset: entry.dataset, ...(typeof entry.project === 'string' && entry.project ? { project: entry.project } : {}) };
  });
}

/**
 * dbt-bigquery's `grant_access_to`: once a view is built, it is authorized on each listed dataset (so the
 * view reads that dataset's tables for users who cannot). dbt-bigquery applies it to views only; a table with
 * the config, or a warehouse without authorized views, gets a warning in the node's log instead of silence.
 */
export async function grantAccessTo(node: ManifestNode, relation: Relation, kind: RelationKind, connection: Connection, dialect: Dialect, log?: (message: string) => void): Promise<void> {
  const targets = accessTargetsOf(node);
  if (!targets.length) return;
  const name = dialect.renderRelation(relation);
  if (kind !== 'view') return log?.(`warning: grant_access_to authorizes views only (as dbt's adapter); ${name} is a ${kind}, so no dataset was changed`);
  if (!connection.authorizeView) return log?.(`warning: grant_access_to is not applied: ${dialect.name} has no authorized views`);
  for (const t of targets) {
    const added = await connection.authorizeView(relation, t);
    if (!added) log?.(`Access entry for ${name} already exists in dataset ${t.project ? `${t.project}.` : ''}${t.dataset}`);
  }
}
