import type { Adapter } from './contract.js';

/**
 * Adapters load on demand: importing the BigQuery client costs hundreds of milliseconds
 * and a DuckDB user should never pay it.
 */
const loaders: Record<string, () => Promise<Adapter>> = {
  duckdb: async () => (await import('./duckdb/duckdb-adapter.js')).duckdbAdapter,
  bigquery: async () => (await import('./bigquery/bigquery-adapter.js')).bigqueryAdapter,
};

export const adapterTypes = Object.keys(loaders);

export async function loadAdapter(type: string): Promise<Adapter | undefined> {
  const load = loaders[type];
  return load ? load() : undefined;
}
