/**
 * The database of nodes on DuckDB, as dbt-duckdb gives it: the catalog DuckDB names the database file by (its
 * stem), in manifest.json (nodes, sources, tests, seeds, snapshots, hooks; relation_name in three parts), in
 * `target.database` and `this.database`, and in the compiled SQL, which runs.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES = {
  'project.yml': PROJECT_YML('p', 'on-run-start:\n  - "select 1"\n'),
  'seeds/raw.csv': 'id\n1\n2\n',
  'models/a.sql': "{{ config(materialized='table') }} select id, '{{ target.database }}' as target_db, '{{ this.database }}' as this_db, '{{ this }}' as this_name from {{ ref('raw') }}",
  'models/b.sql': "select count(*) as n from {{ ref('a') }} join {{ source('sys', 'schemata') }} s on s.schema_name = 'main' and s.catalog_name = '{{ target.database }}'",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\nsources:\n  - name: sys\n    database: system\n    schema: information_schema\n    tables:\n      - name: schemata\n',
  'snapshots/s.sql': "{% snapshot s %}{{ config(unique_key='id', strategy='check', check_cols='all') }} select * from {{ ref('raw') }}{% endsnapshot %}",
  'tests/a_has_rows.sql': "select 1 as x where (select count(*) from {{ ref('a') }}) = 0",
};

describe('the database of DuckDB nodes', () => {
  it("is the database file's stem in the manifest, target.database, this.database and the SQL, which runs", async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.filter((x) => x.status === 'error')])).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select target_db, this_db, this_name from main.a limit 1')).toEqual([{ target_db: 'test', this_db: 'test', this_name: '"test"."main"."a"' }]);
    expect(await queryDuckDb(db, 'select n::int as n from main.b')).toEqual([{ n: 2 }]);

    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));
    const row = (n: { resource_type: string; database: unknown; schema: unknown; relation_name?: unknown }): unknown[] => [n.resource_type, n.database, n.schema, n.relation_name ?? null];
    expect(Object.values(m.nodes as Record<string, never>).map(row).sort()).toEqual([
      ['model', 'test', 'main', '"test"."main"."a"'],
      ['model', 'test', 'main', '"test"."main"."b"'],
      ['operation', 'test', 'main', null],
      ['seed', 'test', 'main', '"test"."main"."raw"'],
      ['snapshot', 'test', 'main', '"test"."main"."s"'],
      ['test', 'test', 'main_dbt_test__audit', null],
      ['test', 'test', 'main_dbt_test__audit', null],
    ]);
    expect(row(m.sources['source.p.sys.schemata'])).toEqual(['source', 'system', 'information_schema', '"system"."information_schema"."schemata"']);
    expect(readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'b.sql'), 'utf8')).toContain('from "test"."main"."a" join "system"."information_schema"."schemata" s');
    const rr = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(rr.results.find((x: { unique_id: string }) => x.unique_id === 'model.p.a').relation_name).toBe('"test"."main"."a"');
  });

  it('is the name DuckDB gives a file with dots in its name (the part before the first dot), and builds', async () => {
    const dir = writeProject({ ...FILES, 'profiles.yml': DUCKDB_PROFILE().replace('target/test.duckdb', 'target/my.data.duckdb') });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.filter((x) => x.status === 'error').map((x) => x.message)])).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'my.data.duckdb'), 'select target_db, this_name from main.a limit 1')).toEqual([{ target_db: 'my', this_name: '"my"."main"."a"' }]);
  });

  it("follows the project's generate_database_name, as dbt: a model's database: names an attach: alias", async () => {
    const dir = writeProject({
      'profiles.yml': DUCKDB_PROFILE('p', '      attach:\n        - path: target/mart.duckdb\n          alias: analytics_mart\n'),
      'macros/db.sql': "{% macro generate_database_name(custom_database_name=none, node=none) %}{{ 'analytics_' ~ custom_database_name if custom_database_name else target.database }}{% endmacro %}",
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{{ config(database='mart', materialized='table') }} select id from {{ ref('a') }}",
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify([r.diagnostics, r.results.filter((x) => x.status === 'error')])).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));
    expect([m.nodes['model.p.a'].relation_name, m.nodes['model.p.b'].relation_name]).toEqual(['"test"."main"."a"', '"analytics_mart"."main"."b"']);
    expect(await queryDuckDb(join(dir, 'target', 'mart.duckdb'), 'select id from main.b')).toEqual([{ id: 1 }]);
  });

  it("is 'memory' in memory, and a database: that is not the file's name is a profile error before anything is written", async () => {
    const mem = writeProject({ 'profiles.yml': DUCKDB_PROFILE().replace('path: target/test.duckdb', "path: ':memory:'"), 'models/a.sql': "select '{{ target.database }}' as db" });
    dirs.push(mem);
    const c = await compile({ projectDir: mem, profilesDir: mem });
    expect(c.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(mem, 'target', 'manifest.json'), 'utf8')).nodes['model.p.a']).toMatchObject({ database: 'memory', relation_name: '"memory"."main"."a"', compiled_code: "select 'memory' as db" });

    const other = writeProject({ 'profiles.yml': DUCKDB_PROFILE('p', '      database: analytics\n'), 'models/a.sql': 'select 1 as id' });
    dirs.push(other);
    const r = await build({ projectDir: other, profilesDir: other });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.file])).toEqual([
      [expect.any(String), "duckdb database 'analytics' does not match the database file: DuckDB names target/test.duckdb 'test'; remove database: or set it to 'test' (a further file goes under attach:)", expect.stringContaining('profiles.yml')],
    ]);
    const same = writeProject({ 'profiles.yml': DUCKDB_PROFILE('p', '      database: test\n'), 'models/a.sql': 'select 1 as id' });
    dirs.push(same);
    expect((await build({ projectDir: same, profilesDir: same })).exitCode).toBe(0);
  });
});
