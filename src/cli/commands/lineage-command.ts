import { Command, Option } from 'commander';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function lineageCommand(): Command {
  return withCommonFlags(new Command('lineage'))
    .description('column-level lineage: the upstream columns of <model>.<column> down to sources, or with --downstream every column derived from it')
    .argument('<column>', 'fct_complaints.resolution_hours, or <source>.<table>.<column>')
    .option('--downstream', 'the columns that derive from it, and the models filtering or joining on them')
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (column: string, flags: GlobalFlags & { downstream?: boolean; output: 'text' | 'json' }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/lineage-command.js')).lineageOfColumn({ ...options, column, downstream: flags.downstream });
      if (result.column) {
        const { columnLabel, formatLineageTree, nodeLabel } = await import('../../api/lineage-format.js');
        if (flags.output === 'json') {
          const { column: ref, direction, steps, usedBy, incomplete } = result;
          process.stdout.write(`${JSON.stringify({ column: ref, direction, [direction]: steps, used_by: usedBy, incomplete }, null, 2)}\n`);
        } else {
          const lines = formatLineageTree(result.column, result.steps);
          if (!result.steps.length) lines.push(result.direction === 'upstream' ? '  (derives from no column)' : '  (no column derives from it)');
          for (const u of result.usedBy) lines.push(`${columnLabel(u.via)} is ${u.kind === 'join_key' ? 'a join key' : 'a filter'} of ${nodeLabel(u.node)}`);
          for (const n of result.incomplete) lines.push(`note: the lineage of ${nodeLabel(n.node)} is ${n.status}: ${n.reason}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
      }
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}
