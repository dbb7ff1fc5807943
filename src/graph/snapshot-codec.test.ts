/** The snapshot codec's copier of usual values: fresh deep copies, equal to the value, also for odd keys. */
import { describe, it, expect } from 'vitest';
import { copier } from './snapshot-codec.js';

describe('copier', () => {
  it('gives a fresh deep copy on every call', () => {
    const value = { config: { tags: ['a'], docs: { show: true, node_color: null } }, n: 1.5, s: 'line\u2028sep "quoted" \\ é' };
    const copy = copier(value);
    const a = copy();
    const b = copy();
    expect(a).toEqual(value);
    expect(a).not.toBe(b);
    expect(a.config).not.toBe(b.config);
    (a.config as { tags: string[] }).tags.push('b');
    expect(b).toEqual(value);
  });

  it('keeps a __proto__ key as a key, not as the prototype', () => {
    const value = JSON.parse('{"meta": {"__proto__": {"polluted": true}, "k": 1}}') as Record<string, unknown>;
    const out = copier(value)();
    const meta = out.meta as Record<string, unknown>;
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.keys(meta)).toEqual(['__proto__', 'k']);
    expect((meta as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
