/** `strata deps`: local and git packages installed under dbt_packages/, their macros loaded under their names, their models built. */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, clean, deps } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A package folder: its dbt_project.yml and files. */
function packageDir(name: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `strata-pkg-${name}-`));
  dirs.push(dir);
  for (const [rel, text] of Object.entries({ 'dbt_project.yml': `name: ${name}\nversion: '1.0.0'\nconfig-version: 2\n`, ...files })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const CENTS = "{% macro cents(col) %}{{ return(adapter.dispatch('cents', 'my_utils')(col)) }}{% endmacro %}\n{% macro default__cents(col) %}({{ col }} / 100){% endmacro %}\n";

describe('strata deps', () => {
  it('installs a local package; its macros are called by package name and dispatched, the project able to override', async () => {
    const pkg = packageDir('my_utils', {
      'dbt_project.yml': "name: my_utils\nconfig-version: 2\nvars:\n  audit_table: pkg_audit\non-run-start:\n  - create table if not exists {{ var('audit_table') }} as select 1 as x\n",
      'macros/cents.sql': CENTS,
      'models/pkg_model.sql': 'select 1 as x',
    });
    const dir = writeProject({
      // The package's hook runs first (dbt's order), with its own vars.
      'project.yml': PROJECT_YML('p', 'on-run-start:\n  - create or replace table root_audit as select * from pkg_audit\n'),
      'packages.yml': `packages:\n  - local: ${pkg}\n`,
      'models/m.sql': "{{ config(materialized='table') }} select {{ my_utils.cents('250') }} as eur",
    });
    dirs.push(dir);
    const before = await build({ projectDir: dir, profilesDir: dir });
    expect(before.exitCode).toBe(2);
    expect(before.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['packages-not-installed', 'macro-not-found']));

    const installed = await deps({ projectDir: dir, profilesDir: dir });
    expect(installed).toMatchObject({ exitCode: 0, installed: ['my_utils'] });
    expect(existsSync(join(dir, 'dbt_packages', 'my_utils', 'macros', 'cents.sql'))).toBe(true);
    const after = await build({ projectDir: dir, profilesDir: dir });
    expect(after.exitCode).toBe(0);
    expect(after.diagnostics.map((d) => d.code)).not.toContain('packages-not-installed');
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select * from main.pkg_model')).toEqual([{ x: 1 }]);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select x from main.root_audit')).toEqual([{ x: 1 }]);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select eur from main.m')).toEqual([{ eur: 2.5 }]);

    // The project's dispatch puts its own implementation first.
    writeFileSync(join(dir, 'project.yml'), PROJECT_YML('p', "dispatch:\n  - macro_namespace: my_utils\n    search_order: ['p', 'my_utils']\n"));
    mkdirSync(join(dir, 'macros'), { recursive: true });
    writeFileSync(join(dir, 'macros', 'override.sql'), '{% macro default__cents(col) %}({{ col }} // 100){% endmacro %}');
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select eur from main.m')).toEqual([{ eur: 2 }]);

    // The package is a link: cleaning dbt_packages/ removes the link, never the package's own folder.
    expect(lstatSync(join(dir, 'dbt_packages', 'my_utils')).isSymbolicLink()).toBe(true);
    writeFileSync(join(dir, 'project.yml'), PROJECT_YML('p', 'clean-targets: [target, dbt_packages]\n'));
    expect(await clean({ projectDir: dir, profilesDir: dir })).toMatchObject({ exitCode: 0, removed: ['target', 'dbt_packages'] });
    expect(existsSync(join(pkg, 'macros', 'cents.sql'))).toBe(true);
  });

  it('installs a git package at its revision, warning when one is not pinned', async () => {
    const repo = packageDir('git_utils', { 'macros/twice.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}' });
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, stdio: 'ignore' });
    };
    git('init', '--quiet');
    git('add', '.');
    git('commit', '--quiet', '-m', 'v1');
    git('tag', 'v1.0.0');
    writeFileSync(join(repo, 'macros', 'twice.sql'), '{% macro twice(x) %}({{ x }} * 3){% endmacro %}');
    git('commit', '--quiet', '-am', 'later');
    const dir = writeProject({
      'packages.yml': `packages:\n  - git: ${repo}\n    revision: v1.0.0\n`,
      'models/m.sql': "{{ config(materialized='table') }} select {{ git_utils.twice(21) }} as n",
    });
    dirs.push(dir);
    expect(await deps({ projectDir: dir, profilesDir: dir })).toMatchObject({ exitCode: 0, installed: ['git_utils'] });
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select n from main.m')).toEqual([{ n: 42 }]);

    writeFileSync(join(dir, 'packages.yml'), `packages:\n  - git: ${repo}\n`);
    const unpinned = await deps({ projectDir: dir, profilesDir: dir });
    expect(unpinned.exitCode).toBe(0);
    expect(unpinned.diagnostics).toEqual([expect.objectContaining({ code: 'package-unpinned', severity: 'warn', file: 'packages.yml', line: 2 })]);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select n from main.m')).toEqual([{ n: 63 }]);
    removeProject(dir);
  });
});
