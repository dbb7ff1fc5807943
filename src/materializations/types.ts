import type { Connection, Dialect, ExistingRelation, Relation, RelationKind } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { MicrobatchRun } from './microbatch.js';
import type { StrategyMacro } from './incremental.js';
import type { HookSiteOf } from './hook-in-transaction.js';

/**
 * What a run knows of the warehouse's relations (dbt's relation cache): asked instead of the catalog, and
 * told of every relation a materialization creates or drops.
 */
export interface RelationLookup {
  get(relation: Relation): Promise<ExistingRelation | undefined>;
  added(relation: Relation, kind: RelationKind): void;
  dropped(relation: Relation): void;
  /** Its state is not known any more (a failed build): the next `get` asks the warehouse. */
  forget(relation: Relation): void;
}

export interface MaterializeInput {
  node: ManifestNode;
  /** Compiled SELECT (ephemerals already inlined). Ignored for seeds. */
  sql: string;
  relation: Relation;
  dialect: Dialect;
  connection: Connection;
  /** The run's relation cache; without one, each question goes to the warehouse. */
  cache?: RelationLookup;
  fullRefresh: boolean;
  /**
   * With `quarantine: true`: builds the table through this function instead (rows failing row-level
   * tests go to `<name>__quarantine`); it returns the counts. For an incremental run into an existing
   * table, `incremental` applies the clean rows with the model's strategy, with the quarantine's statements.
   */
  quarantine?: (relation: Relation, sql: string, incremental?: (cleanSql: string, alongside: AlongsideStatements) => Promise<{ rows: number }>) => Promise<{ kept: number; quarantined: number }>;
  /** A `ref('x')` / `source('s', 't')` call as written in YAML (a foreign key's `to:`), rendered as its relation. */
  relationOf?: (call: string) => string | undefined;
  /** Where warnings about the node go (documented columns its relation lacks), shown with its output. */
  log?: (message: string) => void;
  /** Renders a hook (hooks may be Jinja). */
  renderHook?: (hook: string, options?: { isIncremental?: boolean }) => Promise<string>;
  /** Where the node's hook N is written (a diagnostic about it names that file and line). */
  hookSite?: HookSiteOf;
  /** The project's folder: relative paths of files a materialization writes (`external`) are its. */
  projectRoot?: string;
  /** DuckDB: the profile's `external_root` (default `.`), where external models' files go. */
  externalRoot?: string;
  /**
   * Told of a change outside the warehouse's transaction (an external model's file): `commit` once the node's
   * transaction has committed, `rollback` if it fails (a failing post-hook), so the previous file comes back.
   */
  afterwards?: (change: { commit(): void; rollback(): void }) => void;
  /** A microbatch model: its batches and how to render each (its `sql` is then unused). */
  microbatch?: MicrobatchRun;
  /** An incremental model whose strategy is a macro's (dbt's custom strategies): renders its SQL. */
  strategyMacro?: StrategyMacro;
}

/** dbt's `batch_results` of a microbatch model: each batch's `[start, end]`, by outcome. */
export interface BatchResults {
  successful: [string, string][];
  failed: [string, string][];
}

export interface MaterializeResult {
  status: 'success';
  /** dbt-like status word: `OK`, `INSERT 12`, `MERGE 3`. */
  message: string;
  rowsAffected?: number;
  adapterResponse: Record<string, unknown>;
  relationKind: RelationKind;
  /** A microbatch model's batches by outcome. */
  batchResults?: BatchResults;
  /** Set when a microbatch batch failed: the node fails with this message (its other batches stay committed). */
  failedBatches?: string;
  /** With `failedBatches`: some batches of this run succeeded (dbt 1.9's `partial success`), not none. */
  partialSuccess?: boolean;
}

/** Statements run with an incremental strategy's own, in its transaction where the warehouse has one. */
export interface AlongsideStatements {
  /** Run before the strategy's statements (after its column changes). */
  before: string[];
  /** Run after them. */
  after: string[];
}
