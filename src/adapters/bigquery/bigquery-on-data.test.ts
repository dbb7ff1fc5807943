/**
 * Materializations on BigQuery, checked on their rows: `strata build --target bigquery` against the local
 * BigQuery, whose statements (after BigQuery's analyzer) run on its DuckDB. Two builds with the seeds
 * changed in between: table, view, incremental merge with unique_key (matched on the key alone; partition pruning opt-in),
 * insert_overwrite (dynamic and static partitions), append, snapshots (timestamp and check strategies, hard
 * deletes invalidated or recorded) and quarantine leave the rows BigQuery would.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { build } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const ORDERS_1 = 'id,amount,ordered_at\n1,10,2026-01-01 09:00:00\n2,20,2026-01-01 10:00:00\n3,30,2026-01-02 11:00:00\n';
// Order 2 changes in its partition, order 3 moves to a new day, order 4 is new; order 1 is not re-sent.
const ORDERS_2 = 'id,amount,ordered_at\n2,22,2026-01-01 10:00:00\n3,33,2026-01-04 11:00:00\n4,40,2026-01-03 12:00:00\n';
const CUSTOMERS_1 = 'id,name,updated_at\n1,Ada,2026-01-01 00:00:00\n2,Grace,2026-01-01 00:00:00\n3,Linus,2026-01-01 00:00:00\n5,,2026-01-01 00:00:00\n';
// Grace is renamed, Linus is gone, Ken is new.
const CUSTOMERS_2 = 'id,name,updated_at\n1,Ada,2026-01-01 00:00:00\n2,Grace H,2026-01-02 00:00:00\n4,Ken,2026-01-02 00:00:00\n5,,2026-01-01 00:00:00\n';

const incremental = (config: string, filter = ''): string =>
  `{{ config(materialized='incremental', ${config}) }}\nselect id, amount, date(ordered_at) as order_date from {{ ref('raw_orders') }}${filter ? `\n{% if is_incremental() %}${filter}{% endif %}` : ''}`;

function project(endpoint: string): Record<string, string> {
  return {
    'project.yml': 'name: shop\nprofile: shop\nseeds:\n  shop:\n    raw_orders:\n      +column_types: {id: INT64, amount: INT64, ordered_at: TIMESTAMP}\n    raw_customers:\n      +column_types: {id: INT64, name: STRING, updated_at: TIMESTAMP}\n',
    'profiles.yml': bigQueryProfile('shop', 'prod', bigQueryOutput('prod', { endpoint, project: 'acme-data', dataset: 'analytics', token: 'ya29.on-data' })),
    'seeds/raw_orders.csv': ORDERS_1,
    'seeds/raw_customers.csv': CUSTOMERS_1,
    'models/orders_view.sql': "{{ config(materialized='view') }}\nselect id, amount * 2 as doubled from {{ ref('raw_orders') }}",
    'models/orders_table.sql': "{{ config(materialized='table', partition_by={'field': 'order_date', 'data_type': 'date'}, cluster_by=['id']) }}\nselect id, amount, date(ordered_at) as order_date, format_timestamp('%Y-%m-%d %H:%M', ordered_at) as ordered_text from {{ ref('raw_orders') }}",
    'models/orders_merge.sql': incremental("unique_key='id', partition_by={'field': 'order_date', 'data_type': 'date'}"),
    'models/orders_merge_pruned.sql': incremental("unique_key='id', partition_by={'field': 'order_date', 'data_type': 'date'}, merge_partition_pruning=true"),
    'models/orders_merge_required.sql': incremental("unique_key='id', partition_by={'field': 'order_date', 'data_type': 'date'}, require_partition_filter=true"),
    'models/orders_overwrite.sql': incremental("incremental_strategy='insert_overwrite', partition_by={'field': 'order_date', 'data_type': 'date'}"),
    'models/orders_static.sql': incremental("incremental_strategy='insert_overwrite', partition_by={'field': 'order_date', 'data_type': 'date'}, partitions=['date(2026, 1, 1)']", ' where date(ordered_at) = date(2026, 1, 1)'),
    'models/orders_append.sql': incremental("incremental_strategy='append'", ' where id > (select max(id) from {{ this }})'),
    'models/customers_clean.sql': "{{ config(materialized='table', quarantine=true) }}\nselect id, name from {{ ref('raw_customers') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: customers_clean\n    columns:\n      - name: name\n        data_tests: [not_null]\n',
    'snapshots/customers_ts.sql': "{% snapshot customers_ts %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}\nselect id, name, updated_at from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
    'snapshots/customers_deletions.sql': "{% snapshot customers_deletions %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}\nselect id, name, updated_at from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
    'snapshots/customers_check.sql': "{% snapshot customers_check %}\n{{ config(unique_key='id', strategy='check', check_cols=['name'], hard_deletes='invalidate') }}\nselect id, name from {{ ref('raw_customers') }}\n{% endsnapshot %}\n",
  };
}

describe.skipIf(analyzerPlatformGap)('materializations on BigQuery, on data (local BigQuery executing on DuckDB)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const rows = (sql: string): Promise<Record<string, unknown>[]> => queryRows(bq.endpoint, sql, { project: 'acme-data' });
  const table = (name: string, columns = 'id, amount, cast(order_date as string) as d'): Promise<Record<string, unknown>[]> => rows(`select ${columns} from \`acme-data\`.\`analytics\`.\`${name}\` order by 1${columns.includes(',') ? ', 2' : ''}`);
  useLocalBigQuery(project, (local) => ({ bq, dir } = local));

  it('a first build: seeds loaded, table, view, incrementals created, the quarantined row set aside, snapshots started', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    expect(await table('raw_orders', "id, amount, format_timestamp('%F %T', ordered_at) as t")).toEqual([
      { id: '1', amount: '10', t: '2026-01-01 09:00:00' }, { id: '2', amount: '20', t: '2026-01-01 10:00:00' }, { id: '3', amount: '30', t: '2026-01-02 11:00:00' },
    ]);
    expect(await table('orders_view', 'id, doubled')).toEqual([{ id: '1', doubled: '20' }, { id: '2', doubled: '40' }, { id: '3', doubled: '60' }]);
    expect(await table('orders_table', 'id, cast(order_date as string) as d, ordered_text')).toEqual([
      { id: '1', d: '2026-01-01', ordered_text: '2026-01-01 09:00' }, { id: '2', d: '2026-01-01', ordered_text: '2026-01-01 10:00' }, { id: '3', d: '2026-01-02', ordered_text: '2026-01-02 11:00' },
    ]);
    expect(await table('customers_clean', 'id, name')).toEqual([{ id: '1', name: 'Ada' }, { id: '2', name: 'Grace' }, { id: '3', name: 'Linus' }]);
    expect(await table('customers_clean__quarantine', 'id, _strata_failed_tests')).toEqual([{ id: '5', _strata_failed_tests: 'not_null_customers_clean_name' }]);
    expect(bq.tables.get('acme-data.analytics.orders_merge')?.numRows).toBe(3);
    // tabledata.list (the client's table.getRows) reads the rows too; timestamps as int64 micros when asked.
    const listed = (await (await fetch(`${bq.endpoint}/bigquery/v2/projects/acme-data/datasets/analytics/tables/raw_orders/data?formatOptions.useInt64Timestamp=true`)).json()) as { totalRows: string; rows: { f: { v: unknown }[] }[] };
    expect(listed.totalRows).toBe('3');
    expect(listed.rows.map((r) => r.f.map((c) => c.v)).sort()).toEqual([['1', '10', String(Date.UTC(2026, 0, 1, 9) * 1000)], ['2', '20', String(Date.UTC(2026, 0, 1, 10) * 1000)], ['3', '30', String(Date.UTC(2026, 0, 2, 11) * 1000)]]);
  });

  it('a second build: merge (on the key; pruned opt-in), insert_overwrite (dynamic and static), append and snapshots leave BigQuery’s rows', async () => {
    writeFileSync(join(dir, 'seeds', 'raw_orders.csv'), ORDERS_2);
    writeFileSync(join(dir, 'seeds', 'raw_customers.csv'), CUSTOMERS_2);
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    const row = (id: number, amount: number, d: string) => ({ id: String(id), amount: String(amount), d });
    // As dbt-bigquery, the merge matches on the key alone: order 3, moved from 01-02 to 01-04, is one row.
    const merged = [row(1, 10, '2026-01-01'), row(2, 22, '2026-01-01'), row(3, 33, '2026-01-04'), row(4, 40, '2026-01-03')];
    expect(await table('orders_merge')).toEqual(merged);
    // The same with require_partition_filter (the ON has dbt's always-true filter on order_date).
    expect(await rows('select id, amount, cast(order_date as string) as d from `acme-data`.`analytics`.`orders_merge_required` where order_date is not null order by 1, 2')).toEqual(merged);
    // Opt-in pruning to the new rows' days (01-01, 01-03, 01-04): order 3's old row (01-02) is outside them,
    // so it is not matched and the moved order 3 is inserted beside it — why pruning is not the default.
    expect(await table('orders_merge_pruned')).toEqual([row(1, 10, '2026-01-01'), row(2, 22, '2026-01-01'), row(3, 30, '2026-01-02'), row(3, 33, '2026-01-04'), row(4, 40, '2026-01-03')]);
    // Every partition of the new rows replaced: order 1 goes with 01-01, 01-02 stays.
    expect(await table('orders_overwrite')).toEqual([row(2, 22, '2026-01-01'), row(3, 30, '2026-01-02'), row(3, 33, '2026-01-04'), row(4, 40, '2026-01-03')]);
    // Only the static partition 01-01 replaced.
    expect(await table('orders_static')).toEqual([row(2, 22, '2026-01-01'), row(3, 30, '2026-01-02')]);
    expect(await table('orders_append', 'id, amount')).toEqual([{ id: '1', amount: '10' }, { id: '2', amount: '20' }, { id: '3', amount: '30' }, { id: '4', amount: '40' }]);
    expect(await table('customers_clean__quarantine', 'id')).toEqual([{ id: '5' }]);
    const history = (name: string) => rows(`select id, name, dbt_valid_to is null as is_current, cast(dbt_valid_from as string) as valid_from from \`acme-data\`.\`analytics\`.\`${name}\` order by id, dbt_valid_from`);
    const ts = await history('customers_ts');
    expect(ts.map(({ valid_from: _v, ...r }) => r)).toEqual([
      { id: '1', name: 'Ada', is_current: 'true' }, { id: '2', name: 'Grace', is_current: 'false' }, { id: '2', name: 'Grace H', is_current: 'true' },
      { id: '3', name: 'Linus', is_current: 'false' }, { id: '4', name: 'Ken', is_current: 'true' }, { id: '5', name: null, is_current: 'true' },
    ]);
    expect(ts.find((r) => r.name === 'Grace H')?.valid_from).toBe('2026-01-02 00:00:00+00');
    const closed = await rows("select cast(dbt_valid_to as string) as t from `acme-data`.`analytics`.`customers_ts` where name = 'Grace'");
    expect(closed).toEqual([{ t: '2026-01-02 00:00:00+00' }]);
    expect((await history('customers_check')).map(({ valid_from: _v, ...r }) => r)).toEqual([
      { id: '1', name: 'Ada', is_current: 'true' }, { id: '2', name: 'Grace', is_current: 'false' }, { id: '2', name: 'Grace H', is_current: 'true' },
      { id: '3', name: 'Linus', is_current: 'false' }, { id: '4', name: 'Ken', is_current: 'true' }, { id: '5', name: null, is_current: 'true' },
    ]);
  });

  it('a snapshot with hard_deletes=new_record adds a deletion record for the key gone', async () => {
    expect(await rows('select id, name, dbt_valid_to is null as is_current, dbt_is_deleted from `acme-data`.`analytics`.`customers_deletions` order by id, dbt_valid_from, dbt_is_deleted')).toEqual([
      { id: '1', name: 'Ada', is_current: 'true', dbt_is_deleted: 'False' }, { id: '2', name: 'Grace', is_current: 'false', dbt_is_deleted: 'False' },
      { id: '2', name: 'Grace H', is_current: 'true', dbt_is_deleted: 'False' }, { id: '3', name: 'Linus', is_current: 'false', dbt_is_deleted: 'False' },
      { id: '3', name: 'Linus', is_current: 'true', dbt_is_deleted: 'True' }, { id: '4', name: 'Ken', is_current: 'true', dbt_is_deleted: 'False' },
      { id: '5', name: null, is_current: 'true', dbt_is_deleted: 'False' },
    ]);
  });

  it('a third build: a deleted key back as it was gets a current version in every snapshot (timestamp and check, invalidated or recorded)', async () => {
    // Linus returns with the updated_at he had: the timestamp snapshots' new version has his closed version's dbt_scd_id.
    writeFileSync(join(dir, 'seeds', 'raw_customers.csv'), `${CUSTOMERS_2}3,Linus,2026-01-01 00:00:00\n`);
    const result = await build({ projectDir: dir, profilesDir: dir, select: ['raw_customers', 'customers_ts', 'customers_deletions', 'customers_check'] });
    expect(result.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.message}`)).toEqual([]);
    expect(result.results.filter((r) => r.uniqueId.startsWith('snapshot.')).map((r) => `${r.uniqueId.split('.').pop()}: ${r.message}`).sort()).toEqual(['customers_check: INSERT 1', 'customers_deletions: INSERT 1', 'customers_ts: INSERT 1']);
    const linus = (name: string, deleted = '') => rows(`select dbt_valid_to is null as is_current${deleted} from \`acme-data\`.\`analytics\`.\`${name}\` where id = 3 order by dbt_valid_to is null${deleted ? ', dbt_is_deleted' : ''}`);
    expect(await linus('customers_ts')).toEqual([{ is_current: 'false' }, { is_current: 'true' }]);
    expect(await linus('customers_check')).toEqual([{ is_current: 'false' }, { is_current: 'true' }]);
    expect(await linus('customers_deletions', ', dbt_is_deleted')).toEqual([{ is_current: 'false', dbt_is_deleted: 'False' }, { is_current: 'false', dbt_is_deleted: 'True' }, { is_current: 'true', dbt_is_deleted: 'False' }]);
  });

  it('a statement the translation cannot run faithfully fails its job, named, instead of passing', async () => {
    const r = await queryRows(bq.endpoint, 'select farm_fingerprint(name) as f from `acme-data`.`analytics`.`raw_customers`', { project: 'acme-data' }).catch((e: Error) => e.message);
    expect(r).toBe('notImplemented: The local BigQuery accepted this statement but cannot execute it on data (not translated to DuckDB: function farm_fingerprint). Statement: select farm_fingerprint(name) as f from `acme-data`.`analytics`.`raw_customers`');
  });
});
