/**
 * dbt's `query-comment` on BigQuery (the local BigQuery server, loopback only): each job's query carries the
 * comment, and with `job-label: true` the Google client sends the labels dbt-bigquery makes of it, which
 * jobs.get answers in `configuration.labels` (what INFORMATION_SCHEMA.JOBS shows, to attribute cost per model).
 * Every query job (a dry run's too) is labelled `dbt_invocation_id`, as dbt-bigquery's; load jobs are not.
 */
import { describe, it, expect } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, loopbackBigQueryProfile } from '../../test-support/local-bigquery-client.js';
import { labelsFromComment, sanitizeLabel } from './bigquery-job-labels.js';
import { clone, plan, run, seed, sourceFreshness } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

/** A job as jobs.get answers it, asked through the Google client as a user's tooling would. */
async function jobMetadata(endpoint: string, project: string, jobId: string): Promise<any> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'ya29.test-token', expiry_date: Date.now() + 3600_000 });
  const client = new BigQuery({ projectId: project, apiEndpoint: endpoint, authClient: auth, autoRetry: false } as never);
  const [metadata] = await client.job(jobId, { location: 'EU' }).getMetadata();
  return metadata;
}

describe('labels from a query comment, as dbt-bigquery makes them', () => {
  it('gives a label per key of a JSON object, sanitized; any other comment one query_comment label', () => {
    expect(labelsFromComment('{"app": "dbt", "node_id": "model.shop.Orders", "n": 3, "ok": true, "none": null}')).toEqual({ app: 'dbt', node_id: 'model_shop_orders', n: '3', ok: 'true', none: 'none' });
    expect(labelsFromComment('Nightly run: finance!')).toEqual({ query_comment: 'nightly_run__finance_' });
    expect(labelsFromComment('[1, 2]')).toEqual({ query_comment: '_1__2_' });
    expect(sanitizeLabel(` ${'x'.repeat(70)} `)).toBe('x'.repeat(63));
  });
});

describe.skipIf(analyzerPlatformGap)('query-comment on BigQuery (loopback BigQuery)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));
  const project = (extra: string, id: string, files: Record<string, string> = {}): string => {
    const dir = writeProject({
      'dbt_project.yml': `name: shop\nprofile: p\n${extra}`,
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, id),
      'models/daily_orders.sql': "{{ config(materialized='table') }}\nselect 1 as order_id, 'open' as state",
      ...files,
    }, false);
    dirs.push(dir);
    return dir;
  };
  /** The job that created the model's table. */
  const modelJob = (from: number): any => bq.jobs.slice(from).find((j) => /create or replace table `[^`]+`\.`shop`\.`daily_orders`/.test(String(j.configuration.query?.query ?? '')));

  it("labels the model's job with dbt's default comment (job-label: true), which its query carries first", async () => {
    const dir = project('query-comment:\n  job-label: true\n', 'acme-labels');
    const before = bq.jobs.length;
    const r = await run({ projectDir: dir, profilesDir: dir });
    expect(r.results.map((x) => x.status)).toEqual(['success']);
    const job = modelJob(before);
    expect(String(job.configuration.query.query)).toMatch(/^\/\* \{"app": "dbt", "dbt_version": "[0-9.]+", "profile_name": "p", "target_name": "prod", "node_id": "model\.shop\.daily_orders"\} \*\/\ncreate or replace table/);
    const metadata = await jobMetadata(bq.endpoint, 'acme-labels', job.jobReference.jobId);
    expect(metadata.configuration.labels).toEqual({ app: 'dbt', dbt_version: expect.stringMatching(/^[0-9]+_[0-9]+_[0-9]+$/), profile_name: 'p', target_name: 'prod', node_id: 'model_shop_daily_orders', dbt_invocation_id: r.invocationId });
    // Statements outside any node (creating the dataset) are labelled with the connection's name, as dbt's.
    const outside = bq.jobs.slice(before).find((j) => /create schema/i.test(String(j.configuration.query?.query ?? '')));
    expect(outside?.configuration.labels).toMatchObject({ connection_name: 'master' });
  });

  it('labels a job with a comment that is not JSON as query_comment; without job-label, a job has only dbt_invocation_id', async () => {
    const dir = project("query-comment:\n  comment: \"Team Finance / {{ node.name if node is not none else 'setup' }}\"\n  job-label: true\n", 'acme-text');
    const before = bq.jobs.length;
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const job = modelJob(before);
    expect(String(job.configuration.query.query)).toMatch(/^\/\* Team Finance \/ daily_orders \*\/\n/);
    expect((await jobMetadata(bq.endpoint, 'acme-text', job.jobReference.jobId)).configuration.labels).toEqual({ query_comment: 'team_finance___daily_orders', dbt_invocation_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const plain = project('', 'acme-plain');
    const next = bq.jobs.length;
    const r = await run({ projectDir: plain, profilesDir: plain });
    expect(r.exitCode).toBe(0);
    const unlabelled = modelJob(next);
    expect(String(unlabelled.configuration.query.query)).toMatch(/^\/\* \{"app": "dbt"/);
    expect((await jobMetadata(bq.endpoint, 'acme-plain', unlabelled.jobReference.jobId)).configuration.labels).toEqual({ dbt_invocation_id: r.invocationId });
  });

  it("labels every query job and dry run with dbt_invocation_id, as dbt-bigquery; a seed's load job with none", async () => {
    const dir = project('query-comment:\n  job-label: true\n', 'acme-invocation', { 'seeds/stores.csv': 'store_id,city\n1,Lyon\n2,Oslo\n' });
    const before = bq.jobs.length;
    const seeded = await seed({ projectDir: dir, profilesDir: dir });
    expect(seeded.exitCode).toBe(0);
    const jobs = bq.jobs.slice(before);
    const queries = jobs.filter((j) => j.configuration.query);
    expect(queries.length).toBeGreaterThan(0);
    for (const j of queries) expect(j.configuration.labels.dbt_invocation_id, String(j.configuration.query.query)).toBe(seeded.invocationId);
    const load = jobs.find((j) => j.configuration.load);
    expect(load?.configuration.load.destinationTable.tableId).toBe('stores');
    expect(load?.configuration.labels).toBeUndefined();

    // The profile's labels (Strata's own setting) on every query job, beside dbt's.
    const profiles = join(dir, 'profiles.yml');
    writeFileSync(profiles, readFileSync(profiles, 'utf8').replace('      threads: 1\n', '      threads: 1\n      labels: {team: stores}\n'));
    const next = bq.jobs.length;
    const again = await seed({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(0);
    // The upload's options all go under configuration.load, which has no labels: none are sent, as dbt-bigquery's.
    const load2 = bq.jobs.slice(next).find((j) => j.configuration.load);
    expect([load2?.configuration.labels, load2?.configuration.load.labels]).toEqual([undefined, undefined]);
    expect(bq.jobs.slice(next).find((j) => j.configuration.query)?.configuration.labels).toMatchObject({ team: 'stores', connection_name: 'master', dbt_invocation_id: again.invocationId });

    // A dry run (strata plan) is a query job: dbt's labels too.
    const asked = bq.requests.length;
    const planned = await plan({ projectDir: dir, profilesDir: dir, select: ['daily_orders'] });
    expect(planned.exitCode, JSON.stringify(planned.nodes)).toBe(0);
    const dry = bq.requests.slice(asked).filter((q) => q.body?.configuration?.dryRun);
    expect(dry.length).toBe(1);
    expect(dry[0]!.body.configuration.labels).toMatchObject({ team: 'stores', dbt_invocation_id: planned.invocationId, app: 'dbt' });
  });

  it("comments each node's clone statement and each source's freshness query with that node's comment, as dbt's runners", async () => {
    const dir = project('', 'acme-runners', {
      'models/sources.yml': 'version: 2\nsources:\n  - name: till\n    schema: shop\n    loaded_at_field: "current_timestamp()"\n    freshness: {warn_after: {count: 1, period: day}}\n    tables:\n      - name: daily_orders\n',
    });
    const profiles = join(dir, 'profiles.yml');
    const prod = readFileSync(profiles, 'utf8');
    writeFileSync(profiles, prod + prod.slice(prod.indexOf('    prod:\n')).replace('    prod:', '    ci:').replace('dataset: shop', 'dataset: ci'));
    expect((await run({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    mkdirSync(join(dir, 'prod-state'));
    cpSync(join(dir, 'target', 'manifest.json'), join(dir, 'prod-state', 'manifest.json'));
    const sentFrom = (from: number, pattern: RegExp): string[] => bq.jobs.slice(from).map((j) => String(j.configuration.query?.query ?? '')).filter((q) => pattern.test(q));

    const before = bq.jobs.length;
    const cloned = await clone({ projectDir: dir, profilesDir: dir, target: 'ci', state: join(dir, 'prod-state') });
    expect(cloned.results.map((x) => `${x.uniqueId} ${x.status}`)).toEqual(['model.shop.daily_orders success']);
    const clones = sentFrom(before, /`ci`\.`daily_orders`\s+clone /);
    expect(clones.length).toBe(1);
    expect(clones[0]).toMatch(/^\/\* \{"app": "dbt", .*"target_name": "ci", "node_id": "model\.shop\.daily_orders"\} \*\/\n/);
    // Creating the dataset is outside any node.
    expect(sentFrom(before, /create schema/i)[0]).toMatch(/"connection_name": "master"\} \*\/\n/);

    const next = bq.jobs.length;
    const fresh = await sourceFreshness({ projectDir: dir, profilesDir: dir });
    expect(fresh.results.map((x) => `${x.uniqueId} ${x.status}`)).toEqual(['source.shop.till.daily_orders pass']);
    const checks = sentFrom(next, /max\(current_timestamp\(\)\)/);
    expect(checks.length).toBe(1);
    expect(checks[0]).toMatch(/^\/\* \{"app": "dbt", .*"node_id": "source\.shop\.till\.daily_orders"\} \*\/\n/);
  });
});
