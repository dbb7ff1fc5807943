#!/usr/bin/env node
// Measures what a template pays to read a large `run_query` result, as packages read one (dbt-utils'
// get_column_values, elementary, dbt-expectations): a model runs `run_query` over 100,000 rows × 5 columns
// (an integer, text, a timestamp, a date, a double) of a real DuckDB file and iterates it the common ways
// (`for row in result.rows`, `row['name']`, `row[0]`, `result.columns[0].values()`, `result.rows | length`).
// Each run is a fresh process that times, in this order: the DuckDB driver alone fetching the same rows as
// objects (the baseline), Strata's connection fetching them (`connection.query`), and the model's render
// (the query, the agate table and the template's loops), then a render that reads one column's values only
// (dbt-utils' get_column_values). With --baseline <checkout> (another checkout of
// Strata, built), its figures are measured interleaved with this one's, run for run.
// Usage: node bench/run-query.mjs [--rows 100000] [--reps 5] [--baseline /path/to/checkout]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const SQL = 'select * from wide order by id';

/** The model: what packages do with a result, every common way once. */
const MODEL = `{%- set result = run_query(${JSON.stringify(SQL).replace(/"/g, "'")}) -%}
{%- if execute -%}
{%- set ns = namespace(ids=0, chars=0, years=0, amount=0) -%}
{%- for row in result.rows -%}
  {%- set ns.ids = ns.ids + row[0] -%}
  {%- set ns.chars = ns.chars + row['name'] | length -%}
  {%- set ns.amount = ns.amount + row.amount -%}
{%- endfor -%}
{%- set firsts = result.columns[0].values() -%}
{%- set days = result.columns['day'].values() -%}
select {{ result.rows | length }} as n, {{ ns.ids }} as ids, {{ ns.chars }} as chars, {{ firsts | length }} as firsts, '{{ days[-1] }}' as last_day, '{{ result.rows[-1]['at'] }}' as last_at
{%- endif -%}`;

/** The same result read only as dbt-utils' get_column_values reads it: one column's values. */
const ONE_COLUMN = `{%- set result = run_query(${JSON.stringify(SQL).replace(/"/g, "'")}) -%}
{%- if execute -%}select {{ result.columns[0].values() | length }} as n{%- endif -%}`;

async function worker(root, dir) {
  const require = createRequire(join(root, 'package.json'));
  const { DuckDBInstance } = require('@duckdb/node-api');
  const { duckdbAdapter } = await import(pathToFileURL(join(root, 'dist/adapters/duckdb/duckdb-adapter.js')).href);
  const { createTemplateEngine } = await import(pathToFileURL(join(root, 'dist/templating/index.js')).href);
  const db = join(dir, 'bench.duckdb');
  const cpu = {};
  const time = async (fn, name) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = await fn();
    const c = process.cpuUsage(c0);
    if (name) cpu[name] = (c.user + c.system) / 1000;
    return [performance.now() - t0, out];
  };
  // The baseline: the driver alone, rows as objects, nothing converted.
  const instance = await DuckDBInstance.create(db);
  const raw = await instance.connect();
  const [driver, rows] = await time(async () => (await raw.runAndReadAll(SQL)).getRowObjects());
  raw.closeSync();
  instance.closeSync();
  const target = { type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { path: db } };
  const warehouse = await duckdbAdapter.open(target, { projectRoot: dir });
  const conn = await warehouse.connect();
  const [connection] = await time(() => conn.query(SQL), 'connectionCpu');
  const engine = createTemplateEngine({ projectName: 'bench', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {}, macroFiles: [] });
  const node = { uniqueId: 'model.bench.m', name: 'm', resourceType: 'model', packageName: 'bench', file: 'models/m.sql', fqn: ['bench', 'm'], config: { materialized: 'view' } };
  const ctx = {
    thisRelation: { schema: 'main', identifier: 'm' },
    renderRelation: (r) => `"${r.schema}"."${r.identifier}"`,
    quoteIdentifier: (n) => `"${n}"`,
    resolveRef: (r) => ({ schema: 'main', identifier: r.name }),
    resolveSource: (s, t) => ({ schema: s, identifier: t }),
    isIncremental: false,
    fullRefresh: false,
    warehouse: { query: (sql) => conn.query(sql), getColumns: async () => [], relationExists: async () => true },
  };
  const [render, sql] = await time(() => engine.runRender(node, MODEL, ctx), 'renderCpu');
  const [column] = await time(() => engine.runRender(node, ONE_COLUMN, ctx), 'columnCpu');
  await warehouse.close();
  console.log(JSON.stringify({ driver, connection, render, column, ...cpu, rows: rows.length, sql: String(sql).trim() }));
}

function createTable(dir, rows) {
  const require = createRequire(join(here, 'package.json'));
  const { DuckDBInstance } = require('@duckdb/node-api');
  return DuckDBInstance.create(join(dir, 'bench.duckdb')).then(async (instance) => {
    const c = await instance.connect();
    await c.run(`create table wide as select i as id, 'name ' || i as name, timestamp '2024-01-01 00:00:00' + to_seconds(i) as at, date '2000-01-01' + cast(i % 9000 as integer) as day, i / 7.0::double as amount from range(${rows}) t(i)`);
    c.closeSync();
    instance.closeSync();
  });
}

async function main() {
  const rows = Number(arg('--rows', 100000));
  const reps = Number(arg('--reps', 5));
  const baseline = arg('--baseline');
  const dir = mkdtempSync(join(tmpdir(), 'strata-run-query-'));
  writeFileSync(join(dir, 'm.sql'), MODEL);
  await createTable(dir, rows);
  const checkouts = [['this checkout', here], ...(baseline ? [['baseline', baseline]] : [])];
  const runs = new Map(checkouts.map(([name]) => [name, []]));
  for (let i = 0; i < reps; i++) {
    for (const [name, root] of checkouts) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', root, dir], { encoding: 'utf8' });
      runs.get(name).push({ ...JSON.parse(out.trim().split('\n').pop()), load: loadavg()[0] });
    }
  }
  const best = (xs, k) => Math.min(...xs.map((x) => x[k]));
  const median = (xs, k) => [...xs.map((x) => x[k])].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (xs, k) => `${best(xs, k).toFixed(0)} ms (median ${median(xs, k).toFixed(0)})${xs[0][k + 'Cpu'] === undefined ? '' : `, CPU ${best(xs, k + 'Cpu').toFixed(0)} ms`}`;
  console.log(`node ${process.version}, ${rows.toLocaleString('en')} rows × 5 columns, ${reps} runs each, best (median); load average ${Math.min(...[...runs.values()].flat().map((r) => r.load)).toFixed(1)}–${Math.max(...[...runs.values()].flat().map((r) => r.load)).toFixed(1)} on ${cpus().length} cores`);
  console.log('| checkout | DuckDB driver fetch (baseline) | Strata connection.query | render: run_query and every loop | render ÷ driver fetch | render: run_query, one column\'s values |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, xs] of runs) console.log(`| ${name} | ${fmt(xs, 'driver')} | ${fmt(xs, 'connection')} | ${fmt(xs, 'render')} | ${(best(xs, 'render') / best(xs, 'driver')).toFixed(1)}× | ${fmt(xs, 'column')} |`);
  const sqls = new Set([...runs.values()].flat().map((r) => r.sql));
  console.log(`rendered: ${[...sqls].join(' / ')}`);
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--worker') await worker(process.argv[3], process.argv[4]);
else await main();
