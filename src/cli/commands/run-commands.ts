import { Command } from 'commander';
import type { RunKind } from '../../api/index.js';
import { parseByteSize, printPlan } from './plan-command.js';
import { withCommonFlags, withDeferFlags, withSelectionFlags, commonOptions, quietFlags, reportDiagnostics, type GlobalFlags } from '../shared-options.js';
import type { Reporter } from '../../diagnostics/index.js';
import { previewTable } from './show-command.js';

interface RunFlags extends GlobalFlags {
  select?: string[];
  exclude?: string[];
  state?: string; selector?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  fullRefresh?: boolean;
  failFast?: boolean;
  relandChanged?: boolean;
  checkFreshness?: boolean;
  dryRun?: boolean;
  maxBytes?: string;
  empty?: boolean;
  eventTimeStart?: string;
  eventTimeEnd?: string;
  sample?: string;
  defer?: boolean;
  favorState?: boolean;
  storeFailures?: boolean;
  resourceType?: string[];
  excludeResourceType?: string[];
  show?: boolean;
}

const DESCRIPTIONS: Record<RunKind, string> = {
  build: 'land sources, load seeds, build models and run tests, in graph order',
  run: 'build the selected models',
  seed: 'load CSV seeds into tables',
  test: 'run data tests and unit tests',
  land: 'load new files from object storage into bronze sources',
  snapshot: 'record the selected snapshots: new versions of changed rows (type-2 history)',
};

/**
 * Runs a command that executes nodes. A first Ctrl-C cancels the running queries (their transactions roll
 * back), schedules no more, writes run_results.json and exits 130; a second ends the process at once, by the
 * signal's default action (no commit can follow: an uncommitted transaction is never in the database file).
 */
async function interruptible<T extends { exitCode: number }>(reporter: Reporter, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const force = (): void => {
    process.off('SIGINT', force);
    process.kill(process.pid, 'SIGINT');
  };
  const onSigint = (): void => {
    reporter.emit({ type: 'info', message: 'Interrupted: cancelling running queries (press Ctrl-C again to quit at once)' });
    controller.abort();
    process.once('SIGINT', force);
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await run(controller.signal);
    return controller.signal.aborted ? { ...result, exitCode: 130 } : result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `build`, `run`, `seed`, `test`, `land`: the commands that execute nodes. */
export function runCommands(): Command[] {
  return (Object.keys(DESCRIPTIONS) as RunKind[]).map((kind) => {
    let cmd = withSelectionFlags(withCommonFlags(new Command(kind).description(DESCRIPTIONS[kind])));
    // As dbt's: test and snapshot have none (a snapshot is history, never rebuilt), nor has land.
    if (kind === 'build' || kind === 'run' || kind === 'seed') cmd = cmd.option('--full-refresh', 'rebuild incremental models and seeds from scratch');
    if (kind === 'land' || kind === 'build') cmd = cmd.option('--reland-changed', 'reload objects whose ETag changed since they were landed');
    if (kind === 'build') cmd = cmd.option('--check-freshness', 'check source freshness first; stale sources (past error_after) skip everything downstream');
    if (kind === 'build' || kind === 'run') {
      cmd = cmd
        .option('--dry-run', 'print the bytes each node would process and the estimated cost (a warehouse with dry runs), then stop: nothing runs')
        .option('--max-bytes <size>', 'refuse to run (exit 1) when the dry-run estimate is above this, e.g. 50GB or 1TiB')
        .option('--empty', "build every model without reading data: refs and sources read no rows (dbt's --empty)")
        .option('--event-time-start <time>', 'microbatch models build from this time (ISO date or time, UTC unless it has an offset) instead of their config\'s window')
        .option('--event-time-end <time>', 'microbatch models build up to this time (default: now)')
        .option('--sample <spec>', 'read refs and sources with an event_time in a window only: "3 days" back from now (hours, days, months, years) or "{\'start\': \'2024-07-01\', \'end\': \'2024-07-08\'}" (or $DBT_SAMPLE)');
    }
    if (kind === 'build') {
      cmd = cmd
        .option('--resource-type <type...>', 'build only these resource types (model, seed, snapshot, test, landing)')
        .option('--exclude-resource-type <type...>', 'build every type but these');
    }
    // As dbt's test (1.8+): `--resource-type unit_test` runs unit tests only, `--exclude-resource-type unit_test` data tests only.
    if (kind === 'test') cmd = cmd.option('--resource-type <type...>', 'run only these resource types (test, unit_test)').option('--exclude-resource-type <type...>', 'run every type but these');
    if (kind === 'test' || kind === 'build') cmd = cmd.option('--store-failures', 'store the failing rows of every test whose config does not say otherwise');
    if (kind === 'seed') cmd = cmd.option('--show', "print a random sample of each loaded seed's rows (up to 10), as dbt's seed --show");
    if (kind !== 'land') cmd = withDeferFlags(cmd);
    return cmd.option('-x, --fail-fast', 'stop at the first failure').action(async (flags: RunFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const maxBytes = flags.maxBytes === undefined ? undefined : parseByteSize(flags.maxBytes);
      if (flags.maxBytes !== undefined && maxBytes === undefined) return command.error(`--max-bytes '${flags.maxBytes}' is not a size; use e.g. 50GB or 1TiB`, { exitCode: 2 });
      // dbt reads DBT_SAMPLE where the flag is not given (build and run only); an empty variable is unset.
      const sample = kind === 'build' || kind === 'run' ? (flags.sample ?? (process.env.STRATA_SAMPLE || process.env.DBT_SAMPLE || undefined)) : undefined;
      if (flags.dryRun) {
        const planned = await (await import('../../api/plan-command.js')).plan({ ...options, sample, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection, fullRefresh: flags.fullRefresh, maxBytes, resourceTypes: kind === 'run' ? ['model'] : undefined });
        reportDiagnostics(reporter, planned.diagnostics);
        if (planned.exitCode !== 2) printPlan(reporter, planned, maxBytes);
        process.exitCode = planned.exitCode;
        return;
      }
      const result = await interruptible(reporter, async (signal) => (await import('../../api/run-command.js')).runCommand(kind, {
        ...options,
        select: flags.select,
        exclude: flags.exclude,
        state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection,
        defer: flags.defer,
        favorState: flags.favorState,
        storeFailures: flags.storeFailures,
        resourceTypes: flags.resourceType,
        excludeResourceTypes: flags.excludeResourceType,
        fullRefresh: flags.fullRefresh,
        failFast: flags.failFast,
        relandChanged: flags.relandChanged,
        checkFreshness: flags.checkFreshness,
        maxBytes,
        empty: flags.empty,
        eventTimeStart: flags.eventTimeStart,
        eventTimeEnd: flags.eventTimeEnd,
        sample,
        show: flags.show,
        // Before the closing summary (dbt prints them between "Finished running" and "Completed successfully").
        // Under --quiet, the tables without their headers, as dbt's (agate's print_table writes to stdout past the log's level).
        onSeedSamples: (samples) => {
          for (const s of samples) {
            if (quietFlags(flags)) process.stdout.write(`${previewTable(s.preview)}\n`);
            else reporter.emit({ type: 'info', message: `\n${s.header}\n${'-'.repeat(s.header.length)}\n${previewTable(s.preview)}` });
          }
        },
        signal,
      }));
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
  });
}

/** `strata retry`: the last command again, for what it left undone. */
export function retryCommand(): Command {
  return withCommonFlags(new Command('retry'))
    .description('run again what the last build, run, seed, test, land, snapshot or run-operation left undone (errors, failures, skipped), with its target, vars and flags; after compile or docs generate: nothing')
    .action(async (flags: GlobalFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await interruptible(reporter, async (signal) => (await import('../../api/retry-command.js')).retry({ ...options, signal }));
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}
