/** The contract check's queries are valid SQL for both warehouses (checked by a real parser). */
import { describe, it, expect } from 'vitest';
import { parse } from 'sql-parser-cst';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { contractQueries } from './contract.js';

describe('contract queries', () => {
  it('parse as BigQuery and as DuckDB SQL', () => {
    const columns = [{ name: 'id', dataType: 'int64' }, { name: 'created at', dataType: 'timestamp' }];
    const bq = contractQueries('select 1 as id, current_timestamp() as `created at`', columns, bigqueryDialect);
    for (const sql of [bq.model, bq.contract]) expect(() => parse(sql, { dialect: 'bigquery' })).not.toThrow();
    expect(bq.contract).toBe('select cast(null as int64) as `id`, cast(null as timestamp) as `created at` where false limit 0');
    const duck = contractQueries('select 1 as id', [{ name: 'id', dataType: 'integer' }], duckdbDialect);
    expect(() => parse(duck.contract, { dialect: 'postgresql' })).not.toThrow();
  });
});
