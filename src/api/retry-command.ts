import { readWarnErrorOptions } from './warn-error-options.js';
import { targetRules } from '../adapters/registry.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import { runCommand, type RunKind } from './run-command.js';
import { runOperation } from './run-operation.js';
import type { CommandResult, CommonOptions } from './types.js';
import type { BatchResults } from '../materializations/index.js';

const RETRYABLE = new Set(['error', 'fail', 'skipped', 'runtime error', 'partial success']);
const KINDS = new Set<string>(['build', 'run', 'seed', 'test', 'land', 'snapshot']);

interface LastRun {
  args?: Record<string, unknown>;
  results?: { unique_id?: string; status?: string; batch_results?: { successful?: unknown; failed?: unknown } }[];
}

const windows = (list: unknown): [string, string][] =>
  Array.isArray(list) ? list.filter((b): b is [string, string] => Array.isArray(b) && b.length === 2 && b.every((x) => typeof x === 'string')) : [];

/**
 * Per microbatch model the last run left with some batches successful and some failed, its batch_results:
 * retry runs only the failed ones and lists the successful ones again (dbt 1.9). A model none of whose
 * batches succeeded is built again whole, as dbt's retry does.
 */
function previousBatches(last: LastRun): Record<string, BatchResults> | undefined {
  const out: Record<string, BatchResults> = {};
  for (const r of last.results ?? []) {
    const [successful, failed] = [windows(r.batch_results?.successful), windows(r.batch_results?.failed)];
    if (typeof r.unique_id === 'string' && successful.length && failed.length) out[r.unique_id] = { successful, failed };
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * `strata retry`, as dbt's: runs again what the last `build`, `run`, `seed`, `test`, `land`, `snapshot` or
 * `run-operation` left undone (after `compile` or `docs generate`, whose results are all `success`: nothing) (its results with status error, fail or skipped), with that command's target,
 * vars and flags, read from `target/run_results.json`. A flag given now (`--target`, `--vars`,
 * `--threads`) wins. Nothing to retry is exit 0.
 */
export async function retry(options: CommonOptions): Promise<CommandResult> {
  const loaded = loadProject({ ...options, profileOptional: true, targetRules });
  if (!loaded.project) return { exitCode: 2, diagnostics: loaded.diagnostics, invocationId: '', results: [] };
  const path = join(resolve(loaded.project.config.rootDir, loaded.project.config.targetPath), 'run_results.json');
  const refuse = (message: string, hint: string): CommandResult => ({ exitCode: 2, diagnostics: [{ code: 'retry-impossible', severity: 'error', message, file: join(loaded.project!.config.targetPath, 'run_results.json'), hint }], invocationId: '', results: [] });
  if (!existsSync(path)) return refuse('there is no previous run to retry: run_results.json is missing', 'run strata build (or run, test, seed) first; retry reruns what it left undone');
  let last: LastRun;
  try {
    last = JSON.parse(readFileSync(path, 'utf8')) as LastRun;
  } catch (e) {
    return refuse(`run_results.json cannot be read: ${(e as Error).message}`, 'run the command again rather than retry it');
  }
  const args = last.args ?? {};
  const which = String(args.which ?? '');
  const compiles = which === 'compile' || which === 'generate';
  if (!KINDS.has(which) && which !== 'run-operation' && !compiles) return refuse(`the last command was '${which || 'unknown'}', which retry cannot run again`, 'retry follows build, run, seed, test, land, snapshot, compile, docs generate and run-operation');
  const undone = (last.results ?? []).filter((r) => RETRYABLE.has(String(r.status)) && typeof r.unique_id === 'string').map((r) => r.unique_id!);
  // dbt's compile (and docs generate) writes run_results.json only when every node compiled, each `success`:
  // there is nothing to retry after one. A file that says otherwise is not one Strata wrote.
  if (compiles && undone.length) return refuse(`the last ${which} left ${undone.length} node(s) with an error, which retry cannot compile again`, `run strata ${which === 'generate' ? 'docs generate' : 'compile'} again`);
  const same = {
    ...options,
    target: options.target ?? (typeof args.target === 'string' ? args.target : undefined),
    vars: options.vars ?? (args.vars as CommonOptions['vars']),
    threads: options.threads ?? (typeof args.threads === 'number' ? args.threads : undefined),
    profile: options.profile ?? (typeof args.profile === 'string' ? args.profile : undefined),
  };
  // A var whose value was a secret was written masked: retrying with the mask would be wrong.
  if (options.vars === undefined && JSON.stringify(args.vars ?? {}).includes('****')) {
    return refuse('the last run\'s --vars were written to run_results.json with a secret masked (****), so retry cannot reuse them', 'pass the same --vars to strata retry');
  }
  if (!undone.length) {
    const nothing: Diagnostic = { code: 'nothing-to-retry', severity: 'warn', message: `nothing to retry: the last ${which} had no errors, failures or skipped nodes`, file: 'run_results.json' };
    return { exitCode: 0, diagnostics: [nothing], invocationId: '', results: [] };
  }
  if (which === 'run-operation') {
    const out = await runOperation({ ...same, macro: String(args.macro), args: args.args as Record<string, unknown> | string | undefined });
    return { exitCode: out.exitCode, diagnostics: out.diagnostics, invocationId: '', results: [] };
  }
  // Hook results (operation.*) are not nodes: the hooks run again with the command, as in dbt.
  return runCommand(which as RunKind, {
    ...same,
    onlyIds: undone.filter((id) => !id.startsWith('operation.')),
    fullRefresh: args.full_refresh === true,
    failFast: args.fail_fast === true,
    checkFreshness: args.check_freshness === true,
    relandChanged: args.reland_changed === true,
    empty: args.empty === true,
    eventTimeStart: typeof args.event_time_start === 'string' ? args.event_time_start : undefined,
    eventTimeEnd: typeof args.event_time_end === 'string' ? args.event_time_end : undefined,
    sample: typeof args.sample === 'string' ? args.sample : undefined,
    retryBatches: previousBatches(last),
    state: typeof args.state === 'string' ? args.state : undefined,
    defer: args.defer === true,
    favorState: args.favor_state === true,
    storeFailures: args.store_failures === true,
    warnError: options.warnError ?? args.warn_error === true,
    // As the retried run had them, unless this command gives its own.
    warnErrorOptions: options.warnErrorOptions ?? readWarnErrorOptions(args.warn_error_options).options,
  });
}
