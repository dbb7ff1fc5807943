import type { Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';

export interface MaterializeInput {
  node: ManifestNode;
  /** Compiled SELECT (ephemerals already inlined). Ignored for seeds. */
  sql: string;
  relation: Relation;
  dialect: Dialect;
  connection: Connection;
  fullRefresh: boolean;
  /**
   * With `quarantine: true`: builds the table through this function instead (rows failing row-level
   * tests go to `<name>__quarantine`); it returns the counts. For an incremental run into an existing
   * table, `incremental` applies the clean rows with the model's strategy, with the quarantine's statements.
   */
  quarantine?: (relation: Relation, sql: string, incremental?: (cleanSql: string, alongside: AlongsideStatements) => Promise<{ rows: number }>) => Promise<{ kept: number; quarantined: number }>;
  /** A `ref('x')` / `source('s', 't')` call as written in YAML (a foreign key's `to:`), rendered as its relation. */
  relationOf?: (call: string) => string | undefined;
  /** Renders a hook (hooks may be Jinja). */
  renderHook?: (hook: string) => Promise<string>;
}

export interface MaterializeResult {
  status: 'success';
  /** dbt-like status word: `OK`, `INSERT 12`, `MERGE 3`. */
  message: string;
  rowsAffected?: number;
  adapterResponse: Record<string, unknown>;
  relationKind: RelationKind;
}

/** Statements run with an incremental strategy's own, in its transaction where the warehouse has one. */
export interface AlongsideStatements {
  /** Run before the strategy's statements (after its column changes). */
  before: string[];
  /** Run after them. */
  after: string[];
}
