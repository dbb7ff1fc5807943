import { Command } from 'commander';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function parseCommand(): Command {
  return withCommonFlags(new Command('parse'))
    .description('parse the project, write target/manifest.json and store the parse caches (no warehouse)')
    .action(async (flags: GlobalFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/parse-command.js')).parse(options);
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) {
        const how = result.parsedFrom === 'snapshot' ? 'nothing changed since the last parse' : result.parsedFrom === 'patched' ? 'only model SQL, or vars models read, changed: those models parsed again' : 'parsed from the files';
        reporter.emit({ type: 'info', message: `Parsed ${result.nodes} nodes in ${result.milliseconds} ms (${how}); wrote target/manifest.json` });
      }
      process.exitCode = result.exitCode;
    });
}
