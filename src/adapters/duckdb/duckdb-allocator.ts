/**
 * The allocator options a `strata` process gives DuckDB: its bundled jemalloc reads them from
 * `DUCKDB_JE_MALLOC_CONF`, once, when the library loads. Freed memory is kept 10 s for reuse instead of
 * DuckDB's 1 s, and there is one arena per CPU instead of jemalloc's four, so a thread reuses what another
 * freed. A command is a short process that runs one query after another; with DuckDB's options each query
 * takes fresh pages from the system and pays a page fault for each on first use. Measured on the demo at scale
 * 2000 (docs/benchmarks.md, session 34): a daily run 0.4-0.9 s shorter (of 9.6-10.0 s) with about a quarter
 * fewer page faults; a full build kept its peak memory (7.0 GB against 6.9 GB, measured with one arena; never
 * handing memory back doubled it). Only a 2-CPU machine was measured.
 */
export function duckdbProcessEnvironment(cpus: number): Record<string, string> {
  return { DUCKDB_JE_MALLOC_CONF: `narenas:${Math.max(1, cpus)},dirty_decay_ms:10000,muzzy_decay_ms:10000` };
}
