/**
 * A local source landed into BigQuery is named relative to the project, as on DuckDB, and a ledger an earlier
 * version wrote (absolute `file://` URIs) is adopted in one BigQuery transaction: a project folder that moved
 * lands nothing twice, and an object it landed twice counts once (loopback BigQuery and GCS servers).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { startLocalBigQuery, type LocalBigQuery } from './local/local-bigquery-server.js';
import { startLocalGcs, type LocalGcs } from './local/local-gcs-server.js';
import { analyzerPlatformGap, query, queryRows } from '../../test-support/local-bigquery-client.js';
import { land } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const files = (bq: LocalBigQuery, gcs: LocalGcs): Record<string, string> => ({
  'project.yml': 'name: p\nprofile: p\n',
  'profiles.yml': `p:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      method: oauth-secrets\n      token: ya29.test-token\n      project: acme-ids\n      dataset: shop\n      location: EU\n      threads: 1\n      api_endpoint: ${bq.endpoint}\n      gcs_api_endpoint: ${gcs.endpoint}\n      gcs_staging_bucket: acme-staging\n`,
  'models/sources.yml': 'version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: orders\n        external:\n          location: landing/orders/\n          format: csv\n',
  'landing/orders/day1.csv': 'id,item\n1,apple\n2,pear\n',
});

describe.skipIf(analyzerPlatformGap)('local objects on BigQuery (loopback BigQuery and GCS)', () => {
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

  const state = async (): Promise<{ bronze: unknown[]; ledger: unknown[] }> => ({
    bronze: await queryRows(bq.endpoint, 'select _strata_source_file as f, count(*) as n from `acme-ids`.`bronze`.`orders` group by 1 order by 1', { project: 'acme-ids' }),
    ledger: await queryRows(bq.endpoint, "select uri as f, row_count as n from `acme-ids`.`strata_meta`.`landed_files` where status = 'loaded' order by 1", { project: 'acme-ids' }),
  });

  it('names them relative to the project, adopts an earlier ledger, and a moved folder lands nothing twice', async () => {
    const dir = writeProject(files(bq, gcs), false);
    dirs.push(dir);
    utimesSync(join(dir, 'landing/orders/day1.csv'), new Date(2026, 0, 1), new Date(2026, 0, 1));
    const first = await land({ projectDir: dir, profilesDir: dir });
    expect(first.exitCode, first.results[0]?.message).toBe(0);
    const relative = { bronze: [{ f: 'file:landing/orders/day1.csv', n: '2' }], ledger: [{ f: 'file:landing/orders/day1.csv', n: '2' }] };
    expect(await state()).toEqual(relative);
    // The ledger and bronze as the previous version wrote them: the absolute URI of the project's folder.
    const abs = `${pathToFileURL(dir).href}/landing/orders/day1.csv`;
    for (const sql of [`update \`acme-ids\`.\`strata_meta\`.\`landed_files\` set uri = '${abs}' where true`, `update \`acme-ids\`.\`bronze\`.\`orders\` set _strata_source_file = '${abs}' where true`]) {
      const r = await query(bq.endpoint, sql, { project: 'acme-ids' });
      expect(r.error).toBeUndefined();
    }
    const moved = `${dir}-moved`;
    renameSync(dir, moved);
    dirs.push(moved);
    const again = await land({ projectDir: moved, profilesDir: moved });
    expect(again.exitCode, again.results[0]?.message).toBe(0);
    expect(again.results[0]?.message).toBe('nothing new: 1 file already landed');
    expect(await state()).toEqual(relative);
    // The previous version landing day1.csv again from a second copy (another absolute URI, a second later): adopted, it counts once.
    const copy = `${pathToFileURL(dir).href}-copy/landing/orders/day1.csv`;
    for (const sql of [
      `update \`acme-ids\`.\`strata_meta\`.\`landed_files\` set uri = '${abs}' where true`,
      `update \`acme-ids\`.\`bronze\`.\`orders\` set _strata_source_file = '${abs}' where true`,
      `insert into \`acme-ids\`.\`strata_meta\`.\`landed_files\` select * replace ('${copy}' as uri, timestamp_add(loaded_at, interval 1 second) as loaded_at) from \`acme-ids\`.\`strata_meta\`.\`landed_files\``,
      `insert into \`acme-ids\`.\`bronze\`.\`orders\` select * replace ('${copy}' as _strata_source_file) from \`acme-ids\`.\`bronze\`.\`orders\``,
    ]) {
      const r = await query(bq.endpoint, sql, { project: 'acme-ids' });
      expect(r.error, sql).toBeUndefined();
    }
    const events: string[] = [];
    const twice = await land({ projectDir: moved, profilesDir: moved, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(twice.results[0]?.message).toBe('nothing new: 1 file already landed');
    expect(events.join('\n')).toContain('drop.orders: 1 object(s) had been landed twice by an earlier version');
    expect(await state()).toEqual(relative);
    writeFileSync(join(moved, 'landing/orders/day2.csv'), 'id,item\n3,plum\n');
    expect((await land({ projectDir: moved, profilesDir: moved })).results[0]?.message).toBe('landed 1 file (1 rows), skipped 1');
    expect((await state()).bronze).toEqual([{ f: 'file:landing/orders/day1.csv', n: '2' }, { f: 'file:landing/orders/day2.csv', n: '1' }]);
  });
});
