/**
 * A `local:` package's files as dbt names them: relative to the package (`models/x.sql`), in manifest.json,
 * templates, `ls`, target/compiled/ and target/run/ — while diagnostics and `path:` keep the path from the
 * project root, which the user can open. Real projects in temp folders, `strata deps`, a real DuckDB file.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, deps, docsGenerate, list } from '../api/index.js';
import { CapturingReporter } from '../diagnostics/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** manifest.json and run_results.json as read: deep paths are asserted, not typed. */
type Json = Record<string, any>;

/** A package folder outside the project: its dbt_project.yml and files. */
function packageDir(name: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `strata-pkg-${name}-`));
  dirs.push(dir);
  for (const [rel, text] of Object.entries({ 'dbt_project.yml': `name: ${name}\nconfig-version: 2\n`, ...files })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** A project with `local:` packages, installed with `strata deps`. */
async function project(packages: string[], files: Record<string, string>): Promise<string> {
  const dir = writeProject({ 'packages.yml': `packages:\n${packages.map((p) => `  - local: ${p}\n`).join('')}`, ...files });
  dirs.push(dir);
  expect((await deps({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
  return dir;
}

const manifestOf = (dir: string, at = 'target'): Json => JSON.parse(readFileSync(join(dir, at, 'manifest.json'), 'utf8')) as Json;

const PKG_FILES = {
  'models/staging/pkg_model.sql': "select 1 as id, '{{ model.original_file_path }}' as own_path",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: pkg_model\n    description: the package model\n    columns:\n      - name: id\n        data_tests: [not_null]\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
  'macros/helpers.sql': '{% macro pkg_one() %}1{% endmacro %}\n',
  'seeds/pkg_seed.csv': 'id\n1\n',
  'tests/pkg_singular.sql': "select * from {{ ref('pkg_model') }} where id is null",
};

describe("a package's paths as dbt gives them", () => {
  it('writes original_file_path, path, patch_path and compiled_path relative to the package, and its SQL under target/<compiled|run>/<package>/', async () => {
    const pkg = packageDir('my_pkg', PKG_FILES);
    const dir = await project([pkg], {
      'macros/root_macros.sql': '{% macro root_two() %}2{% endmacro %}\n',
      // graph, as dbt-project-evaluator reads it, has dbt's paths too.
      'models/root_model.sql': "{{ config(materialized='table') }}\nselect *, '{% if execute %}{{ graph.nodes['model.my_pkg.pkg_model'].original_file_path }}{% endif %}' as graph_path from {{ ref('pkg_model') }}",
    });
    const result = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    const m = manifestOf(dir);
    const node = (id: string): Json => m.nodes[id] as Json;
    const pick = (n: Json): Json => ({ path: n.path, original_file_path: n.original_file_path, patch_path: n.patch_path, compiled_path: n.compiled_path });
    expect(pick(node('model.my_pkg.pkg_model'))).toEqual({ path: 'staging/pkg_model.sql', original_file_path: 'models/staging/pkg_model.sql', patch_path: 'my_pkg://models/schema.yml', compiled_path: 'target/compiled/my_pkg/models/staging/pkg_model.sql' });
    expect(pick(node('seed.my_pkg.pkg_seed'))).toEqual({ path: 'pkg_seed.csv', original_file_path: 'seeds/pkg_seed.csv', patch_path: null, compiled_path: null });
    expect(pick(node('test.my_pkg.pkg_singular'))).toMatchObject({ path: 'pkg_singular.sql', original_file_path: 'tests/pkg_singular.sql', compiled_path: 'target/compiled/my_pkg/tests/pkg_singular.sql' });
    const generic = Object.values(m.nodes as Json).find((n: Json) => n.unique_id.startsWith('test.my_pkg.not_null_pkg_model_id')) as Json;
    expect(pick(generic)).toMatchObject({ path: 'not_null_pkg_model_id.sql', original_file_path: 'models/schema.yml', compiled_path: 'target/compiled/my_pkg/models/schema.yml/not_null_pkg_model_id.sql' });
    expect(m.sources['source.my_pkg.raw.events']).toMatchObject({ path: 'models/schema.yml', original_file_path: 'models/schema.yml' });
    // A macro's path is its original_file_path in dbt, the root project's too.
    expect(m.macros['macro.my_pkg.pkg_one']).toMatchObject({ path: 'macros/helpers.sql', original_file_path: 'macros/helpers.sql' });
    expect(m.macros['macro.p.root_two']).toMatchObject({ path: 'macros/root_macros.sql', original_file_path: 'macros/root_macros.sql' });
    // The root project's own nodes are as before.
    expect(pick(node('model.p.root_model'))).toEqual({ path: 'root_model.sql', original_file_path: 'models/root_model.sql', patch_path: null, compiled_path: 'target/compiled/p/models/root_model.sql' });

    for (const f of ['compiled/my_pkg/models/staging/pkg_model.sql', 'run/my_pkg/models/staging/pkg_model.sql', 'compiled/my_pkg/tests/pkg_singular.sql', 'compiled/my_pkg/models/schema.yml/not_null_pkg_model_id.sql']) expect(existsSync(join(dir, 'target', f)), f).toBe(true);
    expect(existsSync(join(dir, 'target/compiled/my_pkg/dbt_packages'))).toBe(false);
    expect(existsSync(join(dir, 'target/run/my_pkg/dbt_packages'))).toBe(false);

    // Templates: the package model's own `model.original_file_path`, and `graph` seen from the root project.
    expect(await queryDuckDb(join(dir, 'target/test.duckdb'), 'select own_path, graph_path from root_model')).toEqual([{ own_path: 'models/staging/pkg_model.sql', graph_path: 'models/staging/pkg_model.sql' }]);

    // A second build starts from the stored parse (graph snapshot): the same paths.
    expect((await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
    const again = manifestOf(dir);
    expect(pick(again.nodes['model.my_pkg.pkg_model'] as Json)).toEqual(pick(node('model.my_pkg.pkg_model')));
    expect(again.macros['macro.my_pkg.pkg_one']).toMatchObject({ original_file_path: 'macros/helpers.sql' });

    // `ls` prints dbt's paths; `path:` selects by the path from the project root, the file the user opens.
    const ls = await list({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter(), select: ['path:dbt_packages/my_pkg/models'], resourceTypes: ['model'], output: 'path' });
    expect(ls.lines).toEqual(['models/staging/pkg_model.sql']);
    const byFile = await list({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter(), select: ['file:pkg_model.sql'], resourceTypes: ['model'], output: 'json', outputKeys: ['unique_id', 'original_file_path'] });
    expect(byFile.lines.map((l) => JSON.parse(l))).toEqual([{ unique_id: 'model.my_pkg.pkg_model', original_file_path: 'models/staging/pkg_model.sql' }]);

    // The docs site names the file the user opens (its selector box selects `path:` as ls does), and shows the compiled SQL.
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
    const script = readFileSync(join(dir, 'target/docs/data.js'), 'utf8');
    const site = JSON.parse(JSON.parse(script.slice(script.indexOf('(') + 1, script.lastIndexOf(')')))) as Json;
    const pathOf = (id: string): string => (site.nodes as Json[]).find((n) => n.id === id)!.path;
    expect([pathOf('model.my_pkg.pkg_model'), pathOf('source.my_pkg.raw.events'), pathOf('model.p.root_model')]).toEqual(['dbt_packages/my_pkg/models/staging/pkg_model.sql', 'dbt_packages/my_pkg/models/schema.yml', 'models/root_model.sql']);
    const sqlScript = readFileSync(join(dir, 'target/docs/data-sql.js'), 'utf8');
    const sql = JSON.parse(JSON.parse(sqlScript.slice(sqlScript.indexOf('(') + 1, sqlScript.lastIndexOf(')')))) as Record<string, [string | null, string | null]>;
    expect(sql['model.my_pkg.pkg_model']?.[1]).toContain("'models/staging/pkg_model.sql' as own_path");
  });

  it("names the package's file from the project root in errors, and its compiled SQL where dbt writes it", async () => {
    const pkg = packageDir('bad_pkg', { 'models/broken.sql': 'select * from no_such_table', 'tests/always_fails.sql': 'select 1 as id' });
    const dir = await project([pkg], { 'models/ok.sql': 'select 1 as id' });
    const result = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(result.exitCode).toBe(1);
    const runResults = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as Json;
    const resultOf = (id: string): Json => (runResults.results as Json[]).find((r) => r.unique_id === id)!;
    // The file the user opens, from the project root; the compiled SQL at dbt's place.
    expect(resultOf('model.bad_pkg.broken')).toMatchObject({ status: 'error', message: expect.stringContaining('in dbt_packages/bad_pkg/models/broken.sql') });
    // run_results.json holds dbt's message; the terminal (the command's results) names the compiled SQL.
    expect(resultOf('test.bad_pkg.always_fails')).toMatchObject({ status: 'fail', message: 'Got 1 result, configured to fail if != 0' });
    expect(result.results.find((r) => r.uniqueId === 'test.bad_pkg.always_fails')?.message).toContain('compiled code at target/compiled/bad_pkg/tests/always_fails.sql');
    expect(existsSync(join(dir, 'dbt_packages/bad_pkg/models/broken.sql'))).toBe(true);
    expect(existsSync(join(dir, 'target/compiled/bad_pkg/tests/always_fails.sql'))).toBe(true);

    // A parse error in a package's model: the diagnostic names the file from the project root.
    writeFileSync(join(dir, 'dbt_packages/bad_pkg/models/broken.sql'), "select * from {{ ref('nowhere') }}");
    const parseFailed = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(parseFailed.exitCode).toBe(2);
    expect(parseFailed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}`)).toEqual(['ref-not-found dbt_packages/bad_pkg/models/broken.sql']);
  });

  it('finds no package node modified against a manifest with the old paths, and one after an edit', async () => {
    const pkg = packageDir('my_pkg', PKG_FILES);
    const dir = await project([pkg], { 'models/root_model.sql': "select * from {{ ref('pkg_model') }}" });
    expect((await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
    // The manifest an earlier Strata wrote: package paths from the project root.
    const old = manifestOf(dir);
    for (const n of Object.values({ ...old.nodes, ...old.sources, ...old.macros } as Json)) {
      if (n.package_name !== 'my_pkg') continue;
      n.original_file_path = `dbt_packages/my_pkg/${n.original_file_path}`;
      if (n.patch_path) n.patch_path = n.patch_path.replace('://', '://dbt_packages/my_pkg/');
      if (n.compiled_path) n.compiled_path = n.compiled_path.replace('compiled/my_pkg/', 'compiled/my_pkg/dbt_packages/my_pkg/');
    }
    mkdirSync(join(dir, 'old-state'));
    writeFileSync(join(dir, 'old-state/manifest.json'), JSON.stringify(old));
    cpSync(join(dir, 'target/manifest.json'), join(dir, 'new-state-manifest.json'));
    const modified = async (state: string): Promise<string[]> => (await list({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter(), select: ['state:modified'], resourceTypes: ['model'], state: join(dir, state), output: 'json', outputKeys: ['unique_id', 'original_file_path'] })).lines;
    expect(await modified('old-state')).toEqual([]);
    expect(await modified('target')).toEqual([]);
    writeFileSync(join(dir, 'dbt_packages/my_pkg/models/staging/pkg_model.sql'), 'select 2 as id');
    expect((await modified('old-state')).map((l) => JSON.parse(l))).toEqual([{ unique_id: 'model.my_pkg.pkg_model', original_file_path: 'models/staging/pkg_model.sql' }]);
  });
});

describe("parse-time vars of packages, scoped as dbt's", () => {
  it("renders each package's config() with its own vars, and the root project's with the root's", async () => {
    const a = packageDir('pkg_a', {
      'dbt_project.yml': 'name: pkg_a\nconfig-version: 2\nvars:\n  shared_schema: from_a\n  shared_enabled: true\n',
      'models/a_model.sql': "{{ config(schema=var('shared_schema'), enabled=var('shared_enabled')) }} select 'a' as who",
    });
    const b = packageDir('pkg_b', {
      'dbt_project.yml': 'name: pkg_b\nconfig-version: 2\nvars:\n  shared_schema: from_b\n  shared_enabled: false\n',
      'models/b_model.sql': "{{ config(schema=var('shared_schema'), enabled=var('shared_enabled')) }} select 'b' as who",
    });
    // The root project does not see its packages' vars (a default applies), as in dbt.
    const dir = await project([a, b], {
      'project.yml': PROJECT_YML('p'),
      'models/root_model.sql': "{{ config(schema=var('shared_schema', 'root_default')) }} select 'root' as who",
    });
    const result = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    const m = manifestOf(dir);
    expect(m.nodes['model.pkg_a.a_model']).toMatchObject({ schema: 'main_from_a', config: { enabled: true } });
    expect(m.nodes['model.pkg_b.b_model']).toBeUndefined();
    expect(m.disabled['model.pkg_b.b_model']?.[0]).toMatchObject({ config: { enabled: false } });
    expect(m.nodes['model.p.root_model']).toMatchObject({ schema: 'main_root_default' });
    const tables = await queryDuckDb(join(dir, 'target/test.duckdb'), "select table_schema, table_name from information_schema.tables where table_name like '%_model' order by table_name");
    expect(tables).toEqual([
      { table_schema: 'main_from_a', table_name: 'a_model' },
      { table_schema: 'main_root_default', table_name: 'root_model' },
    ]);

    // A package's var changed: its node parsed again (the stored parse is not reused), the others as they were.
    writeFileSync(join(a, 'dbt_project.yml'), 'name: pkg_a\nconfig-version: 2\nvars:\n  shared_schema: from_a_again\n  shared_enabled: true\n');
    expect((await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
    const again = manifestOf(dir);
    expect(again.nodes['model.pkg_a.a_model']).toMatchObject({ schema: 'main_from_a_again' });
    expect(again.nodes['model.p.root_model']).toMatchObject({ schema: 'main_root_default' });
    expect(again.nodes['model.pkg_b.b_model']).toBeUndefined();
  });
});
