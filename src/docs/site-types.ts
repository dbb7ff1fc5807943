/**
 * The data the docs site reads: one compact object built from the artifacts by `buildSiteData` and
 * embedded in `target/docs/data.js`. Shared by the Node side (writer) and the browser bundle (reader),
 * so it holds types only.
 */

/** One column: documented (schema YAML) and/or catalogued (warehouse). */
export interface SiteColumn {
  name: string;
  /** The warehouse type from catalog.json, when the relation was built. */
  type?: string;
  /** The declared `data_type`, when the schema YAML gives one. */
  declaredType?: string;
  description: string;
  tags: string[];
  constraints: unknown[];
  /** Ids of data tests on this column. */
  tests: string[];
}

/** The last run of a node, from run_results.json. */
export interface SiteRun {
  status: string;
  executionTime: number;
  message: string | null;
  startedAt?: string;
  rowsAffected?: number;
  bytesProcessed?: number;
  failures?: number | null;
  /** Landing nodes: files landed, skipped and failed in the run. */
  files?: { landed?: number; skipped?: number; failed?: number };
  quarantined?: number;
}

/** One resource of the project: model, seed, snapshot, source, exposure, test, unit test, macro or landing node. */
export interface SiteNode {
  id: string;
  type: string;
  name: string;
  packageName: string;
  /** The file: original_file_path, for a package's node from the project root when `docs generate` knows its folder (write-site.ts). */
  path: string;
  fqn: string[];
  tags: string[];
  /** bronze, silver or gold, when the node's folder, fqn or tags name one. */
  layer?: string;
  /** Markdown, `{{ doc() }}` already resolved. */
  description: string;
  config: Record<string, unknown>;
  relation?: string | null;
  columns: SiteColumn[];
  raw?: string;
  compiled?: string;
  parents: string[];
  children: string[];
  /** Ids of the data and unit tests attached to this node. */
  tests: string[];
  run?: SiteRun;
  /** Type-specific facts shown on the page (source freshness, test metadata, exposure owner …). */
  extra: Record<string, unknown>;
}

/** The column-lineage artifact (`target/lineage.json`), as the lineage stage writes it. */
export interface LineageFile {
  metadata: { lineage_version: number; generated_at?: string; adapter_type?: string; invocation_id?: string };
  nodes: Record<string, LineageNode>;
}
export interface LineageNode {
  status: 'traced' | 'partial' | 'untraced';
  reason?: string;
  columns: Record<string, { upstream: LineageEdge[] }>;
  filters?: LineageEdge[];
}
export interface LineageEdge {
  node: string;
  column: string;
  kind: string;
}

/** One past run of a data test, from `strata_dq.test_results`. */
export interface TestHistoryEntry {
  invocationId: string;
  status: string;
  failures: number | null;
  rowsQuarantined: number | null;
  startedAt: string;
  durationSeconds: number | null;
}

/** One file a landing node loaded, from the ledger `strata_meta.landed_files`. */
export interface LandedFile {
  key: string;
  size: number | null;
  rowCount: number | null;
  loadedAt: string;
  status: string;
  error: string | null;
}

/** What only the warehouse knows, read by `docs generate` where the tables exist. */
export interface WarehouseFacts {
  /** Test unique id → its latest runs, newest first. */
  testHistory?: Record<string, TestHistoryEntry[]>;
  /** Landing node name (e.g. `landing.customers`) → its files, newest first. */
  landedFiles?: Record<string, LandedFile[]>;
}

export interface SiteData extends WarehouseFacts {
  projectName: string;
  adapterType: string;
  generatedAt: string;
  /** When the last run_results.json was written, if any. */
  runGeneratedAt?: string;
  /** Nodes in a topological order (parents before children); macros last. */
  nodes: SiteNode[];
  lineage?: LineageFile;
  /** Artifacts that were read, for the footer. */
  artifacts: string[];
}
