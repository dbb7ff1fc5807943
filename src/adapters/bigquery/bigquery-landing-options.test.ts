/**
 * A landing source's `external.options` on BigQuery: they reach the load job (in BigQuery's spelling), and one
 * BigQuery's load job does not have is refused by name instead of dropped (loopback BigQuery and GCS servers).
 */
import { describe, it, expect } from 'vitest';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, queryRows } from '../../test-support/local-bigquery-client.js';
import { build } from '../../api/index.js';
import { loadJobOptions } from './bigquery-load-options.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const files = (bq: LocalBigQuery, gcs: LocalGcs, options: string): Record<string, string> => ({
  'project.yml': 'name: p\nprofile: p\n',
  'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }),
  'models/sources.yml': `version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: orders\n        external:\n          location: landing/orders/\n          format: csv\n          pattern: '*.csv'\n          options: ${options}\n`,
  'landing/orders/day1.csv': 'id;item\n1;apple\n2;pear\n',
});

describe.skipIf(analyzerPlatformGap)('external.options on BigQuery (loopback BigQuery and GCS)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

  it("a semicolon CSV lands in two columns with field_delimiter: ';' (the load job gets fieldDelimiter)", async () => {
    const dir = writeProject(files(bq, gcs, "{field_delimiter: ';'}"), false);
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.results.map((x) => `${x.uniqueId} ${x.status} ${x.message ?? ''}`).join('\n')).not.toMatch(/ error /);
    expect(r.exitCode).toBe(0);
    const load = bq.jobs.find((j) => j.configuration.load?.sourceUris);
    expect(load.configuration.load).toMatchObject({ fieldDelimiter: ';', skipLeadingRows: 1 });
    expect(await queryRows(bq.endpoint, 'select cast(id as string) as id, item from `acme-test`.`bronze`.`orders` order by id')).toEqual([
      { id: '1', item: 'apple' },
      { id: '2', item: 'pear' },
    ]);
  });

  it('a DuckDB reader option is refused by name, the file is not landed, exit 1', async () => {
    // Another object than the first test's: in one warehouse, a file of the project is the same object in every project folder.
    const dir = writeProject(files(bq, gcs, '{union_by_name: true}'), false);
    dirs.push(dir);
    renameSync(join(dir, 'landing/orders/day1.csv'), join(dir, 'landing/orders/day2.csv'));
    const before = bq.jobs.length;
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const landing = r.results.find((x) => x.uniqueId.startsWith('landing.'));
    expect(landing?.status).toBe('error');
    expect(landing?.message).toMatch(/external option 'union_by_name' is not a BigQuery load job setting.*field_delimiter/);
    expect(bq.jobs.slice(before).filter((j) => j.configuration.load?.sourceUris)).toEqual([]);
  });
});

describe('loadJobOptions', () => {
  it("takes BigQuery's spelling and snake_case, refuses what Strata sets and what BigQuery lacks", () => {
    expect(loadJobOptions({ field_delimiter: '|', allowJaggedRows: true, null_marker: 'NA' })).toEqual({ fieldDelimiter: '|', allowJaggedRows: true, nullMarker: 'NA' });
    expect(() => loadJobOptions({ write_disposition: 'WRITE_APPEND' })).toThrow(/set by Strata's landing itself/);
    expect(() => loadJobOptions({ delim: ';' })).toThrow(/'delim' is not a BigQuery load job setting/);
  });
});
