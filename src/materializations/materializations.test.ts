/** Each materialization on a real DuckDB file, through the api (STYLE habit 11): views, tables, ephemeral models, --empty, stored failures, --resource-type, grants. Incremental models, seeds and contracts have their own files. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, run, seed } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const go = async (dir: string, extra: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof run>>> => run({ projectDir: dir, profilesDir: dir, ...extra });

describe('view and table', () => {
  it('switches a relation from view to table and back', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='view') }} select 1 as x" });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q("select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'VIEW' }]);
    p.write('models/m.sql', "{{ config(materialized='table') }} select 2 as x");
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q("select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'BASE TABLE' }]);
    p.write('models/m.sql', "{{ config(materialized='view') }} select 3 as x");
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select x from main.m')).toEqual([{ x: 3 }]);
  });

  it('inlines ephemeral models as CTEs and never creates them', async () => {
    const p = project({ 'models/e.sql': "{{ config(materialized='ephemeral') }} select 5 as y", 'models/t.sql': "{{ config(materialized='table') }} select y * 2 as z from {{ ref('e') }}" });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select z from main.t')).toEqual([{ z: 10 }]);
    expect(await p.q("select count(*)::int as n from information_schema.tables where table_name = 'e'")).toEqual([{ n: 0 }]);
  });

  it('records no result for an ephemeral model, as dbt: run_results.json and the count hold only what was built', async () => {
    const p = project({ 'models/e.sql': "{{ config(materialized='ephemeral') }} select 5 as y", 'models/t.sql': "select y from {{ ref('e') }}" });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId)).toEqual(['model.p.t']);
    const written = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string }[] };
    expect(written.results.map((x) => x.unique_id)).toEqual(['model.p.t']);
  });

  it('tells a failed ephemeral model on each model that reads it, skipped, and the run fails', async () => {
    const p = project({
      'models/e.sql': "{{ config(materialized='ephemeral') }}\n{{ adapter.no_such_method() }}\nselect 5 as y",
      'models/t.sql': "select y from {{ ref('e') }}",
      'models/u.sql': "select y from {{ ref('t') }}",
    });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(1);
    expect(r.results.map((x) => [x.uniqueId, x.status])).toEqual([['model.p.t', 'skipped'], ['model.p.u', 'skipped']]);
    expect(r.results[0]!.message).toMatch(/^Compilation Error in model\.p\.t, caused by compilation error in referenced ephemeral model model\.p\.e: .*no_such_method/);
  });
});

describe('--empty', () => {
  it('builds every model with its columns and no rows, reading no data from refs and sources', async () => {
    const p = project({
      'seeds/raw.csv': 'id,amount\n1,10\n2,20\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: ext\n    schema: main\n    tables:\n      - name: raw\n',
      'models/e.sql': "{{ config(materialized='ephemeral') }} select id from {{ ref('raw') }}",
      'models/t.sql': "{{ config(materialized='table') }} select r.id, r.amount * 2 as doubled from {{ source('ext', 'raw') }} as r join {{ ref('e') }} as e on e.id = r.id",
      'models/v.sql': "select * from {{ ref('t') }}",
    });
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    expect((await go(p.dir, { empty: true })).exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.t')).toEqual([{ n: 0 }]);
    expect(await p.q("select column_name, data_type from information_schema.columns where table_name = 't' order by ordinal_position")).toEqual([{ column_name: 'id', data_type: 'INTEGER' }, { column_name: 'doubled', data_type: 'INTEGER' }]);
    expect(await p.q('select count(*)::int as n from main.raw')).toEqual([{ n: 2 }]);
    const compiled = readFileSync(join(p.dir, 'target', 'compiled', 'p', 'models', 't.sql'), 'utf8');
    expect(compiled).toContain('from (select * from "test"."main"."raw" where false limit 0) as r');
    expect(compiled).toContain('(select * from "test"."main"."raw" where false limit 0)');
    // Without the flag, the same models read their rows.
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select count(*)::int as n from main.v')).toEqual([{ n: 2 }]);
  });

  it('reads no rows from an ephemeral model either, even one that reads nothing itself', async () => {
    const p = project({
      'models/lit.sql': "{{ config(materialized='ephemeral') }} select 7 as id",
      'models/t.sql': "{{ config(materialized='table') }} select id from {{ ref('lit') }} union all select 8 as id",
    });
    expect((await go(p.dir, { empty: true })).exitCode).toBe(0);
    expect(await p.q('select id from main.t')).toEqual([{ id: 8 }]);
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select id from main.t order by id')).toEqual([{ id: 7 }, { id: 8 }]);
  });
});

describe('--store-failures', () => {
  it('stores the failing rows of tests whose config does not say otherwise', async () => {
    const p = project({
      'models/m.sql': "{{ config(materialized='table') }} select null as id union all select 1",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - unique:\n              config: {store_failures: false}\n',
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir, storeFailures: true });
    expect(r.exitCode).toBe(1);
    expect(await p.q("select table_name from information_schema.tables where table_schema = 'main_dbt_test__audit' order by 1")).toEqual([{ table_name: 'not_null_m_id' }]);
    expect(await p.q('select count(*)::int as n from main_dbt_test__audit.not_null_m_id')).toEqual([{ n: 1 }]);
  });
});

describe('build --resource-type', () => {
  it('builds only, or all but, the named types', async () => {
    const p = project({
      'seeds/s.csv': 'id\n1\n',
      'models/m.sql': "select * from {{ ref('s') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const kinds = (r: Awaited<ReturnType<typeof build>>): string[] => r.results.map((x) => x.uniqueId.split('.')[0]!).sort();
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, resourceTypes: ['seed'] }))).toEqual(['seed']);
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, excludeResourceTypes: ['test'] }))).toEqual(['model', 'seed']);
    expect(kinds(await build({ projectDir: p.dir, profilesDir: p.dir, resourceTypes: ['model', 'test'] }))).toEqual(['model', 'test']);
  });
});

describe('grants on DuckDB', () => {
  it('are not applied, with one warning', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='table', grants={'select': ['reporter']}) }} select 1 as id" });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'grants-unsupported').map((d) => d.message)).toEqual(["1 selected node(s) set grants (m), which duckdb does not have: they are not applied"]);
  });
});
