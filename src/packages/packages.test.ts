/**
 * Packages as dbt's, end to end: a hub of our own on 127.0.0.1 (a hub dependency, and its dependency asked
 * for with a range), a git package from a local bare repository, a local package above the project; resolved,
 * locked, installed and built on a real DuckDB file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { PackageHub } from '../test-support/package-hub.js';
import { build, deps } from '../api/index.js';

const hub = new PackageHub();
let work: string;
/** A loopback port nothing listens on. */
let closedPort = 0;

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();

/** A bare repository holding a package, tagged v1.0.0, with a later commit on main. Returns its path and the tag's commit. */
function gitPackage(): { url: string; commit: string } {
  const src = join(work, 'git_src');
  writeTree(src, {
    'README.md': 'the package is in sub/',
    'sub/dbt_project.yml': "name: git_pkg\nversion: '1.0.0'\nconfig-version: 2\nvars:\n  git_factor: 10\n",
    'sub/models/git_model.sql': "select {{ var('git_factor') }} as factor",
    'sub/models/common.sql': "select 'git_pkg' as who",
  });
  git(src, 'init', '--quiet');
  git(src, 'add', '.');
  git(src, 'commit', '--quiet', '-m', 'v1');
  git(src, 'tag', 'v1.0.0');
  const commit = git(src, 'rev-parse', 'HEAD');
  writeFileSync(join(src, 'sub', 'models', 'git_model.sql'), 'select 99 as factor');
  git(src, 'commit', '--quiet', '-am', 'later');
  const url = join(work, 'git_pkg.git');
  execFileSync('git', ['clone', '--quiet', '--bare', src, url], { stdio: 'ignore' });
  return { url, commit };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'strata-packages-'));
  const base = (version: string): Parameters<PackageHub['add']>[0] => ({
    hubName: 'acme/base_utils', version, name: 'base_utils',
    files: { 'macros/double.sql': `{% macro double(x) %}({{ x }} * 2){% endmacro %}`, 'models/base_version.sql': `select '${version}' as version` },
  });
  for (const v of ['0.1.0', '0.3.0', '0.4.0']) hub.add(base(v));
  for (const v of ['1.0.0', '1.2.0', '2.0.0']) {
    hub.add({
      hubName: 'acme/hub_utils', version: v, name: 'hub_utils',
      packages: [{ package: 'acme/base_utils', version: ['>=0.2.0', '<0.4.0'] }],
      files: {
        'models/hub_model.sql': `select {{ base_utils.double(21) }} as answer, '${v}' as version`,
        'models/hub_disabled.sql': 'select 1 as x',
        'models/schema.yml': 'version: 2\nmodels:\n  - name: hub_model\n    columns:\n      - name: answer\n        data_tests: [not_null]\n',
      },
    });
  }
  hub.add({ hubName: 'acme/future', version: '1.0.0', name: 'future', files: {}, requireDbtVersion: ['>=9.0.0'] });
  hub.add({ hubName: 'acme/tar_pkg', version: '1.0.0', name: 'tar_pkg', files: { 'models/tar_model.sql': 'select 7 as seven' } });
  await hub.start();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await hub.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('packages as dbt', () => {
  it('resolves a hub, a transitive hub (range), a git and a local package, locks, installs and builds their models', async () => {
    const { url, commit } = gitPackage();
    writeTree(join(work, 'local_pkg'), {
      'dbt_project.yml': "name: local_pkg\nversion: '1.0.0'\nconfig-version: 2\n",
      'models/local_model.sql': "select answer + 1 as answer from {{ ref('hub_utils', 'hub_model') }}",
      'models/from_source.sql': "select (select count(*)::int from {{ ref('local_seed') }}) as n, (select count(*) > 0 from {{ source('duck', 'schemata') }}) as has_schemas",
      'models/sources.yml': 'version: 2\nsources:\n  - name: duck\n    database: system\n    schema: information_schema\n    tables:\n      - name: schemata\n  - name: unused\n    tables:\n      - name: nothing\n',
      'seeds/local_seed.csv': 'id\n1\n2\n',
      'tests/assert_answer.sql': "select * from {{ ref('local_model') }} where answer <> 43",
      'models/common.sql': "select 'local_pkg' as who",
      'models/who.sql': "select who from {{ ref('common') }}",
      'snapshots/snap.sql': "{% snapshot pkg_snap %}{{ config(target_schema='main', unique_key='id', strategy='check', check_cols='all') }} select * from {{ ref('local_seed') }}{% endsnapshot %}",
      'analyses/look.sql': "select * from {{ ref('who') }}",
      'models/docs.md': '{% docs who_doc %}Who built it.{% enddocs %}',
      'models/who.yml': "version: 2\nmodels:\n  - name: who\n    description: \"{{ doc('who_doc') }}\"\n",
      'models/plus_one.sql': "select id + 1 as id from {{ ref('local_seed') }}",
      'models/unit.yml': 'unit_tests:\n  - name: adds_one\n    model: plus_one\n    given:\n      - input: ref(\'local_seed\')\n        rows:\n          - {id: 41}\n    expect:\n      rows:\n        - {id: 42}\n',
    });
    const dir = join(work, 'project');
    writeTree(dir, {
      'project.yml': PROJECT_YML('p', "models:\n  hub_utils:\n    hub_disabled:\n      +enabled: false\n    +materialized: table\n  git_pkg:\n    +schema: git\nsources:\n  local_pkg:\n    unused:\n      +enabled: false\n"),
      'profiles.yml': DUCKDB_PROFILE(),
      'packages.yml': `packages:\n  - package: acme/hub_utils\n    version: [">=1.0.0", "<2.0.0"]\n  - git: ${url}\n    revision: v1.0.0\n    subdirectory: sub\n  - local: ../local_pkg\n  - tarball: ${hub.url}/tarballs/acme/tar_pkg/1.0.0.tar.gz\n    name: tar_pkg\n`,
      'models/top.sql': "{{ config(materialized='table') }} select l.answer, g.factor, b.version as base from {{ ref('local_model') }} l, {{ ref('git_pkg', 'git_model') }} g, {{ ref('base_version') }} b",
    });
    const env = { ...process.env, DBT_PACKAGE_HUB_URL: hub.url };
    const result = await deps({ projectDir: dir, profilesDir: dir, env });
    expect(result.diagnostics).toEqual([]);
    expect(result).toMatchObject({ exitCode: 0, installed: ['base_utils', 'git_pkg', 'hub_utils', 'local_pkg', 'tar_pkg'] });

    const lock = readFileSync(join(dir, 'package-lock.yml'), 'utf8');
    expect(lock).toContain('  - name: hub_utils\n    package: acme/hub_utils\n    version: 1.2.0\n');
    expect(lock).toContain('  - name: base_utils\n    package: acme/base_utils\n    version: 0.3.0\n');
    expect(lock).toContain(`  - git: ${url}\n    name: git_pkg\n    revision: ${commit}\n    subdirectory: sub\n`);
    expect(lock).toContain(`  - name: tar_pkg\n    tarball: ${hub.url}/tarballs/acme/tar_pkg/1.0.0.tar.gz\n`);
    expect(lock).toContain('  - local: ../local_pkg\n    name: local_pkg\n');
    expect(lock).toMatch(/\nsha1_hash: [0-9a-f]{40}\n$/);
    expect(lstatSync(join(dir, 'dbt_packages', 'local_pkg')).isSymbolicLink()).toBe(true);

    const built = await build({ projectDir: dir, profilesDir: dir, env });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.exitCode).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select answer, factor, base from main.top')).toEqual([{ answer: 43, factor: 10, base: '0.3.0' }]);
    // The root project's `models: hub_utils:` configs apply: table, and hub_disabled not built.
    expect(await queryDuckDb(db, "select table_name, table_type from information_schema.tables where table_name in ('hub_model', 'hub_disabled')")).toEqual([{ table_name: 'hub_model', table_type: 'BASE TABLE' }]);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: object; sources: object; disabled: object };
    const ids = Object.keys(manifest.nodes);
    expect(Object.keys(manifest.sources)).toEqual(['source.local_pkg.duck.schemata']);
    expect(Object.keys(manifest.disabled)).toEqual(expect.arrayContaining(['source.local_pkg.unused.nothing', 'model.hub_utils.hub_disabled']));
    expect(ids).toEqual(expect.arrayContaining(['model.hub_utils.hub_model', 'model.base_utils.base_version', 'model.git_pkg.git_model', 'model.local_pkg.local_model', 'model.p.top']));
    expect(ids.some((id) => id.startsWith('test.hub_utils.not_null_hub_model_answer'))).toBe(true);
    expect(ids).toEqual(expect.arrayContaining(['seed.local_pkg.local_seed', 'test.local_pkg.assert_answer', 'model.tar_pkg.tar_model']));
    expect(built.results?.find((r) => r.uniqueId === 'unit_test.local_pkg.plus_one.adds_one')?.status).toBe('pass');
    expect(ids).toEqual(expect.arrayContaining(['snapshot.local_pkg.pkg_snap', 'analysis.local_pkg.look']));
    expect(await queryDuckDb(db, 'select count(*)::int as n from main.pkg_snap')).toEqual([{ n: 2 }]);
    const full = manifest as unknown as { docs: Record<string, unknown>; nodes: Record<string, { description: string; package_name: string; fqn: string[] }> };
    expect(Object.keys(full.docs)).toContain('doc.local_pkg.who_doc');
    expect(full.nodes['model.local_pkg.who']).toMatchObject({ description: 'Who built it.', package_name: 'local_pkg', fqn: ['local_pkg', 'who'] });
    expect(await queryDuckDb(db, 'select n, has_schemas from main.from_source')).toEqual([{ n: 2, has_schemas: true }]);
    // ref('common') in local_pkg means its own (git_pkg has one too, in the schema the root project gives it).
    expect(await queryDuckDb(db, 'select who from main.who')).toEqual([{ who: 'local_pkg' }]);
    expect(await queryDuckDb(db, 'select who from main_git.common')).toEqual([{ who: 'git_pkg' }]);
    expect(ids.length).toBeGreaterThan(0);
    expect(built.results?.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
    // Again, from the graph snapshot the first build left.
    const again = await build({ projectDir: dir, profilesDir: dir, env });
    expect(again.exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select answer, factor, base from main.top')).toEqual([{ answer: 43, factor: 10, base: '0.3.0' }]);

    // A newer base_utils in range: the lock holds 0.3.0 until --upgrade.
    hub.add({ hubName: 'acme/base_utils', version: '0.3.1', name: 'base_utils', files: { 'macros/double.sql': '{% macro double(x) %}({{ x }} * 2){% endmacro %}', 'models/base_version.sql': "select '0.3.1' as version" } });
    const locked = await deps({ projectDir: dir, profilesDir: dir, env });
    expect(locked.exitCode).toBe(0);
    expect(locked.messages).toEqual(expect.arrayContaining(['Installed base_utils version 0.3.0 (0.4.0 is available)', 'Installed hub_utils version 1.2.0 (2.0.0 is available)']));
    expect(readFileSync(join(dir, 'dbt_packages', 'base_utils', 'models', 'base_version.sql'), 'utf8')).toContain('0.3.0');
    expect(await deps({ projectDir: dir, profilesDir: dir, env, upgrade: true })).toMatchObject({ exitCode: 0 });
    expect(readFileSync(join(dir, 'package-lock.yml'), 'utf8')).toContain('version: 0.3.1');
    expect(readFileSync(join(dir, 'dbt_packages', 'base_utils', 'models', 'base_version.sql'), 'utf8')).toContain('0.3.1');
  });

  it('names both requirers of ranges that do not overlap, and leaves dbt_packages as it was', async () => {
    const dir = join(work, 'conflict');
    writeTree(dir, {
      'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(),
      'packages.yml': 'packages:\n  - package: acme/hub_utils\n    version: 1.2.0\n  - package: acme/base_utils\n    version: ">=0.4.0"\n',
      'dbt_packages/keep/dbt_project.yml': 'name: keep\n',
    });
    const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_PACKAGE_HUB_URL: hub.url } });
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'package-version-conflict', message: expect.stringMatching(/base_utils.*packages\.yml asks for >=0\.4\.0.*hub_utils asks for >=0\.2\.0, <0\.4\.0|hub_utils asks.*packages\.yml asks/) })]);
    expect(existsSync(join(dir, 'dbt_packages', 'keep', 'dbt_project.yml'))).toBe(true);
    expect(existsSync(join(dir, 'package-lock.yml'))).toBe(false);
  });

  it.each([
    ['an unreachable hub', 'packages:\n  - package: acme/hub_utils\n    version: 1.2.0\n', 'closed', 'package-hub-unreachable', 1, 'DBT_PACKAGE_HUB_URL'],
    ['a package the hub lacks', 'packages:\n  - package: acme/nothing\n    version: 1.0.0\n', '', 'package-not-found', 2, 'org/name'],
    ['a missing version', 'packages:\n  - package: acme/hub_utils\n    version: 9.0.0\n', '', 'package-version-not-found', 2, 'range'],
    ['a version for a later dbt only', 'packages:\n  - package: acme/future\n    version: ">=1.0.0"\n', '', 'package-version-not-found', 2, '--no-version-check'],
    ['a bad range', 'packages:\n  - package: acme/hub_utils\n    version: ">=1.x"\n', '', 'packages-invalid', 2, 'full version'],
    ['a git failure', 'packages:\n  - git: /nonexistent/repo.git\n    revision: v1\n', '', 'package-git-failed', 1, 'revision'],
  ])('%s names the package and the fix', async (_label, packagesYml, hubUrl, code, exitCode, hint) => {
    const dir = mkdtempSync(join(work, 'err-'));
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': packagesYml });
    const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_PACKAGE_HUB_URL: hubUrl === 'closed' ? `http://127.0.0.1:${closedPort}` : hub.url } });
    if (code === 'package-hub-unreachable') expect(result.diagnostics[0]!.message).toContain('ECONNREFUSED');
    expect(result.exitCode).toBe(exitCode);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code, file: 'packages.yml', line: 2, hint: expect.stringContaining(hint) })]);
  });

  it('refuses two packages that install under one name, naming both', async () => {
    const dir = join(work, 'same-name');
    writeTree(join(work, 'my_base'), { 'dbt_project.yml': 'name: base_utils\nconfig-version: 2\n' });
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': 'packages:\n  - package: acme/base_utils\n    version: 0.1.0\n  - local: ../my_base\n' });
    const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_PACKAGE_HUB_URL: hub.url } });
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'package-name-conflict', message: expect.stringMatching(/'base_utils': (acme\/base_utils.*\.\.\/my_base|\.\.\/my_base.*acme\/base_utils)/) })]);
  });

  it('works with a mirror that has no index.json', async () => {
    const dir = join(work, 'no-index');
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': 'packages:\n  - package: acme/base_utils\n    version: 0.1.0\n' });
    hub.noIndex = true;
    try {
      const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_PACKAGE_HUB_URL: `${hub.url}/` } });
      expect(result).toMatchObject({ exitCode: 0, installed: ['base_utils'] });
      const missing = await deps({ projectDir: dir, profilesDir: dir, addPackage: 'acme/nothing@1.0.0', env: { ...process.env, DBT_PACKAGE_HUB_URL: hub.url } });
      expect(missing.diagnostics).toEqual([expect.objectContaining({ code: 'package-not-found' })]);
    } finally {
      hub.noIndex = false;
    }
  });

  it('keeps a token of a git URL (env_var) out of messages and the lock', async () => {
    const dir = join(work, 'token');
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': 'packages:\n  - git: "/nonexistent/{{ env_var(\'GIT_TOKEN\') }}/repo.git"\n    revision: v1\n' });
    const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, GIT_TOKEN: 'sekrit-token-123' } });
    expect(result.exitCode).toBe(1);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'package-git-failed' })]);
    expect(JSON.stringify(result.diagnostics)).not.toContain('sekrit-token-123');
    expect(JSON.stringify(result.diagnostics)).toContain("env_var('GIT_TOKEN')");
  });

  it('refuses a tarball whose sha1 is not the hub\'s, keeping the packages installed before', async () => {
    hub.add({ hubName: 'acme/tampered', version: '1.0.0', name: 'tampered', files: {}, wrongSha1: true });
    const dir = join(work, 'tampered');
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': 'packages:\n  - package: acme/tampered\n    version: 1.0.0\n', 'dbt_packages/keep/dbt_project.yml': 'name: keep\n' });
    const result = await deps({ projectDir: dir, profilesDir: dir, env: { ...process.env, DBT_PACKAGE_HUB_URL: hub.url } });
    expect(result.exitCode).toBe(1);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'package-checksum-mismatch', message: expect.stringContaining('acme/tampered@1.0.0: the sha1 of'), hint: expect.stringContaining('retry') })]);
    expect(existsSync(join(dir, 'dbt_packages', 'keep', 'dbt_project.yml'))).toBe(true);
  });

  it('--add-package writes packages.yml, --lock writes the lock alone', async () => {
    const dir = join(work, 'add');
    writeTree(dir, { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), 'packages.yml': 'packages:\n  - git: https://example.invalid/acme/base-utils.git\n    revision: v0\n' });
    const env = { ...process.env, DBT_PACKAGE_HUB_URL: hub.url };
    const result = await deps({ projectDir: dir, profilesDir: dir, env, addPackage: 'acme/base_utils@>=0.1.0,<0.3.0', lock: true });
    expect(result.diagnostics).toEqual([]);
    expect(readFileSync(join(dir, 'packages.yml'), 'utf8')).toBe('packages:\n  - package: acme/base_utils\n    version:\n      - ">=0.1.0"\n      - <0.3.0\n');
    expect(readFileSync(join(dir, 'package-lock.yml'), 'utf8')).toContain('version: 0.1.0');
    expect(existsSync(join(dir, 'dbt_packages'))).toBe(false);
  });
});
