#!/usr/bin/env node
// The cost of a day: the demo's generator writes N days of data plus one more; `strata build` builds the N
// days from scratch (the full build), then the extra day's files arrive and `strata build --vars '{ds: …}'`
// processes that day alone (the daily run the Airflow DAG schedules). Each build runs in a fresh process,
// as the scheduler would start it. The target: the daily run costs at most 5 % of the full build.
//
//   node bench/cost-of-a-day.mjs [--scale 50] [--days 100] [--start 2026-01-05]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { scale: { type: 'string', default: '50' }, days: { type: 'string', default: '100' }, start: { type: 'string', default: '2026-01-05' } } });
const days = Number(args.days);
const work = mkdtempSync(join(tmpdir(), 'strata-bench-day-'));
const project = join(work, 'project');
for (const entry of ['project.yml', 'profiles.yml', 'models', 'macros', 'seeds', 'tests', 'snapshots']) cpSync(join(root, entry), join(project, entry), { recursive: true });

const run = (label, cmd, argv) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cmd, ...argv], { cwd: project, encoding: 'utf8', env: { ...process.env, STRATA_PII_PEPPER: 'bench-pepper' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  return ms;
};

try {
  // The data: N + 1 days; the last day's files are held back until the full build is done.
  const genMs = run('generator', join(root, 'scripts', 'generate-demo-data.mjs'), ['--scale', args.scale, '--days', String(days + 1), '--start', args.start, '--out', join(project, 'landing')]);
  const lastDay = new Date(Date.parse(`${args.start}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);
  const held = join(work, 'held');
  mkdirSync(held);
  const dayFiles = [];
  for (const folder of ['call_logs', 'social', 'web']) {
    for (const f of readdirSync(join(project, 'landing', folder))) if (f.includes(lastDay)) dayFiles.push([join(project, 'landing', folder, f), join(held, f)]);
  }
  for (const [from, to] of dayFiles) renameSync(from, to);
  const countFiles = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  console.log(`data: ${days} days at scale ${args.scale} (${countFiles(join(project, 'landing'))} files; generated in ${(genMs / 1000).toFixed(1)} s), then one more day (${dayFiles.length} files, ${lastDay})`);

  const bin = join(root, 'bin', 'strata.js');
  const fullMs = run('full build', bin, ['build', '-q']);
  const rows = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')).results.filter((r) => r.unique_id.startsWith('landing.')).reduce((n, r) => n + (r.adapter_response?.rows_affected ?? 0), 0);
  for (const [from, to] of dayFiles) renameSync(to, from);
  const dayMs = run('daily run', bin, ['build', '-q', '--vars', `{ds: ${lastDay}}`]);
  const slow = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')).results.sort((a, b) => b.execution_time - a.execution_time).slice(0, 5);
  console.log(`full build (${rows.toLocaleString('en')} landed rows): ${(fullMs / 1000).toFixed(1)} s`);
  console.log(`daily run, one more day:  ${(dayMs / 1000).toFixed(1)} s = ${((dayMs / fullMs) * 100).toFixed(1)} % of the full build (target: ≤ 5 %)`);
  console.log(`daily run, slowest nodes: ${slow.map((r) => `${r.unique_id.split('.').pop()} ${r.execution_time.toFixed(2)} s`).join(', ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
