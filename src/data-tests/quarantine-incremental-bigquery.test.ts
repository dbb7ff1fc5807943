/**
 * Quarantine on an incremental model with `--target bigquery`, against the loopback BigQuery server (every
 * statement checked by BigQuery's analyzer, ZetaSQL): the same dialect verbs as on DuckDB, with the
 * quarantine's changes in one multi-statement transaction before the model's merge. The rows themselves
 * are checked on DuckDB (quarantine-incremental.test.ts).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, jobSql } from '../test-support/local-bigquery-client.js';
import { build } from '../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const profile = (endpoint: string): string =>
  bigQueryProfile('p', 'prod', bigQueryOutput('prod', { endpoint, project: 'acme-test', dataset: 'shop', token: 'ya29.test-token' }));

const files = (endpoint: string): Record<string, string> => ({
  'project.yml': 'name: p\nprofile: p\n',
  'profiles.yml': profile(endpoint),
  'models/customers.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2 as id",
  'models/raw_orders.sql': "{{ config(materialized='table') }}\nselect 1 as batch, 1 as id, 'open' as status, 1 as customer_id union all select 1, 2, 'lost', 99 union all select 2, 2, 'open', 2 union all select 2, 1, 'closed', 98",
  'models/orders.sql': `{{ config(materialized='incremental', unique_key='id', quarantine=true) }}
select batch, id, status, customer_id from {{ ref('raw_orders') }}
where batch <= {{ var('upto', 1) }}
{% if is_incremental() %}and batch > (select max(batch) from {{ this }}){% endif %}`,
  'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('customers')", field: id}
      - name: status
        data_tests:
          - accepted_values: {values: [open, closed]}
`,
});

describe.skipIf(analyzerPlatformGap)('quarantine on an incremental model, on BigQuery (loopback server)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery(files, (local) => {
    ({ bq, dir } = local);
    // The model's own tests pass (its failing rows are in the quarantine).
    bq.answer = (sql) =>
      sql.includes(' as failures')
        ? { fields: [{ name: 'failures', type: 'INTEGER' }, { name: 'should_warn', type: 'BOOLEAN' }, { name: 'should_error', type: 'BOOLEAN' }], rows: [{ failures: 0, should_warn: false, should_error: false }] }
        : undefined;
  });

  it('a later run sends the quarantine transaction, then the merge, each accepted by the analyzer', async () => {
    const first = await build({ projectDir: dir, profilesDir: dir });
    expect(first.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    const from = bq.jobs.length;
    // The second batch arrives.
    const second = await build({ projectDir: dir, profilesDir: dir, select: ['orders'], vars: { upto: 2 } });
    expect(second.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    expect(second.results.find((r) => r.uniqueId === 'model.p.orders')?.adapterResponse).toMatchObject({ code: 'MERGE', strategy: 'merge', rows_affected: 1, rows_quarantined: 1 });
    const sqls = bq.jobs.slice(from).map((j) => String(jobSql(j) ?? ''));
    const txn = sqls.findIndex((s) => s.startsWith('begin transaction;') && s.includes('`orders__quarantine`'));
    expect(txn, sqls.join('\n---\n')).toBeGreaterThanOrEqual(0);
    expect(sqls[txn]).toMatch(/^begin transaction;\ndelete from `acme-test`\.`shop`\.`orders` as DBT_INTERNAL_DEST where exists \(select 1 from `acme-test`\.`shop`\.`orders__strata_qrows`/);
    expect(sqls[txn]).toContain('delete from `acme-test`.`shop`.`orders__quarantine` as DBT_INTERNAL_DEST where exists (select 1 from `acme-test`.`shop`.`orders__strata_qstage`');
    expect(sqls[txn]).toContain('insert into `acme-test`.`shop`.`orders__quarantine` (`batch`, `id`, `status`, `customer_id`, `_strata_failed_tests`, `_strata_quarantined_at`)');
    expect(sqls[txn]!.endsWith('commit transaction')).toBe(true);
    const merge = sqls.findIndex((s) => s.startsWith('merge into `acme-test`.`shop`.`orders` as DBT_INTERNAL_DEST'));
    expect(merge).toBeGreaterThan(txn);
  });
});
