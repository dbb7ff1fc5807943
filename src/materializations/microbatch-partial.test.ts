/**
 * dbt 1.9's `partial success`: a microbatch model some of whose batches failed, on a real DuckDB file. It is
 * a failure for the exit code and its descendants, the terminal says so, and `strata retry` reruns its failed
 * batches and lists the earlier successful ones with them.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { build, retry } from '../api/index.js';
import { TerminalReporter } from '../cli/terminal-reporter.js';
import { SecretScrubber } from '../diagnostics/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

// The batch of the day named by var('broken') (or of every day, 'all') casts text to an integer and fails.
const MODEL = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}
select id, ts, {{ "'x'" if var('broken', 'none') in (model.batch.id, 'all') else 'qty' }}::integer as qty from {{ ref('events') }}`;

function project(): string {
  const dir = writeProject({
    'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {ts: timestamp, qty: integer}\n',
    'seeds/events.csv': 'id,ts,qty\n1,2024-01-01 09:00:00,1\n2,2024-01-02 10:00:00,2\n3,2024-01-03 11:00:00,3\n',
    'models/daily.sql': MODEL,
    'models/totals.sql': "select sum(qty) as qty from {{ ref('daily') }}",
  });
  dirs.push(dir);
  return dir;
}

function terminal(): { reporter: TerminalReporter; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c.toString()), done()) }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: false, columns: 120 });
  return { reporter: new TerminalReporter(stream, new SecretScrubber()), text: () => chunks.join('') };
}

type Result = { unique_id: string; status: string; message: string; batch_results?: unknown };
const DAY = (d: number): [string, string] => [`2024-01-0${d}T00:00:00+00:00`, `2024-01-0${d + 1}T00:00:00+00:00`];

describe('microbatch: partial success', () => {
  const dir = project();
  const results = (): Record<string, Result> =>
    Object.fromEntries((JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: Result[] }).results.map((r) => [r.unique_id, r]));
  const window = { eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-04' };

  it('is its run_results status and terminal line, exit 1, its child skipped; retry runs its failed batch and lists every batch', async () => {
    const { reporter, text } = terminal();
    const r = await build({ projectDir: dir, profilesDir: dir, ...window, vars: { broken: '20240102' }, reporter });
    expect(r.exitCode).toBe(1);
    const daily = results()['model.p.daily']!;
    expect(daily.status).toBe('partial success');
    expect(daily.message).toMatch(/^PARTIAL SUCCESS \(2\/3\): batch 20240102 failed: /);
    expect(daily.batch_results).toEqual({ successful: [DAY(1), DAY(3)], failed: [DAY(2)] });
    expect(results()['model.p.totals']!.status).toBe('skipped');
    expect(text()).toMatch(/\d of \d PARTIALLY created .*daily.* \[PARTIAL SUCCESS \(2\/3\) in \d+\.\d\ds\]/);
    expect(text()).toMatch(/\nPARTIAL SUCCESS \(2\/3\) in model daily: batch 20240102 failed: .*Could not convert string 'x'/);
    expect(text()).toContain('Completed with 1 partial success');
    expect(text()).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=1 NO-OP=0 TOTAL=3/);

    const again = await retry({ projectDir: dir, profilesDir: dir, vars: {} });
    expect(again.exitCode).toBe(0);
    expect(again.results.map((x) => `${x.uniqueId} ${x.status}`).sort()).toEqual(['model.p.daily success', 'model.p.totals success']);
    expect(results()['model.p.daily']!.batch_results).toEqual({ successful: [DAY(2), DAY(1), DAY(3)], failed: [] });
  });

  it('is not what a model none of whose batches succeeded has: that is an error, and retry builds it whole', async () => {
    const partial = await build({ projectDir: dir, profilesDir: dir, select: ['daily'], ...window, vars: { broken: '20240103' } });
    expect([partial.exitCode, results()['model.p.daily']!.status]).toEqual([1, 'partial success']);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['daily'], ...window, vars: { broken: 'all' } });
    expect(r.exitCode).toBe(1);
    expect(results()['model.p.daily']!.status).toBe('error');
    expect(results()['model.p.daily']!.message).toMatch(/^3 of 3 batches failed: /);
    // No batch succeeded, so none is carried over: as dbt's retry, the model is built again over its whole window.
    const again = await retry({ projectDir: dir, profilesDir: dir, vars: {} });
    expect(again.exitCode).toBe(0);
    expect(results()['model.p.daily']!.batch_results).toEqual({ successful: [DAY(1), DAY(2), DAY(3)], failed: [] });
  });
});
