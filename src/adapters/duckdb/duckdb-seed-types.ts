import type { Connection } from '../contract.js';
import { duckdbDialect as d } from './duckdb-dialect.js';

/**
 * The types of a seed's columns on DuckDB, as dbt-duckdb gives them: dbt reads the file with agate's type
 * tester (the first of number, date, datetime, boolean, text that every value of a column fits, values
 * stripped of surrounding spaces; a column with no value is an integer) and names the types as dbt's SQL
 * adapters do — `integer` for a number column whose values are all whole (`10.00` is), `float8` (DOUBLE)
 * otherwise, `date`, `timestamp without time zone`, `boolean`, `text` — then copies the file into that
 * table. DuckDB's own sniffer would make an integer column BIGINT: a contract or a union written against
 * dbt's INTEGER then fails.
 *
 * Where dbt-duckdb's copy would fail (a whole number beyond INTEGER's range, a value `null` among numbers),
 * the column takes the next type that holds every value (BIGINT, HUGEINT, DOUBLE, else VARCHAR). Each
 * candidate is checked with the cast the load then uses (`cast(trim(value) as T)`), so the load cannot fail
 * on a type chosen here. Only an empty field is a null, as in dbt-duckdb's copy. `readCsvArgs` read the file
 * (all columns as text is added here); `skip` are columns whose type is given (`column_types`).
 * Returns every column of the file in order, with its type, VARCHAR for the skipped ones.
 */
export async function inferSeedTypes(c: Connection, readCsvArgs: string[], skip: ReadonlySet<string>): Promise<Map<string, string>> {
  const read = `read_csv(${[...readCsvArgs, 'all_varchar = true'].join(', ')})`;
  const columns = (await c.query(`select * from ${read} limit 0`)).columns.map((col) => col.name);
  const out = new Map(columns.map((name) => [name, 'VARCHAR']));
  const checked = columns.filter((name) => !skip.has(name));
  if (!checked.length) return out;
  // One row per non-null value (unpivot leaves nulls out: they fit every type), then per column whether all
  // its values fit each candidate. One query whatever the width; each value's casts run only when it has the shape.
  const fits = CANDIDATES.map((t, k) => `bool_and(${t.fits('t')}) as c${k}`);
  const values = `select name, trim(value) as t from (unpivot (select * from ${read}) on ${checked.map((n) => d.quoteIdentifier(n)).join(', ')} into name name value value)`;
  const rows = (await c.query(`select name, ${fits.join(', ')} from (${values}) group by name`)).rows;
  const found = new Map(rows.map((r) => [String(r.name), r]));
  for (const name of checked) {
    const row = found.get(name);
    // No value at all: an integer, as agate's tester makes it.
    out.set(name, row ? (CANDIDATES.find((_, k) => row[`c${k}`] === true)?.type ?? 'VARCHAR') : 'INTEGER');
  }
  return out;
}

/** A column's load expression: the text DuckDB read, cast to its type as the inference checked it. */
export function seedColumnSql(name: string, type: string, given: boolean): string {
  const q = d.quoteIdentifier(name);
  return given || type === 'VARCHAR' ? q : `cast(trim(${q}) as ${type}) as ${q}`;
}

// A whole number, also written with a point and zeros (`10.00`: agate's precision is 0, dbt's type integer).
const WHOLE = String.raw`[+-]?\d+(\.0*)?`;
const NUMBER = String.raw`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|(?i:nan|[+-]?inf(inity)?)`;
const DATE = String.raw`\d{4}-\d{1,2}-\d{1,2}`;
// agate's DateTime ("%Y-%m-%d %H:%M:%S") and ISODateTime (ISO 8601 with a T, optional fraction and offset).
const DATETIME = String.raw`\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}|\d{4}-\d{2}-\d{2}T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?`;

/** The value has the shape, and the load's cast takes it (checked only when the shape matches). */
const shaped = (pattern: string, type: string) => (v: string): string =>
  `case when regexp_full_match(${v}, ${d.quoteString(pattern)}) then try_cast(${v} as ${type}) is not null else false end`;

/** In agate's order, numbers first: the first type every value of a column fits is its type. */
const CANDIDATES: { type: string; fits: (v: string) => string }[] = [
  { type: 'INTEGER', fits: shaped(WHOLE, 'INTEGER') },
  { type: 'BIGINT', fits: shaped(WHOLE, 'BIGINT') },
  { type: 'HUGEINT', fits: shaped(WHOLE, 'HUGEINT') },
  { type: 'DOUBLE', fits: shaped(NUMBER, 'DOUBLE') },
  { type: 'DATE', fits: shaped(DATE, 'DATE') },
  { type: 'TIMESTAMP', fits: shaped(DATETIME, 'TIMESTAMP') },
  { type: 'BOOLEAN', fits: (v) => `lower(${v}) in ('true', 'false')` },
];
