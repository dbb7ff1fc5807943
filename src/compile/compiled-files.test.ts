/** target/compiled: every selected node is written; a file whose SQL did not change is left as it was. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    expect(readFileSync(file('b'), 'utf8')).toBe('select * from "main"."a"');
  });
});
