import { join } from 'node:path';
import { mapsWithExposures } from '../graph/index.js';
import { runResultsArtifact, writeJsonArtifact, writeManifestFile, type NodeRunRecord } from '../artifacts/index.js';
import type { PreparedProject } from './prepare.js';
import { relationNamer } from '../execute/template-context.js';
import type { RunCommandOptions, RunKind } from './run-command.js';

/** What a command that runs nodes writes: manifest.json and run_results.json, and the records they hold. */

/** Writes manifest.json from a prepared project (compiled code included where known). */
export function writeManifest(p: PreparedProject): 'reused' | 'written' {
  return writeManifestFile(p.targetDir, {
    manifest: p.graph.manifest,
    // Exposures join the maps as dbt lists them (the run graph leaves them out).
    ...mapsWithExposures(p.graph),
    invocationId: p.invocationId,
    env: p.env,
    relationName: relationNamer(p),
    graphId: p.graphId,
    scrubber: p.scrubber,
    selectors: p.project.config.selectors,
    hooks: { onRunStart: p.project.config.onRunStart, onRunEnd: p.project.config.onRunEnd, configFile: p.project.config.configFile, database: p.project.target.database, schema: p.project.target.schema },
  });
}

export function writeRunArtifacts(p: PreparedProject, kind: RunKind, options: RunCommandOptions, records: NodeRunRecord[], elapsed: number): void {
  writeManifest(p);
  writeRunResults(p, kind, options, records, elapsed);
}

/** run_results.json alone. */
export function writeRunResults(p: PreparedProject, kind: RunKind, options: RunCommandOptions, records: NodeRunRecord[], elapsed: number): void {
  writeJsonArtifact(
    join(p.targetDir, 'run_results.json'),
    runResultsArtifact({ invocationId: p.invocationId, records, elapsed, args: runArgs(kind, options, p), env: p.env }),
    p.scrubber,
  );
}

/**
 * The invocation's arguments, as dbt writes them to run_results.json, so that `strata retry` can run the
 * same command again against the same target with the same vars (values masked like any secret).
 */
function runArgs(kind: RunKind, options: RunCommandOptions, p: PreparedProject): Record<string, unknown> {
  return {
    which: kind,
    select: options.select ?? [],
    exclude: options.exclude ?? [],
    full_refresh: options.fullRefresh ?? false,
    target: p.project.target.name,
    vars: options.vars ?? {},
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    fail_fast: options.failFast ?? false,
    ...(options.empty ? { empty: true } : {}),
    ...(options.eventTimeStart ? { event_time_start: options.eventTimeStart } : {}),
    ...(options.eventTimeEnd ? { event_time_end: options.eventTimeEnd } : {}),
    ...(options.sample !== undefined ? { sample: options.sample } : {}),
    ...(options.selector ? { selector: options.selector } : {}),
    ...(options.indirectSelection ? { indirect_selection: options.indirectSelection } : {}),
    ...(options.storeFailures ? { store_failures: true } : {}),
    ...(options.warnError ? { warn_error: true } : {}),
    ...(options.warnErrorOptions ? { warn_error_options: options.warnErrorOptions } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.state ? { state: options.state } : {}),
    ...(options.defer ? { defer: true } : {}),
    ...(options.favorState ? { favor_state: true } : {}),
    ...(options.checkFreshness ? { check_freshness: true } : {}),
    ...(options.relandChanged ? { reland_changed: true } : {}),
  };
}

/** The `Done.` line's counts, as dbt 1.10's print_run_status_line: PASS, WARN, ERROR, SKIP, NO-OP and TOTAL. */
export function countStatuses(records: NodeRunRecord[]): Record<string, number> {
  const counts: Record<string, number> = { PASS: 0, WARN: 0, ERROR: 0, SKIP: 0, 'NO-OP': 0, TOTAL: records.length };
  for (const r of records) {
    if (r.status === 'success' || r.status === 'pass') counts.PASS!++;
    else if (r.status === 'warn') counts.WARN!++;
    else if (r.status === 'skipped') counts.SKIP!++;
    else if (r.status === 'no-op') counts['NO-OP']!++;
    else counts.ERROR!++;
  }
  return counts;
}
