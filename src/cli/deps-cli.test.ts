/** `strata deps` as a user runs it: its flags reach the resolver, problems print without a stack trace. */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';

const bin = join(repoRoot, 'bin', 'strata.js');
const strata = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('strata deps (CLI)', () => {
  it('--add-package --source local, then --lock writes the lock alone; bad flags exit 2', () => {
    const pkg = writeProject({ 'dbt_project.yml': 'name: side_pkg\nconfig-version: 2\n' }, false);
    const d = writeProject({});
    dirs.push(pkg, d);
    const added = strata(['deps', '--add-package', pkg, '--source', 'local', '--lock'], d);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(readFileSync(join(d, 'packages.yml'), 'utf8')).toBe(`packages:\n  - local: ${pkg}\n`);
    expect(readFileSync(join(d, 'package-lock.yml'), 'utf8')).toContain(`  - local: ${pkg}\n    name: side_pkg\n`);
    expect(existsSync(join(d, 'dbt_packages'))).toBe(false);
    expect(strata(['deps'], d)).toMatchObject({ code: 0, out: expect.stringContaining(`Installed side_pkg linked from ${pkg}`) });

    const bad = strata(['deps', '--add-package', 'acme/x', '--source', 'hub'], d);
    expect(bad.code).toBe(2);
    expect(bad.out + bad.err).toContain('a hub package needs a version');
    expect(bad.out + bad.err).not.toMatch(/\n\s+at /);
    expect(strata(['deps', '--source', 'npm', '--add-package', 'x@1'], d).code).toBe(2);
  });
});
