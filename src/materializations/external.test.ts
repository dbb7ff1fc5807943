/**
 * dbt-duckdb's `external` materialization and `external_location` sources, on a real DuckDB file through the
 * api: files written where dbt-duckdb writes them, a view over each, and a failed run that leaves both.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { build, compile, sourceFreshness } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const errors = (r: Awaited<ReturnType<typeof build>>): string[] => [...r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), ...r.results.filter((x) => x.status === 'error').map((x) => x.message)];
const SHIPMENTS = "select * from (values (1, 'north', 12.5), (2, 'south', 3.0), (3, 'north', 7.25)) as t(shipment_id, region, weight)";

describe('materialized: external (DuckDB)', () => {
  it('writes Parquet, CSV and JSON files where dbt-duckdb would, with a view over each that reads the same rows', async () => {
    const p = project({
      'profiles.yml': DUCKDB_PROFILE('p', '      external_root: exports\n'),
      'models/shipments.sql': `{{ config(materialized='table') }} ${SHIPMENTS}`,
      'models/ship_default.sql': "{{ config(materialized='external') }} select * from {{ ref('shipments') }}",
      'models/ship_csv.sql': "{{ config(materialized='external', format='csv') }} select * from {{ ref('shipments') }}",
      'models/ship_piped.sql': "{{ config(materialized='external', location=\"{{ adapter.external_root() }}/piped.csv\", delimiter='|') }} select * from {{ ref('shipments') }}",
      'models/ship_json.sql': "{{ config(materialized='external', location='out/ship.json') }} select * from {{ ref('shipments') }}",
      'models/ship_parts.sql': "{{ config(materialized='external', options={'partition_by': 'region'}) }} select * from {{ ref('shipments') }}",
      'models/heavy.sql': "select region, sum(weight) as w from {{ ref('ship_default') }} group by region",
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(errors(r)).toEqual([]);
    expect(existsSync(join(p.dir, 'exports', 'ship_default.parquet'))).toBe(true);
    expect(readFileSync(join(p.dir, 'exports', 'ship_csv.csv'), 'utf8').split('\n')[0]).toBe('shipment_id,region,weight');
    expect(readFileSync(join(p.dir, 'exports', 'piped.csv'), 'utf8').split('\n')[0]).toBe('shipment_id|region|weight');
    expect(existsSync(join(p.dir, 'out', 'ship.json'))).toBe(true);
    expect(existsSync(join(p.dir, 'exports', 'ship_parts', 'region=north'))).toBe(true);
    const expected = [{ shipment_id: 1, region: 'north', weight: '12.5' }, { shipment_id: 2, region: 'south', weight: '3.0' }, { shipment_id: 3, region: 'north', weight: '7.25' }];
    for (const m of ['ship_default', 'ship_csv', 'ship_piped', 'ship_json', 'ship_parts']) {
      expect(await p.q(`select shipment_id::int as shipment_id, region, weight::decimal(5,2)::varchar as weight from main.${m} order by 1`), m).toEqual(expected.map((e) => ({ ...e, weight: Number(e.weight).toFixed(2) })));
      expect(await p.q(`select table_type from information_schema.tables where table_name = '${m}'`), m).toEqual([{ table_type: 'VIEW' }]);
    }
    expect(await p.q('select region, w::double as w from main.heavy order by 1')).toEqual([{ region: 'north', w: 19.75 }, { region: 'south', w: 3 }]);
    // Again: each output replaced (a partitioned folder too, which DuckDB's COPY alone refuses to write over).
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    expect(await p.q('select count(*)::int as n from main.ship_parts')).toEqual([{ n: 3 }]);
    const result = r.results.find((x) => x.uniqueId === 'model.p.ship_default');
    expect(result).toMatchObject({ status: 'success', message: 'OK', adapterResponse: { code: 'COPY', rows_affected: 3 } });
  });

  it('replaces a single file with one rename, keeping the previous one aside only for a model with post-hooks', async () => {
    const p = project({
      'models/plain_out.sql': "{{ config(materialized='external', location='plain/out.csv') }} select {{ var('v', 1) }} as v",
      'models/hooked_out.sql': "{{ config(materialized='external', location='hooked/out.csv', post_hook='select 1') }} select {{ var('v', 1) }} as v",
    });
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    // What each folder sees created while the second run replaces the files (inotify, read after the run).
    const seen: Record<string, string[]> = { plain: [], hooked: [] };
    const watchers = Object.keys(seen).map((d) => watch(join(p.dir, d), (_event, name) => seen[d]!.push(String(name))));
    try {
      expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir, vars: '{v: 2}' }))).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      for (const w of watchers) w.close();
    }
    for (const d of ['plain', 'hooked']) {
      expect(readFileSync(join(p.dir, d, 'out.csv'), 'utf8'), d).toBe('v\n2\n');
      expect(readdirSync(join(p.dir, d)), d).toEqual(['out.csv']);
      expect(statSync(join(p.dir, d, 'out.csv')).nlink, d).toBe(1);
    }
    expect(await p.q('select v::int as v from main.plain_out')).toEqual([{ v: 2 }]);
    // The hooked model's previous file had a second name until its transaction committed; the plain one's none.
    expect(seen.hooked!.some((n) => n.endsWith('.old'))).toBe(true);
    expect(seen.plain!.filter((n) => n.endsWith('.old'))).toEqual([]);
  });

  it('a model whose SQL fails leaves the previous file and view; an empty result keeps the columns', async () => {
    const p = project({
      // dbt-duckdb projects call this in on-run-start; Strata's views of external models stay in the database.
      'project.yml': "name: p\nprofile: p\non-run-start:\n  - '{{ register_upstream_external_models() }}'\n",
      'models/ship.sql': `{{ config(materialized='external', location='ship.parquet') }} ${SHIPMENTS}`,
      'models/none.sql': `{{ config(materialized='external', location='none.csv') }} select * from (${SHIPMENTS}) where shipment_id > 10`,
    });
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    const before = statSync(join(p.dir, 'ship.parquet')).mtimeMs;
    expect(await p.q('select count(*)::int as n from main.none')).toEqual([{ n: 0 }]);
    expect((await p.q("select column_name from information_schema.columns where table_name = 'none' order by ordinal_position")).map((c) => c.column_name)).toEqual(['shipment_id', 'region', 'weight']);

    p.write('models/ship.sql', "{{ config(materialized='external', location='ship.parquet') }} select error('the feed is broken') as shipment_id");
    const failed = await build({ projectDir: p.dir, profilesDir: p.dir, select: ['ship'] });
    expect(failed.exitCode).toBe(1);
    expect(statSync(join(p.dir, 'ship.parquet')).mtimeMs).toBe(before);
    expect(await p.q('select count(*)::int as n from main.ship')).toEqual([{ n: 3 }]);
  });

  it('replaces a table of the same name, and refuses a format it cannot write before anything runs', async () => {
    const p = project({ 'models/ship.sql': `{{ config(materialized='table') }} ${SHIPMENTS}` });
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    p.write('models/ship.sql', `{{ config(materialized='external') }} ${SHIPMENTS}`);
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    expect(await p.q("select table_type from information_schema.tables where table_name = 'ship'")).toEqual([{ table_type: 'VIEW' }]);
    p.write('models/ship.sql', `{{ config(materialized='external', format='xlsx') }} ${SHIPMENTS}`);
    const bad = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.diagnostics.find((d) => d.code === 'external-config-invalid')).toMatchObject({ file: 'models/ship.sql', message: expect.stringContaining("format 'xlsx' is not one of parquet, csv, json") });
    expect(await p.q('select count(*)::int as n from main.ship')).toEqual([{ n: 3 }]);
  });
});

describe('materialized: external keeps what it must not replace', () => {
  it('a write whose file cannot be read back (a bad reader option) leaves the previous file and view', async () => {
    const p = project({ 'models/ext1.sql': "{{ config(materialized='external', location='out/ext1.parquet') }} select 5 as id" });
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir }))).toEqual([]);
    const before = statSync(join(p.dir, 'out', 'ext1.parquet')).mtimeMs;
    p.write('models/ext1.sql', "{{ config(materialized='external', location='out/ext1.parquet', parquet_read_options={'bogus_option': 1}) }} select 7 as id");
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(1);
    expect(await p.q('select id from main.ext1')).toEqual([{ id: 5 }]);
    expect(statSync(join(p.dir, 'out', 'ext1.parquet')).mtimeMs).toBe(before);
    expect(readdirSync(join(p.dir, 'out'))).toEqual(['ext1.parquet']);
  });

  it("refuses a partitioned output in a folder holding other files, or the project's own folder", async () => {
    const p = project({ 'models/seeds.sql': "{{ config(materialized='external', options={'partition_by': 'g', 'overwrite': true}) }} select 1 as id, 2 as g" });
    mkdirSync(join(p.dir, 'seeds'));
    writeFileSync(join(p.dir, 'seeds', 'keep_me.csv'), 'a\n1\n');
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'model.p.seeds')?.message).toContain('holds files that are no output of this model (keep_me.csv)');
    expect(readdirSync(join(p.dir, 'seeds'))).toEqual(['keep_me.csv']);
    p.write('models/seeds.sql', "{{ config(materialized='external', location='.', options={'partition_by': 'g'}) }} select 1 as id, 2 as g");
    const t = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(t.results.find((x) => x.uniqueId === 'model.p.seeds')?.message).toContain("is the project's folder or one above it");
    expect(existsSync(join(p.dir, 'models', 'seeds.sql'))).toBe(true);
    // Written in place (overwrite_or_ignore keeps what the folder holds): the project's folder is refused too.
    p.write('models/seeds.sql', "{{ config(materialized='external', location='.', options={'partition_by': 'g', 'overwrite_or_ignore': true}) }} select 1 as id, 2 as g");
    const u = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(u.results.find((x) => x.uniqueId === 'model.p.seeds')?.message).toContain("is the project's folder or one above it");
    expect(existsSync(join(p.dir, 'g=2'))).toBe(false);
  });
});

describe('external_location sources (DuckDB)', () => {
  it('reads files in place, from the project folder whatever the working directory, with source tests on them', async () => {
    const p = project({
      'models/sources.yml': [
        'version: 2',
        'sources:',
        '  - name: drops',
        '    meta:',
        "      external_location: 'landing/{name}_{batch}.csv'",
        '    tables:',
        '      - name: parcels',
        '        config: {batch: b1}',
        '        columns:',
        '          - name: parcel_id',
        '            data_tests: [unique, not_null]',
        '      - name: depots',
        '        config:',
        "          external_location: \"read_csv('landing/depot_list.csv', types={'opened': 'DATE'})\"",
        '          formatter: oldstyle',
        '',
      ].join('\n'),
      // A table: a view would read the relative paths from the working directory of whoever queries it.
      'models/parcel_depots.sql': "{{ config(materialized='table') }} select p.parcel_id, d.opened from {{ source('drops', 'parcels') }} p join {{ source('drops', 'depots') }} d using (depot)",
    });
    mkdirSync(join(p.dir, 'landing'));
    writeFileSync(join(p.dir, 'landing', 'parcels_b1.csv'), 'parcel_id,depot\n10,a\n11,b\n');
    writeFileSync(join(p.dir, 'landing', 'depot_list.csv'), 'depot,opened\na,2024-01-02\nb,2024-03-04\n');
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(errors(r)).toEqual([]);
    expect(r.results.filter((x) => x.uniqueId.startsWith('test.')).map((x) => x.status)).toEqual(['pass', 'pass']);
    expect(await p.q('select parcel_id::int as parcel_id, opened::varchar as opened from main.parcel_depots order by 1')).toEqual([{ parcel_id: 10, opened: '2024-01-02' }, { parcel_id: 11, opened: '2024-03-04' }]);
    const compiled = await compile({ projectDir: p.dir, profilesDir: p.dir, select: ['parcel_depots'] });
    expect(compiled.exitCode).toBe(0);
    expect(readFileSync(join(p.dir, 'target', 'compiled', 'p', 'models', 'parcel_depots.sql'), 'utf8')).toContain("from 'landing/parcels_b1.csv' p join read_csv('landing/depot_list.csv', types={'opened': 'DATE'}) d");
    // The file's columns, as dbt-duckdb's describe of the relation gives them (dbt_utils.star and the like read them).
    p.write('models/parcel_cols.sql', "{{ config(materialized='table') }} select '{{ adapter.get_columns_in_relation(source('drops', 'parcels')) | map(attribute='name') | join(',') }}' as cols");
    expect(errors(await build({ projectDir: p.dir, profilesDir: p.dir, select: ['parcel_cols'] }))).toEqual([]);
    expect(await p.q('select cols from main.parcel_cols')).toEqual([{ cols: 'parcel_id,depot' }]);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { sources: Record<string, { relation_name: string }> };
    expect(manifest.sources['source.p.drops.parcels']?.relation_name).toBe("'landing/parcels_b1.csv'");
  });

  it("source freshness reads the file's loaded_at_field", async () => {
    const p = project({
      'models/sources.yml': "version: 2\nsources:\n  - name: drops\n    meta:\n      external_location: 'landing/{name}.csv'\n    tables:\n      - name: parcels\n        loaded_at_field: \"cast(landed_at as timestamp)\"\n        freshness: {warn_after: {count: 1, period: day}}\n",
    });
    mkdirSync(join(p.dir, 'landing'));
    writeFileSync(join(p.dir, 'landing', 'parcels.csv'), `parcel_id,landed_at\n10,${new Date(Date.now() - 3 * 86400e3).toISOString().slice(0, 19).replace('T', ' ')}\n`);
    const r = await sourceFreshness({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.results.map((x) => [x.uniqueId, x.status])).toEqual([['source.p.drops.parcels', 'warn']]);
  });

  it('an unknown field in the pattern stops the parse with the file and line, nothing built', async () => {
    const p = project({
      'models/sources.yml': "version: 2\nsources:\n  - name: drops\n    tables:\n      - name: parcels\n        config:\n          external_location: \"read_csv('p.csv', types={'d': 'DATE'})\"\n",
      'models/m.sql': "{{ config(materialized='table') }} select * from {{ source('drops', 'parcels') }}",
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.code === 'source-external-location-invalid')).toMatchObject({ file: 'models/sources.yml' });
    expect(existsSync(p.db)).toBe(false);
  });
});
