/** `docs generate --select/--exclude` (the catalog describes the selection only) and `--empty-catalog` (no catalog query), as dbt's cmd-docs. */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, docsGenerate, seed } from './index.js';

const project = projectsRemovedAfterAll();

type Catalog = { nodes: Record<string, unknown>; sources: Record<string, unknown> };
type Manifest = { nodes: Record<string, { compiled_code?: string }> };
const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, 'target', file), 'utf8')) as T;

const FILES = {
  'seeds/kilns.csv': 'kiln_id,site\n1,north\n2,south\n',
  'models/sources.yml': 'version: 2\nsources:\n  - name: yard\n    schema: main\n    tables:\n      - name: kilns\n',
  'models/firings.sql': "{{ config(materialized='table') }} select kiln_id, site from {{ source('yard', 'kilns') }}",
  'models/firing_sites.sql': "select distinct site from {{ ref('firings') }}",
  'models/glazes.sql': "{{ config(materialized='table') }} select 1 as glaze_id",
  'models/kiln_copy.sql': "select * from {{ source('yard', 'kilns') }}",
};
type Lineage = { nodes: Record<string, { status: string; columns: Record<string, { upstream: { node: string; column: string }[] }> }> };

describe('docs generate --select, --exclude, --empty-catalog', () => {
  it('describes only the selected nodes and sources in catalog.json; the manifest and the site keep every node', async () => {
    const dir = project(FILES);
    // The seed first: the models read it as a source, which orders nothing.
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir, select: ['+firing_sites'] });
    expect(out).toMatchObject({ exitCode: 0, nodes: 2, sources: 1 });
    expect(out.site).toBeDefined();
    const catalog = read<Catalog>(dir, 'catalog.json');
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.p.firing_sites', 'model.p.firings']);
    expect(Object.keys(catalog.sources)).toEqual(['source.p.yard.kilns']);
    expect(read<Manifest>(dir, 'manifest.json').nodes['model.p.glazes']!.compiled_code).toContain('glaze_id');

    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, exclude: ['source:yard', 'glazes'] })).exitCode).toBe(0);
    expect(Object.keys(read<Catalog>(dir, 'catalog.json').nodes).sort()).toEqual(['model.p.firing_sites', 'model.p.firings', 'model.p.kiln_copy', 'seed.p.kilns']);
    expect(read<Catalog>(dir, 'catalog.json').sources).toEqual({});
  });

  it("keeps the whole project's column lineage: a `select *` outside the selection is still traced with the warehouse's columns", async () => {
    const dir = project(FILES);
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, select: ['glazes'] })).exitCode).toBe(0);
    expect(Object.keys(read<Catalog>(dir, 'catalog.json').nodes)).toEqual(['model.p.glazes']);
    const copy = read<Lineage>(dir, 'lineage.json').nodes['model.p.kiln_copy']!;
    expect(copy.status).toBe('traced');
    expect(copy.columns.site!.upstream).toEqual([expect.objectContaining({ node: 'source.p.yard.kilns', column: 'site' })]);
  });

  it('--empty-catalog writes a catalog with no node and no source, and still the manifest and the site', async () => {
    const dir = project(FILES);
    // The seed first: the models read it as a source, which orders nothing.
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir, emptyCatalog: true });
    expect(out).toMatchObject({ exitCode: 0, nodes: 0, sources: 0 });
    expect(out.site).toBeDefined();
    expect(read<Catalog>(dir, 'catalog.json')).toMatchObject({ nodes: {}, sources: {} });
    expect(Object.keys(read<Manifest>(dir, 'manifest.json').nodes)).toContain('model.p.glazes');
  });

  it('a selector that does not parse is a usage error: exit 2, nothing written', async () => {
    const dir = project(FILES);
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir, select: ['colour:blue'] });
    expect(out.exitCode).toBe(2);
    expect(out.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(existsSync(join(dir, 'target', 'catalog.json'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(false);
  });
});
