import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The commands whose run_results.json runs no node in the warehouse: `compile` and `docs generate` (every
 * result `success`, as dbt writes them) and `run-operation` (one macro). What the docs site shows as each
 * node's last run must not come from them.
 */
export const NOT_NODE_RUNS: ReadonlySet<string> = new Set(['compile', 'generate', 'run-operation']);

/** Where the docs site keeps the last run_results.json of a command that ran nodes, once another command replaced it. */
export const LAST_NODE_RUN_FILE = join('docs', 'last_node_run.json');

/** `args.which` of a run_results.json file: '' when it has none, undefined when there is no file, null when it cannot be read. */
export function runResultsCommand(file: string): string | null | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const which = (JSON.parse(readFileSync(file, 'utf8')) as { args?: { which?: unknown } }).args?.which;
    return typeof which === 'string' ? which : '';
  } catch {
    return null;
  }
}

/**
 * Called before a command that runs no node overwrites `<targetDir>/run_results.json`: when that file holds a
 * run of nodes (build, run, test, seed, snapshot, land, clone — or a file without `args.which`), it is copied
 * to `<targetDir>/docs/last_node_run.json`, so that `docs generate` after `build` still shows the build's
 * test results. A file from a command that ran no node leaves the kept copy as it is.
 */
export function keepLastNodeRun(targetDir: string): void {
  const file = join(targetDir, 'run_results.json');
  const which = runResultsCommand(file);
  if (typeof which !== 'string' || NOT_NODE_RUNS.has(which)) return;
  mkdirSync(join(targetDir, 'docs'), { recursive: true });
  copyFileSync(file, join(targetDir, LAST_NODE_RUN_FILE));
}

/**
 * The run_results.json the docs site reads: the target's own if it ran nodes (or cannot be read: the reader
 * then says so), else the kept copy, else none.
 */
export function lastNodeRunFile(targetDir: string): string | undefined {
  const file = join(targetDir, 'run_results.json');
  const which = runResultsCommand(file);
  if (which === null || (typeof which === 'string' && !NOT_NODE_RUNS.has(which))) return file;
  const kept = join(targetDir, LAST_NODE_RUN_FILE);
  return existsSync(kept) ? kept : undefined;
}
