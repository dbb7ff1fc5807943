import { conventionsOf } from '../adapters/registry.js';

/** Where a profile target builds, as far as relation URIs need it. */
export interface TargetInfo {
  type: string;
  database?: string;
  settings: Record<string, unknown>;
}

export interface RelationName {
  database?: string;
  schema: string;
  identifier: string;
}

/**
 * The URI Airflow knows a relation by (its Dataset / Asset), as the target's adapter names it
 * (`<scheme>://<database file on the worker>/<schema>.<table>`, `<scheme>://<project>/<dataset>/<table>`),
 * else `<type>://<database>/<schema>.<table>`. Another DAG schedules on the same URI to run after a gold table changes.
 */
export function relationUri(relation: RelationName, target: TargetInfo, workerProjectDir: string): string {
  const own = conventionsOf(target.type)?.relationUri;
  if (own) return own(relation, target, workerProjectDir);
  const database = relation.database ?? target.database ?? '';
  return `${target.type}://${database}/${relation.schema}.${relation.identifier}`;
}
