import { Command } from 'commander';
import { runCommand, type RunKind } from '../../api/index.js';
import { withCommonFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

interface RunFlags extends GlobalFlags {
  select?: string[];
  exclude?: string[];
  fullRefresh?: boolean;
  failFast?: boolean;
  relandChanged?: boolean;
  checkFreshness?: boolean;
}

const DESCRIPTIONS: Record<RunKind, string> = {
  build: 'land sources, load seeds, build models and run tests, in graph order',
  run: 'build the selected models',
  seed: 'load CSV seeds into tables',
  test: 'run data tests and unit tests',
  land: 'load new files from object storage into bronze sources',
};

/** `build`, `run`, `seed`, `test`, `land`: the commands that execute nodes. */
export function runCommands(): Command[] {
  return (Object.keys(DESCRIPTIONS) as RunKind[]).map((kind) => {
    let cmd = withSelectionFlags(withCommonFlags(new Command(kind).description(DESCRIPTIONS[kind])));
    if (kind !== 'test') cmd = cmd.option('--full-refresh', 'rebuild incremental models and seeds from scratch');
    if (kind === 'land' || kind === 'build') cmd = cmd.option('--reland-changed', 'reload objects whose ETag changed since they were landed');
    if (kind === 'build') cmd = cmd.option('--check-freshness', 'check source freshness first; stale sources (past error_after) skip everything downstream');
    return cmd.option('-x, --fail-fast', 'stop at the first failure').action(async (flags: RunFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const controller = new AbortController();
      const onSigint = (): void => {
        reporter.emit({ type: 'info', message: 'Interrupted: waiting for running nodes to stop (press Ctrl-C again to force)' });
        controller.abort();
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSigint);
      const result = await runCommand(kind, {
        ...options,
        select: flags.select,
        exclude: flags.exclude,
        fullRefresh: flags.fullRefresh,
        failFast: flags.failFast,
        relandChanged: flags.relandChanged,
        checkFreshness: flags.checkFreshness,
        signal: controller.signal,
      });
      process.off('SIGINT', onSigint);
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
  });
}
