#!/usr/bin/env node
// The template engine's cost on a realistic project (bench/generate-project.mjs --realistic: macros in select
// lists, is_incremental() blocks, configs with lists, loops, docs blocks): cold parse and a full compile into
// an empty folder, each in a fresh process, interleaved with a baseline build of Strata when one is given
// (`--baseline <checkout with dist/>`, e.g. the commit before the engine changed), so both see the same machine.
// --plain: the default generator's project (mostly the static fast path) instead.
// Usage: node bench/engine.mjs [--models 10000] [--runs 4] [--baseline DIR] [--plain]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : d);
const models = Number(arg('--models', 10000));
const runs = Number(arg('--runs', 4));
const builds = { strata: join(here, '..'), ...(arg('--baseline') ? { baseline: arg('--baseline') } : {}) };
const base = mkdtempSync(join(tmpdir(), 'strata-engine-bench-'));
const realistic = !process.argv.includes('--plain');
generateProject(join(base, 'project'), { models, realistic });
const dirs = Object.fromEntries(Object.keys(builds).map((b) => [b, join(base, b)]));
for (const d of Object.values(dirs)) cpSync(join(base, 'project'), d, { recursive: true });
const measure = (b, ...args) => JSON.parse(execFileSync(process.execPath, [join(builds[b], 'bench', 'measure.mjs'), ...args], { encoding: 'utf8' }).trim().split('\n').pop());
const times = Object.fromEntries(Object.keys(builds).map((b) => [b, { cold: [], compile: [] }]));
for (let i = 0; i < runs; i++) {
  const order = i % 2 ? Object.keys(builds).reverse() : Object.keys(builds);
  for (const b of order) {
    times[b].cold.push(measure(b, 'parse', dirs[b], '--cold').ms);
    times[b].compile.push(measure(b, 'compile', dirs[b], '--fresh').ms);
  }
}
const fmt = (xs) => `${Math.min(...xs)} ms (median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]})`;
console.log(`${realistic ? 'realistic' : 'plain (bench/run.js)'} project: ${models} models, ${runs} interleaved runs each, best (median)`);
console.log('| build | cold parse | full compile, empty folder |\n|---|---|---|');
for (const [b, t] of Object.entries(times)) console.log(`| ${b} | ${fmt(t.cold)} | ${fmt(t.compile)} |`);
rmSync(base, { recursive: true, force: true });
