/**
 * A local source landed into BigQuery is named relative to the project, as on DuckDB, and a ledger an earlier
 * version wrote (absolute `file://` URIs) is adopted in BigQuery transactions (one per chunk of objects): a project folder that moved
 * lands nothing twice, and an object it landed twice counts once (loopback BigQuery and GCS servers).
 */
import { describe, it, expect } from 'vitest';
import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, query, queryRows } from '../../test-support/local-bigquery-client.js';
import { land } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const files = (bq: LocalBigQuery, gcs: LocalGcs): Record<string, string> => ({
  'project.yml': 'name: p\nprofile: p\n',
  'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-ids'),
  'models/sources.yml': 'version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: orders\n        external:\n          location: landing/orders/\n          format: csv\n',
  'landing/orders/day1.csv': 'id,item\n1,apple\n2,pear\n',
});

describe.skipIf(analyzerPlatformGap)('local objects on BigQuery (loopback BigQuery and GCS)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

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

  it('adopts in one transaction per chunk of objects: a crash between chunks is resumed by the next landing', async () => {
    const dir = writeProject({ ...files(bq, gcs), 'models/sources.yml': files(bq, gcs)['models/sources.yml']!.replace('name: orders', 'name: lines'), 'landing/orders/day2.csv': 'id,item\n3,plum\n', 'landing/orders/day3.csv': 'id,item\n4,fig\n5,kiwi\n6,lime\n' }, false);
    dirs.push(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 3 files (6 rows), skipped 0');
    const table = '`acme-ids`.`bronze`.`lines`';
    const ledger = '`acme-ids`.`strata_meta`.`landed_files`';
    // As the previous version left them: absolute URIs, each object landed a second time from a copy (the same rows, a second later).
    const [abs, copy] = [pathToFileURL(dir).href, `${pathToFileURL(dir).href}-copy`];
    for (const sql of [
      `update ${ledger} set uri = replace(uri, 'file:', '${abs}/') where source = 'drop.lines'`,
      `update ${table} set _strata_source_file = replace(_strata_source_file, 'file:', '${abs}/') where true`,
      `insert into ${ledger} select * replace (replace(uri, '${abs}', '${copy}') as uri, timestamp_add(loaded_at, interval 1 second) as loaded_at) from ${ledger} where source = 'drop.lines'`,
      `insert into ${table} select * replace (replace(_strata_source_file, '${abs}', '${copy}') as _strata_source_file) from ${table}`,
    ]) {
      const r = await query(bq.endpoint, sql, { project: 'acme-ids' });
      expect(r.error, sql).toBeUndefined();
    }
    const rows = async (): Promise<unknown[]> => [
      ...(await queryRows(bq.endpoint, `select 'bronze' as t, _strata_source_file as f, count(*) as n from ${table} group by 2 order by 2`, { project: 'acme-ids' })),
      ...(await queryRows(bq.endpoint, `select 'ledger' as t, uri as f, count(*) as n from ${ledger} where source = 'drop.lines' and status = 'loaded' group by 2 order by 2`, { project: 'acme-ids' })),
    ];
    const before = await rows();
    expect(before).toHaveLength(12);
    // One object per chunk; the second chunk's script fails as a crash would stop it.
    process.env.STRATA_ADOPT_CHUNK = '1';
    const scripts: string[] = [];
    const record = bq.requests.push.bind(bq.requests);
    bq.requests.push = (...requests) => {
      const sql = String(requests[0]?.body?.configuration?.query?.query ?? '');
      if (/BEGIN TRANSACTION/i.test(sql) && sql.includes('landed_files')) {
        scripts.push(sql);
        if (scripts.length === 2) bq.failInserts(1, 400, 'invalidQuery', 'the test stops this script');
      }
      return record(...requests);
    };
    try {
      const crashed = await land({ projectDir: dir, profilesDir: dir });
      expect(crashed.exitCode).toBe(1);
      // Each script names one object (its two landings), and the first committed: day1 is once, named relative.
      expect(scripts.map((x) => ['day1', 'day2', 'day3'].filter((d) => x.includes(`${d}.csv`)))).toEqual([['day1'], ['day2']]);
      const first = [{ t: 'bronze', f: 'file:landing/orders/day1.csv', n: '2' }, { t: 'ledger', f: 'file:landing/orders/day1.csv', n: '1' }];
      const after = await rows();
      expect(after).toEqual(expect.arrayContaining(first));
      expect(after.filter((r) => !String((r as { f: string }).f).includes('day1'))).toEqual(before.filter((r) => !String((r as { f: string }).f).includes('day1')));
      const again = await land({ projectDir: dir, profilesDir: dir });
      expect(again.exitCode, again.results[0]?.message).toBe(0);
      expect(again.results[0]?.message).toBe('nothing new: 3 files already landed');
      expect(await rows()).toEqual(['bronze', 'ledger'].flatMap((t) => [['day1', t === 'bronze' ? 2 : 1], ['day2', 1], ['day3', t === 'bronze' ? 3 : 1]].map(([d, n]) => ({ t, f: `file:landing/orders/${d}.csv`, n: String(n) }))));
    } finally {
      delete process.env.STRATA_ADOPT_CHUNK;
      bq.requests.push = record;
    }
  });
});
