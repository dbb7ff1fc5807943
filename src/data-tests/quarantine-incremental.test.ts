/** Quarantine on incremental models, on a real DuckDB file: each run checks its new rows only, keys live where their newest version belongs. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from '../api/index.js';

const schema = `version: 2
models:
  - name: orders
    config: {quarantine: true}
    columns:
      - name: id
        data_tests: [unique]
      - name: customer_id
        data_tests:
          - not_null
          - relationships: {to: "ref('customers')", field: id}
      - name: status
        data_tests:
          - accepted_values: {values: [open, closed]}
  - name: events
    config: {quarantine: true}
    columns:
      - name: status
        data_tests:
          - accepted_values: {values: [open, closed]}
`;
/** The landed rows: (batch, id, status, customer_id); the test adds batches between runs. */
const raw = (rows: string): string => `{{ config(materialized='table') }}\nselect * from (values ${rows}) as t(batch, id, status, customer_id)`;
const batch1 = "(1, 1, 'open', 1), (1, 2, 'open', 99), (1, null, 'open', null), (1, 3, 'lost', 1)";
// Key 2's new version passes (its customer is right now), key 1's fails, key 4 is new.
const batch2 = "(2, 2, 'closed', 2), (2, 1, 'closed', 98), (2, 4, 'open', 2), (2, 5, 'lost', 2)";
const incremental = (extra: string): string => `{{ config(materialized='incremental'${extra}) }}
select batch, id, status, customer_id from {{ ref('raw_orders') }}
{% if is_incremental() %} where batch > (select coalesce(max(batch), 0) from {{ this }}) {% endif %}
qualify row_number() over (partition by id order by batch desc) = 1 or id is null`;
const files = {
  'models/customers.sql': "{{ config(materialized='table') }} select * from (values (1), (2)) as t(id)",
  'models/raw_orders.sql': raw(batch1),
  'models/orders.sql': incremental(", unique_key='id'"),
  'models/events.sql': `{{ config(materialized='incremental') }}
select batch, id, status from {{ ref('raw_orders') }}
{% if is_incremental() %} where batch > (select coalesce(max(batch), 0) from {{ this }}) {% endif %}`,
  'models/order_count.sql': "select count(*) as n from {{ ref('orders') }}",
  'models/schema.yml': schema,
};

describe('quarantine on an incremental model', () => {
  const dir = writeProject(files);
  const copy = writeProject(files);
  const db = (d: string): string => join(d, 'target', 'test.duckdb');
  afterAll(() => {
    removeProject(dir);
    removeProject(copy);
  });
  const tables = async (d: string): Promise<{ orders: unknown[]; quarantine: unknown[] }> => ({
    orders: await queryDuckDb(db(d), 'select id::int as id, status from main.orders order by id'),
    quarantine: await queryDuckDb(db(d), 'select id::int as id, status, customer_id::int as customer_id, _strata_failed_tests as failed from main.orders__quarantine order by id nulls first'),
  });

  it('the first run builds both tables from all rows, as a table model does', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode, JSON.stringify(result.results.filter((r) => !['success', 'pass'].includes(r.status)))).toBe(0);
    const t = await tables(dir);
    expect(t.orders).toEqual([{ id: 1, status: 'open' }]);
    expect(t.quarantine.map((r) => (r as { id: number | null }).id)).toEqual([null, 2, 3]);
  });

  it("a later run checks only the new rows; a key's newest version decides where it lives; old rows stay", async () => {
    writeFileSync(join(dir, 'models', 'raw_orders.sql'), raw(`${batch1}, ${batch2}`));
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode, JSON.stringify(result.results.filter((r) => !['success', 'pass'].includes(r.status)))).toBe(0);
    const r = result.results.find((x) => x.uniqueId === 'model.p.orders');
    expect(r?.adapterResponse).toMatchObject({ code: 'INSERT', rows_affected: 2, rows_quarantined: 2, strategy: 'delete+insert' });
    expect(r?.message).toBe('INSERT 2, 2 quarantined');
    const t = await tables(dir);
    expect(t.orders).toEqual([
      { id: 2, status: 'closed' },
      { id: 4, status: 'open' },
    ]);
    expect(t.quarantine).toEqual([
      { id: null, status: 'open', customer_id: null, failed: 'not_null_orders_customer_id' },
      { id: 1, status: 'closed', customer_id: 98, failed: 'relationships_orders_customer_id__id__ref_customers_' },
      { id: 3, status: 'lost', customer_id: 1, failed: 'accepted_values_orders_status__open__closed' },
      { id: 5, status: 'lost', customer_id: 2, failed: 'accepted_values_orders_status__open__closed' },
    ]);
    // A row without a key is never superseded: it stays in the quarantine.
    expect(await queryDuckDb(db(dir), 'select n::int as n from main.order_count')).toEqual([{ n: 2 }]);
    // Without a unique_key, the new rows are appended: clean to the model, failing to the quarantine.
    expect(await queryDuckDb(db(dir), 'select batch::int as b, count(*)::int as n from main.events group by 1 order by 1')).toEqual([
      { b: 1, n: 3 },
      { b: 2, n: 3 },
    ]);
    expect(await queryDuckDb(db(dir), 'select batch::int as b, id::int as id from main.events__quarantine order by 1, 2')).toEqual([
      { b: 1, id: 3 },
      { b: 2, id: 5 },
    ]);
  });

  it('on DuckDB its work tables are session-temporary: none is ever created in the database file', () => {
    // What the later run sent for the model (target/run/), its work tables included.
    const log = readFileSync(join(dir, 'target', 'run', 'p', 'models', 'orders.sql'), 'utf8');
    const created = [...log.matchAll(/create or replace (temp )?table ("[^"]+"(?:\."[^"]+")*) as/g)].filter((m) => m[2]!.includes('__strata_'));
    // The later run staged, checked and split its new rows: each work table once.
    expect(created.map((m) => m[2]).sort()).toEqual(['"temp"."main"."orders__strata_qfail"', '"temp"."main"."orders__strata_qrows"', '"temp"."main"."orders__strata_qstage"', '"temp"."main"."orders__strata_tmp"']);
    expect(created.every((m) => m[1] === 'temp ')).toBe(true);
  });

  it('a run with no new rows leaves both tables as they are', async () => {
    const before = await tables(dir);
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(0);
    expect(result.results.find((x) => x.uniqueId === 'model.p.orders')?.adapterResponse).toMatchObject({ rows_affected: 0, rows_quarantined: 0 });
    expect(await tables(dir)).toEqual(before);
  });

  it('ends where one build over all the rows ends (--full-refresh)', async () => {
    writeFileSync(join(copy, 'models', 'raw_orders.sql'), raw(`${batch1}, ${batch2}`));
    expect((await build({ projectDir: copy, profilesDir: copy })).exitCode).toBe(0);
    expect(await tables(copy)).toEqual(await tables(dir));
    expect((await build({ projectDir: dir, profilesDir: dir, fullRefresh: true })).exitCode).toBe(0);
    expect(await tables(dir)).toEqual(await tables(copy));
  });
});
