import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import type { ObjectInfo } from './object-store.js';

const all = async (objects: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> => {
  const out: ObjectInfo[] = [];
  for await (const o of objects) out.push(o);
  return out;
};

describe('LocalStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-local-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'call_logs_day_2026-01-05.csv'), 'a\n1\n');
  writeFileSync(join(dir, 'call_logs_day_2026-01-06.csv'), 'a\n1\n2\n');
  writeFileSync(join(dir, '.call_logs_day_2026-01-07.csv'), 'hidden\n');
  mkdirSync(join(dir, 'dt=2026-01-05', '.tmp'), { recursive: true });
  writeFileSync(join(dir, 'dt=2026-01-05', 'part-0.parquet'), 'p');
  writeFileSync(join(dir, 'dt=2026-01-05', '.tmp', 'part-1.parquet'), 'p');
  symlinkSync(join(dir, 'call_logs_day_2026-01-05.csv'), join(dir, 'linked.csv'));
  symlinkSync(join(dir, 'dt=2026-01-05'), join(dir, 'dt=linked'));

  it('looks one key up exactly as the full listing gives it, or not at all', async () => {
    const listed = await all(new LocalStore(dir).list());
    expect(listed.map((o) => o.key)).toEqual(['call_logs_day_2026-01-05.csv', 'call_logs_day_2026-01-06.csv', 'dt=2026-01-05/part-0.parquet']);
    // Listed keys, and keys a listing leaves out: dot files, a dot folder, symlinks, folders, missing files.
    const keys = [...listed.map((o) => o.key), '.call_logs_day_2026-01-07.csv', 'dt=2026-01-05/.tmp/part-1.parquet', 'linked.csv', 'dt=linked/part-0.parquet', 'dt=2026-01-05', 'missing.csv', 'dt=2026-01-05/missing.parquet'];
    for (const key of keys) {
      expect(await all(new LocalStore(dir).list(key)), key).toEqual(listed.filter((o) => o.key === key));
    }
  });
});
