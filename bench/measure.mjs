#!/usr/bin/env node
// One measurement in a fresh process: `node bench/measure.mjs <parse|compile> <dir> [--cold|--edit|--fresh]`.
//   parse --cold   no cache at all (partial-parse cache and graph snapshot removed)
//   parse          nothing changed since the last parse (graph snapshot)
//   parse --edit   one model's SQL edited since the last parse (partial parsing: only that file is rendered)
//   parse --read-all  nothing changed, and then every node is read (a snapshot's nodes are decoded when first read)
//   compile        renders every node; compiled files whose text is unchanged are not rewritten
//   compile --fresh  the same into an empty target/compiled: every file written
// Prints JSON: milliseconds of the step, node count, peak RSS in MB.
import { appendFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [step, dir] = process.argv.slice(2);
const flag = (f) => process.argv.includes(f);
const target = join(dir, 'target');
if (flag('--cold')) for (const f of ['partial_parse.strata.json', 'graph_snapshot.strata.json', 'graph_snapshot_body.strata.json']) rmSync(join(target, f), { force: true });
// Moved aside, not deleted: deleting 12,000 files keeps the disk busy into the measurement. run.js removes the folder.
if (flag('--fresh') && existsSync(join(target, 'compiled'))) renameSync(join(target, 'compiled'), join(target, `compiled.${process.pid}.old`));
if (flag('--edit')) {
  const folder = join(dir, 'models', 'silver', 'area_0');
  const model = readdirSync(folder).find((f) => f.endsWith('.sql'));
  appendFileSync(join(folder, model), `\n-- edited ${Date.now()}\n`);
}
const api = await import('../dist/api/index.js');
const t0 = performance.now();
let nodes = 0;
if (step === 'parse') {
  const out = await api.prepareProject({ projectDir: dir, profilesDir: dir });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics.slice(0, 3)));
  nodes = Object.keys(out.prepared.graph.manifest.nodes).length;
  if (flag('--read-all')) for (const node of Object.values(out.prepared.graph.manifest.nodes)) if (!node.config) throw new Error(`${node.uniqueId} has no config`);
} else if (step === 'compile') {
  const out = await api.compile({ projectDir: dir, profilesDir: dir, offline: true });
  if (out.exitCode !== 0) throw new Error(JSON.stringify(out.diagnostics.slice(0, 3)));
  nodes = out.compiled.size;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ step, ms: Math.round(ms), nodes, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
