/** `strata docs serve` is rooted in the target folder, as dbt's: the site at `/`, the artifacts beside it. */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { hostAccepted } from '../docs/serve-paths.js';
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

  it("with target-path '.' serves the site and artifacts only: no key file, model SQL, profile, symlink out, cache by another case", async () => {
    const outside = mkdtempSync(join(tmpdir(), 'strata-serve-outside-'));
    writeFileSync(join(outside, 'elsewhere.json'), '{"private": true}');
    const dir = project({
      ...FILES,
      'project.yml': PROJECT_YML('p', "target-path: '.'\nasset-paths: [pictures]\n"),
      'keyfile.json': '{"type": "service_account", "private_key": "spindle"}',
      'pictures/loom.svg': '<svg/>',
      'docs/overview.md': '{% docs overview %}looms{% enddocs %}',
    });
    try {
      expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
      symlinkSync(join(outside, 'elsewhere.json'), join(dir, 'link.json'));
      symlinkSync(join(outside, 'elsewhere.json'), join(dir, 'compiled', 'link.json'));
      writeFileSync(join(dir, 'PARTIAL_PARSE.STRATA.JSON'), '{}');
      await served(dir, async (url) => {
        for (const ok of ['', 'manifest.json', 'catalog.json', 'docs/app.js', 'pictures/loom.svg', 'compiled/p/models/looms.sql']) expect((await fetch(url + ok)).status, ok).toBe(200);
        for (const refused of ['keyfile.json', 'KEYFILE.JSON', 'models/looms.sql', 'profiles.yml', 'project.yml', 'link.json', 'PARTIAL_PARSE.STRATA.JSON', 'partial_parse.strata.json', 'target/test.duckdb']) {
          expect((await fetch(url + refused)).status, refused).toBe(403);
        }
        // A known folder's symlink that leads out of the folder is not followed.
        expect((await fetch(`${url}compiled/link.json`)).status).toBe(404);
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('on loopback, answers only requests whose Host is a loopback name (DNS rebinding); on 0.0.0.0 any Host', async () => {
    const dir = project(FILES);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const status = (url: string, host: string): Promise<number> =>
      new Promise((done, fail) => {
        const u = new URL(url);
        request({ host: '127.0.0.1', port: u.port, path: '/manifest.json', headers: { host } }, (res) => (res.resume(), done(res.statusCode ?? 0))).on('error', fail).end();
      });
    await served(dir, async (url) => {
      const port = new URL(url).port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) expect(await status(url, host), host).toBe(200);
      expect(await status(url, `rebound.example:${port}`)).toBe(403);
    });
    // A server on every interface (`--host 0.0.0.0`) is reached by the network's names: it checks none (not bound here, tests stay on loopback).
    for (const listen of ['0.0.0.0', '::', '192.168.1.20']) expect(hostAccepted(listen, 'docs-box.lan:8080'), listen).toBe(true);
    expect(hostAccepted('::1', '[::1]:8080')).toBe(true);
    expect(hostAccepted('::1', 'rebound.example')).toBe(false);
  });
});
