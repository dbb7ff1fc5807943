#!/usr/bin/env node
// Bundles the docs site's browser code (src/docs/site/) into dist/docs-site/ with esbuild, at build time,
// so `strata docs generate` only copies files and nothing is fetched when the site runs.
// The selector grammar is Strata's own (src/select/), bundled as is: Node built-ins it never calls in the
// browser resolve to an empty module, and Strata's modules are marked free of side effects so only what
// the selector uses is kept.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = join(root, 'src/docs/site');
const out = join(root, 'dist/docs-site');
const srcDir = join(root, 'src') + '/';

const browserSafe = {
  name: 'strata-browser',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'node-builtin', sideEffects: false }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    // Strata's sources import each other as `./x.js` (NodeNext); the file is `./x.ts`.
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (a) => {
      const path = resolve(a.resolveDir, a.path).replace(/\.js$/, '.ts');
      return path.startsWith(srcDir) ? { path, sideEffects: path.startsWith(site) ? undefined : false } : undefined;
    });
  },
};

mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(site, 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
  metafile: true,
  plugins: [browserSafe],
});
for (const f of ['index.html', 'app.css']) copyFileSync(join(site, f), join(out, f));
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`docs site bundled: dist/docs-site/app.js (${Math.round(bytes / 1024)} KiB)`);
