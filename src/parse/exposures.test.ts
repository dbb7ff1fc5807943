/** Exposures: parsed from property files, resolved, selectable (`+exposure:x`), listed, written to manifest.json, never run. */
import { describe, it, expect } from 'vitest';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, list, prepareProject } from '../api/index.js';
import { readDependency } from './exposures.js';

const project = projectsRemovedAfterAll();

const EXPOSURES = `version: 2
exposures:
  - name: weekly_complaints
    label: Weekly complaints
    type: dashboard
    maturity: high
    url: https://bi.example.com/d/1
    description: Complaints by week
    depends_on:
      - ref('mart')
      - "{{ source('crm', 'customers') }}"
    owner:
      name: Analytics
      email: data@example.com
    config:
      tags: [exec]
  - name: churn_model
    type: ml
    owner: {email: ml@example.com}
    depends_on: [ref('other')]
`;

const FILES = {
  'models/stg.sql': "select id from {{ source('crm', 'customers') }}",
  'models/mart.sql': "select * from {{ ref('stg') }}",
  'models/other.sql': 'select 1 as id',
  'models/unrelated.sql': 'select 2 as id',
  'models/sources.yml': 'version: 2\nsources:\n  - name: crm\n    schema: main\n    tables:\n      - name: customers\n',
  'models/marts/exposures.yml': EXPOSURES,
};

describe('exposures', () => {
  it('reads the calls of depends_on', () => {
    expect(readDependency("ref('orders')")).toEqual({ ref: { name: 'orders' } });
    expect(readDependency('ref("pkg", "orders")')).toEqual({ ref: { package: 'pkg', name: 'orders' } });
    expect(readDependency("ref('orders', v=2)")).toEqual({ ref: { name: 'orders', version: 2 } });
    expect(readDependency("{{ source('crm', 'customers') }}")).toEqual({ source: { source: 'crm', table: 'customers' } });
    expect(readDependency("metric('revenue')")).toEqual({ metric: 'revenue' });
    expect(readDependency('orders')).toBeUndefined();
  });

  it('are listed, selected with their parents, and written to manifest.json; build runs the parents, the exposure a no-op (dbt 1.10)', async () => {
    const dir = project(FILES);
    const ls = await list({ projectDir: dir, profilesDir: dir, select: ['+exposure:weekly_complaints'] });
    expect(ls.exitCode).toBe(0);
    // In unique id order (exposure., model., source.), as dbt's ls.
    expect(ls.lines).toEqual(['exposure:p.marts.weekly_complaints', 'p.mart', 'p.stg', 'source:p.crm.customers']);
    expect((await list({ projectDir: dir, profilesDir: dir, select: ['exposure:*'], output: 'name' })).lines).toEqual(['churn_model', 'weekly_complaints']);
    expect((await list({ projectDir: dir, profilesDir: dir, select: ['other+'], output: 'name' })).lines).toEqual(['churn_model', 'other']);
    expect((await list({ projectDir: dir, profilesDir: dir, select: ['tag:exec'], output: 'name' })).lines).toEqual(['weekly_complaints']);
    expect((await list({ projectDir: dir, profilesDir: dir, resourceTypes: ['exposure'], output: 'name' })).lines).toEqual(['churn_model', 'weekly_complaints']);
    const json = JSON.parse((await list({ projectDir: dir, profilesDir: dir, select: ['exposure:churn_model'], output: 'json' })).lines[0]!) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'churn_model', resource_type: 'exposure', unique_id: 'exposure.p.churn_model', depends_on: { nodes: ['model.p.other'] } });

    // The source table the parents read.
    writeFileSync(join(dir, 'models/crm_customers.sql'), "{{ config(materialized='table', alias='customers') }} select 1 as id");
    expect((await build({ projectDir: dir, profilesDir: dir, select: ['crm_customers'] })).exitCode).toBe(0);

    const built = await build({ projectDir: dir, profilesDir: dir, select: ['+exposure:weekly_complaints'] });
    expect(built.exitCode).toBe(0);
    expect(built.results.map((r) => [r.uniqueId, r.status]).sort()).toEqual([['exposure.p.weekly_complaints', 'no-op'], ['model.p.mart', 'success'], ['model.p.stg', 'success']]);

    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const e = manifest.exposures!['exposure.p.weekly_complaints'] as Record<string, unknown>;
    expect(e).toMatchObject({
      name: 'weekly_complaints', resource_type: 'exposure', type: 'dashboard', label: 'Weekly complaints', maturity: 'high', url: 'https://bi.example.com/d/1',
      owner: { name: 'Analytics', email: 'data@example.com' }, description: 'Complaints by week', tags: ['exec'], fqn: ['p', 'marts', 'weekly_complaints'],
      original_file_path: 'models/marts/exposures.yml', depends_on: { macros: [], nodes: ['model.p.mart', 'source.p.crm.customers'] },
      refs: [{ name: 'mart', package: null, version: null }], sources: [['crm', 'customers']],
    });
    expect(manifest.parent_map!['exposure.p.weekly_complaints']).toEqual(['model.p.mart', 'source.p.crm.customers']);
    expect(manifest.child_map!['model.p.mart']).toContain('exposure.p.weekly_complaints');
    expect(manifest.child_map!['exposure.p.weekly_complaints']).toEqual([]);
  });

  it('survive the stored graph of a warm parse', async () => {
    const dir = project(FILES);
    // Files older than the snapshot, so that it can vouch for them.
    const old = new Date(Date.now() - 3600_000);
    for (const f of [...Object.keys(FILES), 'project.yml', 'profiles.yml']) utimesSync(join(dir, f), old, old);
    // The first parse stores file stamps, the second the graph.
    for (let i = 0; i < 2; i++) expect((await prepareProject({ projectDir: dir, profilesDir: dir })).ok).toBe(true);
    const warm = await prepareProject({ projectDir: dir, profilesDir: dir });
    if (!warm.ok) throw new Error('parse failed');
    expect(warm.prepared.parsedFrom).toBe('snapshot');
    expect(warm.prepared.graph.manifest.exposures['exposure.p.churn_model']?.dependsOn.nodes).toEqual(['model.p.other']);
    expect((await list({ projectDir: dir, profilesDir: dir, select: ['+exposure:churn_model'], output: 'name' })).lines).toEqual(['churn_model', 'other']);
  });

  it('are switched off by enabled: false, in project.yml or on the entry', async () => {
    const dir = project({ ...FILES, 'project.yml': PROJECT_YML('p', 'exposures:\n  p:\n    marts:\n      +enabled: false\n') });
    expect((await list({ projectDir: dir, profilesDir: dir, resourceTypes: ['exposure'] })).lines).toEqual([]);
    const one = project({ ...FILES, 'models/marts/exposures.yml': EXPOSURES.replace('    type: ml\n', '    type: ml\n    enabled: false\n') });
    expect((await list({ projectDir: one, profilesDir: one, resourceTypes: ['exposure'], output: 'name' })).lines).toEqual(['weekly_complaints']);
  });

  it('report mistakes with the file and line, and nothing runs', async () => {
    const bad = `version: 2
exposures:
  - name: weekly complaints
    type: dashboard
    owner: {email: a@b.c}
  - name: no_owner
    type: dashboard
  - name: bad_type
    type: report
    owner: {name: x}
  - name: bad_dep
    type: ml
    owner: {name: x}
    depends_on:
      - ref('mart')
      - ref('nope')
      - mart
  - name: bad_dep
    type: ml
    owner: {name: x}
`;
    const dir = project({ ...FILES, 'models/marts/exposures.yml': bad });
    const out = await build({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(2);
    expect(out.results).toEqual([]);
    const found = out.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line]);
    expect(found).toEqual(expect.arrayContaining([
      ['exposure-invalid', 'models/marts/exposures.yml', 3],
      ['exposure-invalid', 'models/marts/exposures.yml', 6],
      ['exposure-invalid', 'models/marts/exposures.yml', 8],
      ['exposure-invalid', 'models/marts/exposures.yml', 17],
      ['ref-not-found', 'models/marts/exposures.yml', 16],
      ['duplicate-exposure', 'models/marts/exposures.yml', 18],
    ]));
    expect(found).toHaveLength(6);
    expect(out.diagnostics.find((d) => d.code === 'ref-not-found')?.message).toContain("exposure 'bad_dep' refers to 'nope'");
  });
});
