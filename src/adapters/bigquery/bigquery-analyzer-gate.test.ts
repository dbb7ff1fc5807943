/**
 * Deliberately wrong models fail `strata build --target bigquery` against the local BigQuery, refused by
 * BigQuery's analyzer as production would refuse them: one line with BigQuery's message, pointing at the
 * model's compiled line, no stack trace, exit code 1; the models that are right still build.
 */
import { describe, it, expect } from 'vitest';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { strataCli as strata } from '../../test-support/strata-cli.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';

const DUCKDB_DEV = '    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      schema: main\n';
const profile = (endpoint: string): string =>
  bigQueryProfile('shop', 'dev', DUCKDB_DEV, bigQueryOutput('bigquery', { endpoint, project: 'acme-local', dataset: 'analytics' }));

describe.skipIf(analyzerPlatformGap)('wrong models on the BigQuery target, caught offline by the analyzer', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: shop\nprofile: shop\n',
    'profiles.yml': profile(endpoint),
    'seeds/raw_customers.csv': 'id,name,signup_date\n1,Ada,2026-01-01\n2,Grace,2026-01-02\n',
    'models/good.sql': "select id, name, timestamp(signup_date) as signed_up_at from {{ ref('raw_customers') }}",
    'models/unknown_column.sql': "{{ config(materialized='view') }}\nselect\n  id,\n  nmae as name\nfrom {{ ref('raw_customers') }}",
    'models/duckdb_only.sql': "{{ config(materialized='table') }}\nselect\n  id,\n  strftime(signup_date, '%Y') as signup_year\nfrom {{ ref('raw_customers') }}",
    'models/events.sql':
      "{{ config(materialized='incremental', unique_key='id') }}\nselect\n  id,\n{% if is_incremental() %}  format_date('%F', signup_date) as seen_at\n{% else %}  timestamp(signup_date) as seen_at\n{% endif %}from {{ ref('raw_customers') }}",
  }), (local) => ({ bq, dir } = local));

  it('an unknown column and a DuckDB-only function: BigQuery\u2019s message at the compiled line, the rest builds', async () => {
    const r = await strata(dir, 'build', '--target', 'bigquery');
    expect(r.code, r.out).toBe(1);
    // BigQuery's positions count the line of the query comment before the statement.
    expect(r.out).toContain('Unrecognized name: nmae; Did you mean name? at [7:3]');
    expect(r.out).toContain('at target/compiled/shop/models/unknown_column.sql:4:3 (compiled SQL of models/unknown_column.sql, from models/unknown_column.sql:4:3)');
    expect(r.out).toContain('Function not found: strftime at [7:3]');
    expect(r.out).toContain('at target/compiled/shop/models/duckdb_only.sql:4:3 (compiled SQL of models/duckdb_only.sql, from models/duckdb_only.sql:4:3)');
    expect(r.out).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(bq.tables.get('acme-local.analytics.good')?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id INTEGER', 'name STRING', 'signed_up_at TIMESTAMP']);
    expect(bq.tables.has('acme-local.analytics.unknown_column')).toBe(false);
    expect(bq.tables.has('acme-local.analytics.duckdb_only')).toBe(false);
    expect(bq.tables.get('acme-local.analytics.events')?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id INTEGER', 'seen_at TIMESTAMP']);
  });

  it('a MERGE that would write a STRING into a TIMESTAMP column fails the incremental run, pointing at the column in the compiled SQL', async () => {
    const r = await strata(dir, 'build', '--target', 'bigquery', '--select', 'events');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/Value of type STRING cannot be assigned to seen_at, which has type TIMESTAMP at \[\d+:\d+\]/);
    expect(r.out).toContain('at target/compiled/shop/models/events.sql:4:37 (column seen_at in the compiled SQL of models/events.sql)');
    expect(bq.tables.get('acme-local.analytics.events')?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id INTEGER', 'seen_at TIMESTAMP']);
  });
});
