/**
 * dbt-duckdb's `external` materialization in DuckDB SQL: `COPY` the staged rows to the file, and the view's
 * query over it (`read_parquet`, `read_csv`, `read_json` with the model's reader options).
 */
import type { ExternalWrite } from '../contract.js';

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** A reader option as dbt-duckdb writes it: strings quoted, other values as they are. */
function readOption(key: string, value: unknown): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`reader option '${key}' is not a name`);
  return `${key} = ${typeof value === 'string' ? quote(value) : value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value).replace(/"/g, "'") : String(value)}`;
}

export function externalModelSql(staging: string, write: ExternalWrite, empty: boolean): { before: string[]; view: string } {
  const before: string[] = [];
  // CSV and JSON files without rows carry no column types (JSON not even the columns): as dbt-duckdb, one
  // row of nulls is written, and the view leaves it out.
  const placeholder = empty && write.format !== 'parquet';
  if (placeholder) before.push(`insert into ${staging} default values`);
  before.push(`copy ${staging} to ${quote(write.location)} (${write.copyOptions})`);
  const reader = { parquet: 'read_parquet', csv: 'read_csv', json: 'read_json' }[write.format];
  const args = [quote(write.readLocation), ...Object.entries(write.readOptions).map(([k, v]) => readOption(k, v))];
  return { before, view: `select * from ${reader}(${args.join(', ')})${placeholder ? ' limit 0' : ''}` };
}
