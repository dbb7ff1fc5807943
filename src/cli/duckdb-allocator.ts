import { availableParallelism } from 'node:os';

/** The environment variable DuckDB's bundled jemalloc reads its options from, once, when the library loads. */
export const DUCKDB_ALLOCATOR_VARIABLE = 'DUCKDB_JE_MALLOC_CONF';

/**
 * The allocator options a `strata` process gives DuckDB unless the user set the variable (even to nothing,
 * which keeps DuckDB's own): freed memory kept 10 s for reuse instead of DuckDB's 1 s, and one arena per CPU
 * instead of jemalloc's four, so a thread reuses what another freed. A command is a short process that runs
 * one query after another; with DuckDB's settings each query takes fresh pages from the system and pays a
 * page fault for each on first touch. Measured on the demo at scale 2000 (docs/benchmarks.md, session 34):
 * a daily run 10.1 s → 8.8-9.2 s with a third fewer page faults, the full build 178 s → 174 s, with the
 * same peak memory. Set before DuckDB's library is loaded (it is loaded on first use), in the CLI only: a
 * program using the library API keeps its own process settings.
 */
export function tuneDuckDbAllocator(env: NodeJS.ProcessEnv = process.env, cpus = availableParallelism()): string | undefined {
  if (env[DUCKDB_ALLOCATOR_VARIABLE] !== undefined) return undefined;
  const value = `narenas:${Math.max(1, cpus)},dirty_decay_ms:10000,muzzy_decay_ms:10000`;
  env[DUCKDB_ALLOCATOR_VARIABLE] = value;
  return value;
}
