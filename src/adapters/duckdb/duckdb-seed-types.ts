import type { Connection } from '../contract.js';
import { duckdbDialect as d } from './duckdb-dialect.js';

/**
 * The types of a seed's columns on DuckDB, as dbt-duckdb gives them: dbt reads the file with agate's type
 * tester (the first of number, date, datetime, boolean, text that every value of a column fits; a column with
 * no value is an integer) and names the types as dbt's SQL adapters do — `integer` for a number column
 * whose values have no decimals, `float8` (DOUBLE) otherwise, `date`, `timestamp without time zone`,
 * `boolean`, `text` — then copies the file into that table. DuckDB's own sniffer would make an integer
 * column BIGINT, a contract or a union written against dbt's INTEGER then fails.
 *
 * Where dbt-duckdb's copy would fail (an integer beyond INTEGER's range, a value `null` among numbers), the
 * column takes the next type that holds every value (BIGINT, HUGEINT, DOUBLE, else VARCHAR): nothing fails
 * that a wider type can hold. Only an empty field is a null, as in dbt-duckdb's copy.
 */
export async function inferSeedTypes(c: Connection, readCsvArgs: string[]): Promise<Record<string, string>> {
  const read = `read_csv(${[...readCsvArgs, 'all_varchar = true'].join(', ')})`;
  const columns = (await c.query(`select * from ${read} limit 0`)).columns.map((col) => col.name);
  if (!columns.length) return {};
  // Per column and candidate type, how many values do not fit it (0: all fit; nulls fit every type).
  const checks = columns.flatMap((name, i) => CANDIDATES.map((t, k) => `count(*) filter (where ${d.quoteIdentifier(name)} is not null and not coalesce(${t.fits(d.quoteIdentifier(name))}, false)) as c${i}_${k}`));
  const row = (await c.query(`select ${checks.join(', ')} from ${read}`)).rows[0] ?? {};
  const out: Record<string, string> = {};
  columns.forEach((name, i) => {
    out[name] = CANDIDATES.find((_, k) => Number(row[`c${i}_${k}`]) === 0)?.type ?? 'VARCHAR';
  });
  return out;
}

const INTEGER = String.raw`\s*[+-]?\d+\s*`;
const NUMBER = String.raw`\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*`;
const DATE = String.raw`\d{4}-\d{1,2}-\d{1,2}`;
// agate's DateTime ("%Y-%m-%d %H:%M:%S") and ISODateTime (ISO 8601 with a T, optional fraction and offset).
const DATETIME = String.raw`\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}|\d{4}-\d{2}-\d{2}T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?`;

const shaped = (pattern: string, type: string) => (v: string): string => `(regexp_full_match(${v}, ${d.quoteString(pattern)}) and try_cast(${v} as ${type}) is not null)`;

/** In agate's order, numbers first: the first type every value of a column fits is its type. */
const CANDIDATES: { type: string; fits: (v: string) => string }[] = [
  { type: 'INTEGER', fits: shaped(INTEGER, 'INTEGER') },
  { type: 'BIGINT', fits: shaped(INTEGER, 'BIGINT') },
  { type: 'HUGEINT', fits: shaped(INTEGER, 'HUGEINT') },
  { type: 'DOUBLE', fits: shaped(NUMBER, 'DOUBLE') },
  { type: 'DATE', fits: shaped(DATE, 'DATE') },
  { type: 'TIMESTAMP', fits: shaped(DATETIME, 'TIMESTAMP') },
  { type: 'BOOLEAN', fits: (v) => `lower(trim(${v})) in ('true', 'false')` },
];
