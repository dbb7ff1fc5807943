/** Inline fixture projects: a test declares files as a map, gets a temp folder back (STYLE habit 11). */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const DUCKDB_PROFILE = (profile = 'p', extra = ''): string =>
  `${profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      schema: main\n      threads: 2\n${extra}`;

export const PROJECT_YML = (name = 'p', extra = ''): string => `name: ${name}\nprofile: ${name}\n${extra}`;

/** Writes the files under a fresh temp folder and returns its path. */
export function writeProject(files: Record<string, string>, withDefaults = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-fixture-'));
  const all: Record<string, string> = withDefaults
    ? { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), ...files }
    : files;
  for (const [rel, text] of Object.entries(all)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
