import type { QueryResult } from '../adapters/contract.js';
import { splitKw, tuple } from './jinja/index.js';
import { warehouseDateTime } from './python-datetime.js';
import { rowsOf } from './agate-row.js';

/** One column of a result: `column.name`, `column.values()`, `column.data_type`. */
class AgateColumn {
  constructor(
    readonly name: string,
    private readonly cells: () => unknown[],
    readonly data_type: string | undefined,
  ) {}
  values(): unknown[] {
    return tuple([...this.cells()]);
  }
  // A column is agate's MappedSequence of its values: iterated, indexed, counted, searched.
  [Symbol.iterator](): Iterator<unknown> {
    return this.values()[Symbol.iterator]();
  }
  __getitem__(i: unknown): unknown {
    const cells = this.cells();
    const n = Number(i);
    return cells[n < 0 ? cells.length + n : n];
  }
  __len__(): number {
    return this.cells().length;
  }
  __contains__(v: unknown): boolean {
    return this.cells().includes(v);
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

/**
 * A result's values column by column, each converted once, on first use, by a conversion chosen once for its
 * type: a table whose rows are never read (`run_query(…).columns[0].values()`) converts one column.
 */
class ResultColumns {
  private readonly converted: (unknown[] | undefined)[];
  constructor(
    private readonly result: QueryResult,
  ) {
    this.converted = result.columns.map(() => undefined);
  }
  get count(): number {
    return this.result.rows.length;
  }
  cells(j: number): unknown[] {
    return (this.converted[j] ??= convertColumn(this.result.rows, this.result.columns[j]!.name, this.result.columns[j]!.dataType));
  }
  all(): unknown[][] {
    return this.converted.map((_, j) => this.cells(j));
  }
}

/** A query result shaped like dbt's agate table: `table.rows[0][0]`, `table.columns[0].values()`, `row['name']`, `table.columns.items()`. */
export function agateTable(result: QueryResult): Record<string, unknown> {
  return tableOf(result.columns.map((c) => c.name), result.columns.map((c) => c.dataType), new ResultColumns(result));
}

function tableOf(names: string[], types: (string | undefined)[], data: ResultColumns): Record<string, unknown> {
  let rows: unknown[] | undefined;
  const allRows = (): unknown[] => (rows ??= rowsOf(names, data.all(), data.count));
  const columns = names.map((name, j) => new AgateColumn(name, () => data.cells(j), types[j]));
  return {
    // Built when first read: the column reads above never build them.
    get rows(): unknown[] {
      return allRows();
    },
    columns: new MappedColumns(columns),
    column_names: tuple([...names]),
    column_types: tuple([...types]),
    // agate's rename(column_names): a mapping of old names to new ones, or the new names in order.
    rename: (...args: unknown[]) => {
      const { pos, kw } = splitKw(args);
      const given = kw.column_names ?? pos[0];
      const renamed = Array.isArray(given) ? names.map((n, i) => String(given[i] ?? n)) : given && typeof given === 'object' ? names.map((n) => String((given as Record<string, unknown>)[n] ?? n)) : names;
      return tableOf(renamed, types, data);
    },
    length: data.count,
    // `{% for row in run_query(…) %}` iterates the rows, as agate's Table does.
    [Symbol.iterator]: () => allRows()[Symbol.iterator](),
    __len__: () => data.count,
    print_table: () => '',
    toString: () => `<agate.Table of ${data.count} rows>`,
  };
}

/**
 * One column's values as agate holds them: numbers, and dates and timestamps as Python's date / datetime (with
 * strftime). Only a column whose type names a date or a time has its cells looked at as dates; its equal
 * values share one object (immutable, as Python's), made once.
 */
function convertColumn(rows: Record<string, unknown>[], name: string, dataType: string | undefined): unknown[] {
  const out = new Array<unknown>(rows.length);
  if (dataType !== undefined && /DATE|TIME/i.test(dataType)) {
    const seen = new DateCache();
    for (let i = 0; i < rows.length; i++) out[i] = seen.convert(rows[i]![name], dataType);
    return out;
  }
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![name];
    out[i] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

/** Converted date / time values by their text, while that pays: a column of mostly distinct values stops caching. */
class DateCache {
  private cache: Map<string, unknown> | undefined = new Map();
  private looked = 0;
  private hits = 0;
  convert(v: unknown, dataType: string): unknown {
    if (typeof v !== 'string' || !this.cache) return warehouseDateTime(v, dataType) ?? v;
    if (++this.looked === 4096 && this.hits < this.looked / 2) this.cache = undefined;
    const known = this.cache?.get(v);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    const made = warehouseDateTime(v, dataType) ?? v;
    this.cache?.set(v, made);
    return made;
  }
}
