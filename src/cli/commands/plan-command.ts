import { Command } from 'commander';
import type { PlanResult } from '../../api/index.js';
import type { Reporter } from '../../diagnostics/index.js';
import { withCommonFlags, withSelectionFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

/** `10GB`, `1.5 TiB`, `500000000` → bytes (decimal units are powers of 1000, binary of 1024). */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
  return Math.round(Number(m[1]) * factor[unit]!);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(2)} ${units[i]}`;
}

const dots = (left: string, right: string, width = 78): string => `${left} ${'.'.repeat(Math.max(3, width - left.length - right.length - 2))} ${right}`;

/** Prints a plan the way `build` prints nodes: one line per node in graph order, then the total. */
export function printPlan(reporter: Reporter, r: PlanResult, maxBytes?: number): void {
  const say = (message: string): void => reporter.emit({ type: 'info', message });
  say(`Dry run: nothing was executed. Estimated with the warehouse's dry runs at $${r.pricePerTib}/TiB on demand.`);
  r.nodes.forEach((n, i) => {
    const what = `${i + 1} of ${r.nodes.length} ${n.resourceType} ${n.relation ?? n.name} (${n.action})`;
    const right = n.error ? `[ERROR] ${n.error}` : n.bytes === undefined ? `[?] ${n.note ?? ''}` : `${formatBytes(n.bytes)}  $${(n.costUsd ?? 0).toFixed(4)}`;
    say(dots(what, right));
    if (n.error) say(`    at ${n.errorAt ?? n.file ?? n.name}`);
    if (n.caveat) say(`    ${n.caveat}`);
  });
  say(`Total: ${formatBytes(r.totalBytes)} ≈ $${r.totalCostUsd.toFixed(4)}${r.unknown ? ` (+ ${r.unknown} node${r.unknown === 1 ? '' : 's'} not estimable until upstream models exist)` : ''}`);
  if (r.overBudget && maxBytes !== undefined) say(`Over budget: ${formatBytes(r.totalBytes)} > --max-bytes ${formatBytes(maxBytes)}`);
}

export function planCommand(): Command {
  return withSelectionFlags(withCommonFlags(new Command('plan')))
    .description('dry-run every selected node on the target\'s warehouse (one with dry runs): bytes each would process and the estimated cost, before anything runs (same as build --dry-run)')
    .option('--full-refresh', 'estimate a full refresh of incremental models')
    .option('--max-bytes <size>', 'exit 1 when the total is above this (e.g. 50GB, 1TiB)')
    .action(async (flags: GlobalFlags & { select?: string[]; exclude?: string[]; state?: string; selector?: string; indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty'; fullRefresh?: boolean; maxBytes?: string }, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const maxBytes = flags.maxBytes === undefined ? undefined : parseByteSize(flags.maxBytes);
      if (flags.maxBytes !== undefined && maxBytes === undefined) return command.error(`--max-bytes '${flags.maxBytes}' is not a size; use e.g. 50GB or 1TiB`, { exitCode: 2 });
      const result = await (await import('../../api/plan-command.js')).plan({ ...options, select: flags.select, exclude: flags.exclude, state: flags.state, selector: flags.selector, indirectSelection: flags.indirectSelection, fullRefresh: flags.fullRefresh, maxBytes });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode !== 2) printPlan(reporter, result, maxBytes);
      process.exitCode = result.exitCode;
    });
}
