import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What dbt's `result:` and `source_status:` methods read besides the saved manifest: `run_results.json` in
 * `--state` (each node's status), and `sources.json` both in `--state` and in this target's folder (each
 * source's `max_loaded_at`, from `source freshness`). Read on first use only: most selections need neither.
 */
export interface StateResults {
  /** Status by node of the saved `run_results.json`; undefined when the folder has none. */
  statuses(): Map<string, string> | undefined;
  /** dbt's `source_status:fresher`: sources loaded since the saved check (or new to it); undefined when a `sources.json` is missing. */
  fresherSources(): Set<string> | undefined;
  /** The two `sources.json` files: the saved one, this target's. */
  readonly sourcesPaths: { state: string; current?: string };
  readonly runResultsPath: string;
}

type Json = Record<string, unknown>;

function readResults(path: string): Json[] | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Json;
    return Array.isArray(raw.results) ? (raw.results as Json[]) : undefined;
  } catch {
    return undefined;
  }
}

/** max_loaded_at (ms) by source; null where the check had none (a runtime error). */
function loadedAt(path: string): Map<string, number | null> | undefined {
  const results = readResults(path);
  if (!results) return undefined;
  const out = new Map<string, number | null>();
  for (const r of results) {
    const at = typeof r.max_loaded_at === 'string' ? Date.parse(r.max_loaded_at.replace(' ', 'T')) : NaN;
    out.set(String(r.unique_id), Number.isNaN(at) ? null : at);
  }
  return out;
}

/**
 * As dbt's: a source is fresher when this target's check found it loaded later than the saved check did, or
 * the saved check has no load time for it (absent, or its check errored); a source whose check errored now is not.
 */
export function fresher(saved: Map<string, number | null>, current: Map<string, number | null>): Set<string> {
  const out = new Set<string>();
  for (const [id, now] of current) {
    if (now === null) continue;
    const then = saved.get(id);
    if (then === undefined || then === null || now > then) out.add(id);
  }
  return out;
}

/** The readers for a `--state` folder, with this target's folder for the current `sources.json`. */
export function stateResults(stateDir: string, currentTargetDir?: string): StateResults {
  const runResultsPath = join(stateDir, 'run_results.json');
  const sourcesPaths = { state: join(stateDir, 'sources.json'), ...(currentTargetDir ? { current: join(currentTargetDir, 'sources.json') } : {}) };
  let statuses: Map<string, string> | undefined | null = null;
  let fresh: Set<string> | undefined | null = null;
  return {
    runResultsPath,
    sourcesPaths,
    statuses() {
      if (statuses === null) {
        const results = readResults(runResultsPath);
        statuses = results && new Map(results.map((r) => [String(r.unique_id), String(r.status)]));
      }
      return statuses;
    },
    fresherSources() {
      if (fresh === null) {
        const saved = loadedAt(sourcesPaths.state);
        const current = sourcesPaths.current ? loadedAt(sourcesPaths.current) : undefined;
        fresh = saved && current && fresher(saved, current);
      }
      return fresh;
    },
  };
}
