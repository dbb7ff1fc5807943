import type { QueryResult } from '../adapters/contract.js';
import { splitKw, tuple } from './jinja/index.js';
import { warehouseDateTime } from './python-datetime.js';

/** A result row as agate's: a tuple that is also read by column name (`row[0]`, `row['name']`, `row.name`). */
type Row = unknown[] & Record<string, unknown>;

/** One column of a result: `column.name`, `column.values()`, `column.data_type`. */
class AgateColumn {
  constructor(
    readonly name: string,
    private readonly rows: Row[],
    private readonly index: number,
    readonly data_type: string | undefined,
  ) {}
  values(): unknown[] {
    return tuple(this.rows.map((r) => r[this.index]));
  }
  // A column is agate's MappedSequence of its values: iterated, indexed, counted, searched.
  [Symbol.iterator](): Iterator<unknown> {
    return this.values()[Symbol.iterator]();
  }
  __getitem__(i: unknown): unknown {
    const n = Number(i);
    return this.rows[n < 0 ? this.rows.length + n : n]?.[this.index];
  }
  __len__(): number {
    return this.rows.length;
  }
  __contains__(v: unknown): boolean {
    return this.rows.some((r) => r[this.index] === v);
  }
  toString(): string {
    return `<agate.Column ${this.name}>`;
  }
}

/** agate's MappedSequence: iterates as a list, read by index or by name, with dict-like `items()`. */
class MappedColumns {
  constructor(private readonly columns: AgateColumn[]) {}
  [Symbol.iterator](): Iterator<AgateColumn> {
    return this.columns[Symbol.iterator]();
  }
  __getitem__(key: unknown): AgateColumn | undefined {
    return typeof key === 'number' ? this.columns[key < 0 ? this.columns.length + key : key] : this.columns.find((c) => c.name === key);
  }
  __len__(): number {
    return this.columns.length;
  }
  __contains__(key: unknown): boolean {
    return this.columns.some((c) => c.name === key);
  }
  keys(): string[] {
    return this.columns.map((c) => c.name);
  }
  values(): AgateColumn[] {
    return [...this.columns];
  }
  items(): unknown[] {
    return this.columns.map((c) => tuple([c.name, c]));
  }
  get(key: string, def: unknown = null): unknown {
    return this.__getitem__(key) ?? def;
  }
  toString(): string {
    return `<agate.MappedSequence ${this.keys().join(', ')}>`;
  }
}

/** A query result shaped like dbt's agate table: `table.rows[0][0]`, `table.columns[0].values()`, `row['name']`, `table.columns.items()`. */
export function agateTable(result: QueryResult): Record<string, unknown> {
  const names = result.columns.map((c) => c.name);
  const types = result.columns.map((c) => c.dataType);
  return tableOf(names, types, result.rows.map((r) => names.map((n, i) => normalise(r[n], types[i]))));
}

/** agate's Row is a MappedSequence too: `row.items()`, `keys()`, `values()`, `get(name)` (elementary's agate_to_dicts). */
function withRowMethods(row: Row, names: string[]): Row {
  const methods: Record<string, (...a: unknown[]) => unknown> = {
    items: () => names.map((n) => tuple([n, row[n]])),
    keys: () => [...names],
    values: () => [...row],
    get: (key: unknown, def: unknown = null) => (typeof key === 'string' && names.includes(key) ? row[key] : def),
  };
  // Own and hidden (the template engine reads a list's own attributes); a column of the same name keeps its value.
  for (const [k, fn] of Object.entries(methods)) if (!names.includes(k)) Object.defineProperty(row, k, { value: fn, enumerable: false });
  return row;
}

function tableOf(names: string[], types: (string | undefined)[], values: unknown[][]): Record<string, unknown> {
  const rows: Row[] = values.map((v) => withRowMethods(Object.assign(tuple([...v]), Object.fromEntries(names.map((n, i) => [n, v[i]]))) as Row, names));
  const columns = names.map((name, i) => new AgateColumn(name, rows, i, types[i]));
  return {
    rows,
    columns: new MappedColumns(columns),
    column_names: tuple([...names]),
    column_types: tuple([...types]),
    // agate's rename(column_names): a mapping of old names to new ones, or the new names in order.
    rename: (...args: unknown[]) => {
      const { pos, kw } = splitKw(args);
      const given = kw.column_names ?? pos[0];
      const renamed = Array.isArray(given) ? names.map((n, i) => String(given[i] ?? n)) : given && typeof given === 'object' ? names.map((n) => String((given as Record<string, unknown>)[n] ?? n)) : names;
      return tableOf(renamed, types, values);
    },
    length: rows.length,
    // `{% for row in run_query(…) %}` iterates the rows, as agate's Table does.
    [Symbol.iterator]: () => rows[Symbol.iterator](),
    __len__: () => rows.length,
    print_table: () => '',
    toString: () => `<agate.Table of ${rows.length} rows>`,
  };
}

/** As agate holds them: numbers, and dates and timestamps as Python's date / datetime (with strftime). */
function normalise(v: unknown, dataType: string | undefined): unknown {
  if (typeof v === 'bigint') return Number(v);
  return warehouseDateTime(v, dataType) ?? v;
}
