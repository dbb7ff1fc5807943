/**
 * Landing on BigQuery (loopback BigQuery and GCS servers): BigQuery's SQL cannot add a field inside a RECORD,
 * so a later file with one fails by name, saying what to do, and leaves the table as it was; a new top-level
 * RECORD or repeated column is added with its fields.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { startLocalBigQuery, type LocalBigQuery } from './local/local-bigquery-server.js';
import { startLocalGcs, type LocalGcs } from './local/local-gcs-server.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { land } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const ndjson = (...rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe.skipIf(analyzerPlatformGap)('landing nested fields on BigQuery (loopback BigQuery and GCS)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs: string[] = [];
  beforeAll(async () => {
    gcs = await startLocalGcs();
    bq = await startLocalBigQuery({ gcs });
  });
  afterAll(async () => {
    await bq.close();
    await gcs.close();
    dirs.forEach(removeProject);
  });

  // Each test its own table: the loopback BigQuery is shared by the file's tests.
  const project = (table: string): string => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': `p:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      method: oauth-secrets\n      token: ya29.test-token\n      project: acme-test\n      dataset: shop\n      location: EU\n      threads: 1\n      api_endpoint: ${bq.endpoint}\n      gcs_api_endpoint: ${gcs.endpoint}\n      gcs_staging_bucket: acme-staging\n`,
      'models/sources.yml': `version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: ${table}\n        external:\n          location: landing/${table}/\n          format: ndjson\n          pattern: '*.json'\n`,
      [`landing/${table}/day_1.json`]: ndjson({ id: 1, author: { id: 1, handle: 'x' } }),
    }, false);
    dirs.push(dir);
    return dir;
  };

  it('a new field inside a RECORD fails the file by name with what to do, instead of a bare insert error; the table stays as it was', async () => {
    const dir = project('posts');
    const a = await land({ projectDir: dir, profilesDir: dir });
    expect(a.exitCode, a.results[0]?.message).toBe(0);
    writeFileSync(join(dir, 'landing', 'posts', 'day_2.json'), ndjson({ id: 2, author: { id: 2, handle: 'y', verified: true }, tags: ['a'] }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode).toBe(1);
    expect(b.results[0]?.message).toContain('day_2.json: column author of `acme-test`.`bronze`.`posts` cannot take this file\'s author, so nothing of the file was landed: author.verified (BOOL) is new.');
    expect(b.results[0]?.message).toContain('bq update');
    // Nothing changed: not even the new top-level column was added.
    expect((await queryRows(bq.endpoint, 'select * from `acme-test`.`bronze`.`posts`')).map((r) => Object.keys(r).join(','))).toEqual(['id,author,_strata_source_file,_strata_loaded_at,_strata_invocation_id']);
  });

  it('a new top-level RECORD or repeated column is added with its fields, and lands', async () => {
    const dir = project('notes');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    writeFileSync(join(dir, 'landing', 'notes', 'day_2.json'), ndjson({ id: 2, author: { id: 2, handle: 'y' }, geo: { lat: 1.5, tags: ['a', 'b'] }, labels: ['x'] }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode, b.results[0]?.message).toBe(0);
    expect(await queryRows(bq.endpoint, 'select id, geo.lat as lat, geo.tags as tags, labels from `acme-test`.`bronze`.`notes` order by id')).toEqual([
      { id: '1', lat: null, tags: [], labels: [] },
      { id: '2', lat: '1.5', tags: ['a', 'b'], labels: ['x'] },
    ]);
  });
});
