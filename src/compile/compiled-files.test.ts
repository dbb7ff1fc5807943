/** target/compiled: every selected node is written; a file whose SQL did not change is left as it was. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { compile } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('compiled files', () => {
  it('rewrites only the files whose SQL changed', async () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    dirs.push(dir);
    const file = (m: string) => join(dir, 'target', 'compiled', 'p', 'models', `${m}.sql`);
    expect((await compile({ projectDir: dir, profilesDir: dir, offline: true })).exitCode).toBe(0);
    const old = new Date(Date.now() - 3600_000);
    for (const m of ['a', 'b']) utimesSync(file(m), old, old);
    const stamped = statSync(file('a')).mtimeMs;

    expect((await compile({ projectDir: dir, profilesDir: dir, offline: true })).exitCode).toBe(0);
    expect(statSync(file('a')).mtimeMs).toBe(stamped);
    expect(statSync(file('b')).mtimeMs).toBe(stamped);

    // Same length, other text: compared by content, not only by size.
    writeFileSync(join(dir, 'models', 'a.sql'), 'select 2 as id');
    writeFileSync(file('b'), 'select * from nowhere_at_all_xx');
    expect((await compile({ projectDir: dir, profilesDir: dir, offline: true })).exitCode).toBe(0);
    expect(readFileSync(file('a'), 'utf8')).toBe('select 2 as id');
    expect(statSync(file('a')).mtimeMs).not.toBe(stamped);
    expect(readFileSync(file('b'), 'utf8')).toBe('select * from "test"."main"."a"');
  });
});

describe('compiled files written on a second thread', () => {
  // The thread runs compiled JavaScript: this uses the build in dist/ (`npm test` builds it first).
  const load = async (): Promise<typeof import('./compiled-file-writer.js')> => {
    const built = new URL('../../dist/compile/compiled-file-writer.js', import.meta.url);
    if (!existsSync(fileURLToPath(built))) throw new Error('dist/ is missing: run npm run build (npm test does)');
    return (await import(built.href)) as typeof import('./compiled-file-writer.js');
  };

  it('writes a few files on the calling thread, many on a second one', async () => {
    const { CompiledFileWriter } = await load();
    const dir = mkdtempSync(join(tmpdir(), 'strata-compiled-'));
    dirs.push(dir);
    const writer = new CompiledFileWriter(join(dir, 'compiled'));
    await writer.batch(async () => {
      for (let i = 0; i < 10; i++) await writer.write(`p/m${i}.sql`, 'select 1');
    });
    expect(writer.threaded).toBe(false);
    expect(readFileSync(join(dir, 'compiled', 'p', 'm9.sql'), 'utf8')).toBe('select 1');
  });

  it('writes every file, records each one in the index, and reports a file it could not write', async () => {
    const { CompiledFileWriter } = await load();
    const dir = mkdtempSync(join(tmpdir(), 'strata-compiled-'));
    dirs.push(dir);
    const compiled = join(dir, 'compiled');
    const writer = new CompiledFileWriter(compiled);
    await writer.batch(async () => {
      for (let i = 0; i < 300; i++) await writer.write(`p/models/f${i % 7}/m${i}.sql`, `select ${i} as n`);
    });
    expect(writer.threaded).toBe(true);
    const index = JSON.parse(readFileSync(`${compiled}.index.strata.json`, 'utf8')) as Record<string, [number, number, string]>;
    expect(Object.keys(index)).toHaveLength(300);
    for (const i of [0, 150, 299]) {
      const rel = `p/models/f${i % 7}/m${i}.sql`;
      expect(readFileSync(join(compiled, rel), 'utf8')).toBe(`select ${i} as n`);
      expect(index[rel]!.slice(0, 2)).toEqual([statSync(join(compiled, rel)).size, statSync(join(compiled, rel)).mtimeMs]);
    }

    // A folder where a file should go: that write fails, the batch says which, the others are kept.
    mkdirSync(join(compiled, 'p/models/f0/blocked.sql'));
    const again = new CompiledFileWriter(compiled);
    await expect(again.batch(async () => {
      for (let i = 0; i < 100; i++) await again.write(`p/models/g/m${i}.sql`, `select ${i} as n`);
      await again.write('p/models/f0/blocked.sql', 'select 1');
      await again.write('p/models/f0/fine.sql', 'select 2');
    })).rejects.toThrow(/cannot write compiled SQL p\/models\/f0\/blocked\.sql/);
    expect(again.threaded).toBe(true);
    expect(readFileSync(join(compiled, 'p/models/f0/fine.sql'), 'utf8')).toBe('select 2');
    expect(Object.keys(JSON.parse(readFileSync(`${compiled}.index.strata.json`, 'utf8')) as object)).toContain('p/models/f0/fine.sql');
  });
});
