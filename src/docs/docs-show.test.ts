/** dbt's `docs: {show, node_color}`: from YAML, config() and the project file into manifest.json, then the site. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { buildSiteData } from './site-data.js';
import { AppData, nodeColor, search } from './site/app-data.js';
import { folderTree, layerTree } from './site/nav-tree.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES = {
  'project.yml': "name: p\nprofile: p\nmodels:\n  p:\n    marts:\n      +docs: {show: false}\n",
  'models/hidden_by_yaml.sql': 'select 1 as id',
  'models/plain.sql': "select id from {{ ref('hidden_by_yaml') }}",
  'models/marts/coloured.sql': "{{ config(docs={'node_color': '#cd7f32'}) }} select id from {{ ref('plain') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: hidden_by_yaml\n    docs:\n      show: false\n',
};

type Manifest = { nodes: Record<string, { docs: unknown; config: { docs: unknown } }> };

describe('docs: show and node_color', () => {
  it('reach manifest.json as dbt writes them: the node\'s docs and config.docs, merged key by key', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const r = await parse({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
    expect(m.nodes['model.p.hidden_by_yaml']!.docs).toEqual({ show: false, node_color: null });
    expect(m.nodes['model.p.hidden_by_yaml']!.config.docs).toMatchObject({ show: false });
    expect(m.nodes['model.p.plain']!.docs).toEqual({ show: true, node_color: null });
    // The folder's show: false and the file's node_color, both kept (dbt merges docs as an update).
    expect(m.nodes['model.p.coloured']!.docs).toEqual({ show: false, node_color: '#cd7f32' });
  });

  it('refuses docs: both at the top level and under config:, as dbt', async () => {
    const dir = writeProject({ ...FILES, 'models/schema.yml': 'version: 2\nmodels:\n  - name: plain\n    docs: {show: false}\n    config:\n      docs: {show: true}\n' });
    dirs.push(dir);
    const r = await parse({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => `${d.file}: ${d.message}`).join('\n')).toMatch(/schema\.yml: 'plain' sets docs both at its top level and under config:/);
  });

  it('the site leaves hidden nodes out of the tree, the search and the graph\'s list, and colours a node', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));
    const app = new AppData(buildSiteData({ manifest, compiled: {} }));
    const names = app.listed.map((n) => n.name);
    expect(names).toContain('plain');
    expect(names).not.toContain('hidden_by_yaml');
    expect(names).not.toContain('coloured');
    expect(search(app, 'hidden_by').map((h) => h.node.name)).toEqual([]);
    expect(search(app, 'plain').map((h) => h.node.name)).toEqual(['plain']);
    const leaves = (b: ReturnType<typeof folderTree>): string[] => [...b.leaves.map((n) => n.name), ...[...b.branches.values()].flatMap(leaves)];
    expect(leaves(folderTree(app))).not.toContain('hidden_by_yaml');
    expect(leaves(layerTree(app))).not.toContain('coloured');
    // Its page still opens by link.
    expect(app.node('model.p.hidden_by_yaml')?.name).toBe('hidden_by_yaml');
    expect(nodeColor(app.node('model.p.coloured')!)).toBe('#cd7f32');
    const bad = { ...app.node('model.p.plain')!, config: { docs: { node_color: 'red;stroke:url(x)' } } };
    expect(nodeColor(bad)).toBeUndefined();
  });
});
