/** buildSiteData (pure), the site writer and `docs serve` without a browser. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSiteData } from './site-data.js';
import { writeDocsSite } from './write-site.js';
import { serveDocs } from './serve-docs.js';
import { docsServe } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';

const manifest = {
  metadata: { project_name: 'p', adapter_type: 'duckdb', generated_at: '2026-01-01T00:00:00Z' },
  nodes: {
    'model.p.b': { unique_id: 'model.p.b', resource_type: 'model', name: 'b', package_name: 'p', original_file_path: 'models/gold/b.sql', path: 'gold/b.sql', fqn: ['p', 'gold', 'b'], tags: [], description: 'B', config: { materialized: 'table', enabled: true, alias: null, meta: {}, tags: [], docs: { show: true, node_color: null } }, columns: { x: { name: 'x', description: 'the x', data_type: 'int', constraints: [], tags: [] } }, raw_code: "select x from {{ ref('a') }}", depends_on: { nodes: ['model.p.a'] } },
    'model.p.a': { unique_id: 'model.p.a', resource_type: 'model', name: 'a', package_name: 'p', original_file_path: 'models/silver/a.sql', path: 'silver/a.sql', fqn: ['p', 'silver', 'a'], tags: ['nightly'], description: '', config: { materialized: 'view' }, columns: {}, raw_code: 'select 1 as x', depends_on: { nodes: ['source.p.s.t'] } },
    'test.p.not_null_b_x': { unique_id: 'test.p.not_null_b_x', resource_type: 'test', name: 'not_null_b_x', package_name: 'p', original_file_path: 'models/schema.yml', path: 'not_null_b_x.sql', fqn: ['p', 'not_null_b_x'], tags: [], description: '', config: {}, columns: {}, attached_node: 'model.p.b', column_name: 'x', test_metadata: { name: 'not_null', kwargs: {} }, depends_on: { nodes: ['model.p.b'] } },
  },
  sources: { 'source.p.s.t': { unique_id: 'source.p.s.t', resource_type: 'source', name: 't', source_name: 's', package_name: 'p', original_file_path: 'models/s.yml', fqn: ['p', 's', 't'], tags: [], description: 'raw', config: { enabled: true }, columns: {}, freshness: { warn_after: { count: 1, period: 'day' } } } },
  exposures: {},
  macros: { 'macro.p.m': { unique_id: 'macro.p.m', name: 'm', package_name: 'p', original_file_path: 'macros/m.sql', macro_sql: '{% macro m() %}1{% endmacro %}', description: '' }, 'macro.dbt.x': { unique_id: 'macro.dbt.x', name: 'x', package_name: 'dbt', original_file_path: 'x.sql', macro_sql: '' } },
  parent_map: { 'model.p.b': ['model.p.a'], 'model.p.a': ['source.p.s.t'], 'test.p.not_null_b_x': ['model.p.b'], 'source.p.s.t': [] },
};
const catalog = { nodes: { 'model.p.b': { columns: { y: { name: 'y', type: 'VARCHAR', index: 2 }, X: { name: 'X', type: 'INTEGER', index: 1 } } } }, sources: {} };
const runResults = { metadata: { generated_at: '2026-01-02T00:00:00Z' }, results: [
  { unique_id: 'model.p.b', status: 'success', execution_time: 0.5, message: 'OK', adapter_response: { rows_affected: 7, bytes_processed: 1024, rows_quarantined: 2 }, timing: [{ name: 'execute', started_at: '2026-01-02T00:00:00Z' }] },
  { unique_id: 'test.p.not_null_b_x', status: 'fail', execution_time: 0.1, message: null, failures: 3 }] };

describe('buildSiteData', () => {
  const data = buildSiteData({ manifest, catalog, runResults, compiled: { 'model.p.b': 'select x from "silver"."a"' } });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));

  it('orders nodes parents first, keeps only the project macros, and records which artifacts were read', () => {
    const ids = data.nodes.map((n) => n.id);
    expect(ids.indexOf('source.p.s.t')).toBeLessThan(ids.indexOf('model.p.a'));
    expect(ids.indexOf('model.p.a')).toBeLessThan(ids.indexOf('model.p.b'));
    expect(ids).toContain('macro.p.m');
    expect(ids).not.toContain('macro.dbt.x');
    expect(data.artifacts).toEqual(['manifest.json', 'catalog.json', 'run_results.json']);
    expect(data.runGeneratedAt).toBe('2026-01-02T00:00:00Z');
  });

  it("joins catalog columns (warehouse order and type) with documented ones, case-insensitively, with their tests", () => {
    const b = byId.get('model.p.b')!;
    expect(b.columns.map((c) => [c.name, c.type, c.declaredType, c.description, c.tests])).toEqual([
      ['X', 'INTEGER', 'int', 'the x', ['test.p.not_null_b_x']],
      ['y', 'VARCHAR', undefined, '', []],
    ]);
    expect(b.tests).toEqual(['test.p.not_null_b_x']);
  });

  it('carries the last run, the compiled SQL, the layer, and a config without null or empty entries', () => {
    const b = byId.get('model.p.b')!;
    expect(b.run).toMatchObject({ status: 'success', rowsAffected: 7, bytesProcessed: 1024, quarantined: 2, startedAt: '2026-01-02T00:00:00Z' });
    expect(byId.get('test.p.not_null_b_x')!.run).toMatchObject({ status: 'fail', failures: 3 });
    expect(b.compiled).toBe('select x from "silver"."a"');
    expect(b.layer).toBe('gold');
    expect(byId.get('model.p.a')!.layer).toBe('silver');
    expect(b.config).toEqual({ materialized: 'table', enabled: true });
    expect(byId.get('model.p.a')!.children).toEqual(['model.p.b']);
    expect(byId.get('source.p.s.t')!.extra).toMatchObject({ sourceName: 's', freshnessCriteria: { warn_after: { count: 1, period: 'day' } } });
  });
});

describe('the site on disk and docs serve', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes index.html, app.js, app.css, data.js and data-sql.js; secrets are scrubbed from the data', () => {
    const target = mkdtempSync(join(tmpdir(), 'strata-site-'));
    dirs.push(target);
    writeFileSync(join(target, 'manifest.json'), JSON.stringify({ ...manifest, nodes: { ...manifest.nodes, 'model.p.a': { ...manifest.nodes['model.p.a'], description: 'key hunter2' } } }));
    const out = writeDocsSite(target, (t) => t.replaceAll('hunter2', '*****'));
    expect(out).toMatchObject({ ok: true, written: true, nodes: 5 });
    const data = readFileSync(join(target, 'docs', 'data.js'), 'utf8');
    expect(data.startsWith('window.__STRATA_DOCS__=JSON.parse(')).toBe(true);
    expect(data).not.toContain('hunter2');
    expect(data).not.toContain('select 1 as x');
    expect(readFileSync(join(target, 'docs', 'data-sql.js'), 'utf8')).toContain('select 1 as x');
    for (const f of ['index.html', 'app.js', 'app.css']) expect(readFileSync(join(target, 'docs', f), 'utf8').length).toBeGreaterThan(100);
    // Nothing in the page loads from outside the folder.
    expect(readFileSync(join(target, 'docs', 'index.html'), 'utf8')).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('without manifest.json: a diagnostic that says to run docs generate', () => {
    const target = mkdtempSync(join(tmpdir(), 'strata-site-'));
    dirs.push(target);
    const out = writeDocsSite(target);
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ code: 'docs-artifact-missing', severity: 'error' });
    expect(out.diagnostics[0]!.hint).toContain('strata docs generate');
  });

  it('serves the folder read-only on loopback and refuses paths outside it, dot-files and other kinds of file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-serve-'));
    dirs.push(root);
    mkdirSync(join(root, 'target', 'docs'), { recursive: true });
    writeFileSync(join(root, 'target', 'index.html'), '<p>hi</p>');
    writeFileSync(join(root, 'target', 'docs', 'index.html'), '<p>site</p>');
    writeFileSync(join(root, 'target', 'manifest.json'), '{}');
    writeFileSync(join(root, 'target', 'warehouse.duckdb'), 'rows');
    writeFileSync(join(root, 'target', '.env.json'), '{}');
    writeFileSync(join(root, 'target', 'partial_parse.strata.json'), '{}');
    writeFileSync(join(root, 'secret.txt'), 'no');
    const { server, url } = await serveDocs(join(root, 'target'), '127.0.0.1', 0);
    try {
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toBe('<p>hi</p>');
      expect(await (await fetch(`${url}docs/`)).text()).toBe('<p>site</p>');
      const folder = await fetch(`${url}docs`, { redirect: 'manual' });
      expect([folder.status, folder.headers.get('location')]).toEqual([301, '/docs/']);
      expect((await fetch(`${url}manifest.json`)).headers.get('content-type')).toBe('application/json');
      expect((await fetch(`${url}..%2fsecret.txt`)).status).toBe(403);
      expect((await fetch(`${url}warehouse.duckdb`)).status).toBe(403);
      expect((await fetch(`${url}.env.json`)).status).toBe(403);
      expect((await fetch(`${url}partial_parse.strata.json`)).status).toBe(403);
      expect((await fetch(`${url}nope.js`)).status).toBe(403);
      expect((await fetch(`${url}docs/nope.js`)).status).toBe(404);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('docs serve before docs generate: exit 2 with a hint', async () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as x' });
    try {
      const out = await docsServe({ projectDir: dir, profilesDir: dir, port: 0 });
      expect(out.exitCode).toBe(2);
      expect(out.diagnostics.find((d) => d.code === 'docs-site-missing')?.hint).toContain('strata docs generate');
    } finally {
      removeProject(dir);
    }
  });
});
