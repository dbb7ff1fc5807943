/**
 * Unit tests on the BigQuery target itself: given rows become CTEs, the model's BigQuery SQL (SAFE_CAST,
 * TIMESTAMP_DIFF, `* EXCEPT`, its own WITH) runs against them on the local BigQuery, rows are compared.
 * Nothing is created for a unit test. TIMESTAMP and NUMERIC cells compare as on the embedded path (ISO
 * instants, numbers). A passing unit test is one query job, nested columns (STRUCT, ARRAY) in its result too.
 * A wrong expected row fails the command (exit 1) with a diff.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { strataCli } from '../../test-support/strata-cli.js';
import { analyzerPlatformGap, withoutQueryComment } from '../../test-support/local-bigquery-client.js';
import { build } from '../../api/index.js';
import { CapturingReporter } from '../../diagnostics/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const MODEL = `with parsed as (
  select * except (raw_amount), safe_cast(raw_amount as int64) as amount,
    timestamp_diff(shipped_at, ordered_at, hour) as hours_to_ship
  from {{ ref('raw_orders') }}
)
select id, amount, hours_to_ship, date(ordered_at) as order_day, ordered_at, cast(amount as numeric) / 4 as quarter from parsed where amount is not null`;

const unitTests = (expectSecond: string): string => `version: 2
unit_tests:
  - name: parses_and_times_orders
    model: orders
    given:
      - input: ref('raw_orders')
        rows:
          - {id: 1, raw_amount: '10', ordered_at: '2026-01-01 09:00:00', shipped_at: '2026-01-01 12:00:00'}
          - {id: 2, raw_amount: 'n/a', ordered_at: '2026-01-01 10:00:00', shipped_at: '2026-01-02 10:00:00'}
          - {id: 3, raw_amount: '30', ordered_at: '2026-01-02 11:00:00', shipped_at: '2026-01-03 12:00:00'}
    expect:
      rows:
        - {id: 1, amount: 10, hours_to_ship: 3, order_day: '2026-01-01', ordered_at: '2026-01-01T09:00:00.000Z', quarter: 2.5}
        - ${expectSecond}
  - name: keeps_nested_columns
    model: nested
    given:
      - input: ref('raw_orders')
        rows: [{id: 4, raw_amount: '1'}, {id: 5, raw_amount: '2'}]
    expect:
      rows: [{id: 4, tag: 'x'}, {id: 5, tag: 'x'}]
`;

function project(endpoint: string): Record<string, string> {
  return {
    'project.yml': 'name: shop\nprofile: shop\nseeds:\n  shop:\n    raw_orders:\n      +column_types: {id: INT64, raw_amount: STRING, ordered_at: TIMESTAMP, shipped_at: TIMESTAMP}\n',
    'profiles.yml': bigQueryProfile('shop', 'prod', bigQueryOutput('prod', { endpoint, project: 'acme-data', dataset: 'analytics', token: 'ya29.unit' })),
    'seeds/raw_orders.csv': 'id,raw_amount,ordered_at,shipped_at\n1,10,2026-01-01 09:00:00,2026-01-01 12:00:00\n',
    'models/orders.sql': MODEL,
    'models/nested.sql': "select id, 'x' as tag, struct(id as a, raw_amount as b) as s, [id, id + 1] as l from {{ ref('raw_orders') }}",
    'models/unit_tests.yml': unitTests("{id: 3, amount: 30, hours_to_ship: 25, order_day: '2026-01-02', ordered_at: '2026-01-02T11:00:00.000Z', quarter: 7.5}"),
  };
}

describe.skipIf(analyzerPlatformGap)('unit tests on the BigQuery target (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery(project, (local) => ({ bq, dir } = local));

  it('passes on BigQuery-only SQL, typed from the real seed table, and creates nothing for the test', async () => {
    const reporter = new CapturingReporter();
    const result = await build({ projectDir: dir, profilesDir: dir, reporter });
    expect(result.results.map((r) => `${r.uniqueId}: ${r.status}`).sort()).toEqual([
      'model.shop.nested: success', 'model.shop.orders: success', 'seed.shop.raw_orders: success', 'unit_test.shop.nested.keeps_nested_columns: pass', 'unit_test.shop.orders.parses_and_times_orders: pass',
    ]);
    expect([...bq.tables.keys()].filter((k) => k.includes('__strata'))).toEqual([]);
    // As dbt-bigquery's: the adapter's response to the unit test's query (a SELECT of its rows).
    expect(result.results.find((r) => r.uniqueId === 'unit_test.shop.orders.parses_and_times_orders')?.adapterResponse).toMatchObject({
      _message: expect.stringMatching(/^SELECT \(2\.0 rows, .+ processed\)$/), code: 'SELECT', rows_affected: 2, project_id: 'acme-data', job_id: expect.any(String),
    });
    // One query job for the unit test: its expected rows, given as values, are not a second job.
    for (const id of ['unit_test.shop.orders.parses_and_times_orders', 'unit_test.shop.nested.keeps_nested_columns']) {
      const unitSql = reporter.events.filter((e) => e.type === 'sql' && e.uniqueId === id);
      expect(unitSql.map((e) => withoutQueryComment((e as { sql: string }).sql).trimStart().slice(0, 30))).toEqual([expect.stringMatching(/^with `__strata_given_0`/)]);
    }
  });

  it('a wrong expected row fails the build with exit 1 and a diff of the rows', async () => {
    writeFileSync(join(dir, 'models', 'unit_tests.yml'), unitTests("{id: 3, amount: 30, hours_to_ship: 24, order_day: '2026-01-02', ordered_at: '2026-01-02T11:00:00.000Z', quarter: 7.5}"));
    const r = await strataCli(dir, 'build', '--select', 'orders');
    // dbt's daff diff: the changed cell `expected→actual`, the columns far from it and the key as one `...` column.
    expect(r.out).toContain('actual differs from expected:\n\n@@');
    expect(r.out).toMatch(/\n→ *,3 *,30 *,24→25 *,2026-01-02 *,\.\.\.\n/);
    expect(r.code).toBe(1);
  });
});
