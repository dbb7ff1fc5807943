/**
 * The docs site in a real browser (Debian's chromium driven by playwright-core), against the bundled demo:
 * built on DuckDB, `docs generate`d, opened from file:// and from `docs serve`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { build, compile, docsGenerate, docsServe, list, sourceFreshness } from '../api/index.js';
import { copyDemo, repoRoot } from '../test-support/demo-project.js';
import { GRAPH_TYPES } from './site/app-data.js';
import { launchChromium, chromiumMissing } from '../test-support/chromium.js';
import type { LineageFile } from './site-types.js';

const shots = join(repoRoot, 'target', 'docs-site-screenshots');

/**
 * A hand-written lineage.json in the documented format (docs/docs-site.md), used only when `docs generate`
 * wrote none: it exercises the site's column view, it is not a result of Strata's lineage.
 */
const LINEAGE_FIXTURE: LineageFile = {
  metadata: { lineage_version: 1, generated_at: '2026-01-01T00:00:00Z', adapter_type: 'duckdb', invocation_id: 'fixture' },
  nodes: {
    'model.complaints.fct_complaints': { status: 'traced', columns: { resolution_hours: { upstream: [
      { node: 'model.complaints.complaints', column: 'opened_at', kind: 'derived' },
      { node: 'model.complaints.complaint_events', column: 'event_at', kind: 'derived' }] } }, filters: [] },
    'model.complaints.complaints': { status: 'traced', columns: {
      opened_at: { upstream: [{ node: 'model.complaints.complaint_events', column: 'opened_at', kind: 'aggregated' }] } } },
    'model.complaints.mart_complaints_daily': { status: 'partial', reason: 'fixture', columns: { median_resolution_hours: { upstream: [{ node: 'model.complaints.fct_complaints', column: 'resolution_hours', kind: 'aggregated' }] } } },
  },
};

const skip = chromiumMissing();

describe.skipIf(skip)('the docs site in a browser', () => {
  let dir: string;
  let browser: Browser;
  let server: Server | undefined;
  let httpUrl: string;
  let lineage: LineageFile;
  let fileUrl: string;

  beforeAll(async () => {
    dir = copyDemo();
    expect((await build({ projectDir: dir })).exitCode).toBe(0);
    expect((await sourceFreshness({ projectDir: dir })).exitCode).toBe(0);
    const generated = await docsGenerate({ projectDir: dir });
    expect(generated.exitCode, JSON.stringify(generated.diagnostics)).toBe(0);
    const target = join(dir, 'target');
    if (!existsSync(join(target, 'lineage.json'))) {
      writeFileSync(join(target, 'lineage.json'), JSON.stringify(LINEAGE_FIXTURE));
      expect((await docsGenerate({ projectDir: dir })).exitCode).toBe(0);
    }
    lineage = JSON.parse(readFileSync(join(target, 'lineage.json'), 'utf8')) as LineageFile;
    fileUrl = pathToFileURL(join(target, 'docs', 'index.html')).href;
    const served = await docsServe({ projectDir: dir, port: 0, host: '127.0.0.1' });
    expect(served.exitCode).toBe(0);
    server = served.server;
    httpUrl = served.url!;
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => { if (!/^(file:|data:|http:\/\/127\.0\.0\.1)/.test(r.url())) errors.push(`request outside the site: ${r.url()}`); });
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __strataDocsProbe?: { ready: boolean } }).__strataDocsProbe?.ready === true, null, { timeout: 15_000 });
    return { page, errors };
  }
  /** What `strata ls --select X --resource-type <the drawn types>` lists, as unique ids. */
  async function listed(selector: string): Promise<string[]> {
    const out = await list({ projectDir: dir, select: [selector], resourceTypes: [...GRAPH_TYPES], output: 'json' });
    return out.lines.map((l) => (JSON.parse(l) as { unique_id: string }).unique_id).sort();
  }
  const drawn = (page: Page) => page.$$eval('#graph .gnode', (els) => els.map((e) => (e as SVGGElement).dataset.id!).sort());

  it('opens from file:// with no console errors and draws the small demo whole', async () => {
    const { page, errors } = await open(fileUrl);
    await expect.poll(() => page.textContent('#page h1')).toBe('complaints');
    // After a clean build nothing is listed as not passing: the exposures' `no-op` results count as run.
    expect(await page.$$eval('#page h2', (els) => els.map((e) => e.textContent))).not.toContain('Not passing in the last run');
    const ids = await drawn(page);
    expect(ids).toContain('model.complaints.fct_complaints');
    expect(ids).toContain('source.complaints.landing.customers');
    expect(ids.some((id) => id.startsWith('test.'))).toBe(false);
    // The tree by layer: gold holds the gold models, opened lazily.
    await page.click('#nav-tabs button[data-mode="layer"]');
    await page.click('#nav-tree summary:has-text("gold")');
    await page.click('#nav-tree details[open] summary:has-text("model")');
    // A folder's children are drawn on its toggle event, which comes after the click.
    await expect.poll(() => page.$$eval('#nav-tree a.leaf', (els) => els.map((e) => e.textContent))).toEqual(expect.arrayContaining(['fct_complaints', 'mart_complaints_daily']));
    await page.screenshot({ path: join(shots, 'home.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('search finds a model by name and by column, with the keyboard', async () => {
    const { page, errors } = await open(fileUrl);
    await page.keyboard.press('/');
    await page.keyboard.type('fct_compl');
    await expect.poll(() => page.$$eval('#search-results li', (els) => els.map((e) => (e as HTMLElement).dataset.id))).toContain('model.complaints.fct_complaints');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#page h1')).toBe('fct_complaints');
    await page.fill('#search', 'sla_breach_rate');
    await expect.poll(() => page.$$eval('#search-results li', (els) => els.map((e) => (e as HTMLElement).dataset.id))).toEqual(['model.complaints.mart_complaints_daily']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#page h1')).toBe('mart_complaints_daily');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("clicking a graph node opens its page: rendered description, columns with the catalog's types, tests, SQL, lineage", async () => {
    const { page, errors } = await open(fileUrl);
    await page.click('#graph .gnode[data-id="model.complaints.complaints"]');
    // The home page's title is the project's name, also 'complaints': wait for the model's page itself.
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('model.complaints.complaints');
    await expect.poll(() => page.textContent('#page h1')).toBe('complaints');
    await expect.poll(() => page.$$eval('table.columns tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'model-page.png') });
    const types = await page.$$eval('table.columns tbody tr', (rows) => Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.column, r.querySelector('.col-type')!.textContent])));
    expect(types).toMatchObject({ complaint_id: 'VARCHAR', opened_at: 'TIMESTAMP', customer_id: 'INTEGER' });
    // The status column's description is a {% docs %} block, rendered as markdown (inline code).
    expect(await page.$eval('table.columns tr[data-column="status"] .md', (e) => e.innerHTML)).toContain('<code>in_progress</code>');
    expect(await page.$$eval('table.columns tr[data-column="complaint_id"] .test-chip', (els) => els.map((e) => e.textContent))).toEqual(expect.arrayContaining(['unique pass', 'not_null pass']));
    // SQL comes from data-sql.js, loaded after the first paint, and fills the section in place.
    await expect.poll(() => page.$$eval('pre.sql .sql-keyword', (els) => els.length)).toBeGreaterThan(5);
    await page.click('.sql-section .tab:has-text("Raw")');
    expect(await page.$eval('pre.sql', (e) => e.textContent)).toContain("{{ ref('complaint_events') }}");
    expect(await page.textContent('#selector')).toBe('');
    expect(await page.inputValue('#selector')).toBe('+complaints+');
    const ids = await drawn(page);
    expect(ids).toEqual(expect.arrayContaining(['model.complaints.complaints', 'model.complaints.fct_complaints', 'model.complaints.complaint_events']));
    expect(ids).toEqual(await listed('+complaints+'));
    expect(await page.textContent('.lineage-status')).toContain('column lineage');
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(['tag:gold', '2+fct_complaints', '+source:landing.agents+', 'path:models/silver', 'fct_complaints+1'])("the selector box draws exactly what `strata ls --select '%s'` lists", async (selector) => {
    const expected = await listed(selector);
    expect(expected.length).toBeGreaterThan(0);
    const { page, errors } = await open(fileUrl);
    await page.fill('#selector', selector);
    await page.press('#selector', 'Enter');
    await expect.poll(() => drawn(page)).toEqual(expected);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad selector says why instead of drawing', async () => {
    const { page, errors } = await open(fileUrl);
    await page.fill('#selector', 'nosuch:thing');
    await page.press('#selector', 'Enter');
    await expect.poll(() => page.textContent('#graph-status')).toContain("unknown selector method 'nosuch'");
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hover lights the paths through a node; the wheel zooms and a drag pans', async () => {
    const { page } = await open(fileUrl);
    await page.hover('#graph .gnode[data-id="model.complaints.fct_complaints"]');
    const lit = await page.$$eval('#graph .gnode.lit', (els) => els.map((e) => (e as SVGGElement).dataset.id!).sort());
    // Lit: the node, everything upstream and everything downstream of it — what `+fct_complaints+` selects.
    const drawnIds = new Set(await drawn(page));
    expect(lit).toEqual((await listed('+fct_complaints+')).filter((id) => drawnIds.has(id)));
    expect(lit.length).toBeLessThan(drawnIds.size);
    const transform = () => page.$eval('#graph .viewport', (e) => e.getAttribute('transform'));
    const before = await transform();
    const box = (await page.$('#graph'))!;
    const b = (await box.boundingBox())!;
    await page.mouse.move(b.x + 20, b.y + 20);
    await page.mouse.wheel(0, -300);
    await expect.poll(transform).not.toBe(before);
    const zoomed = await transform();
    await page.mouse.down();
    await page.mouse.move(b.x + 120, b.y + 60, { steps: 4 });
    await page.mouse.up();
    expect(await transform()).not.toBe(zoomed);
    await page.close();
  });

  it("a column click lights its upstream path from lineage.json", async () => {
    const { page, errors } = await open(`${fileUrl}#/n/model.complaints.fct_complaints`);
    await page.click('table.columns tr[data-column="resolution_hours"] button.col-name');
    await expect.poll(() => page.$eval('#graph', (e) => e.classList.contains('path-mode'))).toBe(true);
    const onPath = await page.$$eval('#graph .gnode.on-path', (els) => els.map((e) => (e as SVGGElement).dataset.id));
    // Every upstream node lineage.json gives for the column, one step and two steps up, is lit.
    const up1 = lineage.nodes['model.complaints.fct_complaints']!.columns.resolution_hours!.upstream;
    expect(up1.length).toBeGreaterThan(0);
    const up2 = up1.flatMap((e) => lineage.nodes[e.node]?.columns[e.column]?.upstream ?? []);
    for (const e of [...up1, ...up2]) expect(onPath).toContain(e.node);
    expect(await page.$$eval('#graph .edge.on-path', (els) => els.length)).toBeGreaterThan(0);
    expect(await page.$$eval('#graph .gnode.on-path text.gcol', (els) => els.map((e) => e.textContent))).toContain('· resolution_hours');
    await page.screenshot({ path: join(shots, 'column-lineage.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows what only the warehouse knows: a test's history, a landing node's files, a source's freshness", async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { name: string }> };
    const testId = Object.keys(manifest.nodes).find((id) => manifest.nodes[id]!.name === 'not_null_agents_agent_id')!;
    const { page, errors } = await open(`${fileUrl}#/n/${testId}`);
    await expect.poll(() => page.textContent('#page h1')).toBe('not_null_agents_agent_id');
    expect(await page.$$eval('#page section h2', (els) => els.map((e) => e.textContent))).toContain('History (strata_dq.test_results)');
    await page.goto(`${fileUrl}#/n/landing.complaints.landing.agents`);
    await expect.poll(() => page.textContent('#page h1')).toBe('landing.agents');
    expect(await page.textContent('#page')).toContain('agents.csv');
    expect(await page.textContent('#page')).toContain('files landed 1');
    // Freshness from sources.json (`strata source freshness`).
    await page.goto(`${fileUrl}#/n/source.complaints.landing.agents`);
    await expect.poll(() => page.textContent('#page h1')).toBe('agents');
    expect(await page.$eval('#page', (e) => [...e.querySelectorAll('section')].find((s) => s.querySelector('h2')?.textContent === 'Freshness')?.textContent ?? '')).toMatch(/pass.*last loaded/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('docs generate --static writes the site as one file that works alone (dbt\'s static_index.html)', async () => {
    const generated = await docsGenerate({ projectDir: dir, static: true });
    expect(generated.exitCode).toBe(0);
    expect(generated.staticIndex).toBe(join(dir, 'target', 'static_index.html'));
    // Alone in a folder of its own: nothing of target/docs/ beside it.
    const alone = join(dir, 'shared-page');
    mkdirSync(alone, { recursive: true });
    writeFileSync(join(alone, 'complaints-docs.html'), readFileSync(generated.staticIndex!));
    const { page, errors } = await open(`${pathToFileURL(join(alone, 'complaints-docs.html')).href}#/n/model.complaints.complaints`);
    await expect.poll(() => page.textContent('#page h1')).toBe('complaints');
    expect((await drawn(page)).length).toBeGreaterThan(3);
    // The SQL, loaded lazily from its own data: URL.
    await expect.poll(() => page.$$eval('pre.sql .sql-keyword', (els) => els.length)).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("after `compile` and another `docs generate` (whose run_results.json is all `success`), still shows the build's test results", async () => {
    expect((await compile({ projectDir: dir })).exitCode).toBe(0);
    expect((await docsGenerate({ projectDir: dir })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).args.which).toBe('generate');
    const { page, errors } = await open(fileUrl);
    await page.click('#graph .gnode[data-id="model.complaints.complaints"]');
    // The home page's title is the project's name, also 'complaints': wait for the model's page itself.
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('model.complaints.complaints');
    await expect.poll(() => page.textContent('#page h1')).toBe('complaints');
    await expect.poll(() => page.$$eval('table.columns tr[data-column="complaint_id"] .test-chip', (els) => els.map((e) => e.textContent))).toEqual(expect.arrayContaining(['unique pass', 'not_null pass']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works the same from `strata docs serve`', async () => {
    const { page, errors } = await open(`${httpUrl}#/n/snapshot.complaints.dim_customers`);
    await expect.poll(() => page.textContent('#page h1')).toBe('dim_customers');
    expect((await drawn(page)).length).toBeGreaterThan(3);
    await page.click('#graph .gnode[data-id="model.complaints.customers"]');
    await expect.poll(() => page.textContent('#page h1')).toBe('customers');
    // The served root is target/index.html, whose files are under docs/: the SQL loads from there too.
    await expect.poll(() => page.$$eval('pre.sql .sql-keyword', (els) => els.length)).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    const res = await fetch(`${httpUrl}..%2f..%2fmanifest.json`);
    expect([403, 404]).toContain(res.status);
    expect((await fetch(`${httpUrl}manifest.json`)).status).toBe(200);
    await page.close();
  });

  it("opens as target/index.html, where dbt's page is, from disk and from `strata docs serve`'s /docs/", async () => {
    for (const url of [pathToFileURL(join(dir, 'target', 'index.html')).href, `${httpUrl}docs/`]) {
      const { page, errors } = await open(`${url}#/n/model.complaints.customers`);
      await expect.poll(() => page.textContent('#page h1')).toBe('customers');
      await expect.poll(() => page.$$eval('pre.sql .sql-keyword', (els) => els.length)).toBeGreaterThan(5);
      expect((await drawn(page)).length).toBeGreaterThan(1);
      expect(errors, url).toEqual([]);
      await page.close();
    }
  });
});

describe.runIf(skip)('the docs site in a browser (skipped)', () => {
  it.skip('needs /usr/bin/chromium: apt-get install -y chromium (CI installs it; .ci/run)', () => undefined);
});
