import type { Adapter } from '../contract.js';
import { duckdbDialect } from '../duckdb/duckdb-dialect.js';

/** Placeholder until the BigQuery adapter lands: validates nothing and refuses to open. */
export const bigqueryAdapter: Adapter = {
  type: 'bigquery',
  dialect: duckdbDialect,
  async open() {
    throw new Error('the BigQuery adapter is not implemented yet; use a duckdb target');
  },
};
