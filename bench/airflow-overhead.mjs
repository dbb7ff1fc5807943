#!/usr/bin/env node
// Measures a generated Airflow task's own overhead: starting the CLI and parsing with the warm cache a task copies
// into its own target path (what every task of `strata airflow dag` does before its node runs), on the demo and on
// the generated 1,000-model project. Each figure is the median of --reps runs of `strata ls --select <one model>`
// (process start + warm parse + selection, no warehouse), next to a bare `node -e 0` and a cold parse.
// Usage: node bench/airflow-overhead.mjs [--reps 7]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'strata.js');
const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 7;
const CACHE = ['graph_snapshot.strata.json', 'graph_snapshot_body.strata.json', 'partial_parse.strata.json'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const q = (a) => `'${a.replace(/'/g, `'\\''`)}'`;

/** Wall time and CPU time (user + system, from bash's `times`) of one command, in ms. CPU time holds on a busy machine. */
function timed(args, cwd) {
  const t0 = process.hrtime.bigint();
  const out = execFileSync('bash', ['-c', `${args.map(q).join(' ')} >/dev/null 2>&1; times`], { cwd, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const [, children] = out.trim().split('\n');
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: (secs[0] + secs[1]) * 1000 };
}
const fmt = (runs) => `${median(runs.map((r) => r.wall)).toFixed(0)} ms (CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms)`;

function measure(name, dir, select) {
  const cache = join(dir, 'target', 'warm');
  execFileSync('node', [bin, 'parse', '--target-path', cache], { cwd: dir, stdio: 'ignore' });
  const bare = [], warm = [], cold = [];
  for (let i = 0; i < reps; i++) {
    bare.push(timed(['node', '-e', '0'], dir));
    const t = join(dir, 'target', `task-${i}`);
    cpSync(cache, t, { recursive: true, filter: (src) => src === cache || CACHE.some((f) => src.endsWith(f)) });
    warm.push(timed(['node', bin, 'ls', '-q', '--select', select, '--target-path', t, '--vars', '{ds: "2026-03-01"}'], dir));
    cold.push(timed(['node', bin, 'ls', '-q', '--select', select, '--target-path', join(dir, 'target', `cold-${i}`)], dir));
  }
  console.log(`| ${name} | ${fmt(bare)} | ${fmt(warm)} | ${fmt(cold)} |`);
}

const demo = mkdtempSync(join(tmpdir(), 'strata-airflow-demo-'));
for (const e of ['project.yml', 'profiles.yml', 'models', 'macros', 'seeds', 'tests', 'landing', 'snapshots']) cpSync(join(root, e), join(demo, e), { recursive: true });
const bench = join(mkdtempSync(join(tmpdir(), 'strata-airflow-bench-')), 'bench');
generateProject(bench, { models: 1000 });
console.log(`node ${process.version}, ${reps} runs each, median; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
console.log('| project | node -e 0 | task overhead (warm cache) | cold parse |');
console.log('| --- | --- | --- | --- |');
measure('demo (15 models, 49 nodes)', demo, 'complaints.gold.fct_complaints');
measure('bench 1,000 models', bench, 'gld_3');
rmSync(demo, { recursive: true, force: true });
rmSync(dirname(bench), { recursive: true, force: true });
