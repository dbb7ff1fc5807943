/** Landing from a real S3-compatible server (s3rver on loopback) and from a local folder into bronze. */
import { describe, it, expect, inject, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { repoRoot } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, land } from '../api/index.js';
import { newBucket, parquetBytes, put, putMultipart, s3Client } from './test-support/s3-fixtures.js';
import { startFaultProxy } from './test-support/fault-proxy.js';
import { startFakeGcs, type FakeGcs } from '../test-support/fake-gcs.js';
import { startS3Server, type RunningS3 } from '../test-support/s3-server.js';
import type { Reporter } from '../diagnostics/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function s3Project(endpoint: string, bucket: string, extra: Record<string, string> = {}, external = ''): { dir: string; db: string } {
  const dir = writeProject({
    'profiles.yml': `p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      threads: 2\n      s3:\n        endpoint: ${endpoint}\n        region: us-east-1\n        force_path_style: true\n        access_key_id: S3RVER\n        secret_access_key: S3RVER\n        max_attempts: 6\n`,
    'models/sources.yml': `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: calls\n        external:\n          location: s3://${bucket}/calls/\n          format: parquet\n          pattern: '**/*.parquet'\n${external}`,
    'models/call_count.sql': "{{ config(materialized='table') }} select count(*) as n from {{ source('landing', 'calls') }}",
    ...extra,
  });
  dirs.push(dir);
  return { dir, db: join(dir, 'target', 'test.duckdb') };
}
const count = async (db: string, sql = 'select count(*)::int as n from bronze.calls'): Promise<number> => Number((await queryDuckDb(db, sql))[0]!.n);

describe('landing from S3', () => {
  let client: S3Client;
  let endpoint: string;
  let small: Buffer;
  beforeAll(async () => {
    endpoint = inject('s3Endpoint');
    client = s3Client(endpoint);
    small = await parquetBytes("select range as call_id, 'caller-' || range as caller from range(0, 3)");
  });

  it('lists every page (served 4 keys a page, as S3 serves 1,000), lands the matching objects once, then a rerun lands nothing and downstream builds', async () => {
    // 12 objects, 3 pages; 7 match the pattern, on every page. Each object lands in its own transaction (about
    // 25 ms apiece, minutes under load for 1,001), so the pages are made small rather than the listing long.
    const bucket = await newBucket(client);
    const keys = Array.from({ length: 11 }, (_, i) => `calls/dt=2026-01-01/part-${String(i).padStart(2, '0')}.${i % 3 === 0 ? 'crc' : 'parquet'}`);
    await Promise.all(keys.map((k) => put(client, bucket, k, k.endsWith('.parquet') ? small : 'checksum')));
    await put(client, bucket, 'calls/_SUCCESS', 'not parquet, not matched by the pattern');
    const proxy = await startFaultProxy(endpoint);
    try {
      proxy.pageSize(4);
      const { dir, db } = s3Project(proxy.endpoint, bucket);
      const first = await build({ projectDir: dir, profilesDir: dir });
      expect(first.exitCode, JSON.stringify(first.results.map((r) => r.message))).toBe(0);
      expect(proxy.stats.lists).toBe(3);
      expect(first.results.find((r) => r.uniqueId === 'landing.p.landing.calls')?.adapterResponse).toMatchObject({ files_landed: 7, rows_affected: 21 });
      expect(await count(db)).toBe(21);
      expect(await count(db, 'select n::int as n from main.call_count')).toBe(21);
      const loaded = await queryDuckDb(db, "select key from strata_meta.landed_files where status = 'loaded' order by key");
      expect(loaded.map((r) => `calls/${String(r.key)}`)).toEqual(keys.filter((k) => k.endsWith('.parquet')));
      const cols = (await queryDuckDb(db, "select column_name from information_schema.columns where table_name = 'calls' order by ordinal_position")).map((r) => r.column_name);
      expect(cols).toEqual(['call_id', 'caller', '_strata_source_file', '_strata_loaded_at', '_strata_invocation_id']);
      const again = await land({ projectDir: dir, profilesDir: dir });
      expect(again.results[0]?.adapterResponse).toMatchObject({ files_landed: 0, files_skipped: 7 });
      expect(await count(db)).toBe(21);
    } finally {
      await proxy.close();
    }
  });

  it('lands a multipart-uploaded object, and hive partitions become columns', async () => {
    const bucket = await newBucket(client);
    const big = await parquetBytes("select range as call_id, md5(cast(range as varchar)) || md5(cast(range + 1 as varchar)) as caller from range(0, 200000)");
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(await putMultipart(client, bucket, 'calls/region=eu/big.parquet', big)).toBeGreaterThan(1);
    const { dir, db } = s3Project(endpoint, bucket, {}, '          partitions: hive\n');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select region, count(*)::int as n from bronze.calls group by region')).toEqual([{ region: 'eu', n: 200000 }]);
  });

  it('records a corrupt file and an incompatible type as failed, lands the rest, exits 1; new columns arrive as nullable', async () => {
    const bucket = await newBucket(client);
    await put(client, bucket, 'calls/a.parquet', small);
    await put(client, bucket, 'calls/b.parquet', await parquetBytes("select 10 as call_id, 'x' as caller, 'mobile' as device"));
    await put(client, bucket, 'calls/c.parquet', Buffer.from('PAR1 this is not really parquet PAR1'));
    await put(client, bucket, 'calls/d.parquet', await parquetBytes("select 'eleven' as call_id, 'y' as caller"));
    const { dir, db } = s3Project(endpoint, bucket);
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]?.message).toContain('c.parquet');
    expect(r.results[0]?.message).toMatch(/d\.parquet: column call_id is VARCHAR/);
    expect(await queryDuckDb(db, 'select call_id::int as call_id, device from bronze.calls order by call_id')).toEqual([
      { call_id: 0, device: null }, { call_id: 1, device: null }, { call_id: 2, device: null }, { call_id: 10, device: 'mobile' },
    ]);
    const ledger = await queryDuckDb(db, 'select key, status from strata_meta.landed_files order by key');
    expect(ledger).toEqual([{ key: 'a.parquet', status: 'loaded' }, { key: 'b.parquet', status: 'loaded' }, { key: 'c.parquet', status: 'failed' }, { key: 'd.parquet', status: 'failed' }]);
  });

  it('a changed object is not reloaded silently; --reland-changed replaces its rows', async () => {
    const bucket = await newBucket(client);
    await put(client, bucket, 'calls/a.parquet', small);
    const { dir, db } = s3Project(endpoint, bucket);
    await land({ projectDir: dir, profilesDir: dir });
    await put(client, bucket, 'calls/a.parquet', await parquetBytes("select range as call_id, 'v2' as caller from range(0, 5)"));
    await land({ projectDir: dir, profilesDir: dir });
    expect(await count(db)).toBe(3);
    await land({ projectDir: dir, profilesDir: dir, relandChanged: true });
    expect(await queryDuckDb(db, 'select count(*)::int as n, min(caller) as c from bronze.calls')).toEqual([{ n: 5, c: 'v2' }]);
  });

  it('retries through 503s and dropped connections', async () => {
    const bucket = await newBucket(client);
    for (let i = 0; i < 6; i++) await put(client, bucket, `calls/p${i}.parquet`, small);
    const proxy = await startFaultProxy(endpoint);
    try {
      const { dir, db } = s3Project(proxy.endpoint, bucket);
      proxy.fail(2, 'error');
      const a = await land({ projectDir: dir, profilesDir: dir });
      expect(a.exitCode, a.results[0]?.message).toBe(0);
      proxy.fail(2, 'drop');
      writeFileSync(join(dir, 'models', 'call_count.sql'), 'select 1 as n');
      await put(client, bucket, 'calls/p9.parquet', small);
      const b = await land({ projectDir: dir, profilesDir: dir });
      expect(b.exitCode, b.results[0]?.message).toBe(0);
      expect(proxy.stats.faults).toBe(4);
      expect(await count(db)).toBe(21);
    } finally {
      await proxy.close();
    }
  });

  it('survives the S3 server being killed and restarted in the middle of a landing', async () => {
    const first = await startS3Server();
    let server: RunningS3 = first;
    try {
      const c = s3Client(first.endpoint);
      const bucket = await newBucket(c);
      for (let i = 0; i < 60; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => put(c, bucket, `calls/f${String(i + j).padStart(3, '0')}.parquet`, small)));
      c.destroy();
      const { dir, db } = s3Project(first.endpoint, bucket);
      let outage: Promise<void> | undefined;
      let backAt = 0;
      const reporter: Reporter = {
        emit(e) {
          if (e.type !== 'progress' || outage || (e as { done: number }).done < 5) return;
          outage = (async () => {
            await first.stop('SIGKILL');
            await new Promise((r) => setTimeout(r, 1500));
            server = await startS3Server(first.port, first.directory);
            backAt = Date.now();
          })();
        },
      };
      const result = await land({ projectDir: dir, profilesDir: dir, reporter });
      const doneAt = Date.now();
      await outage;
      expect(result.exitCode, result.results[0]?.message).toBe(0);
      expect(backAt).toBeGreaterThan(0);
      expect(doneAt).toBeGreaterThanOrEqual(backAt); // the landing waited for the server instead of failing
      expect(await count(db)).toBe(180);
      expect(await count(db, "select count(*)::int as n from strata_meta.landed_files where status = 'loaded'")).toBe(60);
    } finally {
      await server.stop();
    }
  });

  it('exactly once across a kill in the middle of a landing', async () => {
    const bucket = await newBucket(client);
    // Enough objects that the landing is still going when the kill comes, right after the first progress line.
    const n = 100;
    for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => put(client, bucket, `calls/f${String(i + j).padStart(4, '0')}.parquet`, small)));
    const { dir, db } = s3Project(endpoint, bucket);
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'strata.js'), 'land', '--project-dir', dir, '--profiles-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killed = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (new RegExp(`landing landing\\.calls: \\d+/${n}`).test(out)) child.kill('SIGKILL');
      });
      child.on('exit', (_c, signal) => resolve(signal === 'SIGKILL'));
    });
    expect(killed).toBe(true);
    const partial = await count(db, "select count(*)::int as n from strata_meta.landed_files where status = 'loaded'");
    expect(partial).toBeLessThan(n);
    expect(await count(db)).toBe(partial * 3);
    const rerun = await land({ projectDir: dir, profilesDir: dir });
    expect(rerun.exitCode).toBe(0);
    expect(await count(db)).toBe(n * 3);
    expect(await count(db, 'select count(distinct _strata_source_file)::int as n from bronze.calls')).toBe(n);
  });
});

describe('landing from a local folder', () => {
  it('lands hive-partitioned files with no server, once', async () => {
    const dir = writeProject({
      'models/sources.yml': "version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: calls\n        external:\n          location: landing/calls/\n          partitions: hive\n",
    });
    dirs.push(dir);
    const bytes = await parquetBytes('select range as call_id from range(0, 4)');
    for (const day of ['2026-01-01', '2026-01-02']) {
      mkdirSync(join(dir, 'landing', 'calls', `dt=${day}`), { recursive: true });
      writeFileSync(join(dir, 'landing', 'calls', `dt=${day}`, 'part.parquet'), bytes);
    }
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.adapterResponse).toMatchObject({ files_landed: 0, files_skipped: 2 });
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select cast(dt as varchar) as dt, count(*)::int as n from bronze.calls group by dt order by dt')).toEqual([{ dt: '2026-01-01', n: 4 }, { dt: '2026-01-02', n: 4 }]);
  });
});

describe('landing from Google Cloud Storage (the real client against a loopback GCS server)', () => {
  let gcs: FakeGcs;
  beforeAll(async () => {
    // Pages of 4 objects (GCS's are 1,000): paging is tested on a few objects, each landing in its own transaction.
    gcs = await startFakeGcs({ pageSize: 4 });
  });
  afterAll(() => gcs.close());

  it('lists every page, lands once, retries a 503, and treats an overwritten object as changed', async () => {
    const bytes = await parquetBytes("select range as call_id, 'gcs' as origin from range(0, 2)");
    for (let i = 0; i < 11; i++) gcs.put('drop', `calls/dt=2026-02-0${(i % 3) + 1}/f${String(i).padStart(4, '0')}.parquet`, bytes);
    gcs.put('drop', 'other/ignored.parquet', bytes);
    const dir = writeProject({
      'profiles.yml': `p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      gcs:\n        api_endpoint: ${gcs.endpoint}\n        project: test-project\n`,
      'models/sources.yml': "version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: calls\n        external:\n          location: gs://drop/calls/\n          format: parquet\n          partitions: hive\n",
    });
    dirs.push(dir);
    const db = join(dir, 'target', 'test.duckdb');
    gcs.failNext(1);
    const first = await land({ projectDir: dir, profilesDir: dir });
    expect(first.exitCode, first.results[0]?.message).toBe(0);
    expect(first.results[0]?.adapterResponse).toMatchObject({ files_landed: 11, rows_affected: 22 });
    expect(gcs.requests.filter((r) => r.path.startsWith('/storage/v1/b/drop/o?')).length).toBe(4); // 503, then three pages
    expect(await count(db, "select count(*)::int as n from bronze.calls where _strata_source_file like 'gs://drop/calls/dt=2026-02-0_/f%.parquet' and dt is not null")).toBe(22);
    gcs.put('drop', 'calls/dt=2026-02-01/f0000.parquet', await parquetBytes("select range as call_id, 'gcs v2' as origin from range(0, 5)"));
    const second = await land({ projectDir: dir, profilesDir: dir });
    expect(second.results[0]?.adapterResponse).toMatchObject({ files_landed: 0, files_skipped: 11, files_changed_not_reloaded: 1 });
    const third = await land({ projectDir: dir, profilesDir: dir, relandChanged: true });
    expect(third.results[0]?.adapterResponse).toMatchObject({ files_landed: 1 });
    expect(await count(db)).toBe(22 - 2 + 5);
  });
});
