import { join } from 'node:path';
import { selectForCommand } from './state-option.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { checkFreshness, freshnessRuntimeError, hasFreshness, sourcesArtifact, type FreshnessResult } from '../data-tests/index.js';
import { writeJsonArtifact } from '../artifacts/index.js';
import { prepareProject } from './prepare.js';
import type { CommonOptions, ExitCode, SelectionOptions } from './types.js';
import { commentPerNode, QueryComments, useNodeComment } from '../execute/query-comments.js';

/** `strata source freshness`: checks sources with `freshness:` and `loaded_at_field`, writes target/sources.json. */
export async function sourceFreshness(options: CommonOptions & SelectionOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; results: FreshnessResult[] }> {
  const started = Date.now();
  const outcome = await prepareProject({ ...options, command: 'freshness' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, results: [] };
  const p = outcome.prepared;
  const selection = selectForCommand(p, options, ['source']);
  if (selection.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics: selection.diagnostics, results: [] };
  const sources = selection.ids.map((id) => p.graph.manifest.sources[id]!).filter(hasFreshness);
  const warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
  const raw = await warehouse.connect();
  // A query-comment that does not render is the project's mistake: the warehouse is closed before it is reported.
  // As dbt's freshness runner, each source's query carries the comment of that source (its connection is named after it).
  const commented = await commentPerNode(new QueryComments(p), raw).catch(async (e: unknown) => {
    await raw.close();
    await warehouse.close();
    throw e;
  });
  const connection = commented.connection;
  const results: (FreshnessResult & { executionTime: number; startedAt: string; completedAt: string })[] = [];
  try {
    p.reporter.emit({ type: 'run-started', command: 'source freshness', total: sources.length, threads: 1, invocationId: p.invocationId });
    for (const [i, s] of sources.entries()) {
      const t0 = Date.now();
      p.reporter.emit({ type: 'node-started', index: i + 1, total: sources.length, uniqueId: s.uniqueId, description: `freshness of ${s.sourceName}.${s.name}` });
      const failed = await useNodeComment(commented, s);
      const r = failed ? freshnessRuntimeError(s, failed.message) : await checkFreshness(connection, p.adapter.dialect, s);
      const t1 = Date.now();
      results.push({ ...r, executionTime: (t1 - t0) / 1000, startedAt: new Date(t0).toISOString(), completedAt: new Date(t1).toISOString() });
      p.reporter.emit({ type: 'node-finished', index: i + 1, total: sources.length, result: { uniqueId: s.uniqueId, description: `freshness of ${s.sourceName}.${s.name}`, name: s.name, resourceType: 'source', status: r.status === 'pass' ? 'pass' : r.status === 'warn' ? 'warn' : 'error', message: r.message, executionTime: (t1 - t0) / 1000 } });
    }
  } finally {
    await connection.close();
    await warehouse.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  writeJsonArtifact(join(p.targetDir, 'sources.json'), sourcesArtifact(results, p.invocationId, elapsed), p.scrubber);
  const counts = { PASS: results.filter((r) => r.status === 'pass').length, WARN: results.filter((r) => r.status === 'warn').length, ERROR: results.filter((r) => r.status === 'error' || r.status === 'runtime error').length, SKIP: 0, 'NO-OP': 0, TOTAL: results.length };
  p.reporter.emit({ type: 'run-finished', elapsed, counts, status: counts.ERROR ? 'error' : 'success' });
  return { exitCode: counts.ERROR ? 1 : 0, diagnostics: [...p.diagnostics, ...selection.diagnostics], results };
}
