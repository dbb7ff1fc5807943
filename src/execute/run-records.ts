import type { SecretScrubber } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { TestHistoryRow } from '../data-tests/index.js';
import type { NodeRunRecord } from '../artifacts/index.js';
import type { NodeRunResult } from './types.js';

/** The tests among the results, as rows of the test history table. */
export function testHistory(results: NodeRunResult[], nodes: Record<string, ManifestNode>, invocationId: string): TestHistoryRow[] {
  return results
    .filter((r) => nodes[r.uniqueId]?.resourceType === 'test')
    .map((r) => {
      const t = nodes[r.uniqueId]!;
      return {
        invocationId,
        uniqueId: t.uniqueId,
        model: t.attachedNode ?? null,
        columnName: t.columnName ?? null,
        testName: t.testMetadata?.name ?? t.name,
        status: r.status,
        failures: r.failures ?? null,
        rowsQuarantined: typeof r.adapterResponse?.rows_quarantined === 'number' ? (r.adapterResponse.rows_quarantined as number) : null,
        startedAt: r.startedAt,
        durationSeconds: r.executionTime,
      };
    });
}

/** A node's result as run_results.json records it (its message scrubbed of secrets). */
export function runRecord(r: NodeRunResult, node: ManifestNode | undefined, scrubber: SecretScrubber, compiled?: { startedAt: string; completedAt: string }): NodeRunRecord {
  return {
    ...(compiled && r.status !== 'skipped' ? { compileStartedAt: compiled.startedAt, compileCompletedAt: compiled.completedAt } : {}),
    uniqueId: r.uniqueId,
    status: r.status,
    message: scrubber.scrub(r.message),
    threadId: r.threadId,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    executionTime: r.executionTime,
    adapterResponse: r.adapterResponse,
    failures: r.failures ?? null,
    compiledCode: node?.compiledCode,
    relationName: r.relation ?? null,
    ...(r.batchResults ? { batchResults: r.batchResults } : {}),
    ...(r.resultMessage !== undefined ? { resultMessage: r.resultMessage === null ? null : scrubber.scrub(r.resultMessage) } : {}),
  };
}
