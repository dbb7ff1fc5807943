/** `strata deps` as a user runs it: its flags reach the resolver, problems print without a stack trace. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';

const strata = async (args: string[], cwd: string) => {
  const r = await runStrata(args, { cwd });
  return { code: r.code, out: r.stdout, err: r.stderr };
};
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('strata deps (CLI)', () => {
  it('--add-package --source local, then --lock writes the lock alone; bad flags exit 2', async () => {
    const pkg = writeProject({ 'dbt_project.yml': 'name: side_pkg\nconfig-version: 2\n' }, false);
    const d = writeProject({});
    dirs.push(pkg, d);
    const added = await strata(['deps', '--add-package', pkg, '--source', 'local', '--lock'], d);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(readFileSync(join(d, 'packages.yml'), 'utf8')).toBe(`packages:\n  - local: ${pkg}\n`);
    expect(readFileSync(join(d, 'package-lock.yml'), 'utf8')).toContain(`  - local: ${pkg}\n    name: side_pkg\n`);
    expect(existsSync(join(d, 'dbt_packages'))).toBe(false);
    expect(await strata(['deps'], d)).toMatchObject({ code: 0, out: expect.stringContaining(`Installed side_pkg linked from ${pkg}`) });

    const bad = await strata(['deps', '--add-package', 'acme/x', '--source', 'hub'], d);
    expect(bad.code).toBe(2);
    expect(bad.out + bad.err).toContain('a hub package needs a version');
    expect(bad.out + bad.err).not.toMatch(/\n\s+at /);
    expect((await strata(['deps', '--source', 'npm', '--add-package', 'x@1'], d)).code).toBe(2);
  });
});
