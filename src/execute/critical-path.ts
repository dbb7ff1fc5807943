import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which ready node a free thread takes first: the one with the longest chain of work still behind it, timed by
 * the last run. With more ready nodes than threads, a node that only starts a short branch then waits behind the
 * start of the longest one (a day's three landings, the slowest of which leads to the chain of incremental
 * models), which would make the whole run that much later. dbt takes ready nodes in graph order; so does a run
 * with no earlier timings.
 */

/** The nodes' times in the last run (`target/run_results.json`, dbt's field names), or none when it cannot be read. */
export function lastRunTimes(targetDir: string): Map<string, number> {
  const times = new Map<string, number>();
  try {
    const results = (JSON.parse(readFileSync(join(targetDir, 'run_results.json'), 'utf8')) as { results?: unknown }).results;
    if (!Array.isArray(results)) return times;
    for (const r of results as { unique_id?: unknown; execution_time?: unknown }[]) {
      if (typeof r.unique_id === 'string' && typeof r.execution_time === 'number' && Number.isFinite(r.execution_time) && r.execution_time >= 0) times.set(r.unique_id, r.execution_time);
    }
  } catch {
    // No earlier run (or a file from something else): the run keeps graph order.
  }
  return times;
}

/**
 * Each node's time plus the longest chain of its descendants' times, over the edges the scheduler waits on
 * (`children`). A node the last run did not time counts the median of those it did. Undefined when none of
 * `ids` was timed: the scheduler then keeps graph order.
 */
export function criticalPathLengths(ids: string[], children: Map<string, string[]>, times: Map<string, number>): Map<string, number> | undefined {
  const known = ids.map((id) => times.get(id)).filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  if (!known.length) return undefined;
  const median = known[Math.floor(known.length / 2)]!;
  const lengths = new Map<string, number>();
  // Depth first, without recursion (a chain may be thousands of nodes long). A node is timed once all its
  // children are; a child visited but not yet timed is on the current path — a cycle, which the scheduler
  // reports itself — and counts as no chain.
  const visited = new Set<string>();
  for (const root of ids) {
    if (lengths.has(root)) continue;
    const stack: string[] = [root];
    while (stack.length) {
      const id = stack[stack.length - 1]!;
      if (!visited.has(id)) {
        visited.add(id);
        for (const c of children.get(id) ?? []) if (!visited.has(c)) stack.push(c);
        continue;
      }
      stack.pop();
      if (lengths.has(id)) continue;
      let below = 0;
      for (const c of children.get(id) ?? []) below = Math.max(below, lengths.get(c) ?? 0);
      lengths.set(id, (times.get(id) ?? median) + below);
    }
  }
  return lengths;
}
