import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';

/** The files the site's index.html loads, each a URL relative to the page. */
const SITE_URLS = ['href="app.css"', 'src="data.js"', 'src="app.js"'];

/** A page of the target folder that this writer may replace: its own, or dbt's docs page. */
function replaceable(html: string): boolean {
  return html.includes('<title>Strata docs</title>') || /<title>dbt Docs<\/title>/i.test(html);
}

/**
 * `<targetDir>/index.html`, where dbt's `docs generate` writes its page: the site of target/docs/ with its files'
 * URLs under `docs/`, so that the target folder is a site as dbt's is (`docs serve` roots there, `mv target public`
 * publishes it, target/index.html opens from disk). A page there that is neither Strata's nor dbt's (target-path '.'
 * beside a project's own index.html) is left as it is, with a warning.
 */
export function writeRootIndex(targetDir: string): Diagnostic[] {
  const path = join(targetDir, 'index.html');
  if (existsSync(path) && !replaceable(readFileSync(path, 'utf8'))) {
    return [{ code: 'docs-index-kept', severity: 'warn', message: `${path} is not a docs page, so it was left as it is: the site is at docs/index.html there`, file: path, hint: "give target-path a folder of its own (target-path: 'target')" }];
  }
  let html = readFileSync(join(targetDir, 'docs', 'index.html'), 'utf8');
  for (const url of SITE_URLS) {
    if (!html.includes(url)) throw new Error(`the docs site's index.html has no ${url}: the bundle and root-index.ts disagree`);
    html = html.replace(url, () => url.replace('="', '="docs/'));
  }
  writeFileSync(path, html);
  return [];
}
