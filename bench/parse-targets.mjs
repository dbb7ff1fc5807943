#!/usr/bin/env node
// Issue #19's parse targets on the realistic 10,000-model project (bench/generate-project.mjs --realistic),
// each step in a fresh process, interleaved across builds so all see the same machine:
//   cold parse      in-process time of the parse with no cache (bench/measure.mjs parse --cold), the CPU
//                   time of the process (user + system, all threads: what the machine spent, whatever its
//                   load), and its peak memory as /usr/bin/time -v reports it (Maximum resident set size)
//   cold ls         `strata ls` with no cache, whole process (wall clock, peak memory)
//   warm after ls   the `strata parse` that follows that cold ls: its parse phase (perf_info.json's
//                   load_all_elapsed, as dbt reports it) and the whole process (Node's start, manifest.json)
//   full compile    into an empty target/compiled (bench/measure.mjs compile --fresh), in-process
// Builds: this checkout; `--baseline DIR` another build of Strata (a checkout with dist/); `--serial` this
// checkout again with parse workers off (STRATA_PARSE_WORKERS=0), to show what parallel parsing gives.
// The load average is printed before every run. Usage:
//   node bench/parse-targets.mjs [--models 10000] [--runs 3] [--baseline DIR] [--serial] [--no-compile]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : d);
const models = Number(arg('--models', 10000));
const runs = Number(arg('--runs', 3));
const withCompile = !process.argv.includes('--no-compile');
const builds = { strata: { root: join(here, '..'), env: {} } };
if (process.argv.includes('--serial')) builds['strata, serial parse'] = { root: join(here, '..'), env: { STRATA_PARSE_WORKERS: '0' } };
if (arg('--baseline')) builds.baseline = { root: arg('--baseline'), env: {} };
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) console.log('(no /usr/bin/time: peak memory from the process itself)');

const base = mkdtempSync(join(tmpdir(), 'strata-parse-bench-'));
generateProject(join(base, 'project'), { models, realistic: true });
const dirs = Object.fromEntries(Object.keys(builds).map((b, i) => [b, join(base, `p${i}`)]));
for (const d of Object.values(dirs)) cpSync(join(base, 'project'), d, { recursive: true });
const CACHES = ['partial_parse.strata.json', 'graph_snapshot.strata.json', 'graph_snapshot_body.strata.json'];
const dropCaches = (dir) => CACHES.forEach((f) => rmSync(join(dir, 'target', f), { force: true }));

/** Runs node with args under /usr/bin/time -v: wall ms, peak RSS in MB, stdout. */
function timed(b, args) {
  const env = { ...process.env, ...builds[b].env };
  const t0 = performance.now();
  const r = existsSync(TIME) ? spawnSync(TIME, ['-v', process.execPath, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 28 }) : spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const cpu = ['User', 'System'].map((k) => Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN));
  return { wall: Math.round(wall), rssMb: rss ? Math.round(Number(rss[1]) / 1024) : undefined, cpuMs: Math.round((cpu[0] + cpu[1]) * 1000), sysMs: Math.round(cpu[1] * 1000), out: r.stdout };
}
const measure = (b, ...args) => {
  const t = timed(b, [join(builds[b].root, 'bench', 'measure.mjs'), ...args]);
  const m = JSON.parse(t.out.trim().split('\n').pop());
  return { ms: m.ms, rssMb: t.rssMb ?? m.rssMb, cpuMs: t.cpuMs, sysMs: t.sysMs };
};
const cli = (b, ...args) => timed(b, [join(builds[b].root, 'bin', 'strata.js'), ...args, '--project-dir', dirs[b], '--profiles-dir', dirs[b]]);

const steps = ['coldParse', 'coldParseCpu', 'coldParseRss', 'coldLs', 'coldLsRss', 'warmParsePhase', 'warmParseProcess', 'compile', 'compileCpu', 'compileSys'];
const times = Object.fromEntries(Object.keys(builds).map((b) => [b, Object.fromEntries(steps.map((s) => [s, []]))]));
const loads = [];
for (let i = 0; i < runs; i++) {
  const order = i % 2 ? Object.keys(builds).reverse() : Object.keys(builds);
  for (const b of order) {
    loads.push(loadavg()[0].toFixed(2));
    const t = times[b];
    const cold = measure(b, 'parse', dirs[b], '--cold');
    t.coldParse.push(cold.ms);
    t.coldParseRss.push(cold.rssMb);
    t.coldParseCpu.push(cold.cpuMs);
    dropCaches(dirs[b]);
    const ls = cli(b, 'ls', '--output', 'name');
    t.coldLs.push(ls.wall);
    t.coldLsRss.push(ls.rssMb);
    const parse = cli(b, 'parse');
    t.warmParseProcess.push(parse.wall);
    const perf = JSON.parse(readFileSync(join(dirs[b], 'target', 'perf_info.json'), 'utf8'));
    t.warmParsePhase.push(perf.used_graph_snapshot ? Math.round(perf.load_all_elapsed * 1000) : NaN);
    if (!perf.used_graph_snapshot) console.log(`${b}: the parse after a cold ls did not use the graph snapshot (rendered ${perf.parsed_path_count - perf.static_analysis_path_count}, from the render cache ${perf.cached_path_count})`);
    if (withCompile) {
      const c = measure(b, 'compile', dirs[b], '--fresh');
      t.compile.push(c.ms);
      t.compileCpu.push(c.cpuMs);
      t.compileSys.push(c.sysMs);
    }
  }
}

const sorted = (xs) => [...xs].filter((x) => x !== undefined).sort((a, b) => a - b);
const fmt = (xs, unit = 'ms') => {
  const s = sorted(xs);
  if (!s.length) return '–';
  if (s.some(Number.isNaN)) return `not warm (${s.filter((x) => !Number.isNaN(x)).length}/${s.length} runs)`;
  return `${s[0]} ${unit} (median ${s[Math.floor(s.length / 2)]})`;
};
const maxOf = (xs) => (sorted(xs).length ? `${sorted(xs).pop()} MB` : '–');
console.log(`realistic project: ${models} models, ${runs} interleaved runs per build; load average (1 min) before each: ${loads.join(', ')}`);
console.log('best (median) of the runs; peak memory is the largest of the runs');
console.log('| build | cold parse (target ≤ 3 s) | CPU time of that process (all threads) | peak memory, cold parse (≤ 1 GB) | cold `ls`, whole process | peak memory, cold `ls` | warm parse after that `ls`: parse phase (≤ 0.3 s) | the same `strata parse`, whole process | full compile (≤ 4 s) | CPU time of that process (of which system) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const [b, t] of Object.entries(times)) {
  console.log(`| ${b} | ${fmt(t.coldParse)} | ${fmt(t.coldParseCpu)} | ${maxOf(t.coldParseRss)} | ${fmt(t.coldLs)} | ${maxOf(t.coldLsRss)} | ${fmt(t.warmParsePhase)} | ${fmt(t.warmParseProcess)} | ${withCompile ? fmt(t.compile) : '–'} | ${withCompile ? `${fmt(t.compileCpu)} (${fmt(t.compileSys)})` : '–'} |`);
}
rmSync(base, { recursive: true, force: true });
