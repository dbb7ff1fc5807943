import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/index.js';
import { buildSiteData } from './site-data.js';
import type { WarehouseFacts } from './site-types.js';
import { readDocsArtifacts } from './read-artifacts.js';
import { writeRootIndex } from './root-index.js';

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
export function dataScript(variable: string, json: string): string {
  return `window.${variable}=JSON.parse(${JSON.stringify(json)});\n`;
}

export interface WriteSiteResult {
  /** false when an artifact the site needs is missing or broken (an error among the diagnostics). */
  ok: boolean;
  /** Whether target/docs/ was written. */
  written: boolean;
  dir: string;
  nodes: number;
  diagnostics: Diagnostic[];
}

/**
 * Writes the static docs site into `<targetDir>/docs/`: the bundled app (index.html, app.js, app.css),
 * data.js (every artifact the site needs but SQL, plus `facts` read from the warehouse) and data-sql.js
 * (raw and compiled SQL by unique id); then `<targetDir>/index.html`, the same page where dbt's is (root-index.ts). `scrub` removes secrets from the embedded data.
 */
export function writeDocsSite(targetDir: string, scrub: (text: string) => string = (t) => t, facts: WarehouseFacts = {}, packageDirs: Record<string, string> = {}): WriteSiteResult {
  const dir = join(targetDir, 'docs');
  const { artifacts, diagnostics } = readDocsArtifacts(targetDir);
  if (!artifacts) return { ok: false, written: false, dir, nodes: 0, diagnostics };
  const assets = siteAssetsDir();
  if (!assets) {
    // Only a development checkout that was never built lacks it (the package ships dist/): the artifacts
    // are still written, and the site is not.
    diagnostics.push({ code: 'docs-site-assets-missing', severity: 'warn', message: 'the docs site was not written: its bundle (dist/docs-site/) is missing from this checkout of Strata', file: 'dist/docs-site/app.js', hint: 'run `npm run build` in the Strata checkout (it bundles the site with esbuild)' });
    return { ok: true, written: false, dir, nodes: 0, diagnostics };
  }
  const data = { ...buildSiteData(artifacts), ...facts };
  // manifest.json names a package's files from the package (dbt's); the site names the file the user opens,
  // from the project root, as `strata ls --select path:` selects it (its selector box is the same code).
  for (const n of data.nodes) if (packageDirs[n.packageName] && !n.path.startsWith(`${packageDirs[n.packageName]}/`)) n.path = `${packageDirs[n.packageName]}/${n.path}`;
  mkdirSync(dir, { recursive: true });
  for (const f of SITE_ASSETS) copyFileSync(join(assets, f), join(dir, f));
  // SQL is most of the bytes and no page needs it to start: it goes to data-sql.js, loaded after first paint.
  const sql: Record<string, [string | null, string | null]> = {};
  for (const n of data.nodes) {
    if (n.raw === undefined && n.compiled === undefined) continue;
    sql[n.id] = [n.raw ?? null, n.compiled ?? null];
    delete n.raw;
    delete n.compiled;
  }
  writeFileSync(join(dir, 'data.js'), dataScript('__STRATA_DOCS__', scrub(JSON.stringify(data))));
  writeFileSync(join(dir, 'data-sql.js'), dataScript('__STRATA_DOCS_SQL__', scrub(JSON.stringify(sql))));
  diagnostics.push(...writeRootIndex(targetDir));
  return { ok: true, written: true, dir, nodes: data.nodes.length, diagnostics };
}
