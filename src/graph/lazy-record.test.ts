/** lazyRecord: behaves as a plain record, and builds a value only when it is read. */
import { describe, it, expect } from 'vitest';
import { lazyRecord } from './lazy-record.js';

function record(): { r: Record<string, { i: number }>; built: number[] } {
  const built: number[] = [];
  const r = lazyRecord(['b', 'a', 'c'], (i) => {
    built.push(i);
    return { i };
  });
  return { r, built };
}

describe('lazyRecord', () => {
  it('lists keys in order and checks them without building a value', () => {
    const { r, built } = record();
    expect(Object.keys(r)).toEqual(['b', 'a', 'c']);
    expect('a' in r).toBe(true);
    expect('z' in r).toBe(false);
    expect(r.z).toBeUndefined();
    expect(built).toEqual([]);
  });

  it('builds a value once, on first read', () => {
    const { r, built } = record();
    expect(r.a).toEqual({ i: 1 });
    expect(r.a).toBe(r.a);
    expect(built).toEqual([1]);
  });

  it('gives built values to values, entries, spreading and JSON', () => {
    const { r, built } = record();
    expect(Object.values(r)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(Object.entries(r)).toEqual([['b', { i: 0 }], ['a', { i: 1 }], ['c', { i: 2 }]]);
    expect({ ...r }).toEqual({ b: { i: 0 }, a: { i: 1 }, c: { i: 2 } });
    expect(JSON.parse(JSON.stringify(r))).toEqual({ b: { i: 0 }, a: { i: 1 }, c: { i: 2 } });
    const seen: string[] = [];
    for (const k in r) seen.push(k);
    expect(seen).toEqual(['b', 'a', 'c']);
    expect(built).toEqual([0, 1, 2]);
  });

  it('takes assignments and deletes like a plain record', () => {
    const { r, built } = record();
    r.d = { i: 9 };
    r.a = { i: 8 };
    delete r.b;
    expect(Object.keys(r)).toEqual(['a', 'c', 'd']);
    expect(r.a).toEqual({ i: 8 });
    expect(r.d).toEqual({ i: 9 });
    expect(built).toEqual([]);
  });
});
