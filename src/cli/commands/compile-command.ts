import { Command } from 'commander';
import type { CompileResult } from '../../api/index.js';
import type { Reporter } from '../../diagnostics/index.js';
import { withCommonFlags, withDeferFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

type CompileFlags = GlobalFlags & { select?: string[]; exclude?: string[]; state?: string; selector?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty'; defer?: boolean; favorState?: boolean; offline?: boolean; inline?: string };

export function compileCommand(): Command {
  return withDeferFlags(withSelectionFlags(withCommonFlags(new Command('compile'))))
    .description('render models and tests to target/compiled/ and write manifest.json (no tables are built); prints the SQL of the node named by --select, or of --inline')
    .option('--offline', 'do not open the warehouse: run_query returns none, is_incremental() is false')
    .option('--inline <sql>', 'compile this query (Jinja allowed) and print it; nothing is written')
    .action(async (flags: CompileFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/compile-command.js')).compile({ ...options, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection, defer: flags.defer, favorState: flags.favorState, offline: flags.offline, inline: flags.inline });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) {
        if (flags.inline === undefined) reporter.emit({ type: 'info', message: `Compiled ${result.compiled.size} nodes to ${result.compiledPath ?? 'target/compiled'}/` });
        printNamed(reporter, result, flags);
      }
      process.exitCode = result.exitCode;
    });
}

/** As dbt: the compiled SQL of `--inline`, or of each node a `--select` names (not the tests it brings along). */
function printNamed(reporter: Reporter, result: CompileResult, flags: CompileFlags): void {
  const named = new Set((flags.select ?? []).map((s) => s.replace(/^[+@]|\+$/g, '')));
  for (const [id, sql] of result.compiled) {
    const [kind, , ...rest] = id.split('.');
    const name = rest.join('.');
    if (flags.inline !== undefined) reporter.emit({ type: 'info', message: `Compiled inline node is:\n${sql}` });
    else if (kind !== 'test' && kind !== 'unit_test' && (named.has(name) || named.has(rest[0] ?? ''))) reporter.emit({ type: 'info', message: `Compiled node '${name}' is:\n${sql}` });
  }
}
