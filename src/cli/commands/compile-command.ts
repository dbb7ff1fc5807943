import { Command } from 'commander';
import { compile } from '../../api/index.js';
import { withCommonFlags, withDeferFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function compileCommand(): Command {
  return withDeferFlags(withSelectionFlags(withCommonFlags(new Command('compile'))))
    .description('render models and tests to target/compiled/ and write manifest.json (no tables are built)')
    .option('--offline', 'do not open the warehouse: run_query returns none, is_incremental() is false')
    .action(async (flags: GlobalFlags & { select?: string[]; exclude?: string[]; state?: string; selector?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty'; defer?: boolean; favorState?: boolean; offline?: boolean }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await compile({ ...options, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection, defer: flags.defer, favorState: flags.favorState, offline: flags.offline });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `Compiled ${result.compiled.size} nodes to target/compiled/` });
      process.exitCode = result.exitCode;
    });
}
