#!/usr/bin/env node
// `npm run bench:landing` (also part of `npm run bench`): lands ~1 GB of Parquet from the local S3 server
// (s3rver on 127.0.0.1) into bronze with `strata land`, and compares with DuckDB reading the same files
// from local disk into a table in one statement. Flags: --files N (default 24), --rows-per-file N (default 1000000).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => (process.argv.includes(k) ? Number(process.argv[process.argv.indexOf(k) + 1]) : d);
const files = arg('--files', 24);
const rowsPerFile = arg('--rows-per-file', 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'strata-bench-landing-'));
const local = join(work, 'files');
mkdirSync(local, { recursive: true });
const { DuckDBInstance } = await import('@duckdb/node-api');
const noExt = { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' };

// 1. The files: call records with a hash column so they do not compress to nothing.
{
  const db = await DuckDBInstance.create(':memory:', noExt);
  const c = await db.connect();
  for (let i = 0; i < files; i++) {
    const lo = i * rowsPerFile;
    await c.run(`copy (select range as call_id, md5(cast(range as varchar)) as caller_hash,
      cast((range * 7919) % 3600 as integer) as duration_s, timestamp '2026-01-01' + to_seconds(range % 5000000) as started_at,
      'cell-' || (range % 9973) as cell_id, cast(hash(range) % 100000 as integer) as msisdn_suffix from range(${lo}, ${lo + rowsPerFile})) to '${join(local, `part-${String(i).padStart(4, '0')}.parquet`)}' (format parquet)`);
  }
  c.closeSync();
  db.closeSync();
}
const names = readdirSync(local).sort();
const bytes = names.reduce((n, f) => n + statSync(join(local, f)).size, 0);
const rows = files * rowsPerFile;
const mb = bytes / 1e6;
console.log(`files: ${names.length} Parquet files, ${mb.toFixed(0)} MB, ${(rows / 1e6).toFixed(0)} M rows`);

// 2. Baseline: DuckDB reads them from local disk into a table.
let baselineMs;
{
  const db = await DuckDBInstance.create(join(work, 'baseline.duckdb'), noExt);
  const c = await db.connect();
  await c.run('create schema bronze');
  const t0 = performance.now();
  await c.run(`create table bronze.calls as select * from read_parquet('${join(local, '*.parquet')}')`);
  baselineMs = performance.now() - t0;
  c.closeSync();
  db.closeSync();
}

// 3. The S3 server, and the files uploaded to it.
const server = spawn(process.execPath, ['--openssl-legacy-provider', join(here, '..', 'src', 'test-support', 's3-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, S3RVER_DIR: join(work, 's3') } });
const port = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (b) => {
    out += b;
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line) resolve(JSON.parse(line).port);
  });
  server.on('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
});
const endpoint = `http://127.0.0.1:${port}`;
const { S3Client, CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
for (let i = 0; i < names.length; i += 4) {
  await Promise.all(names.slice(i, i + 4).map((f) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `calls/${f}`, Body: createReadStream(join(local, f)), ContentLength: statSync(join(local, f)).size }))));
}
s3.destroy();

// 4. `strata land` from the server into bronze: the CLI, in its own process, as a user runs it.
const project = join(work, 'project');
mkdirSync(join(project, 'models'), { recursive: true });
writeFileSync(join(project, 'project.yml'), 'name: bench\nprofile: bench\n');
writeFileSync(join(project, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/bench.duckdb\n      threads: 4\n      s3:\n        endpoint: ${endpoint}\n        region: us-east-1\n        access_key_id: S3RVER\n        secret_access_key: S3RVER\n`);
writeFileSync(join(project, 'models', 'sources.yml'), "version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: calls\n        external:\n          location: s3://bench/calls/\n          format: parquet\n          pattern: '*.parquet'\n");
const t0 = performance.now();
const cli = spawnSync(process.execPath, [join(here, '..', 'bin', 'strata.js'), 'land', '--project-dir', project, '--profiles-dir', project, '--quiet'], { encoding: 'utf8' });
const landMs = performance.now() - t0;
server.kill('SIGTERM');
const r = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')).results[0];
if (cli.status !== 0 || r?.adapter_response?.rows_affected !== rows) throw new Error(`landing failed (exit ${cli.status}): ${cli.stdout}${cli.stderr}`);
r.adapterResponse = r.adapter_response;

const rate = (ms) => `${(mb / (ms / 1000)).toFixed(0)} MB/s, ${(rows / 1e6 / (ms / 1000)).toFixed(1)} M rows/s`;
console.log('\n| path | time | throughput |\n|---|---|---|');
console.log(`| DuckDB reads the files from local disk (one CREATE TABLE AS) | ${(baselineMs / 1000).toFixed(1)} s | ${rate(baselineMs)} |`);
console.log(`| strata land from the local S3 server (stream to cache, load, ledger; one transaction per file) | ${(landMs / 1000).toFixed(1)} s | ${rate(landMs)} |`);
console.log(`\n(landing: ${r.adapterResponse.download_wait_s} s waiting for downloads, ${r.adapterResponse.load_s} s loading into DuckDB)`);
console.log(`strata land runs at ${((baselineMs / landMs) * 100).toFixed(0)}% of the local-disk speed (target: at least 50%).`);
rmSync(work, { recursive: true, force: true });
