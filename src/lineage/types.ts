/** How an output column derives from an upstream column. */
export type EdgeKind = 'direct' | 'renamed' | 'cast' | 'derived' | 'aggregated';
/** How a model uses a column without deriving an output from it. */
export type UsageKind = 'filter' | 'join_key';

/** One upstream column of an output column: a dbt unique id and a lower-cased column name. */
export interface ColumnEdge {
  node: string;
  column: string;
  kind: EdgeKind;
}

/** A column a model filters or joins on (WHERE, HAVING, QUALIFY, JOIN ON, USING). */
export interface UsageEdge {
  node: string;
  column: string;
  kind: UsageKind;
}

export type LineageStatus = 'traced' | 'partial' | 'untraced';

/** The lineage of one model or snapshot. */
export interface NodeLineage {
  status: LineageStatus;
  /** Why the node is not fully traced; absent when it is. */
  reason?: string;
  columns: Record<string, { upstream: ColumnEdge[] }>;
  filters: UsageEdge[];
  /**
   * A model whose SQL read the warehouse when compiled (`run_query`, a relation outside the project) and was traced
   * with it: the SQL it was traced from, and a checksum of its code, config and macros then. A command without a
   * warehouse traces that SQL while the checksum still matches (api/lineage-reuse.ts).
   */
  compiled_with_warehouse?: { checksum: string; sql: string };
}

/** `target/lineage.json`: a contract read by the docs site. */
export interface LineageArtifact {
  metadata: { lineage_version: 1; generated_at: string; adapter_type: string; invocation_id: string };
  nodes: Record<string, NodeLineage>;
}

/** A grammar of the lineage parser (sqlparser-rs's dialect names), as the target's adapter names it; `generic` else. */
export type LineageDialect = string;

/** A relation Strata knows: where it lives, and its columns when the warehouse or a file says so. */
export interface KnownRelation {
  uniqueId: string;
  resourceType: string;
  database?: string;
  schema: string;
  identifier: string;
  /** Ordered, lower-cased; absent when not known (no catalog entry, no CSV header). */
  columns?: string[];
}

/** What one model or snapshot contributes: its compiled SQL. */
export interface TraceableNode {
  uniqueId: string;
  /** The compiled SQL (ephemeral parents inlined as `__dbt__cte__<name>` CTEs). */
  sql: string;
  /** The unique ids it depends on: when two nodes share a relation name, the parent is the one read. */
  parents?: string[];
  /**
   * Output columns the materialization adds (a snapshot's dbt_scd_id, dbt_valid_from …), each with the
   * node's own query columns it is computed from (none: from the clock).
   */
  extraColumns?: Record<string, string[]>;
}

/** Everything `traceProject` needs; plain data. */
export interface LineageInput {
  dialect: LineageDialect;
  /** The warehouse names a repeated output column `x_1`, `x_2` (a join's `select *`) instead of refusing it. */
  renamesRepeatedColumns?: boolean;
  adapterType: string;
  invocationId: string;
  /** Models, snapshots, seeds and sources, each with the relation it is read from. */
  relations: KnownRelation[];
  /** Models and snapshots to trace, parents before children. */
  nodes: TraceableNode[];
  /** Ephemeral models by name: a `__dbt__cte__<name>` CTE is read as that node. */
  ephemerals?: Record<string, string>;
}
