/**
 * `strata bigquery-local` as a user runs it: a separate process serving BigQuery and GCS on loopback; a
 * project builds against it through its profile's endpoints; with --data the catalog survives a restart;
 * a taken port is a diagnostic, not a stack trace.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../test-support/demo-project.js';
import { writeProject, removeProject } from '../../../test-support/fixture-project.js';
import { analyzerPlatformGap, getTable, query } from '../../../test-support/local-bigquery-client.js';
import { build } from '../../../api/index.js';

interface Running {
  child: ChildProcess;
  out: () => string;
  bigquery: string;
  gcs: string;
  exited: Promise<number>;
}

const started: ChildProcess[] = [];

function startCli(...args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'strata.js'), 'bigquery-local', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bigquery-local did not start: ${out}`)), 30_000);
    const check = (): void => {
      const bq = /BigQuery API: (\S+)/.exec(out)?.[1];
      const gcs = /GCS API: +(\S+)/.exec(out)?.[1];
      if (bq && gcs && out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve({ child, out: () => out, bigquery: bq, gcs, exited });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve({ child, out: () => out, bigquery: '', gcs: '', exited });
    });
  });
}

/** Linux: the pids whose parent is `ppid`, from /proc. */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === ppid && fields[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe.skipIf(analyzerPlatformGap)('strata bigquery-local', () => {
  const data = mkdtempSync(join(tmpdir(), 'strata-bq-local-'));
  let project: string | undefined;
  afterAll(() => {
    // A server a failed assertion left running (they stop on SIGINT, and stop their analyzer with them).
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGINT');
    rmSync(data, { recursive: true, force: true });
    if (project) removeProject(project);
  });

  it('serves a BigQuery project offline, keeps its catalog in --data across restarts, and stops on Ctrl+C', async () => {
    const first = await startCli('--port', '0', '--gcs-port', '0', '--data', data);
    try {
      expect(first.bigquery).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      project = writeProject({
        'project.yml': 'name: shop\nprofile: shop\n',
        'profiles.yml': `shop:\n  target: local\n  outputs:\n    local:\n      type: bigquery\n      method: oauth-secrets\n      token: local\n      project: acme-local\n      dataset: analytics\n      threads: 2\n      api_endpoint: ${first.bigquery}\n      gcs_api_endpoint: ${first.gcs}\n`,
        'seeds/raw_orders.csv': 'id,amount,ordered_at\n1,9.5,2026-01-01 10:00:00\n2,12,2026-01-02 11:00:00\n',
        'models/orders.sql': "{{ config(materialized='table', partition_by={'field': 'ordered_at', 'data_type': 'timestamp'}) }}\nselect id, amount, timestamp(ordered_at) as ordered_at, date(ordered_at) as order_date from {{ ref('raw_orders') }}",
        'models/bad.sql': "select id, strftime(ordered_at, '%Y') as y from {{ ref('raw_orders') }}",
      });
      const r = await build({ projectDir: project, profilesDir: project, env: { ...process.env, STRATA_BQ_BACKOFF_MS: '5' } });
      expect(r.results.find((x) => x.uniqueId === 'model.shop.orders')?.status, JSON.stringify(r.results.map((x) => x.message))).toBe('success');
      expect(r.results.find((x) => x.uniqueId === 'model.shop.bad')?.message).toMatch(/^Function not found: strftime at \[\d+:12\]/);
      expect(r.exitCode).toBe(1);
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exited).toBe(0);
    expect(first.out()).toContain('Stopped.');
    expect(existsSync(join(data, 'bigquery-catalog.json'))).toBe(true);

    const second = await startCli('--port', '0', '--gcs-port', '0', '--data', data);
    try {
      const t = await getTable(second.bigquery, 'acme-local.analytics.orders');
      expect(t.schema.fields.map((f: { name: string; type: string }) => `${f.name} ${f.type}`)).toEqual(['id INTEGER', 'amount FLOAT', 'ordered_at TIMESTAMP', 'order_date DATE']);
      const q = await query(second.bigquery, 'select order_date, sum(amount) as total from `acme-local.analytics.orders` group by order_date', { project: 'acme-local' });
      expect(q.schema).toEqual([{ name: 'order_date', type: 'DATE', mode: 'NULLABLE' }, { name: 'total', type: 'FLOAT', mode: 'NULLABLE' }]);
      // The rows too: each project's DuckDB file is in --data.
      expect(q.rows?.length).toBeGreaterThan(0);
      expect(readdirSync(data)).toContain('acme-local.duckdb');

      const taken = /:(\d+)$/.exec(second.bigquery)![1]!;
      const third = await startCli('--port', taken, '--gcs-port', '0');
      expect(await third.exited).toBe(2);
      expect(third.out()).toMatch(/error \[port-in-use\] port \d+ on 127\.0\.0\.1 is already in use\n\s+hint: stop what uses it, or choose other ports with --port and --gcs-port/);
      expect(third.out()).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
  });

  it('without the optional analyzer package says what is missing and how to get it (exit 2, no stack trace)', async () => {
    // An install without @fivetrandevelopers/zetasql: the compiled CLI beside a node_modules holding every other package.
    const root = mkdtempSync(join(tmpdir(), 'strata-no-analyzer-'));
    try {
      cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
      cpSync(join(repoRoot, 'bin'), join(root, 'bin'), { recursive: true });
      cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
      mkdirSync(join(root, 'node_modules'));
      for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
        if (name === '@fivetrandevelopers') continue;
        symlinkSync(join(repoRoot, 'node_modules', name), join(root, 'node_modules', name));
      }
      const child = spawn(process.execPath, [join(root, 'bin', 'strata.js'), 'bigquery-local', '--port', '0', '--gcs-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
      expect(code, out).toBe(2);
      expect(out).toContain('error [analyzer-unavailable] the optional package @fivetrandevelopers/zetasql is not installed (npm install @fivetrandevelopers/zetasql)');
      expect(out).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  // Linux with util-linux's setpriv (Debian's essential set): the analyzer gets a parent-death signal.
  it.skipIf(process.platform !== 'linux' || !existsSync('/usr/bin/setpriv'))('a server killed outright (SIGKILL) takes its analyzer process with it', async () => {
    const cli = await startCli('--port', '0', '--gcs-port', '0');
    const [analyzer] = childrenOf(cli.child.pid!);
    expect(analyzer, cli.out()).toBeGreaterThan(0);
    expect(alive(analyzer!)).toBe(true);
    cli.child.kill('SIGKILL');
    await cli.exited;
    for (let i = 0; i < 50 && alive(analyzer!); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(analyzer!)).toBe(false);
  });
});
