import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/index.js';
import { buildSiteData } from './site-data.js';
import { readDocsArtifacts } from './read-artifacts.js';

/** The bundled browser files `npm run build` writes (scripts/bundle-docs-site.mjs). */
export const SITE_ASSETS = ['index.html', 'app.js', 'app.css'];

/** dist/docs-site/, found from src/docs/ (tests, tsx) and from dist/docs/ (the installed CLI). */
export function siteAssetsDir(): string | undefined {
  const candidates = [new URL('../../dist/docs-site/', import.meta.url), new URL('../docs-site/', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((d) => SITE_ASSETS.every((f) => existsSync(join(d, f))));
}

/**
 * The data as a script that works from file:// (a page opened from disk cannot fetch JSON): a JSON string
 * parsed once, which browsers read faster than the same object as a literal.
 */
export function dataScript(json: string): string {
  return `window.__STRATA_DOCS__=JSON.parse(${JSON.stringify(json)});\n`;
}

export interface WriteSiteResult {
  ok: boolean;
  dir: string;
  nodes: number;
  diagnostics: Diagnostic[];
}

/**
 * Writes the static docs site into `<targetDir>/docs/`: the bundled app (index.html, app.js, app.css) and
 * data.js with every artifact the site needs. `scrub` removes secrets from the embedded data.
 */
export function writeDocsSite(targetDir: string, scrub: (text: string) => string = (t) => t): WriteSiteResult {
  const dir = join(targetDir, 'docs');
  const { artifacts, diagnostics } = readDocsArtifacts(targetDir);
  if (!artifacts) return { ok: false, dir, nodes: 0, diagnostics };
  const assets = siteAssetsDir();
  if (!assets) {
    diagnostics.push({ code: 'docs-site-assets-missing', severity: 'error', message: 'the docs site bundle (dist/docs-site/) is missing from this installation of Strata', file: 'dist/docs-site/app.js', hint: 'run `npm run build` in the Strata checkout (it bundles the site with esbuild)' });
    return { ok: false, dir, nodes: 0, diagnostics };
  }
  const data = buildSiteData(artifacts);
  mkdirSync(dir, { recursive: true });
  for (const f of SITE_ASSETS) copyFileSync(join(assets, f), join(dir, f));
  writeFileSync(join(dir, 'data.js'), dataScript(scrub(JSON.stringify(data))));
  return { ok: true, dir, nodes: data.nodes.length, diagnostics };
}
