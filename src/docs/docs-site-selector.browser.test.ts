/**
 * The docs site's selector box and names, in a real browser (Debian's chromium), on a small project of its own:
 * `column:` selectors over lineage.json, a refused or empty selection clearing the graph, model versions told
 * apart (`name (v2)`), a macro's arguments, and doc() in a source column's description.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, docsGenerate, list, seed } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { GRAPH_TYPES } from './site/app-data.js';
import { launchChromium, chromiumMissing } from '../test-support/chromium.js';

const FILES: Record<string, string> = {
  'seeds/clay.csv': 'clay_id,kind,grams\n1,stoneware,900\n2,porcelain,450\n',
  'models/docs.md': '{% docs clay_kind %}The **clay body** of the batch.{% enddocs %}',
  'models/sources.yml': `version: 2
sources:
  - name: yard
    schema: main
    tables:
      - name: clay
        columns:
          - name: kind
            description: "{{ doc('clay_kind') }}"
`,
  'models/pots.sql': "{{ config(materialized='table') }} select clay_id, kind, grams * 2 as weight from {{ source('yard', 'clay') }}",
  'models/glazed.sql': "select clay_id, weight + 10 as fired_weight from {{ ref('pots') }}",
  'models/plain.sql': "select clay_id, kind from {{ ref('pots') }}",
  'models/shelf_v1.sql': "select clay_id from {{ ref('pots') }}",
  'models/shelf_v2.sql': "select clay_id, weight from {{ ref('pots') }}",
  'models/shelf.yml': 'models:\n  - name: shelf\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n',
  'macros/firing.sql': '{% macro firing_loss(weight, percent=8) %}({{ weight }} * {{ percent }} / 100.0){% endmacro %}',
  'macros/firing.yml': 'macros:\n  - name: firing_loss\n    description: Weight lost in the kiln.\n    arguments:\n      - name: weight\n        type: numeric\n        description: Weight before *firing*.\n      - name: percent\n        type: integer\n',
};

describe.skipIf(chromiumMissing())('the docs site: selector box, versions, macro arguments', () => {
  let dir: string;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    dir = writeProject(FILES);
    // The seed first: the models read it as a source, which orders nothing.
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const generated = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(generated.exitCode, JSON.stringify(generated.diagnostics)).toBe(0);
    url = pathToFileURL(join(dir, 'target', 'docs', 'index.html')).href;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) removeProject(dir);
  });

  async function open(hash = ''): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url + hash);
    await page.waitForFunction(() => (window as unknown as { __strataDocsProbe?: { ready: boolean } }).__strataDocsProbe?.ready === true, null, { timeout: 15_000 });
    return { page, errors };
  }
  const drawn = (page: Page) => page.$$eval('#graph .gnode', (els) => els.map((e) => (e as SVGGElement).dataset.id!).sort());
  const labels = (page: Page) => page.$$eval('#graph .gnode > text:first-of-type', (els) => els.map((e) => e.textContent).sort());
  async function select(page: Page, selector: string): Promise<void> {
    await page.fill('#selector', selector);
    await page.press('#selector', 'Enter');
  }

  it.each(['column:pots.weight+', '+column:glazed.fired_weight', 'column:yard.clay.grams+1'])("draws exactly what `strata ls --select '%s'` lists", async (selector) => {
    const out = await list({ projectDir: dir, profilesDir: dir, select: [selector], resourceTypes: [...GRAPH_TYPES], output: 'json' });
    expect(out.exitCode).toBe(0);
    const expected = out.lines.map((l) => (JSON.parse(l) as { unique_id: string }).unique_id).sort();
    expect(expected.length).toBeGreaterThan(1);
    const { page, errors } = await open();
    await select(page, selector);
    await expect.poll(() => drawn(page)).toEqual(expected);
    expect(await page.getAttribute('#graph-status', 'class')).not.toBe('error');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a refused selector clears the graph and says why; so does an unknown column', async () => {
    const { page, errors } = await open();
    await expect.poll(() => drawn(page).then((ids) => ids.length)).toBeGreaterThan(3);
    await select(page, 'nosuch:thing');
    await expect.poll(() => page.textContent('#graph-status')).toContain("unknown selector method 'nosuch'");
    expect(await page.textContent('#graph-status')).toContain('Nothing drawn');
    expect(await drawn(page)).toEqual([]);
    await select(page, '+pots+');
    await expect.poll(() => drawn(page).then((ids) => ids.length)).toBeGreaterThan(3);
    await select(page, 'column:pots.colour');
    await expect.poll(() => page.textContent('#graph-status')).toContain("no column 'colour'");
    expect(await drawn(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an empty selection clears the graph with no console error', async () => {
    const { page, errors } = await open();
    await expect.poll(() => drawn(page).then((ids) => ids.length)).toBeGreaterThan(3);
    await select(page, 'tag:nothing_has_this');
    await expect.poll(() => page.textContent('#graph-status')).toContain('0 nodes');
    expect(await drawn(page)).toEqual([]);
    await page.click('#zoom-fit');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells the versions of a model apart: in the graph, "Referenced by" and search, as name (vN)', async () => {
    const { page, errors } = await open('#/n/model.p.pots');
    await expect.poll(() => page.textContent('#page h1')).toBe('pots');
    const refs = await page.$$eval('#page section', (els) => els.find((s) => s.querySelector('h2')?.textContent === 'Referenced by')?.textContent ?? '');
    expect(refs).toContain('shelf (v1)');
    expect(refs).toContain('shelf (v2)');
    await expect.poll(() => labels(page)).toEqual(expect.arrayContaining(['shelf (v1)', 'shelf (v2)']));
    await page.fill('#search', 'shelf');
    await expect.poll(() => page.$$eval('#search-results li strong', (els) => els.map((e) => e.textContent).sort())).toEqual(['shelf (v1)', 'shelf (v2)']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a macro's arguments with their types and descriptions, and a source column's doc() rendered", async () => {
    const { page, errors } = await open('#/n/macro.p.firing_loss');
    await expect.poll(() => page.textContent('#page h1')).toBe('firing_loss');
    const rows = await page.$$eval('table.arguments tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(rows).toEqual([['weight', 'numeric', 'Weight before firing.'], ['percent', 'integer', '']]);
    expect(await page.$eval('table.arguments tr[data-argument="weight"] .md', (e) => e.innerHTML)).toContain('<em>firing</em>');
    await page.goto(`${url}#/n/source.p.yard.clay`);
    await expect.poll(() => page.textContent('#page h1')).toBe('clay');
    expect(await page.$eval('table.columns tr[data-column="kind"] .md', (e) => e.innerHTML)).toContain('<strong>clay body</strong>');
    expect(await page.textContent('#page')).not.toContain('{{');
    expect(errors).toEqual([]);
    await page.close();
  });
});
