// What DuckDB's checkpoints rewrote during a run, table by table: the column segments of the database file
// after the run that were not in the file before it (same block, offset and row count), counted in values
// (rows × columns). Deterministic, unlike timings: it shows which tables make a daily run's checkpoint cost
// what it costs (a new row group per insert, row groups merged after deletes, blocks with updated rows).
import { createRequire } from 'node:module';

const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');

/** `[{ table, values, rowGroups, totalValues }]`, most rewritten first; both files are opened read-only. */
export async function checkpointRewrites(beforeFile, afterFile) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`attach '${beforeFile.replace(/'/g, "''")}' as before_run (read_only)`);
    await c.run(`attach '${afterFile.replace(/'/g, "''")}' as after_run (read_only)`);
    const tables = (await c.runAndReadAll("select schema_name || '.' || table_name from duckdb_tables() where database_name = 'after_run'")).getRows().map((r) => String(r[0]));
    const out = [];
    for (const t of tables) {
      const segments = (db) => `select row_group_id, column_name, block_id, block_offset, count from pragma_storage_info('${db}.${t}') where segment_type <> 'VALIDITY'`;
      const known = Number((await c.runAndReadAll(`select count(*) from duckdb_tables() where database_name = 'before_run' and schema_name || '.' || table_name = '${t}'`)).getRows()[0][0]) > 0;
      const rewritten = known
        ? `select * from (${segments('after_run')}) as a where not exists (select 1 from (${segments('before_run')}) as b where a.block_id = b.block_id and a.block_offset = b.block_offset and a.column_name = b.column_name and a.count = b.count)`
        : segments('after_run');
      const [values, rowGroups] = (await c.runAndReadAll(`select coalesce(sum(count), 0), count(distinct row_group_id) from (${rewritten})`)).getRows()[0].map(Number);
      const totalValues = Number((await c.runAndReadAll(`select coalesce(sum(count), 0) from (${segments('after_run')})`)).getRows()[0][0]);
      if (values > 0) out.push({ table: t, values, rowGroups, totalValues });
    }
    return out.sort((a, b) => b.values - a.values);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** One line: the total and the tables that make most of it. */
export function describeRewrites(rewrites, top = 6) {
  const total = rewrites.reduce((n, r) => n + r.values, 0);
  const m = (v) => `${(v / 1e6).toFixed(2)} M`;
  return `DuckDB's checkpoints rewrote ${m(total)} values: ${rewrites.slice(0, top).map((r) => `${r.table} ${m(r.values)} (${r.rowGroups} row group${r.rowGroups === 1 ? '' : 's'})`).join(', ')}`;
}
