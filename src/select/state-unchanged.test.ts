/** Slim CI: `state:modified` on an unchanged project selects nothing (issue 20, item 4). */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyDemo } from '../test-support/demo-project.js';
import { removeProject } from '../test-support/fixture-project.js';
import { build, list } from '../api/index.js';
import { sameMaskedText } from './state-compare.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('state:modified', () => {
  it('selects nothing on the unchanged demo (unit tests, models whose macros call secret()), and an edit only', async () => {
    const dir = copyDemo();
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    mkdirSync(join(dir, 'state'));
    copyFileSync(join(dir, 'target', 'manifest.json'), join(dir, 'state', 'manifest.json'));
    const unchanged = await list({ projectDir: dir, profilesDir: dir, select: ['state:modified'], state: join(dir, 'state') });
    expect(unchanged.exitCode).toBe(0);
    expect(unchanged.lines).toEqual([]);
    const pii = join(dir, 'macros', 'pii.sql');
    writeFileSync(pii, readFileSync(pii, 'utf8').replace("lower(trim(", "lower(ltrim(rtrim("));
    const edited = await list({ projectDir: dir, profilesDir: dir, select: ['state:modified'], state: join(dir, 'state'), output: 'name' });
    expect(edited.lines).toContain('customers');
  });

  it('reads a masked secret in a saved macro as any text', () => {
    expect(sameMaskedText("secret('X', 'demo-pepper')", "secret('X', '****')")).toBe(true);
    expect(sameMaskedText("secret('X', 'demo-pepper') || 1", "secret('X', '****')")).toBe(false);
    expect(sameMaskedText('a', undefined)).toBe(false);
  });
});
