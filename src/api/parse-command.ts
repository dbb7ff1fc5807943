import { warningsAsErrors } from './warn-error.js';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { writeJsonArtifact } from '../artifacts/index.js';
import { prepareProject, type PreparedProject } from './prepare.js';
import { writeManifest } from './run-artifacts.js';
import type { CommonOptions, ExitCode } from './types.js';

export interface ParseResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  /** Nodes in the graph (models, seeds, tests, sources, …). */
  nodes: number;
  /** `snapshot` when nothing changed since the last parse; `patched` when only the SQL of some models did. */
  parsedFrom?: 'snapshot' | 'patched' | 'files';
  milliseconds: number;
}

/** dbt's `target/perf_info.json` field names where they exist, Strata's phases for the rest; times in seconds. */
function perfInfo(p: PreparedProject): Record<string, unknown> {
  const { perf } = p;
  return {
    path_count: perf.pathCount,
    parsed_path_count: perf.counts.rendered + perf.counts.scanned,
    static_analysis_path_count: perf.counts.scanned,
    cached_path_count: perf.counts.fromCache,
    read_ahead_path_count: perf.readAhead,
    render_worker_count: perf.renderThreads.workers,
    worker_rendered_path_count: perf.renderThreads.files,
    is_partial_parse_enabled: perf.partialParse,
    is_static_analysis_enabled: true,
    used_graph_snapshot: p.parsedFrom !== 'files',
    reparse_edited_elapsed: perf.elapsed.reparse_edited ?? 0,
    load_project_elapsed: perf.elapsed.load_project ?? 0,
    load_macros_elapsed: perf.elapsed.load_macros ?? 0,
    read_snapshot_elapsed: perf.elapsed.read_snapshot ?? 0,
    parse_project_elapsed: perf.elapsed.parse_files ?? 0,
    generate_tests_elapsed: perf.elapsed.generate_tests ?? 0,
    build_graph_elapsed: perf.elapsed.build_graph ?? 0,
    write_snapshot_elapsed: perf.elapsed.write_snapshot ?? 0,
    load_all_elapsed: perf.elapsed.total ?? 0,
  };
}

/**
 * `strata parse`, as dbt's: parses the project, writes `target/manifest.json` and `target/perf_info.json`
 * (what the parse did and how long each phase took), and stores the parse caches,
 * so the next command (or every task of an Airflow DAG built from an image that ran it) starts warm.
 * Never opens the warehouse.
 */
export async function parse(options: CommonOptions): Promise<ParseResult> {
  const started = performance.now();
  const outcome = await prepareProject({ ...options, profileOptional: true, storeGraph: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, nodes: 0, milliseconds: Math.round(performance.now() - started) };
  const p = outcome.prepared;
  // --warn-error (or warn_error_options): a warning about the project fails the parse, as in dbt.
  const strict = warningsAsErrors(p.diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, nodes: 0, milliseconds: Math.round(performance.now() - started) };
  const milliseconds = Math.round(performance.now() - started);
  writeManifest(p);
  writeJsonArtifact(join(p.targetDir, 'perf_info.json'), perfInfo(p));
  // The macro files compiled by this parse, kept for the next command (templating/template-code-cache.ts).
  p.templateCode?.save();
  const { manifest } = p.graph;
  return { exitCode: 0, diagnostics: p.diagnostics, nodes: Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length, parsedFrom: p.parsedFrom, milliseconds };
}
