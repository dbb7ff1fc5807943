/**
 * The docs site on a generated project of 1,501 models, in a real browser (Debian's chromium): no graph up front,
 * a selection of 1,500 nodes drawn, and one of more — typed or opened from a page — clears the graph and asks for
 * a narrower selector, so the graph before it is never read as its answer.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { docsGenerate } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { launchChromium, chromiumMissing } from '../test-support/chromium.js';

/** 1,500 models in models/rack/ and one in models/spare/, each reading one source table. */
function generatedProject(): Record<string, string> {
  const files: Record<string, string> = {
    'models/sources.yml': 'version: 2\nsources:\n  - name: mill\n    schema: main\n    tables:\n      - name: spools\n',
    'models/spare/spool_spare.sql': "select spool_id from {{ source('mill', 'spools') }}",
  };
  for (let i = 1; i <= 1500; i++) files[`models/rack/spool_${String(i).padStart(4, '0')}.sql`] = `select spool_id, ${i} as slot from {{ source('mill', 'spools') }}`;
  return files;
}

describe.skipIf(chromiumMissing())('the docs site of a project of more than 1,500 nodes', () => {
  let dir: string;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    dir = writeProject(generatedProject());
    const generated = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(generated.exitCode, JSON.stringify(generated.diagnostics.filter((d) => d.severity === 'error'))).toBe(0);
    url = pathToFileURL(join(dir, 'target', 'index.html')).href;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) removeProject(dir);
  });

  const drawn = (page: Page) => page.$$eval('#graph .gnode', (els) => els.length);
  const status = (page: Page) => page.textContent('#graph-status');
  async function select(page: Page, selector: string): Promise<void> {
    await page.fill('#selector', selector);
    await page.press('#selector', 'Enter');
  }

  it('draws 1,500 nodes, and clears the graph for a selector or a page that selects more', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __strataDocsProbe?: { ready: boolean } }).__strataDocsProbe?.ready === true, null, { timeout: 30_000 });
    // Too many nodes to draw the whole project on the home page: nothing drawn, a hint instead.
    expect(await status(page)).toContain('1,502 nodes: type a selector');
    expect(await drawn(page)).toBe(0);

    await select(page, 'path:models/rack');
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('1,500 nodes');
    expect(await drawn(page)).toBe(1500);

    // One more than can be drawn: the 1,500 drawn before are cleared.
    await select(page, 'path:models/rack path:models/spare');
    await expect.poll(() => status(page)).toBe('Nothing drawn: 1,501 nodes selected; narrow the selector to draw at most 1,500');
    expect(await drawn(page)).toBe(0);

    await select(page, '+spool_0007+');
    await expect.poll(() => drawn(page)).toBe(2);
    // Opening the source's page selects +source:mill.spools+, every node of the project.
    await page.goto(`${url}#/n/source.p.mill.spools`);
    await expect.poll(() => page.textContent('#page h1')).toBe('spools');
    await expect.poll(() => status(page)).toContain('Nothing drawn: 1,502 nodes selected');
    expect(await drawn(page)).toBe(0);
    expect(await page.inputValue('#selector')).toBe('+source:mill.spools+');
    expect(errors).toEqual([]);
    await page.close();
  });
});
