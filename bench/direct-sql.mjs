#!/usr/bin/env node
// The baseline of bench/build-overhead.mjs: a plain Node script executing a list of statements in order on one
// connection of DuckDB's own driver, as a user would without Strata. It is started as its own process, as Strata is,
// so both are timed alike (process start, driver load, open, statements, close with its checkpoint); it prints the
// time from opening the database to closing it, measured inside the process.
//   node bench/direct-sql.mjs <database file> <statements.json>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

// Loaded with require, as Strata loads it: an ESM import of this CommonJS package takes ~100 ms longer.
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

const [db, file] = process.argv.slice(2);
const statements = JSON.parse(readFileSync(file, 'utf8'));
const t0 = performance.now();
const instance = await DuckDBInstance.create(db);
const c = await instance.connect();
for (const s of statements) await c.run(s);
c.closeSync();
instance.closeSync();
console.log(JSON.stringify({ inProcessMs: performance.now() - t0 }));
