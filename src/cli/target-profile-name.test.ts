/** `target.profile_name` is the profile actually used: `--profile` or DBT_PROFILE over the project file's, as dbt gives it. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { DUCKDB_PROFILE } from '../test-support/fixture-project.js';

const bin = join(repoRoot, 'bin', 'strata.js');
const project = projectsRemovedAfterAll();

describe('target.profile_name', () => {
  it('names the profile --profile, DBT_PROFILE or the project file chose; DBT_TARGET chooses the output', () => {
    const profiles = `${DUCKDB_PROFILE('p')}${DUCKDB_PROFILE('other').replace('target: dev', 'target: ci').replace('dev:', 'ci:').replace('test.duckdb', 'other.duckdb')}`;
    const d = project({
      'profiles.yml': profiles,
      'models/a.sql': 'select 1 as id',
      'macros/who.sql': "{% macro who() %}{{ log('profile=' ~ target.profile_name ~ ' target=' ~ target.name, info=True) }}{% endmacro %}",
    });
    const who = (args: string[], env: Record<string, string> = {}): string => {
      const r = spawnSync(process.execPath, [bin, 'run-operation', 'who', '--project-dir', d, '--profiles-dir', d, ...args], { encoding: 'utf8', env: { ...process.env, DBT_PROFILE: '', DBT_TARGET: '', STRATA_PROFILE: '', STRATA_TARGET: '', ...env } });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      return /profile=\S+ target=\S+/.exec(r.stdout)?.[0] ?? r.stdout;
    };
    expect(who([])).toBe('profile=p target=dev');
    expect(who(['--profile', 'other'])).toBe('profile=other target=ci');
    expect(who([], { DBT_PROFILE: 'other' })).toBe('profile=other target=ci');
    // The command line wins over the environment, as in dbt.
    expect(who(['--profile', 'p'], { DBT_PROFILE: 'other' })).toBe('profile=p target=dev');
    expect(who([], { DBT_PROFILE: 'other', DBT_TARGET: 'ci' })).toBe('profile=other target=ci');
    // DBT_TARGET names an output of the profile: one the profile lacks is the usual error, naming it.
    const missing = spawnSync(process.execPath, [bin, 'run-operation', 'who', '--project-dir', d, '--profiles-dir', d], { encoding: 'utf8', env: { ...process.env, DBT_PROFILE: '', STRATA_PROFILE: '', STRATA_TARGET: '', DBT_TARGET: 'prod' } });
    expect(missing.status).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('prod');
  });
});
