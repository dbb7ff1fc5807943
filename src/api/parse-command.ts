import type { Diagnostic } from '../diagnostics/index.js';
import { prepareProject } from './prepare.js';
import { writeManifest } from './run-command.js';
import type { CommonOptions, ExitCode } from './types.js';

export interface ParseResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  /** Nodes in the graph (models, seeds, tests, sources, …). */
  nodes: number;
  /** `snapshot` when nothing changed since the last parse. */
  parsedFrom?: 'snapshot' | 'files';
  milliseconds: number;
}

/**
 * `strata parse`, as dbt's: parses the project, writes `target/manifest.json` and stores the parse caches,
 * so the next command (or every task of an Airflow DAG built from an image that ran it) starts warm.
 * Never opens the warehouse.
 */
export async function parse(options: CommonOptions): Promise<ParseResult> {
  const started = performance.now();
  const outcome = await prepareProject({ ...options, profileOptional: true, storeGraph: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, nodes: 0, milliseconds: Math.round(performance.now() - started) };
  const p = outcome.prepared;
  const milliseconds = Math.round(performance.now() - started);
  writeManifest(p);
  const { manifest } = p.graph;
  return { exitCode: 0, diagnostics: p.diagnostics, nodes: Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length, parsedFrom: p.parsedFrom, milliseconds };
}
