/**
 * Ctrl-C on a real `strata build` (the CLI in a child process, DuckDB file): the first SIGINT cancels the
 * running query at once, the previous table stays, run_results.json tells what ran and the process exits 130;
 * a second SIGINT ends it at once, and still nothing half-replaced is left.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { duckDbProjectsRemovedAfterAll, type DuckDbFixture } from '../test-support/temp-projects.js';
import { retry, run } from '../api/index.js';
import { CANCELLED, cancelledOutcome } from './interrupt.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';

const project = duckDbProjectsRemovedAfterAll();
/**
 * Long enough that it can only end by being cancelled: 40 billion pairs, minutes on any machine (a plain
 * `count(*)` over `range(8000000000)` takes about 3 s on a quiet one, so a signal sent after it could miss it).
 */
const SLOW_QUERY = 'select count(*) as n from range(200000) a, range(200000) b where (a.range * b.range) % 7 = 3';
const SLOW = `{{ config(materialized='table') }}\n${SLOW_QUERY}`;

interface Interrupted { code: number | null; signal: NodeJS.Signals | null; out: string; afterSignal: number }

/**
 * Runs `strata <args>` (default `build`), sends SIGINT a second after `marker` shows (a line printed once the CLI
 * listens for Ctrl-C, however long it took to start), and again `again` ms later.
 */
function interruptBuild(dir: string, again?: number, args = ['build'], marker = 'START sql table model main.slow'): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'strata.js'), ...args, '--project-dir', dir, '--profiles-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sentAt = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 60 s:\n${out}`));
    }, 60_000);
    const send = (): void => {
      sentAt = -1;
      setTimeout(() => {
        sentAt = Date.now();
        child.kill('SIGINT');
        if (again !== undefined) setTimeout(() => child.kill('SIGINT'), again);
      }, 1000);
    };
    const collect = (chunk: Buffer): void => {
      out += chunk.toString();
      if (!sentAt && out.includes(marker)) send();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, afterSignal: sentAt > 0 ? Date.now() - sentAt : -1 });
    });
  });
}

async function previousBuild(): Promise<DuckDbFixture> {
  const f = project({
    'models/slow.sql': "{{ config(materialized='table') }}\nselect 7 as n",
    'models/after_slow.sql': "select n + 1 as m from {{ ref('slow') }}",
  });
  expect((await run({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
  f.write('models/slow.sql', SLOW);
  return f;
}

describe('Ctrl-C during a build', () => {
  it('the first SIGINT cancels the running query: exit 130 within a second, previous table intact, run_results.json written', async () => {
    const f = await previousBuild();
    const r = await interruptBuild(f.dir);
    expect(r.code, r.out).toBe(130);
    // The target is under a second; the bound leaves room for a loaded machine.
    expect(r.afterSignal, r.out).toBeLessThan(3000);
    console.log(`exit ${r.afterSignal} ms after SIGINT`);
    expect(await f.q('select n::int as n from main.slow')).toEqual([{ n: 7 }]);
    expect(r.out).toContain('Interrupted (Ctrl-C)');
    expect(r.out).not.toContain('Completed with errors');
    expect(r.out).toMatch(/ERROR=1 SKIP=1 NO-OP=0 TOTAL=2/);
    const results = JSON.parse(readFileSync(join(f.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
    expect(results.results.map((x) => [x.unique_id, x.status])).toEqual([['model.p.slow', 'error'], ['model.p.after_slow', 'skipped']]);
    expect(results.results[0]?.message).toContain('interrupted (Ctrl-C)');
    expect(await f.q("select count(*)::int as n from information_schema.tables where table_name like '%strata%'")).toEqual([{ n: 0 }]);
  });

  it('a second SIGINT ends the process at once, and the previous table is still whole', async () => {
    const f = await previousBuild();
    const r = await interruptBuild(f.dir, 50);
    expect(r.code === 130 || r.signal === 'SIGINT', `${r.code} ${r.signal}\n${r.out}`).toBe(true);
    expect(r.afterSignal, r.out).toBeLessThan(3000);
    expect(await f.q('select n::int as n from main.slow')).toEqual([{ n: 7 }]);
    // The next build starts from it as usual.
    f.write('models/slow.sql', "{{ config(materialized='table') }}\nselect 8 as n");
    expect((await run({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    expect(await f.q('select m::int as m from main.after_slow')).toEqual([{ m: 9 }]);
  });

  it('a change already committed stands: Ctrl-C during an after-commit hook is a success with a warning, and retry does not apply it again', async () => {
    const f = project({ 'models/m.sql': "{{ config(materialized='incremental') }}\nselect '{{ var('ds', 'd0') }}' as ds" });
    expect((await run({ projectDir: f.dir, profilesDir: f.dir, vars: { ds: 'd1' } })).exitCode).toBe(0);
    f.write('models/m.sql', `{{ config(materialized='incremental', post_hook=after_commit("${SLOW_QUERY}")) }}\nselect '{{ var('ds', 'd0') }}' as ds`);
    const r = await interruptBuild(f.dir, undefined, ['run', '--vars', '{ds: d2}'], 'START sql incremental model main.m');
    expect(r.code, r.out).toBe(130);
    expect(r.out).not.toContain('rolled back');
    expect(r.out).toContain('[after-commit-cancelled]');
    const results = JSON.parse(readFileSync(join(f.dir, 'target', 'run_results.json'), 'utf8')) as { results: { status: string; message: string }[] };
    expect(results.results.map((x) => x.status)).toEqual(['success']);
    expect(results.results[0]?.message).toMatch(/^INSERT 1; its change was committed; Ctrl-C cancelled its after-commit hooks/);
    await retry({ projectDir: f.dir, profilesDir: f.dir });
    expect(await f.q('select ds, count(*)::int as n from main.m group by ds order by ds')).toEqual([{ ds: 'd1', n: 1 }, { ds: 'd2', n: 1 }]);
  });

  it.each(['on-run-start', 'on-run-end'])('Ctrl-C cancels a running %s hook, and the summary says Interrupted', async (which) => {
    // A quick first hook prints the line the signal waits for; the second is cancelled, running or not yet started.
    const f = project({ 'project.yml': PROJECT_YML('p', `${which}: ["select 1", "${SLOW_QUERY}"]\n`), 'models/a.sql': 'select 1 as x' });
    const r = await interruptBuild(f.dir, undefined, ['run'], `1 of 2 OK hook: p.${which}.0`);
    expect(r.code, r.out).toBe(130);
    expect(r.afterSignal, r.out).toBeLessThan(3000);
    expect(r.out).toContain('Interrupted (Ctrl-C)');
    expect(r.out).not.toContain('Completed successfully');
    expect(r.out).toContain(`Ctrl-C cancelled the ${which} hook`);
  });

  it('a Ctrl-C before the on-run-start hook starts (the warehouse still opening) runs no hook and no node', async () => {
    // The abort fired before the hooks: nothing would cancel the hook's statement once it started.
    const f = project({ 'project.yml': PROJECT_YML('p', 'on-run-start: ["create table main.hook_ran as select 1 as n"]\n'), 'models/a.sql': "{{ config(materialized='table') }} select 1 as x" });
    const r = await run({ projectDir: f.dir, profilesDir: f.dir, signal: AbortSignal.abort() });
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.find((d) => d.code === 'hook-failed')?.hint).toBe('Ctrl-C cancelled the on-run-start hook; no node ran');
    expect(r.results.map((x) => [x.uniqueId, x.status])).toEqual([['operation.p.p-on-run-start-0', 'error'], ['model.p.a', 'skipped']]);
    expect(await f.q("select count(*)::int as n from information_schema.tables where table_name in ('hook_ran', 'a')")).toEqual([{ n: 0 }]);
  });

  it('after Ctrl-C, a node that fails with its own error keeps its message; only a cancelled statement gets the cancelled wording', () => {
    const aborted = AbortSignal.abort();
    expect(cancelledOutcome({ status: 'error', message: 'Binder Error: column "y" not found' }, aborted).message).toBe('Binder Error: column "y" not found');
    expect(cancelledOutcome({ status: 'error', message: 'INTERRUPT Error: Interrupted!' }, aborted).message).toBe(CANCELLED);
    expect(cancelledOutcome({ status: 'error', message: 'INTERRUPT Error: Interrupted!' }, new AbortController().signal).message).toBe('INTERRUPT Error: Interrupted!');
  });
});
