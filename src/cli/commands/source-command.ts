import { Command } from 'commander';
import { withCommonFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function sourceCommand(): Command {
  const freshness = withSelectionFlags(withCommonFlags(new Command('freshness')))
    .description('check how recently sources were loaded (freshness: in sources YAML) and write target/sources.json')
    .action(async (flags: GlobalFlags & { select?: string[]; exclude?: string[] }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/freshness-command.js')).sourceFreshness({ ...options, select: flags.select, exclude: flags.exclude });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
  return new Command('source').description('commands about sources').addCommand(freshness.exitOverride());
}
