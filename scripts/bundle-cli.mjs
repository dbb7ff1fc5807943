#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into a few files in
// dist/cli-bundle/, at build time, so `strata` starts by loading about ten modules instead of about two hundred
// (Node 20 loads ES modules one by one: resolve, read, compile, link). Code that only some commands use stays
// in chunks of its own (loaded by `import()` as before), and npm packages stay outside, loaded as they were.
// dist/cli-bundle/ sits one folder below dist/, as every dist/<stage>/ folder does, so the paths modules compute
// from their own location (`../../package.json`, `../../dist/docs-site/`) are the same; the worker threads'
// files are entry points of their own, next to the code that starts them. bin/strata.js uses the bundle when
// it is there; the library (`dist/api/`) and the tests' imports are unchanged. DuckDB's driver is bundled too, into
// a file of its own (dist/cli-bundle/duckdb-node-api.cjs).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'cli-bundle');
// Worker threads are started from a file beside the module that starts them (`new URL('./x.js', import.meta.url)`).
const workers = ['templating/parse-render-worker.js', 'project/file-read-worker.js', 'compile/compiled-file-worker.js'];

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(dist, 'cli/main.js'), ...workers.map((w) => join(dist, w))],
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Linked source maps, as tsc's beside dist/ (read with node --enable-source-maps).
  sourcemap: true,
  // Class and function names as written: Jinja's messages name a value's type by its class (`'PyDateTime' object
  // is not callable`), and esbuild would otherwise rename colliding classes (`_PyDateTime`).
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
});
// DuckDB's driver, its ~90 CommonJS files as one (its native part stays where npm put it): loaded in half the time.
// The DuckDB adapter takes it from beside itself when it is there (src/adapters/duckdb/duckdb-adapter.ts).
await build({
  entryPoints: [createRequire(import.meta.url).resolve('@duckdb/node-api')],
  outfile: join(out, 'duckdb-node-api.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['@duckdb/node-bindings'],
  logLevel: 'warning',
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
const bytes = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((s, [, o]) => s + o.bytes, 0);
console.log(`CLI bundled: dist/cli-bundle/ (${files} files, ${Math.round(bytes / 1024)} KiB)`);
