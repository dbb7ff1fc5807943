/** `strata docs serve` is rooted in the target folder, as dbt's: the site at `/`, the artifacts beside it. */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, docsGenerate, docsServe } from './index.js';

const project = projectsRemovedAfterAll();
const FILES = {
  'models/looms.sql': "{{ config(materialized='table') }} select 1 as loom_id, 'jacquard' as kind",
  'models/loom_kinds.sql': "select distinct kind from {{ ref('looms') }}",
};

async function served<T>(dir: string, use: (url: string) => Promise<T>): Promise<T> {
  const out = await docsServe({ projectDir: dir, profilesDir: dir, port: 0, host: '127.0.0.1' });
  expect(out.exitCode, JSON.stringify(out.diagnostics)).toBe(0);
  try {
    return await use(out.url!);
  } finally {
    await new Promise((r) => out.server!.close(r));
  }
}

describe('docs serve', () => {
  it("serves target/ as dbt's: / is the site, manifest.json and catalog.json are at the root, /docs/ is the site too", async () => {
    const dir = project(FILES);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    // docs generate writes target/index.html where dbt's is, its files under docs/.
    const root = readFileSync(join(dir, 'target', 'index.html'), 'utf8');
    expect(root).toContain('src="docs/app.js"');
    await served(dir, async (url) => {
      expect(await (await fetch(url)).text()).toBe(root);
      for (const file of ['docs/app.js', 'docs/data.js', 'docs/data-sql.js', 'docs/app.css']) expect((await fetch(url + file)).status, file).toBe(200);
      const manifest = (await (await fetch(`${url}manifest.json`)).json()) as { nodes: Record<string, unknown> };
      expect(Object.keys(manifest.nodes)).toContain('model.p.loom_kinds');
      const catalog = (await (await fetch(`${url}catalog.json`)).json()) as { nodes: Record<string, unknown> };
      expect(Object.keys(catalog.nodes)).toContain('model.p.looms');
      expect(await (await fetch(`${url}docs/`)).text()).toContain('src="app.js"');
      expect((await fetch(`${url}test.duckdb`)).status).toBe(403);
    });
  });

  it("replaces a dbt page left in target/ and a site generated before target/index.html was written; keeps a page of the user's", async () => {
    const dir = project(FILES);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const index = join(dir, 'target', 'index.html');
    const ours = readFileSync(index, 'utf8');
    writeFileSync(index, '<html><head><title>dbt Docs</title></head></html>');
    await served(dir, async (url) => expect(await (await fetch(url)).text()).toBe(ours));
    writeFileSync(index, '<h1>our intranet</h1>');
    const out = await docsServe({ projectDir: dir, profilesDir: dir, port: 0, host: '127.0.0.1' });
    await new Promise((r) => out.server!.close(r));
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ code: 'docs-index-kept', severity: 'warn' }));
    expect(readFileSync(index, 'utf8')).toBe('<h1>our intranet</h1>');
    expect(existsSync(join(dir, 'target', 'docs', 'index.html'))).toBe(true);
  });
});
