#!/usr/bin/env node
// The published entry point: the compiled CLI. `npm install` compiles src/ to dist/ (the `prepare` script).
import { main } from '../dist/cli/main.js';
main(process.argv).then((code) => { process.exitCode = code; });
