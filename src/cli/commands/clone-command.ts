import { Command } from 'commander';
import { withCommonFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

type CloneFlags = GlobalFlags & { select?: string[]; exclude?: string[]; state?: string; selector?: string; fullRefresh?: boolean; resourceType?: string[] };

/** `strata clone --state DIR`: dbt 1.6's clone of the state's relations into this target. */
export function cloneCommand(): Command {
  return withSelectionFlags(withCommonFlags(new Command('clone')))
    .description("create the selected models, seeds and snapshots in this target from the relations of the --state manifest (a zero-copy clone where the warehouse supports it, a copy otherwise); relations the target has are kept unless --full-refresh")
    .option('--full-refresh', 'replace relations this target already has')
    .option('--resource-type <type...>', 'clone only these resource types (model, seed, snapshot)')
    .action(async (flags: CloneFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/clone-command.js')).clone({ ...options, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, fullRefresh: flags.fullRefresh, resourceTypes: flags.resourceType });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}
