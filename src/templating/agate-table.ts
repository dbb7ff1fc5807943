import type { QueryResult } from '../adapters/contract.js';

/** A query result shaped like dbt's agate table: `table.rows[0][0]`, `table.columns[0].values()`, `row['name']`. */
export function agateTable(result: QueryResult): Record<string, unknown> {
  const names = result.columns.map((c) => c.name);
  const rows = result.rows.map((r) => {
    const values = names.map((n) => normalise(r[n]));
    const row: Record<string | number, unknown> & unknown[] = Object.assign([...values], Object.fromEntries(names.map((n, i) => [n, values[i]])));
    return row;
  });
  const columns = names.map((name, i) => ({ name, values: () => rows.map((r) => r[i]), data_type: result.columns[i]?.dataType }));
  return {
    rows,
    columns,
    column_names: names,
    length: rows.length,
    print_table: () => '',
    toString: () => `<table of ${rows.length} rows>`,
  };
}

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}
