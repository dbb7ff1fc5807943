#!/usr/bin/env node
// How many rows DuckDB's checkpoint rewrites, day after day, in a table that gets one appended row group a day
// (a landed file, a merge's new rows). A model of DuckDB 1.5's vacuum rule, written from its description in
// DuckDB's source (RowGroupCollection::ScheduleVacuumTasks), not a copy of it: at each checkpoint, from each row
// group in turn, the longest run of following row groups that fits into 1, 2 or 3 full row groups (122,880 rows
// each) is merged when that lowers the count of row groups; a run that reaches the end of the table is merged
// only once it holds twice the first group's rows (or a full group). It starts from the row groups of a real
// table (read from a DuckDB file, opened read-only) and grows it by ~1 % a day, the cost-of-a-day benchmark's
// growth, and compares: one table as today, one table per month, merges one day in 7 only, and no merging
// at all (one row group a day kept as it is). Its first days match what DuckDB's own log showed after the benchmark's full build
// (docs/benchmarks.md, "Cost of a day", stop 18).
//
//   node bench/row-group-compaction.mjs <file.duckdb> [--days 365] [--table schema.name …]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const ROW_GROUP = 122880;
const VECTOR = 2048;

/** One checkpoint over the row-group sizes `groups`: the sizes after it, and the rows its merges rewrote. */
export function checkpoint(groups) {
  const after = [];
  let rewritten = 0;
  let i = 0;
  while (i < groups.length) {
    let merged = false;
    for (let target = 1; target <= 3 && !merged; target++) {
      let rows = 0;
      let j = i;
      while (j < groups.length && rows + groups[j] <= target * ROW_GROUP) rows += groups[j++];
      if (j === groups.length && rows >= VECTOR && rows < Math.min(groups[i] * 2, ROW_GROUP) * target) continue;
      if (target < j - i) {
        rewritten += rows;
        for (let r = rows; r > 0; r -= ROW_GROUP) after.push(Math.min(r, ROW_GROUP));
        i = j;
        merged = true;
      }
    }
    if (!merged) after.push(groups[i++]);
  }
  return { after, rewritten };
}

/** Rows rewritten on each of `days` days, each adding one row group of `daily` rows; a new table every `restartEvery` days if set. */
export function simulate(start, daily, days, restartEvery) {
  let groups = [...start];
  const perDay = [];
  for (let d = 0; d < days; d++) {
    if (restartEvery && d % restartEvery === 0) groups = [];
    groups.push(daily);
    const { after, rewritten } = checkpoint(groups);
    groups = after;
    perDay.push(rewritten);
  }
  return perDay;
}

/** Rows written a day (new rows and merges) when the merges run one day in `every` (`max_vacuum_tasks: 0` on the others). */
export function writtenWithCompactionEvery(start, daily, days, every) {
  let groups = [...start];
  let written = 0;
  for (let d = 0; d < days; d++) {
    groups.push(daily);
    written += daily;
    if ((d + 1) % every === 0) {
      const { after, rewritten } = checkpoint(groups);
      groups = after;
      written += rewritten;
    }
  }
  return written / days;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { days: { type: 'string', default: '365' }, table: { type: 'string', multiple: true } } });
  if (!positionals[0]) {
    console.error('usage: node bench/row-group-compaction.mjs <file.duckdb> [--days 365] [--table schema.name …]');
    process.exit(2);
  }
  const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');
  const instance = await DuckDBInstance.create(positionals[0], { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const tables = values.table ?? ['bronze.raw_call_logs', 'bronze.raw_social_complaints', 'bronze.raw_web_complaints', 'silver.complaint_events', 'silver.complaints'];
  const days = Number(values.days);
  const k = (n) => `${Math.round(n / 1000)}k`;
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  for (const t of tables) {
    // Row-group sizes from the segments of one storage column: the first column's first path (a struct's
    // first field; a plain column's own path).
    const segments = `select * from pragma_storage_info('${t.replace(/'/g, "''")}') where column_id = 0 and segment_type <> 'VALIDITY'`;
    const sql = `with s as (${segments}) select sum(count) from s where column_path = (select min(column_path) from s) group by row_group_id order by row_group_id`;
    const start = (await c.runAndReadAll(sql)).getRows().map((r) => Number(r[0]));
    const daily = Math.round(start.reduce((a, b) => a + b, 0) / 100);
    const one = simulate(start, daily, days);
    const monthly = simulate(start, daily, days, 30);
    const weekly = writtenWithCompactionEvery(start, daily, days, 7) - daily;
    console.log(`${t}: ${start.length} row groups, +${k(daily)} rows a day; rewritten by merges: first 3 days ${one.slice(0, 3).map(k).join(', ')}; mean over ${days} days ${k(mean(one))} a day (largest ${k(Math.max(...one))}); one table per month ${k(mean(monthly))} a day; merges one day in 7 ${k(weekly)} a day; no merging 0 (the day's ${k(daily)} rows written once)`);
  }
  c.closeSync();
  instance.closeSync();
}
