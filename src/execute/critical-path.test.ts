import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { criticalPathLengths, lastRunTimes } from './critical-path.js';
import { runGraph } from './run-graph.js';
import { CapturingReporter } from '../diagnostics/index.js';

/** A day's shape: three landings of unequal length, the slowest leading into a chain; two short side branches. */
const parents: Record<string, string[]> = {
  'landing.agents': [],
  'landing.calls': [],
  'landing.social': [],
  'landing.web': [],
  'model.events': ['landing.calls', 'landing.social', 'landing.web'],
  'model.facts': ['model.events'],
  'model.agents': ['landing.agents'],
};
const ids = ['landing.agents', 'landing.calls', 'landing.social', 'landing.web', 'model.agents', 'model.events', 'model.facts'];
const parentsOf = (id: string): string[] => parents[id] ?? [];
/** The edges the other way, as the scheduler keeps them. */
function childrenOf(nodes: string[], of: (id: string) => string[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of nodes) for (const p of of(id)) children.set(p, [...(children.get(p) ?? []), id]);
  return children;
}

describe('critical path', () => {
  it('is each node\'s time plus its longest chain of descendants, an untimed node counting the median', () => {
    const times = new Map([['landing.agents', 0.1], ['landing.calls', 0.6], ['landing.social', 0.9], ['model.events', 1], ['model.facts', 2], ['model.agents', 0.1]]);
    const lengths = criticalPathLengths(ids, childrenOf(ids, parentsOf), times)!;
    expect(lengths.get('model.facts')).toBeCloseTo(2);
    expect(lengths.get('model.events')).toBeCloseTo(3);
    expect(lengths.get('landing.social')).toBeCloseTo(3.9);
    expect(lengths.get('landing.calls')).toBeCloseTo(3.6);
    // landing.web was not timed: the median of the six times (0.6 and 0.9 in the middle: the upper one, 0.9).
    expect(lengths.get('landing.web')).toBeCloseTo(3.9);
    expect(lengths.get('landing.agents')).toBeCloseTo(0.2);
  });

  it('gives nothing without any time of the last run, and reads none from a missing or foreign file', () => {
    expect(criticalPathLengths(ids, childrenOf(ids, parentsOf), new Map())).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'strata-critical-'));
    expect(lastRunTimes(dir).size).toBe(0);
    writeFileSync(join(dir, 'run_results.json'), '{"results": "not a list"}');
    expect(lastRunTimes(dir).size).toBe(0);
    writeFileSync(join(dir, 'run_results.json'), JSON.stringify({ results: [{ unique_id: 'model.a', execution_time: 1.5 }, { unique_id: 'model.b', execution_time: 'x' }, { unique_id: 'model.c', execution_time: -1 }] }));
    expect([...lastRunTimes(dir)]).toEqual([['model.a', 1.5]]);
  });

  it('follows chains thousands of nodes long without recursion, and a cycle counts as no chain', () => {
    const n = 20_000;
    const chain = Array.from({ length: n }, (_, i) => `n${i}`);
    const lengths = criticalPathLengths(chain, childrenOf(chain, (id) => (id === 'n0' ? [] : [`n${Number(id.slice(1)) - 1}`])), new Map([['n0', 1]]))!;
    expect(lengths.get('n0')).toBe(n);
    const cyclic = criticalPathLengths(['a', 'b'], childrenOf(['a', 'b'], (id) => (id === 'a' ? ['b'] : ['a'])), new Map([['a', 1], ['b', 2]]))!;
    expect(cyclic.size).toBe(2);
  });

  it('makes the scheduler start the ready node with the longest chain first, and keeps graph order without one', async () => {
    const started = async (lastTimes?: Map<string, number>): Promise<string[]> => {
      const order: string[] = [];
      await runGraph({ ids, parents: parentsOf, threads: 2, failFast: false, describe: (id) => id, reporter: new CapturingReporter(), ...(lastTimes ? { lastTimes } : {}), runNode: async (id) => { order.push(id); await new Promise((r) => setTimeout(r, 5)); return { status: 'success', message: 'OK' }; } });
      return order;
    };
    expect((await started()).slice(0, 2)).toEqual(['landing.agents', 'landing.calls']);
    const times = new Map([['landing.agents', 0.1], ['landing.calls', 0.6], ['landing.social', 0.9], ['landing.web', 0.5], ['model.events', 1], ['model.facts', 2], ['model.agents', 0.1]]);
    const order = await started(times);
    expect(order.slice(0, 3)).toEqual(['landing.social', 'landing.calls', 'landing.web']);
    expect(order.indexOf('model.facts')).toBe(order.length - 1);
  });
});
