/**
 * `strata docs serve` in a real browser (Debian's chromium): a page of another origin on this machine cannot read
 * the project through the site's data scripts (`<script src=…/docs/data.js>`), while the site itself still works
 * with the server's Content-Security-Policy.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { docsGenerate, docsServe } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { launchChromium, chromiumMissing } from '../test-support/chromium.js';

const FILES = {
  'models/bobbins.sql': "select 1 as bobbin_id, 'secret weft' as thread",
  'models/bobbin_colours.sql': "select bobbin_id, thread as colour from {{ ref('bobbins') }}",
};

/** A page that includes the docs server's data scripts and reports what it could read of them. */
const snooper = (docsOrigin: string): string => `<!doctype html><title>snoop</title>
<script src="${docsOrigin}/docs/data.js"></script>
<script src="${docsOrigin}/docs/data-sql.js"></script>
<script src="${docsOrigin}/manifest.json"></script>
<script>window.__read = { data: typeof window.__STRATA_DOCS__, sql: typeof window.__STRATA_DOCS_SQL__, done: true };</script>`;

function listen(server: Server): Promise<number> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
}

describe.skipIf(chromiumMissing())('docs serve against pages of other origins', () => {
  let dir: string;
  let browser: Browser;
  let docs: Server;
  let docsPort: number;
  let other: Server;
  let otherPort: number;

  beforeAll(async () => {
    dir = writeProject(FILES);
    const generated = await docsGenerate({ projectDir: dir, profilesDir: dir, static: true });
    expect(generated.exitCode, JSON.stringify(generated.diagnostics)).toBe(0);
    const served = await docsServe({ projectDir: dir, profilesDir: dir, port: 0, host: '127.0.0.1' });
    expect(served.exitCode).toBe(0);
    docs = served.server!;
    docsPort = Number(new URL(served.url!).port);
    // The other origin: any page on this machine, here a server of the test's whose page names the docs server.
    other = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('docs') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(snooper(target));
    });
    otherPort = await listen(other);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([docs, other].map((s) => new Promise((r) => (s ? s.close(r) : r(undefined)))));
    if (dir) removeProject(dir);
  });

  async function snoop(page: Page, pageOrigin: string, docsOrigin: string): Promise<{ data: string; sql: string }> {
    await page.goto(`${pageOrigin}/?docs=${encodeURIComponent(docsOrigin)}`);
    await page.waitForFunction(() => (window as unknown as { __read?: { done: boolean } }).__read?.done === true);
    return page.evaluate(() => (window as unknown as { __read: { data: string; sql: string } }).__read);
  }

  it('a page of another site (127.0.0.1 vs localhost) or of another port of the same site reads none of the data', async () => {
    const page = await browser.newPage();
    const cases: Array<[string, string]> = [
      // Cross-site: the page on 127.0.0.1, the docs on localhost (and the other way round).
      [`http://127.0.0.1:${otherPort}`, `http://localhost:${docsPort}`],
      [`http://localhost:${otherPort}`, `http://127.0.0.1:${docsPort}`],
      // Same site, another port: localhost:A includes localhost:B's scripts.
      [`http://localhost:${otherPort}`, `http://localhost:${docsPort}`],
    ];
    for (const [pageOrigin, docsOrigin] of cases) {
      expect(await snoop(page, pageOrigin, docsOrigin), `${pageOrigin} → ${docsOrigin}`).toEqual({ data: 'undefined', sql: 'undefined', done: true });
    }
    await page.close();
  });

  it('the site itself (and the one-file static_index.html) still loads its data, its SQL and draws its graph, with no console error (no CSP violation)', async () => {
    for (const origin of [`http://127.0.0.1:${docsPort}`, `http://localhost:${docsPort}`]) {
      for (const path of ['/', '/docs/', '/static_index.html']) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
        await page.goto(`${origin}${path}#/n/model.p.bobbin_colours`);
        await page.waitForFunction(() => (window as unknown as { __strataDocsProbe?: { ready: boolean } }).__strataDocsProbe?.ready === true, null, { timeout: 15_000 });
        await expect.poll(() => page.textContent('#page h1')).toBe('bobbin_colours');
        await expect.poll(() => page.$$eval('pre.sql .sql-keyword', (els) => els.length)).toBeGreaterThan(1);
        expect(await page.$$eval('#graph .gnode', (els) => els.length)).toBeGreaterThan(0);
        expect(errors, origin + path).toEqual([]);
        await page.close();
      }
    }
  });
});

describe.runIf(chromiumMissing())('docs serve against pages of other origins (skipped)', () => {
  it.skip('needs /usr/bin/chromium: apt-get install -y chromium (CI installs it; .ci/run)', () => undefined);
});
