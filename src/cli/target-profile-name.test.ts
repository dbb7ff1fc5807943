/** `target.profile_name` is the profile actually used: `--profile` or DBT_PROFILE over the project file's, as dbt gives it. */
import { describe, it, expect } from 'vitest';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';

const project = projectsRemovedAfterAll();

describe('target.profile_name', () => {
  it('names the profile --profile, DBT_PROFILE or the project file chose; DBT_TARGET chooses the output', async () => {
    const profiles = `${DUCKDB_PROFILE('p')}${DUCKDB_PROFILE('other').replace('target: dev', 'target: ci').replace('dev:', 'ci:').replace('test.duckdb', 'other.duckdb')}`;
    const d = project({
      'profiles.yml': profiles,
      'models/a.sql': 'select 1 as id',
      'macros/who.sql': "{% macro who() %}{{ log('profile=' ~ target.profile_name ~ ' target=' ~ target.name, info=True) }}{% endmacro %}",
    });
    const who = async (args: string[], env: Record<string, string> = {}): Promise<string> => {
      const r = await runStrata(['run-operation', 'who', '--project-dir', d, '--profiles-dir', d, ...args], { env: { DBT_PROFILE: '', DBT_TARGET: '', STRATA_PROFILE: '', STRATA_TARGET: '', ...env } });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      return /profile=\S+ target=\S+/.exec(r.stdout)?.[0] ?? r.stdout;
    };
    expect(await who([])).toBe('profile=p target=dev');
    expect(await who(['--profile', 'other'])).toBe('profile=other target=ci');
    expect(await who([], { DBT_PROFILE: 'other' })).toBe('profile=other target=ci');
    // The command line wins over the environment, as in dbt.
    expect(await who(['--profile', 'p'], { DBT_PROFILE: 'other' })).toBe('profile=p target=dev');
    expect(await who([], { DBT_PROFILE: 'other', DBT_TARGET: 'ci' })).toBe('profile=other target=ci');
    // DBT_TARGET names an output of the profile: one the profile lacks is the usual error, naming it.
    const missing = await runStrata(['run-operation', 'who', '--project-dir', d, '--profiles-dir', d], { env: { DBT_PROFILE: '', STRATA_PROFILE: '', STRATA_TARGET: '', DBT_TARGET: 'prod' } });
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('prod');
  });
});
