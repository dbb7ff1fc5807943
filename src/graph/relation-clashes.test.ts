/** Two resources building one relation stop the parse (dbt's AmbiguousAliasError), before the warehouse is touched. */
import { describe, it, expect } from 'vitest';
import { build, parse, run } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import type { ManifestNode } from '../parse/types.js';
import { relationClashes } from './relation-clashes.js';

const project = duckDbProjectsRemovedAfterAll();
const TABLES = PROJECT_YML('p', 'models:\n  p:\n    +materialized: table\n');
const clashes = (r: { diagnostics: { code: string }[] }): { code: string; message?: string; file?: string }[] => r.diagnostics.filter((d) => d.code === 'duplicate-relation');

describe('two resources resolving to one relation', () => {
  it('a model aliased onto another stops the run with exit 2 and leaves the existing table as it was', async () => {
    const f = project({ 'project.yml': TABLES, 'models/parcels.sql': "select 1 as parcel_id, 'keep me' as note" });
    expect((await run({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    f.write('models/parcels_preview.sql', "{{ config(alias='parcels') }} select 42 as unrelated");
    const r = await run({ projectDir: f.dir, profilesDir: f.dir, select: ['parcels_preview'] });
    expect(r.exitCode).toBe(2);
    const [d] = clashes(r);
    expect(d?.message).toContain('"test.main.parcels"');
    expect(d?.message).toContain('model.p.parcels (models/parcels.sql)');
    expect(d?.message).toContain('model.p.parcels_preview (models/parcels_preview.sql)');
    expect(r.results).toEqual([]);
    expect(await f.q('select * from main.parcels')).toEqual([{ parcel_id: 1, note: 'keep me' }]);
    expect((await parse({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(2);
  });

  it('a seed, a snapshot and a model version count too, and DuckDB compares names without regard to case', async () => {
    const f = project({
      'project.yml': TABLES,
      'models/crates.sql': 'select 1 as crate_id',
      'seeds/crate_codes.csv': 'code\na\n',
      'seeds/crate_codes.yml': 'seeds:\n  - name: crate_codes\n    config: {alias: CRATES}\n',
      'models/bins_v1.sql': 'select 1 as bin_id',
      'models/bins_v2.sql': 'select 2 as bin_id',
      'models/bins.yml': 'models:\n  - name: bins\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n        config: {alias: bin_list}\n',
      'models/bin_list.sql': 'select 3 as bin_id',
      'snapshots/crate_history.sql': "{% snapshot crate_history %}\n{{ config(unique_key='crate_id', strategy='check', check_cols='all', target_schema='main', alias='Bin_List') }}\nselect 1 as crate_id\n{% endsnapshot %}\n",
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode).toBe(2);
    const found = clashes(r).map((d) => d.message!.replace(/^.*?: /, '').split(', ').sort());
    expect(found.sort()).toEqual([
      ['model.p.bin_list (models/bin_list.sql)', 'model.p.bins.v2 (models/bins_v2.sql)', 'snapshot.p.crate_history (snapshots/crate_history.sql)'],
      ['model.p.crates (models/crates.sql)', 'seed.p.crate_codes (seeds/crate_codes.csv)'],
    ]);
    expect(r.results).toEqual([]);
  });

  it('an ephemeral model counts, as dbt compares every enabled model; a disabled one and another schema do not', async () => {
    const f = project({
      'project.yml': TABLES,
      'models/pallets.sql': 'select 1 as pallet_id',
      'models/pallets_old.sql': "{{ config(alias='pallets', enabled=false) }} select 0 as pallet_id",
      'models/pallets_elsewhere.sql': "{{ config(alias='pallets', schema='archive') }} select 2 as pallet_id",
    });
    const ok = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(clashes(ok)).toEqual([]);
    expect(ok.exitCode).toBe(0);
    f.write('models/pallets_cte.sql', "{{ config(alias='pallets', materialized='ephemeral') }} select 3 as pallet_id");
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode).toBe(2);
    expect(clashes(r)[0]?.message).toContain('model.p.pallets_cte (models/pallets_cte.sql)');
  });

  it('where names keep their case (BigQuery), Orders and orders are two relations', () => {
    const node = (id: string, alias: string): ManifestNode => ({ uniqueId: id, resourceType: 'model', database: 'proj', schema: 'ds', alias, originalFilePath: `models/${id}.sql`, config: { enabled: true } }) as unknown as ManifestNode;
    const nodes = [node('a', 'Orders'), node('b', 'orders')];
    expect(relationClashes(nodes, false)).toEqual([]);
    expect(relationClashes(nodes, true).map((d) => d.code)).toEqual(['duplicate-relation']);
  });
});
