import { isAbsolute, posix } from 'node:path';

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
 * The URI Airflow knows a relation by (its Dataset / Asset): `duckdb:///<database file on the worker>/<schema>.<table>`,
 * `bigquery://<project>/<dataset>/<table>`, else `<type>://<database>/<schema>.<table>`. Another DAG schedules on
 * the same URI to run after a gold table changes.
 */
export function relationUri(relation: RelationName, target: TargetInfo, workerProjectDir: string): string {
  if (target.type === 'duckdb') {
    const path = typeof target.settings.path === 'string' && target.settings.path ? target.settings.path : ':memory:';
    const file = path === ':memory:' ? 'memory' : isAbsolute(path) ? path : posix.join(workerProjectDir, path);
    return `duckdb://${file}/${relation.schema}.${relation.identifier}`;
  }
  const database = relation.database ?? target.database ?? (typeof target.settings.project === 'string' ? target.settings.project : '');
  if (target.type === 'bigquery') return `bigquery://${database}/${relation.schema}/${relation.identifier}`;
  return `${target.type}://${database}/${relation.schema}.${relation.identifier}`;
}
