import { Command } from 'commander';
import { docsGenerate } from '../../api/index.js';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function docsCommand(): Command {
  const generate = withCommonFlags(new Command('generate'))
    .description("write target/manifest.json, target/catalog.json (every built node's and source's columns and types, read from the warehouse) and target/lineage.json (column-level lineage)")
    .action(async (flags: GlobalFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await docsGenerate(options);
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `Catalog written to target/catalog.json: ${result.nodes} nodes, ${result.sources} sources` });
      if (result.lineage) reporter.emit({ type: 'info', message: `Column lineage written to target/lineage.json: ${result.lineage.traced} traced, ${result.lineage.partial} partial, ${result.lineage.untraced} untraced` });
      process.exitCode = result.exitCode;
    });
  return new Command('docs').description('documentation artifacts').addCommand(generate.exitOverride());
}
