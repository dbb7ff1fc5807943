#!/usr/bin/env node
// The published entry point: the compiled CLI. `npm install` compiles src/ to dist/ (the `prepare` script) and
// bundles the CLI into dist/cli-bundle/ (scripts/bundle-cli.mjs), which starts faster: a few files to load instead
// of about two hundred. A bundle older than the compiled CLI (tsc was run again since) is passed over.
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime('../dist/cli-bundle/main.js');
const entry = bundled !== undefined && bundled >= (mtime('../dist/cli/main.js') ?? 0) ? '../dist/cli-bundle/main.js' : '../dist/cli/main.js';
const { main } = await import(entry);
main(process.argv).then((code) => { process.exitCode = code; });
