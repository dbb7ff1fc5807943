/**
 * Opt-in live suite: builds a small project in a real BigQuery project.
 *
 *   STRATA_BQ_PROJECT=my-project [STRATA_BQ_LOCATION=EU] [STRATA_BQ_KEYFILE=key.json] npm run test:bigquery
 *
 * Credentials: the key file when STRATA_BQ_KEYFILE is set, else application default credentials.
 * It creates a dataset `strata_live_<random>` and deletes it afterwards. Skipped when STRATA_BQ_PROJECT is unset.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { build, plan } from '../../api/index.js';

const project = process.env.STRATA_BQ_PROJECT;
const dataset = `strata_live_${randomBytes(4).toString('hex')}`;

describe.skipIf(!project)('live BigQuery', () => {
  // Written when the suite runs: a skipped suite's body still runs, and its afterAll does not.
  let dir = '';
  beforeAll(() => {
    dir = writeProject({
      'project.yml': 'name: live\nprofile: live\n',
      'profiles.yml': `live:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      method: ${process.env.STRATA_BQ_KEYFILE ? 'service-account' : 'oauth'}\n${process.env.STRATA_BQ_KEYFILE ? `      keyfile: ${process.env.STRATA_BQ_KEYFILE}\n` : ''}      project: ${project}\n      dataset: ${dataset}\n      location: ${process.env.STRATA_BQ_LOCATION ?? 'US'}\n      threads: 4\n      maximum_bytes_billed: 1000000000\n      labels: {suite: strata-live}\n`,
      'seeds/raw_people.csv': 'id,name,joined\n1,Ada,2026-01-01\n2,Grace,2026-01-02\n3,Linus,2026-01-03\n',
      'models/people.sql': "{{ config(materialized='table', partition_by={'field': 'joined', 'data_type': 'date'}, cluster_by=['id']) }}\nselect id, name, cast(joined as date) as joined from {{ ref('raw_people') }}",
      'models/people_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('people') }}",
      'models/people_inc.sql': "{{ config(materialized='incremental', unique_key='id', partition_by={'field': 'joined', 'data_type': 'date'}) }}\nselect id, name, joined from {{ ref('people') }}{% if is_incremental() %} where joined >= (select max(joined) from {{ this }}){% endif %}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: people\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
    });
  });
  afterAll(async () => {
    const { BigQuery } = await import('@google-cloud/bigquery');
    await new BigQuery({ projectId: project, ...(process.env.STRATA_BQ_KEYFILE ? { keyFilename: process.env.STRATA_BQ_KEYFILE } : {}) }).dataset(dataset).delete({ force: true }).catch(() => undefined);
    removeProject(dir);
  });

  it('builds seeds, table, view, incremental and tests; a rebuild merges; plan estimates', async () => {
    const first = await build({ projectDir: dir, profilesDir: dir });
    expect(first.exitCode, JSON.stringify(first.results.map((r) => r.message))).toBe(0);
    const second = await build({ projectDir: dir, profilesDir: dir });
    expect(second.exitCode).toBe(0);
    expect(second.results.find((r) => r.uniqueId === 'model.live.people_inc')?.message).toMatch(/^MERGE/);
    const estimate = await plan({ projectDir: dir, profilesDir: dir });
    expect(estimate.exitCode).toBe(0);
    expect(estimate.totalBytes).toBeGreaterThan(0);
  });
});
