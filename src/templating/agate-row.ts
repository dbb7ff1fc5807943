import { NAMED, splitKw, tuple } from './jinja/index.js';

/** A table's column names, and the index of each (its first column of that name), made once per table. */
interface RowSchema {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

const SCHEMA = Symbol('agate.row.schema');

/**
 * agate's Row is a MappedSequence: a tuple read by index, by column name (`row['name']`, `row.name`), with
 * dict-like `items()`, `keys()`, `values()`, `get(name)` (elementary's agate_to_dicts). Every member lives on
 * the prototype, shared by the rows of one table: a row is its values and nothing else.
 */
class AgateRow extends Array<unknown> {
  declare readonly [SCHEMA]: RowSchema;
}

type Method = (row: AgateRow, schema: RowSchema) => (...args: unknown[]) => unknown;
const METHODS: Record<string, Method> = {
  items: (row, s) => () => s.names.map((n) => tuple([n, row[s.index.get(n)!]])),
  keys: (_row, s) => () => [...s.names],
  values: (row) => () => [...row],
  get: (row, s) => (...args) => {
    const { pos, kw } = splitKw(args);
    const i = typeof pos[0] === 'string' ? s.index.get(pos[0]) : undefined;
    return i !== undefined ? row[i] : pos.length > 1 ? pos[1] : (kw.default ?? null);
  },
};

/** `row.name`: the column of that name first (a column named `items` keeps its value), then agate's methods. */
function namedMember(this: unknown[], name: string): unknown {
  const schema = (this as AgateRow)[SCHEMA];
  const i = schema.index.get(name);
  if (i !== undefined) return this[i];
  return Object.prototype.hasOwnProperty.call(METHODS, name) ? METHODS[name]!(this as AgateRow, schema) : undefined;
}

Object.defineProperty(AgateRow.prototype, NAMED, { value: namedMember });
// Every row prints and slices as a tuple: `(1, 'a')`.
tuple(AgateRow.prototype as unknown as unknown[]);

/** The rows of a table from its columns' values (each `columns[j][i]` the value of column `j` in row `i`). */
export function rowsOf(names: readonly string[], columns: readonly (readonly unknown[])[], count: number): unknown[] {
  const index = new Map<string, number>();
  names.forEach((n, i) => index.has(n) || index.set(n, i));
  const schema: RowSchema = { names, index };
  class TableRow extends AgateRow {}
  Object.defineProperty(TableRow.prototype, SCHEMA, { value: schema });
  const width = names.length;
  const rows = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    const row = new TableRow(width);
    for (let j = 0; j < width; j++) row[j] = columns[j]![i];
    rows[i] = row;
  }
  return rows;
}
