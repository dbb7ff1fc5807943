#!/usr/bin/env node
// What Strata adds to a build: `strata run` of a realistic 1,000-model DuckDB project (views, tables and
// incrementals over 50 landing tables of 2,000 rows) against the very same compiled SQL executed directly
// (`create or replace table|view … as <compiled_code>` in graph order on one connection, by bench/direct-sql.mjs in a
// Node process of its own), in the same run: both whole processes, timed alike.
// Each build starts from a fresh copy of one database file holding only the landing tables; the project's
// parse and template caches are warm (a developer's loop), so Strata's time is the whole process as a user waits for it.
// Runs are interleaved (each Strata run followed by a run of the raw SQL: a pair) and the best of --runs is kept,
// for wall clock and, less sensitive to a busy machine, CPU time (user + system, all threads); the median of the
// pairs' ratios is printed too, as it is less sensitive to a machine whose speed drifts between runs;
// `--baseline DIR` (a checkout with dist/) adds another Strata build measured in the same rounds.
// Usage: node bench/build-overhead.mjs [--models 1000] [--runs 3] [--threads 1,4] [--baseline DIR] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateProject } from './generate-project.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k, d) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : d);
const models = Number(arg('--models', 1000));
const runs = Number(arg('--runs', 3));
const threadCounts = String(arg('--threads', '1,4')).split(',').map(Number);
const builds = { strata: join(here, '..'), ...(arg('--baseline') ? { baseline: arg('--baseline') } : {}) };
const base = mkdtempSync(join(tmpdir(), 'strata-build-bench-'));
const LANDING_TABLES = 50;
const LANDING_ROWS = 2000;
const load = () => loadavg()[0].toFixed(1);

/** The landing tables every build reads (the generator's `source('raw', 't_N')`), in one template file. */
async function writeLandingFile(path) {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run('create schema if not exists raw');
  for (let i = 0; i < LANDING_TABLES; i++) {
    await c.run(`create table raw.t_${i} as select range + 1 as id, (range * ${37 + i}) % 100000 as amount, 'Label ' || (range % 97) as label, timestamp '2026-01-01' + to_minutes(range * ${i + 1}) as updated_at from range(${LANDING_ROWS})`);
  }
  await c.run('checkpoint');
  c.closeSync();
  instance.closeSync();
}

/** Nodes Strata built, in graph order, as `create or replace` statements of their compiled SQL. */
function directStatements(manifestPath) {
  const { nodes } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const built = Object.values(nodes).filter((n) => n.resource_type === 'model' && n.config.materialized !== 'ephemeral');
  if (built.some((n) => n.compiled_code == null)) throw new Error('manifest.json lacks compiled_code for some models: did the run fail?');
  const byId = new Map(built.map((n) => [n.unique_id, n]));
  const done = new Set();
  const out = [];
  const visit = (n) => {
    if (done.has(n.unique_id)) return;
    done.add(n.unique_id);
    for (const p of n.depends_on.nodes) if (byId.has(p)) visit(byId.get(p));
    out.push(`create or replace ${n.config.materialized === 'view' ? 'view' : 'table'} ${n.relation_name} as ${n.compiled_code}`);
  };
  for (const n of built) visit(n);
  return out;
}

/**
 * The same statements run by bench/direct-sql.mjs in its own process on a fresh copy of the landing file: the whole
 * process timed as Strata's is (wall clock; CPU time and peak RSS from /usr/bin/time), and its in-process part.
 */
function runDirect(template, statementsFile) {
  const dir = join(base, 'direct');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  // Same file name as Strata's, so a catalog-qualified relation_name resolves the same way.
  const db = join(dir, 'bench.duckdb');
  copyFileSync(template, db);
  return timedProcess([join(here, 'direct-sql.mjs'), db, statementsFile], 'direct SQL', (out) => ({ inProcessMs: JSON.parse(out.trim().split('\n').pop()).inProcessMs }));
}

/** A Node process, timed: wall clock, and CPU time (user + system, all threads) and peak RSS from /usr/bin/time. */
function timedProcess(argv, what, extra = () => ({})) {
  const timed = existsSync('/usr/bin/time');
  const rssFile = join(base, 'rss.txt');
  const t0 = performance.now();
  const r = timed ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...argv], { encoding: 'utf8' }) : spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${what} failed with ${r.status}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  const [kb, user, sys] = timed ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { ms, rssMb: timed ? Math.round(kb / 1024) : undefined, cpuMs: timed ? (user + sys) * 1000 : undefined, ...extra(r.stdout) };
}

/** One `strata run` in a fresh copy of the landing file, timed as a user waits for it. */
function runStrata(build, dir, template, threads) {
  rmSync(join(dir, 'target', 'bench.duckdb'), { force: true });
  rmSync(join(dir, 'target', 'bench.duckdb.wal'), { force: true });
  copyFileSync(template, join(dir, 'target', 'bench.duckdb'));
  return timedProcess([join(builds[build], 'bin', 'strata.js'), 'run', '--project-dir', dir, '--profiles-dir', dir, '--threads', String(threads)], `strata run (${build}, ${threads} threads)`);
}

const project = join(base, 'project');
const shape = generateProject(project, { models, realistic: true });
const template = join(base, 'landing.duckdb');
await writeLandingFile(template);
const dirs = {};
for (const b of Object.keys(builds)) {
  dirs[b] = join(base, b);
  cpSync(project, dirs[b], { recursive: true });
  mkdirSync(join(dirs[b], 'target'), { recursive: true });
  // Warm the parse cache, as a developer's next command finds it, and the compiled templates' caches (the code, then
  // V8's bytecode of it: two commands that render), as the next run after a compile or a run finds them.
  execFileSync(process.execPath, [join(builds[b], 'bin', 'strata.js'), 'parse', '--project-dir', dirs[b], '--profiles-dir', dirs[b]], { stdio: 'ignore' });
  for (let i = 0; i < 2; i++) execFileSync(process.execPath, [join(builds[b], 'bin', 'strata.js'), 'compile', '--project-dir', dirs[b], '--profiles-dir', dirs[b]], { stdio: 'ignore' });
}
const kinds = {};
console.log(`project: ${shape.models} models (${shape.bronze} bronze views, ${shape.silver} silver, ${shape.gold} gold) over ${LANDING_TABLES} landing tables of ${LANDING_ROWS} rows; ${runs} interleaved rounds, best kept`);

let statements;
const statementsFile = join(base, 'statements.json');
const times = { direct: [] };
for (const b of Object.keys(builds)) for (const t of threadCounts) times[`${b}:${t}`] = [];
for (let round = 0; round < runs; round++) {
  const order = round % 2 ? Object.keys(builds).reverse() : Object.keys(builds);
  for (const b of order) {
    for (const t of threadCounts) {
      const r = runStrata(b, dirs[b], template, t);
      if (!statements) {
        statements = directStatements(join(dirs[b], 'target', 'manifest.json'));
        writeFileSync(statementsFile, JSON.stringify(statements));
        for (const st of statements) {
          const k = st.startsWith('create or replace view') ? 'views' : 'tables';
          kinds[k] = (kinds[k] ?? 0) + 1;
        }
      }
      // Each Strata run is paired with a direct run right after it: the pair saw the same machine.
      const d = { ...runDirect(template, statementsFile), load: load() };
      times.direct.push(d);
      times[`${b}:${t}`].push({ ...r, load: d.load, pairRatio: r.ms / d.ms });
    }
  }
}
const median = (xs) => {
  const o = [...xs].sort((a, b) => a - b);
  return o.length % 2 ? o[(o.length - 1) / 2] : (o[o.length / 2 - 1] + o[o.length / 2]) / 2;
};
const best = (xs, key = 'ms') => xs.reduce((a, b) => (b[key] < a[key] ? b : a));
const direct = best(times.direct);
const directCpu = best(times.direct, 'cpuMs').cpuMs;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const directIn = best(times.direct, 'inProcessMs').inProcessMs;
console.log(`direct SQL: ${statements.length} statements (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}) on one connection, in a Node process of their own; best ${s(direct.ms)} (load ${direct.load}), CPU ${s(directCpu)}; open to close inside the process ${s(directIn)}; all: ${times.direct.map((x) => s(x.ms)).join(', ')}`);
console.log('\nBoth sides are whole processes, as a user waits for them (the last column compares with the direct run\'s open-to-close time alone, without starting Node and loading the driver).');
console.log('\n| build | threads | strata run (best) | direct SQL (best) | ratio of bests | median ratio of pairs | CPU time: strata / direct | peak RSS | load avg | all strata runs | ratio to open-to-close |\n|---|---|---|---|---|---|---|---|---|---|---|');
for (const b of Object.keys(builds)) {
  for (const t of threadCounts) {
    const xs = times[`${b}:${t}`];
    const x = best(xs);
    const cpu = xs[0].cpuMs === undefined ? '?' : `${s(best(xs, 'cpuMs').cpuMs)} / ${s(directCpu)} = ${(best(xs, 'cpuMs').cpuMs / directCpu).toFixed(2)}×`;
    console.log(`| ${b} | ${t} | ${s(x.ms)} | ${s(direct.ms)} | **${(x.ms / direct.ms).toFixed(2)}×** | ${median(xs.map((y) => y.pairRatio)).toFixed(2)}× (${xs.map((y) => y.pairRatio.toFixed(2)).join(', ')}) | ${cpu} | ${x.rssMb ?? '?'} MB | ${x.load} | ${xs.map((y) => s(y.ms)).join(', ')} | ${(x.ms / directIn).toFixed(2)}× |`);
  }
}
if (process.argv.includes('--keep')) console.log(`kept ${base}`);
else rmSync(base, { recursive: true, force: true });
