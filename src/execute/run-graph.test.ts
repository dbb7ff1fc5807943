import { describe, it, expect } from 'vitest';
import { runGraph } from './run-graph.js';
import { CapturingReporter } from '../diagnostics/index.js';
import type { NodeOutcome } from './types.js';

/** a → b → d, a → c → d, e independent. */
const parents: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] };
const ids = ['a', 'e', 'b', 'c', 'd'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function options(runNode: (id: string) => Promise<NodeOutcome>, extra: Partial<Parameters<typeof runGraph>[0]> = {}): Parameters<typeof runGraph>[0] {
  return { ids, parents: (id) => parents[id] ?? [], threads: 2, failFast: false, runNode: (id) => runNode(id), describe: (id) => id, reporter: new CapturingReporter(), ...extra };
}

describe('runGraph', () => {
  it('runs parents before children and never more than `threads` at once', async () => {
    let inFlight = 0;
    let max = 0;
    const finished: string[] = [];
    const r = await runGraph(options(async (id) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await sleep(15);
      for (const p of parents[id]!) expect(finished).toContain(p);
      finished.push(id);
      inFlight--;
      return { status: 'success', message: 'OK' };
    }));
    expect(max).toBe(2);
    expect(r.results.map((x) => x.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(finished.indexOf('d')).toBe(4);
  });

  it('skips everything below a failure, naming the failed parent, and keeps running the rest', async () => {
    const r = await runGraph(options(async (id) => (id === 'b' ? { status: 'error', message: 'boom' } : { status: 'success', message: 'OK' })));
    const by = Object.fromEntries(r.results.map((x) => [x.uniqueId, x]));
    expect(by.b!.status).toBe('error');
    expect(by.d!).toMatchObject({ status: 'skipped', message: 'Skipped because b failed' });
    expect(by.c!.status).toBe('success');
    expect(by.e!.status).toBe('success');
  });

  it('treats a blocking test failure like an error for descendants', async () => {
    const r = await runGraph(options(async (id) => (id === 'a' ? { status: 'fail', message: '3 failures', blocksDownstream: true } : { status: 'success', message: 'OK' })));
    expect(r.results.filter((x) => x.status === 'skipped').map((x) => x.uniqueId).sort()).toEqual(['b', 'c', 'd']);
  });

  it('turns a thrown exception into an error result', async () => {
    const r = await runGraph(options(async (id) => {
      if (id === 'e') throw new Error('driver exploded');
      return { status: 'success', message: 'OK' };
    }));
    expect(r.results.find((x) => x.uniqueId === 'e')).toMatchObject({ status: 'error', message: 'driver exploded' });
  });

  it('fail-fast starts nothing new after the first failure', async () => {
    const started: string[] = [];
    const r = await runGraph(options(async (id) => {
      started.push(id);
      return id === 'a' ? { status: 'error', message: 'x' } : { status: 'success', message: 'OK' };
    }, { threads: 1, failFast: true }));
    expect(started).toEqual(['a']);
    expect(r.results.filter((x) => x.status === 'skipped')).toHaveLength(4);
  });

  it('an abort lets running nodes finish and skips the rest', async () => {
    const controller = new AbortController();
    const r = await runGraph(options(async (id) => {
      if (id === 'a') controller.abort();
      await sleep(5);
      return { status: 'success', message: 'OK' };
    }, { threads: 1, signal: controller.signal }));
    expect(r.interrupted).toBe(true);
    expect(r.results.find((x) => x.uniqueId === 'a')?.status).toBe('success');
    expect(r.results.filter((x) => x.status === 'skipped')).toHaveLength(4);
  });

  it('tells `ahead` of nodes waiting for a thread once the started ones run, never of one already started or below a failure', async () => {
    const told: string[][] = [];
    const started: string[] = [];
    const r = await runGraph(options(async (id) => {
      started.push(id);
      await sleep(10);
      return id === 'b' ? { status: 'error', message: 'boom' } : { status: 'success', message: 'OK' };
    }, {
      threads: 1,
      ahead: (next) => {
        told.push(next);
        for (const id of next) expect(started).not.toContain(id);
      },
    }));
    // a runs alone first: e (then b, c) wait for the one thread.
    expect(told[0]).toEqual(['e']);
    expect(told.flat()).toEqual(expect.arrayContaining(['e', 'b', 'c']));
    expect(told.flat()).not.toContain('d');
    expect(r.results.find((x) => x.uniqueId === 'd')!.status).toBe('skipped');
  });

  it('starts the next node before telling of the last one, and tells every event in order by the time it returns', async () => {
    const reporter = new CapturingReporter();
    const seenWhenStarted: Record<string, string[]> = {};
    const tell = (): string[] => reporter.events.filter((e) => e.type === 'node-started' || e.type === 'node-finished').map((e) => `${e.type === 'node-started' ? 'start' : 'done'} ${e.type === 'node-started' ? e.uniqueId : e.result.uniqueId}`);
    const r = await runGraph(options(async (id) => {
      seenWhenStarted[id] = tell();
      await sleep(5);
      return { status: 'success', message: 'OK' };
    }, { threads: 1, reporter }));
    expect(r.results).toHaveLength(5);
    // b starts in the same turn a finished: a's end (and b's start) are told after.
    expect(seenWhenStarted.e).not.toContain('done a');
    expect(tell()).toEqual(['start a', 'done a', 'start e', 'done e', 'start b', 'done b', 'start c', 'done c', 'start d', 'done d']);
  });
});

