/**
 * `strata clone --target ci` from the BigQuery target's state, against the local BigQuery (every statement
 * checked by BigQuery's analyzer): tables become zero-copy clones, views views of the state's views.
 */
import { describe, it, expect } from 'vitest';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { strataCli as strata } from '../../test-support/strata-cli.js';

const output = (name: string, dataset: string, endpoint: string): string => bigQueryOutput(name, { endpoint, project: 'acme-local', dataset, threads: 2 });

describe.skipIf(analyzerPlatformGap)('strata clone on BigQuery', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: shop\nprofile: shop\n',
    'profiles.yml': bigQueryProfile('shop', 'prod', output('prod', 'analytics', endpoint), output('ci', 'ci', endpoint)),
    'seeds/raw_customers.csv': 'id,name\n1,Ada\n2,Grace\n',
    'models/customers.sql': "{{ config(materialized='table') }} select id, upper(name) as name from {{ ref('raw_customers') }}",
    'models/recent.sql': "{{ config(materialized='view') }} select id from {{ ref('customers') }} where id > 1",
  }), (local) => ({ bq, dir } = local));

  it('clones the state tables with CREATE TABLE … CLONE and the views as views; a second clone leaves them alone', async () => {
    const built = await strata(dir, 'build');
    expect(built.code, built.out).toBe(0);
    mkdirSync(join(dir, 'prod-state'));
    cpSync(join(dir, 'target', 'manifest.json'), join(dir, 'prod-state', 'manifest.json'));
    const r = await strata(dir, 'clone', '--state', join(dir, 'prod-state'), '--target', 'ci', '--debug');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('create or replace table `acme-local`.`ci`.`customers`\nclone `acme-local`.`analytics`.`customers`');
    expect(bq.tables.get('acme-local.ci.customers')).toMatchObject({ type: 'TABLE' });
    expect(bq.tables.get('acme-local.ci.customers')?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id INTEGER', 'name STRING']);
    expect(bq.tables.get('acme-local.ci.raw_customers')).toMatchObject({ type: 'TABLE', numRows: 2 });
    expect(bq.tables.get('acme-local.ci.recent')).toMatchObject({ type: 'VIEW' });
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
    expect(Object.fromEntries(results.results.map((x) => [x.unique_id, x.message]))).toEqual({ 'seed.shop.raw_customers': 'CLONE', 'model.shop.customers': 'CLONE', 'model.shop.recent': 'CREATE VIEW' });
    const again = await strata(dir, 'clone', '--state', join(dir, 'prod-state'), '--target', 'ci');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('customers: nothing to clone, `acme-local`.`ci`.`customers` already exists (--full-refresh replaces it)');
  });
});
