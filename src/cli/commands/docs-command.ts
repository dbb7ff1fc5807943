import { join, relative } from 'node:path';
import { Command } from 'commander';
import { withCommonFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

type GenerateFlags = GlobalFlags & { compile: boolean; static?: boolean; emptyCatalog?: boolean; select?: string[]; exclude?: string[]; selector?: string; state?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty' };

function generateCommand(): Command {
  return withSelectionFlags(withCommonFlags(new Command('generate')))
    .description("write target/manifest.json, target/catalog.json (every built node's and source's columns and types, read from the warehouse) target/lineage.json (column-level lineage) and the static docs site in target/docs/")
    .option('--no-compile', "as dbt's: do not write target/manifest.json (the site is written only beside one a last command wrote)")
    .option('--empty-catalog', "as dbt's: read nothing from the warehouse's catalog; catalog.json lists no node and no source")
    .option('--static', "as dbt's: also write target/static_index.html, the whole site in one file to share")
    .action(async (flags: GenerateFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const selection = { select: flags.select, exclude: flags.exclude, selector: flags.selector, state: flags.state, indirectSelection: flags.indirectSelection };
      const result = await (await import('../../api/docs-command.js')).docsGenerate({ ...options, ...selection, noCompile: !flags.compile, static: flags.static === true, emptyCatalog: flags.emptyCatalog === true });
      reportDiagnostics(reporter, result.diagnostics);
      // Paths as the user would type them from here: the project's target-path may be another folder, or '.'.
      const artifact = (name: string): string => (result.targetDir ? relative(process.cwd(), join(result.targetDir, name)) || name : `target/${name}`);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `Catalog written to ${artifact('catalog.json')}: ${result.nodes} nodes, ${result.sources} sources` });
      if (result.lineage) reporter.emit({ type: 'info', message: `Column lineage written to ${artifact('lineage.json')}: ${result.lineage.traced} traced, ${result.lineage.partial} partial, ${result.lineage.untraced} untraced` });
      if (result.site) reporter.emit({ type: 'info', message: `Docs site written to ${result.site}/index.html (open it, or run \`strata docs serve\`)` });
      if (result.staticIndex) reporter.emit({ type: 'info', message: `One-file docs site written to ${relative(process.cwd(), result.staticIndex) || result.staticIndex}` });
      process.exitCode = result.exitCode;
    });
}

function serveCommand(): Command {
  return withCommonFlags(new Command('serve'))
    .description('serve the docs site of target/docs/ over HTTP (run `strata docs generate` first); Ctrl-C stops it')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <address>', 'address to listen on (loopback by default)', '127.0.0.1')
    .option('--no-browser', 'do not open a browser')
    .action(async (flags: GlobalFlags & { port: string; host: string; browser: boolean }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return command.error(`--port '${flags.port}' is not a port number (0-65535)`, { exitCode: 2 });
      const result = await (await import('../../api/docs-serve-command.js')).docsServe({ ...options, port, host: flags.host });
      reportDiagnostics(reporter, result.diagnostics);
      if (!result.server) {
        process.exitCode = result.exitCode;
        return;
      }
      reporter.emit({ type: 'info', message: `Serving ${result.dir} at ${result.url} (Ctrl-C to stop)` });
      if (flags.browser) (await import('../../api/open-browser.js')).openBrowser(result.url!);
      await new Promise<void>((resolve) => {
        const stop = () => {
          result.server!.close(() => resolve());
          result.server!.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.exitCode = 0;
    });
}

export function docsCommand(): Command {
  return new Command('docs').description('documentation: artifacts, the static site, serving it').addCommand(generateCommand().exitOverride()).addCommand(serveCommand().exitOverride());
}
