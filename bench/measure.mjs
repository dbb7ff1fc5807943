#!/usr/bin/env node
// One measurement in a fresh process: `node bench/measure.mjs <parse|compile> <dir> [--cold]`.
// Prints JSON: milliseconds of the step, node count, peak RSS in MB.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [step, dir] = process.argv.slice(2);
if (process.argv.includes('--cold')) for (const f of ['partial_parse.strata.json', 'graph_snapshot.strata.json', 'graph_snapshot_body.strata.json']) rmSync(join(dir, 'target', f), { force: true });
const api = await import('../dist/api/index.js');
const t0 = performance.now();
let nodes = 0;
if (step === 'parse') {
  const out = await api.prepareProject({ projectDir: dir, profilesDir: dir });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics.slice(0, 3)));
  nodes = Object.keys(out.prepared.graph.manifest.nodes).length;
} else if (step === 'compile') {
  const out = await api.compile({ projectDir: dir, profilesDir: dir, offline: true });
  if (out.exitCode !== 0) throw new Error(JSON.stringify(out.diagnostics.slice(0, 3)));
  nodes = out.compiled.size;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ step, ms: Math.round(ms), nodes, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
