/** Shapes of the artifacts Strata writes, in dbt's field names (snake_case) so dbt readers work. */

export const MANIFEST_SCHEMA = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
export { DBT_COMPAT_VERSION } from '../project/dbt-compat.js';

export interface ArtifactMetadata {
  dbt_schema_version: string;
  dbt_version: string;
  generated_at: string;
  invocation_id: string;
  env: Record<string, string>;
  strata_version: string;
  project_name?: string;
  adapter_type?: string;
}

export interface TimingInfo {
  name: 'compile' | 'execute';
  started_at: string;
  completed_at: string;
}

export interface RunResultEntry {
  status: string;
  timing: TimingInfo[];
  thread_id: string;
  execution_time: number;
  adapter_response: Record<string, unknown>;
  message: string | null;
  failures: number | null;
  unique_id: string;
  /** null for an exposure (no compiled node), as dbt's. */
  compiled: boolean | null;
  compiled_code: string | null;
  relation_name: string | null;
  /** dbt 1.9: a microbatch model's batches, `[start, end]`, by outcome. */
  batch_results?: { successful: [string, string][]; failed: [string, string][] };
}

export interface RunResultsArtifact {
  metadata: ArtifactMetadata;
  results: RunResultEntry[];
  elapsed_time: number;
  args: Record<string, unknown>;
}
