/** Quarantine on a real DuckDB file: clean rows stay, failing rows move with the tests they failed, atomically. */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { repoRoot } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from '../api/index.js';

const schema = `version: 2
models:
  - name: orders
    config: {quarantine: true}
    columns:
      - name: id
        data_tests: [not_null]
      - name: status
        data_tests:
          - accepted_values: {values: [open, closed]}
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('customers')", field: id}
`;
const orders = (rows: string): string => `{{ config(materialized='table') }}\nselect * from (values ${rows}) as t(id, status, customer_id)`;
const files = {
  'models/customers.sql': "{{ config(materialized='table') }} select * from (values (1), (2)) as t(id)",
  'models/orders.sql': orders("(1, 'open', 1), (2, 'closed', 2), (null, 'open', 1), (4, 'lost', 1), (5, 'open', 99), (6, 'lost', 98)"),
  'models/order_report.sql': "select count(*) as n from {{ ref('orders') }}",
  'models/schema.yml': schema,
};

describe('quarantine', () => {
  const dir = writeProject(files);
  const db = join(dir, 'target', 'test.duckdb');
  afterAll(() => removeProject(dir));

  it('keeps clean rows, quarantines failing rows with the failed tests, and lets tests and downstream pass', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode, JSON.stringify(result.results.filter((r) => r.status !== 'success' && r.status !== 'pass'))).toBe(0);
    expect(await queryDuckDb(db, 'select id::int as id from main.orders order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    const q = await queryDuckDb(db, 'select id::int as id, _strata_failed_tests as failed, _strata_quarantined_at is not null as stamped from main.orders__quarantine order by id nulls first');
    expect(q).toEqual([
      { id: null, failed: 'not_null_orders_id', stamped: true },
      { id: 4, failed: 'accepted_values_orders_status__open__closed', stamped: true },
      { id: 5, failed: 'relationships_orders_customer_id__id__ref_customers_', stamped: true },
      { id: 6, failed: 'accepted_values_orders_status__open__closed,relationships_orders_customer_id__id__ref_customers_', stamped: true },
    ]);
    const r = result.results.find((x) => x.uniqueId === 'model.p.orders');
    expect(r?.adapterResponse).toMatchObject({ rows_affected: 2, rows_quarantined: 4 });
    expect(await queryDuckDb(db, 'select n::int as n from main.order_report')).toEqual([{ n: 2 }]);
  });

  it('a rerun replaces the quarantine with the current data', async () => {
    writeFileSync(join(dir, 'models', 'orders.sql'), orders("(1, 'open', 1), (7, 'lost', 2)"));
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id::int as id from main.orders__quarantine')).toEqual([{ id: 7 }]);
    expect(await queryDuckDb(db, 'select id::int as id from main.orders')).toEqual([{ id: 1 }]);
  });

  it('a kill in the middle of the build leaves the model and its quarantine as they were', async () => {
    writeFileSync(join(dir, 'models', 'orders.sql'), `{{ config(materialized='table') }}\nselect range as id, case when range % 2 = 0 then 'open' else 'lost' end as status, 1 as customer_id, md5(cast(range as varchar)) || md5(cast(range * 3 as varchar)) as pad from range(0, 60000000)`);
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'strata.js'), 'run', '--project-dir', dir, '--profiles-dir', dir, '-s', 'orders'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killed = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('START sql table model main.orders')) setTimeout(() => child.kill('SIGKILL'), 700);
      });
      child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL'));
    });
    expect(killed).toBe(true);
    expect(await queryDuckDb(db, 'select id::int as id from main.orders')).toEqual([{ id: 1 }]);
    expect(await queryDuckDb(db, 'select id::int as id from main.orders__quarantine')).toEqual([{ id: 7 }]);
  });
});
