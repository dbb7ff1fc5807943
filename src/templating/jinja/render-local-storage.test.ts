import { describe, it, expect } from 'vitest';
import { RenderLocalStorage } from './render-local-storage.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RenderLocalStorage', () => {
  it('gives each run its store across awaits, overlapping runs their own, and nothing outside a run', async () => {
    const s = new RenderLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const render = (name: string) => async (): Promise<void> => {
      await tick();
      seen.push(s.getStore());
      await Promise.resolve();
      seen.push(s.getStore());
    };
    const a = s.run('a', render('a'));
    const b = s.run('b', render('b'));
    expect(s.getStore()).toBeUndefined();
    await Promise.all([a, b]);
    expect(seen.sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(s.getStore()).toBeUndefined();
    // Used again after it went idle: enabled again.
    expect(await s.run('c', async () => (await tick(), s.getStore()))).toBe('c');
    expect(s.run('d', () => s.getStore())).toBe('d');
  });

  it('passes on what the run returns or throws, and goes idle after a failure', async () => {
    const s = new RenderLocalStorage<number>();
    expect(() => s.run(1, () => { throw new Error('sync'); })).toThrow('sync');
    await expect(s.run(2, async () => { await tick(); throw new Error('async'); })).rejects.toThrow('async');
    expect(await s.run(3, async () => 'ok')).toBe('ok');
    expect(s.getStore()).toBeUndefined();
  });

  it('leaves no store on code that runs after the last run settled (the storage is disabled)', async () => {
    const s = new RenderLocalStorage<string>();
    let later: Promise<string | undefined> | undefined;
    await s.run('x', async () => {
      // Started inside the run, read after it settled.
      later = new Promise((resolve) => setTimeout(() => resolve(s.getStore()), 5));
    });
    expect(await later).toBeUndefined();
    // Disabled, so that Node can turn its promise hooks off (Node's own flag: an internal, read here only).
    expect((s as unknown as { storage: { enabled: boolean } }).storage.enabled).toBe(false);
  });
});
