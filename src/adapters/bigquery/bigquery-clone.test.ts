/**
 * `strata clone --target ci` from the BigQuery target's state, against the local BigQuery (every statement
 * checked by BigQuery's analyzer): tables become zero-copy clones, views views of the state's views.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { repoRoot } from '../../test-support/demo-project.js';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import { startLocalBigQuery, type LocalBigQuery } from './local/local-bigquery-server.js';

const output = (name: string, dataset: string, endpoint: string): string =>
  `    ${name}:\n      type: bigquery\n      method: oauth-secrets\n      token: local-token\n      project: acme-local\n      dataset: ${dataset}\n      location: EU\n      threads: 2\n      api_endpoint: ${endpoint}\n`;

async function strata(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin', 'strata.js'), ...args, '--project-dir', dir, '--profiles-dir', dir], { encoding: 'utf8', env: { ...process.env, STRATA_BQ_BACKOFF_MS: '5', NO_COLOR: '1' } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe.skipIf(analyzerPlatformGap)('strata clone on BigQuery', () => {
  let bq: LocalBigQuery;
  let dir: string;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    dir = writeProject({
      'project.yml': 'name: shop\nprofile: shop\n',
      'profiles.yml': `shop:\n  target: prod\n  outputs:\n${output('prod', 'analytics', bq.endpoint)}${output('ci', 'ci', bq.endpoint)}`,
      'seeds/raw_customers.csv': 'id,name\n1,Ada\n2,Grace\n',
      'models/customers.sql': "{{ config(materialized='table') }} select id, upper(name) as name from {{ ref('raw_customers') }}",
      'models/recent.sql': "{{ config(materialized='view') }} select id from {{ ref('customers') }} where id > 1",
    });
  });
  afterAll(async () => {
    await bq.close();
    removeProject(dir);
  });

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
