/**
 * Enforced model contracts on BigQuery, against the local BigQuery (BigQuery's analyzer in front of DuckDB):
 * the contract's typed query is one BigQuery accepts (no WHERE without FROM), and nested types are compared
 * whole, as dbt-bigquery compares `BigQueryColumn.data_type`: `ARRAY<INT64>` is not `INT64`, and a STRUCT's
 * fields count. NUMERIC(p,s) in a contract matches a NUMERIC column, as there (the query's schema has no
 * precision).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { build } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const columns = (list: [string, string][]): string => list.map(([n, t]) => `      - name: ${n}\n        data_type: ${JSON.stringify(t)}\n`).join('');
const model = (name: string, list: [string, string][]): string => `  - name: ${name}\n    config:\n      contract: {enforced: true}\n    columns:\n${columns(list)}`;

const NESTED = "select 7 as sku, struct('red' as colour, 3 as size) as spec, [10, 20] as bins, cast(12.5 as numeric) as price";

function project(endpoint: string): Record<string, string> {
  return {
    'project.yml': "name: kiosk\nprofile: kiosk\nmodels:\n  kiosk:\n    +materialized: table\n",
    'profiles.yml': bigQueryProfile('kiosk', 'local', bigQueryOutput('local', { endpoint, project: 'acme-contracts', dataset: 'shelf', token: 'ya29.contracts' })),
    'models/plain_items.sql': "select 1 as sku, 'lamp' as title",
    'models/nested_items.sql': NESTED,
    'models/wrong_array.sql': NESTED,
    'models/wrong_struct.sql': NESTED,
    'models/schema.yml':
      'version: 2\nmodels:\n' +
      model('plain_items', [['sku', 'int64'], ['title', 'string']]) +
      model('nested_items', [['sku', 'int64'], ['spec', 'struct<colour string, size int64>'], ['bins', 'array<int64>'], ['price', 'numeric(10,2)']]) +
      model('wrong_array', [['sku', 'int64'], ['spec', 'struct<colour string, size int64>'], ['bins', 'int64'], ['price', 'numeric']]) +
      model('wrong_struct', [['sku', 'int64'], ['spec', 'struct<colour string, size string>'], ['bins', 'array<int64>'], ['price', 'numeric']]),
  };
}

describe.skipIf(analyzerPlatformGap)('enforced contracts on BigQuery (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery(project, (local) => ({ bq, dir } = local));

  it('builds contracted tables, flat and nested, and refuses nested type mismatches with dbt’s table', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const status = Object.fromEntries(result.results.map((r) => [r.uniqueId.replace('model.kiosk.', ''), r.status]));
    expect(status).toEqual({ plain_items: 'success', nested_items: 'success', wrong_array: 'error', wrong_struct: 'error' });
    const message = (name: string): string => String(result.results.find((r) => r.uniqueId === `model.kiosk.${name}`)?.message);
    expect(message('wrong_array')).toMatch(/\| bins +\| ARRAY<INT64> +\| INT64 +\| data type mismatch \|/);
    expect(message('wrong_struct')).toMatch(/\| spec +\| STRUCT<`colour` STRING, `size` INT64> +\| STRUCT<`colour` STRING, `size` STRING> +\| data type mismatch \|/);
    expect(await queryRows(bq.endpoint, 'select sku, spec.colour as colour, array_length(bins) as n, cast(price as string) as price from `acme-contracts`.`shelf`.`nested_items`', { project: 'acme-contracts' })).toEqual([{ sku: '7', colour: 'red', n: '2', price: '12.5' }]);
    expect(bq.tables.has('acme-contracts.shelf.wrong_array')).toBe(false);
  });
});
