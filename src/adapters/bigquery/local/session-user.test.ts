/**
 * `session_user()` on the local BigQuery (the grants lookup compares grantees with it), and what it answers
 * for SQL it accepted but cannot evaluate: a `notImplemented` job error, which the client does not retry —
 * not an HTTP 500 it retries for half a minute. No stubbed answers: the grants are read as a build reads them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { withSessionUser } from './session-user.js';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../../test-support/local-bigquery-client.js';
import { writeProject, removeProject } from '../../../test-support/fixture-project.js';
import { build } from '../../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

describe('withSessionUser', () => {
  it('replaces the call, and leaves strings, names and comments that spell it alone', () => {
    expect(withSessionUser("select session_user() as u, 'session_user()' as s, `session_user` -- session_user()\n, SESSION_USER ( ) as v", "o'neil@x.io")).toBe(
      "select 'o\\'neil@x.io' as u, 'session_user()' as s, `session_user` -- session_user()\n, 'o\\'neil@x.io' as v",
    );
  });
});

describe.skipIf(analyzerPlatformGap)('session_user() and unanswerable queries on the local BigQuery', () => {
  let bq: LocalBigQuery;
  let dir: string;
  beforeAll(async () => {
    bq = await startLocalBigQuery({ sessionUser: 'builder@acme-grants.iam.gserviceaccount.com' });
    dir = writeProject({
      'project.yml': 'name: vault\nprofile: vault\n',
      'profiles.yml': `vault:\n  target: local\n  outputs:\n    local:\n      type: bigquery\n      method: oauth-secrets\n      token: ya29.grants\n      project: acme-grants\n      dataset: vault\n      location: EU\n      threads: 1\n      api_endpoint: ${bq.endpoint}\n`,
      'models/ledger.sql': "{{ config(materialized='table', grants={'roles/bigquery.dataViewer': ['group:auditors@example.com']}) }}\nselect 1 as entry",
    });
  });
  afterAll(async () => {
    await bq.close();
    if (dir) removeProject(dir);
  });

  it('answers the identity it was started with, in plain queries and in INFORMATION_SCHEMA ones', async () => {
    expect(await queryRows(bq.endpoint, 'select session_user() as u', { project: 'acme-grants' })).toEqual([{ u: 'builder@acme-grants.iam.gserviceaccount.com' }]);
    expect(await queryRows(bq.endpoint, 'select count(*) as n, session_user() as u from `acme-grants`.`region-eu`.INFORMATION_SCHEMA.SCHEMATA', { project: 'acme-grants' })).toEqual([{ n: '0', u: 'builder@acme-grants.iam.gserviceaccount.com' }]);
  });

  it('builds a model with grants a second time, its grants read without retries', async () => {
    const first = await build({ projectDir: dir, profilesDir: dir });
    expect(first.results.map((r) => `${r.status} ${r.message ?? ''}`.trim())).toEqual([expect.stringMatching(/^success/)]);
    const started = Date.now();
    const second = await build({ projectDir: dir, profilesDir: dir });
    expect(second.results.map((r) => r.status)).toEqual(['success']);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The second build read the table's grants (the server keeps none: OBJECT_PRIVILEGES is empty) in one job.
    const lookups = bq.jobs.filter((j) => /OBJECT_PRIVILEGES/.test(j.configuration.query.query));
    expect(lookups.map((j) => j.status.errorResult ?? 'ok')).toEqual(['ok']);
  });

  it('answers a query it accepted but cannot evaluate with a notImplemented job error, not a 500', async () => {
    const answer = await query(bq.endpoint, 'select st_geogpoint(1, 2) as g, schema_name from `acme-grants`.`region-eu`.INFORMATION_SCHEMA.SCHEMATA', { project: 'acme-grants' });
    expect(answer.status).toBe(200);
    expect(answer.error).toMatchObject({ reason: 'notImplemented', message: expect.stringContaining('st_geogpoint') });
  });
});
