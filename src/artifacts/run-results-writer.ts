import { RUN_RESULTS_SCHEMA, DBT_COMPAT_VERSION, type RunResultsArtifact, type RunResultEntry } from './types.js';
import { STRATA_VERSION } from './version.js';
import { metadataEnv } from './metadata-env.js';

/** One finished node, as the api layer knows it. */
export interface NodeRunRecord {
  uniqueId: string;
  status: string;
  message: string;
  threadId: string;
  startedAt: string;
  completedAt: string;
  compileStartedAt?: string;
  compileCompletedAt?: string;
  executionTime: number;
  adapterResponse?: Record<string, unknown>;
  failures?: number | null;
  compiledCode?: string;
  relationName?: string | null;
  /** The `message` run_results.json carries where dbt's differs from the one shown (null: a skip for a failed parent). */
  resultMessage?: string | null;
  /** A microbatch model's batches by outcome, each `[start, end]`. */
  batchResults?: { successful: [string, string][]; failed: [string, string][] };
}

/**
 * `adapter_response` as dbt's adapters write it: `_message` (the node's message, dbt's `str()` of the response)
 * first, then the adapter's own keys. An empty response (tests, skipped nodes) stays empty.
 */
function adapterResponseJson(r: NodeRunRecord): Record<string, unknown> {
  const response = r.adapterResponse ?? {};
  if (!Object.keys(response).length || '_message' in response) return response;
  return { _message: r.message ?? 'OK', ...response };
}

/** One node's entry of run_results.json (and of on-run-end's `results`). */
export function runResultEntry(r: NodeRunRecord): RunResultEntry {
  const timing: RunResultEntry['timing'] = [];
  // dbt 1.10's no-op result (an exposure in build) goes through compile_and_execute: both timings, failures 0.
  const noOp = r.status === 'no-op';
  if (r.compileStartedAt && r.compileCompletedAt) {
    timing.push({ name: 'compile', started_at: r.compileStartedAt, completed_at: r.compileCompletedAt });
  } else if (noOp) {
    timing.push({ name: 'compile', started_at: r.startedAt, completed_at: r.startedAt });
  }
  if (r.status !== 'skipped') timing.push({ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt });
  return {
    status: r.status,
    timing,
    thread_id: r.threadId,
    execution_time: r.executionTime,
    adapter_response: adapterResponseJson(r),
    message: r.resultMessage !== undefined ? r.resultMessage : (r.message ?? null),
    failures: r.failures ?? (noOp ? 0 : null),
    unique_id: r.uniqueId,
    // An exposure is not a compiled node: dbt writes null.
    compiled: r.uniqueId.startsWith('exposure.') ? null : r.compiledCode !== undefined,
    compiled_code: r.compiledCode ?? null,
    relation_name: r.relationName ?? null,
    // dbt 1.9 writes it for microbatch models (what `retry` reads to run only the failed batches).
    ...(r.batchResults ? { batch_results: r.batchResults } : {}),
  };
}

export function runResultsArtifact(input: {
  invocationId: string;
  records: NodeRunRecord[];
  elapsed: number;
  args: Record<string, unknown>;
  /** The environment: its DBT_ENV_CUSTOM_ENV_* variables go to metadata.env. */
  env?: Record<string, string | undefined>;
}): RunResultsArtifact {
  const results: RunResultEntry[] = input.records.map(runResultEntry);
  return {
    metadata: {
      dbt_schema_version: RUN_RESULTS_SCHEMA,
      dbt_version: DBT_COMPAT_VERSION,
      strata_version: STRATA_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: input.invocationId,
      env: metadataEnv(input.env),
    },
    results,
    elapsed_time: input.elapsed,
    args: input.args,
  };
}
