#!/usr/bin/env node
// `npm run bench`: parse, compile and ls a 10,000-model project; compare with Dataform's compiler.
// Flags: --models N (default 10000), --skip-dataform.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateProject } from './generate-project.mjs';
import { compareWithDataform } from './dataform-compare.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => (process.argv.includes(k) ? Number(process.argv[process.argv.indexOf(k) + 1]) : d);
const models = arg('--models', 10000);
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
const shape = generateProject(dir, { models });
console.log(`project: ${shape.models} models (${shape.bronze} bronze, ${shape.silver} silver, ${shape.gold} gold) in ${dir}`);

const measure = (...args) => JSON.parse(execFileSync(process.execPath, [join(here, 'measure.mjs'), ...args], { encoding: 'utf8' }).trim().split('\n').pop());
const best = (runs, f) => Array.from({ length: runs }, f).sort((a, b) => a.ms - b.ms)[0];

const cold = best(3, () => measure('parse', dir, '--cold'));
measure('parse', dir); // the first parse after a cold one may still check fresh files by hash
const warm = best(3, () => measure('parse', dir));
const warmAll = best(3, () => measure('parse', dir, '--read-all'));
const edit = best(3, () => measure('parse', dir, '--edit'));
const fresh = best(3, () => measure('compile', dir, '--fresh'));
const compile = best(3, () => measure('compile', dir));
const lsRuns = Array.from({ length: 3 }, () => {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(here, '..', 'bin', 'strata.js'), 'ls', '--project-dir', dir, '--profiles-dir', dir, '--output', 'name'], { stdio: 'ignore' });
  return performance.now() - t0;
}).sort((a, b) => a - b);

const rows = [
  ['cold parse → graph-ready manifest', `${cold.ms} ms`, '≤ 1000 ms', `${cold.nodes} nodes, peak RSS ${cold.rssMb} MB`],
  ['warm parse, nothing changed (graph snapshot)', `${warm.ms} ms`, '≤ 300 ms', `peak RSS ${warm.rssMb} MB; nodes decoded when first read`],
  ['warm parse, then every node read', `${warmAll.ms} ms`, '', `peak RSS ${warmAll.rssMb} MB; what a command that reads every node pays`],
  ['warm parse, one model\'s SQL edited (partial parsing)', `${edit.ms} ms`, '', `peak RSS ${edit.rssMb} MB; only that file is rendered`],
  ['full compile of all SQL, empty target/compiled', `${fresh.ms} ms`, '≤ 3000 ms', `${fresh.nodes} nodes, peak RSS ${fresh.rssMb} MB`],
  ['full compile of all SQL, files unchanged', `${compile.ms} ms`, '', 'every node rendered; unchanged files not rewritten'],
  ['strata ls (whole process)', `${Math.round(lsRuns[0])} ms`, '', 'wall clock, warm cache'],
];
console.log('\n| step | time | target | notes |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

if (!process.argv.includes('--skip-dataform')) {
  try {
    const df = compareWithDataform(dir, shape);
    console.log(`\nDataform CLI ${df.version}: compile of the same graph took ${df.ms} ms; Strata's full compile is ${(df.ms / fresh.ms).toFixed(1)}x faster (process wall clock vs in-process step)`);
  } catch (e) {
    console.log(`\nDataform comparison skipped: ${e.message.split('\n')[0]}`);
  }
}
rmSync(dir, { recursive: true, force: true });
