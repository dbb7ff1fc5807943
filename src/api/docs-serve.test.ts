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

/** A GET of `path` exactly as written (no URL normalisation, no redirect followed), with `headers`. */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((done, fail) => {
    const u = new URL(url);
    request({ host: u.hostname, port: u.port, path, headers }, (res) => (res.resume(), done({ status: res.statusCode ?? 0, headers: res.headers }))).on('error', fail).end();
  });
}

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

  it("redirects a folder to its page by the normalised path only: an encoded '//host' path is no open redirect", async () => {
    const dir = project(FILES);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    await served(dir, async (url) => {
      expect(await get(url, '/docs')).toMatchObject({ status: 301, headers: { location: '/docs/' } });
      for (const path of ['/%2Fevil.example%2F..%2Fdocs', '//evil.example/../docs', '/%5Cevil.example%2F..%2Fdocs', '/%2F%2Fevil.example%2F..%2F..%2Fdocs']) {
        const res = await get(url, path);
        if (res.status === 301) expect(res.headers.location, path).toBe('/docs/');
        else expect(res.status, path).toBe(403);
      }
    });
  });

  it("refuses other origins' pages (Fetch Metadata) but their links; tells the browser the same on every response (CORP, nosniff, CSP)", async () => {
    const dir = project({ ...FILES, 'project.yml': PROJECT_YML('p', 'asset-paths: [pictures]\n'), 'pictures/loom.svg': '<svg/>' });
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, static: true })).exitCode).toBe(0);
    await served(dir, async (url) => {
      const script = { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' };
      for (const path of ['/docs/data.js', '/docs/data-sql.js', '/manifest.json', '/pictures/loom.svg', '/']) {
        for (const site of ['cross-site', 'same-site']) expect((await get(url, path, { ...script, 'sec-fetch-site': site })).status, `${path} ${site}`).toBe(403);
        // The site's own requests, a navigation typed or followed from elsewhere, and tools without the headers.
        expect((await get(url, path, { ...script, 'sec-fetch-site': 'same-origin' })).status, path).toBe(200);
        expect((await get(url, path, { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' })).status, path).toBe(200);
        expect((await get(url, path, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' })).status, path).toBe(200);
        expect((await get(url, path)).status, path).toBe(200);
      }
      // Framed by another site's page: refused (and the pages say frame-ancestors 'none').
      expect((await get(url, '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' })).status).toBe(403);
      for (const path of ['/', '/docs/', '/docs/data.js', '/manifest.json', '/nowhere.json', '/docs/absent.js']) {
        const res = await get(url, path);
        expect(res.headers, path).toMatchObject({ 'cross-origin-resource-policy': 'same-origin', 'x-content-type-options': 'nosniff' });
      }
      for (const path of ['/', '/docs/', '/docs/index.html']) expect((await get(url, path)).headers['content-security-policy'], path).toMatch(/script-src 'self'; .*frame-ancestors 'none'/);
      expect((await get(url, '/static_index.html')).headers['content-security-policy']).toMatch(/script-src 'self' data:;/);
      expect((await get(url, '/docs/data.js')).headers['content-security-policy']).toBeUndefined();
    });
  });
});
