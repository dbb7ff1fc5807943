/** Copies the bundled demo (the repository root's project files) into a temp folder for end-to-end tests. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function copyDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-demo-'));
  for (const entry of ['project.yml', 'profiles.yml', 'models', 'macros', 'seeds', 'tests', 'snapshots', 'landing']) cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
  return dir;
}

export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `strata-${name}-`));
  cpSync(join(repoRoot, 'fixtures', name), dir, { recursive: true });
  return dir;
}

/** Copies `examples/<name>` (without a `target/` left by a local build) into a temp folder. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `strata-example-${name}-`));
  const from = join(repoRoot, 'examples', name);
  cpSync(from, dir, { recursive: true, filter: (src) => !src.startsWith(join(from, 'target')) });
  return dir;
}
