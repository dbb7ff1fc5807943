import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskFileSource } from './file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a project file with its stamp', () => {
  it.each([
    ['an empty file', ''],
    ['UTF-8 text', "select 'naïve — 東京' as city\n"],
    ['a file larger than the reused buffer', `select 1\n${'-- padding\n'.repeat(20_000)}`],
  ])('gives the same text as readFileSync and the same stamp as stat for %s', (_what, text) => {
    const path = join(dir, `f${text.length}.sql`);
    writeFileSync(path, text);
    const st = statSync(path);
    const read = diskFileSource.readStamped!(path);
    expect(read.text).toBe(text);
    expect(read.stamp).toEqual({ size: st.size, mtimeMs: st.mtimeMs });
  });

  it('reads a small file correctly after a large one (the buffer is reused)', () => {
    writeFileSync(join(dir, 'big.sql'), 'x'.repeat(100_000));
    writeFileSync(join(dir, 'small.sql'), 'select 2');
    expect(diskFileSource.readStamped!(join(dir, 'big.sql')).text).toHaveLength(100_000);
    expect(diskFileSource.readStamped!(join(dir, 'small.sql')).text).toBe('select 2');
  });
});
