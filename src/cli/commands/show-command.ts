import { Command, Option } from 'commander';
import type { ShowPreview } from '../../api/index.js';
import { withCommonFlags, withDeferFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

/** A cell as a preview prints it: blank for null, ISO for dates, JSON for lists and structs. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** The rows as a table, numbers right-aligned (dbt prints agate's table). */
export function previewTable(preview: ShowPreview): string {
  const names = preview.columns.map((c) => c.name);
  const rows = preview.rows.map((r) => names.map((n) => cell(r[n])));
  const numeric = names.map((n) => preview.rows.length > 0 && preview.rows.every((r) => r[n] === null || r[n] === undefined || typeof r[n] === 'number' || typeof r[n] === 'bigint'));
  const widths = names.map((n, i) => Math.max(n.length, 3, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], align = true): string => `| ${cells.map((c, i) => (align && numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(names, false), line(widths.map((w) => '-'.repeat(w)), false), ...rows.map((r) => line(r))].join('\n');
}

export function showCommand(): Command {
  return withDeferFlags(withSelectionFlags(withCommonFlags(new Command('show'))))
    .description('preview the rows of selected models or analyses, or of an --inline query (nothing is built)')
    .option('--inline <sql>', "a query to preview, Jinja allowed: \"select * from {{ ref('orders') }}\"")
    .option('--limit <n>', 'rows to show (default 5; -1 for all)', (v) => Number(v))
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (flags: GlobalFlags & { select?: string[]; exclude?: string[]; state?: string; selector?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty'; defer?: boolean; favorState?: boolean; inline?: string; limit?: number; output: 'text' | 'json' }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      if (flags.limit !== undefined && !Number.isInteger(flags.limit)) return command.error('--limit takes a whole number of rows (-1 for all)', { exitCode: 2 });
      const result = await (await import('../../api/show-command.js')).show({ ...options, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection, defer: flags.defer, favorState: flags.favorState, inline: flags.inline, limit: flags.limit });
      for (const p of result.previews) {
        if (flags.output === 'json') process.stdout.write(`${JSON.stringify({ node: p.node, show: p.rows }, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}\n`);
        else process.stdout.write(`${p.node === 'inline_query' ? 'Previewing inline node:' : `Previewing node '${p.node}':`}\n${previewTable(p)}\n\n`);
      }
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}
