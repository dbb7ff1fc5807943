/**
 * on_schema_change on BigQuery when a column's type changes, against the local BigQuery: `sync_all_columns`
 * rebuilds the table with the column cast to its new type (dbt-bigquery's `alter_column_type`: BigQuery's
 * ALTER COLUMN only widens), partitioning kept, then merges; `fail` stops on a type-only change; and a
 * dropped column is gone from the table (the local server carries out DROP COLUMN).
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, getTable, queryRows } from '../../test-support/local-bigquery-client.js';
import { run } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const model = (mode: string, columns: string): string =>
  `{{ config(materialized='incremental', unique_key='id', on_schema_change='${mode}', partition_by={'field': 'day', 'data_type': 'date'}) }}\nselect {{ var('id', 1) }} as id, date '2026-02-01' as day, ${columns}`;

describe.skipIf(analyzerPlatformGap)('on_schema_change and changed column types on BigQuery (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const opts = (vars?: string) => ({ projectDir: dir, profilesDir: dir, ...(vars ? { vars } : {}) });
  const fields = async (table: string) => ((await getTable(bq.endpoint, `acme-osc.ledger.${table}`)).schema.fields as { name: string; type: string }[]).map((f) => `${f.name} ${f.type}`);
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: books\nprofile: books\n',
    'profiles.yml': bigQueryProfile('books', 'local', bigQueryOutput('local', { endpoint, project: 'acme-osc', dataset: 'ledger', token: 'ya29.osc' })),
    'models/balances.sql': model('sync_all_columns', "cast(10 as int64) as amount, 'x' as dropped_later"),
    'models/strict.sql': model('fail', 'cast(10 as int64) as amount'),
  }), (local) => ({ bq, dir } = local));

  it('sync_all_columns: the type changed, the missing column dropped, the new rows merged', async () => {
    expect((await run(opts())).results.map((r) => r.status)).toEqual(['success', 'success']);
    writeFileSync(join(dir, 'models/balances.sql'), model('sync_all_columns', 'cast(10.5 as float64) as amount'));
    const second = await run({ ...opts('{id: 2}'), select: ['balances'] });
    expect(second.results.map((r) => `${r.status} ${r.status === 'success' ? '' : r.message}`.trim())).toEqual(['success']);
    expect(await fields('balances')).toEqual(['id INTEGER', 'day DATE', 'amount FLOAT']);
    expect(await queryRows(bq.endpoint, 'select id, amount from `acme-osc`.`ledger`.`balances` order by id', { project: 'acme-osc' })).toEqual([{ id: '1', amount: '10' }, { id: '2', amount: '10.5' }]);
    expect(bq.tables.get('acme-osc.ledger.balances')?.partitioned).toBe(true);
  });

  it('fail: a type-only change stops the model, the table left as it was', async () => {
    writeFileSync(join(dir, 'models/strict.sql'), model('fail', 'cast(10.5 as float64) as amount'));
    const second = await run({ ...opts('{id: 2}'), select: ['strict'] });
    expect(second.exitCode).toBe(1);
    expect(second.results[0]!.message).toContain("new column types: [{'column_name': 'amount', 'new_type': 'FLOAT64'}]");
    expect(await fields('strict')).toEqual(['id INTEGER', 'day DATE', 'amount INTEGER']);
  });
});
