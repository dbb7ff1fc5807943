/**
 * Issue 19: code outside adapters/ names no warehouse — it asks the registry and the conventions'
 * capabilities. Comments may name one (they explain), tests and test-support may (they pick a target).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' || path === join(SRC, 'adapters') ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('warehouse names', () => {
  it('no code line outside src/adapters/ names bigquery or duckdb', () => {
    const found = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(SRC, file)}:${i + 1}` }))
        .filter(({ line }) => /bigquery|duckdb/i.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(sourceFiles(SRC).length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });
});
