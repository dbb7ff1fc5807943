import type { Dialect, FileRead } from '../contract.js';

/** Options that say the project reads its CSV files its own way: then they are passed as given. */
const OWN_WAY = ['columns', 'types', 'column_types', 'dtypes', 'auto_detect', 'all_varchar', 'names', 'column_names'];

/**
 * The DuckDB reader of one landed CSV file, read with the bronze table's types (columns it does not have
 * yet: as text), strictly: a row with too many or too few fields, a value that does not convert, or a file
 * with no header is an error naming the line — never a guessed type that rewrites the text (`f` → `false`,
 * `1.50` → `1.5`) or a junk column. `tableTypes`: lower-cased column name → type of the bronze table.
 */
function csvReaderSql(dialect: Dialect, file: string, read: FileRead): string {
  const { options, tableTypes } = read;
  const hive = read.hivePartitioned;
  const lit = (v: unknown): string => (typeof v === 'string' ? dialect.quoteString(v) : String(v));
  const user = (skip: string[]): string => Object.entries(options).filter(([k]) => !skip.includes(k)).map(([k, v]) => `, ${k} = ${lit(v)}`).join('');
  const h = `, hive_partitioning = ${hive ? 'true' : 'false'}`;
  if (options.header === false || Object.keys(options).some((k) => OWN_WAY.includes(k))) {
    return `read_csv(${dialect.quoteString(file)}, header = true${h}${user([])})`;
  }
  const delim = String(options.delim ?? options.sep ?? options.delimiter ?? ',');
  const quote = String(options.quote ?? '"');
  const names = read.csvHeader(delim, quote);
  const columns = names.map((n) => `${dialect.quoteString(n)}: ${dialect.quoteString(tableTypes.get(n.toLowerCase()) ?? 'VARCHAR')}`).join(', ');
  const fixed = `header = true, auto_detect = false, delim = ${lit(delim)}, quote = ${lit(quote)}, escape = ${lit(String(options.escape ?? quote))}, strict_mode = true, null_padding = false`;
  return `read_csv(${dialect.quoteString(file)}, ${fixed}, columns = {${columns}}${h}${user(['delim', 'sep', 'delimiter', 'quote', 'escape', 'header', 'strict_mode', 'null_padding'])})`;
}

/** Dates and times: their format is what detection found (`%m-%d-%Y`), which the type alone does not say. */
const TEMPORAL = /\b(DATE|TIME)/i;

/**
 * A JSON file's columns as detected already (by a `describe` of the same reader), so that reading it does not
 * detect them again — half the time of a day's JSON file. Not when the project reads it its own way, nor when
 * a date or time was detected: its format is known to detection only.
 */
function detectedColumns(dialect: Dialect, read: FileRead): string {
  const cols = read.detected;
  if (!cols?.length || Object.keys(read.options).some((k) => OWN_WAY.includes(k)) || cols.some((c) => TEMPORAL.test(c.dataType))) return '';
  return `, columns = {${cols.map((c) => `${dialect.quoteString(c.name)}: ${dialect.quoteString(c.dataType)}`).join(', ')}}`;
}

/** DuckDB's reader of one local file: `read_csv` (strict, with the table's types), `read_json_auto`, `read_parquet`. */
export function readFileSql(dialect: Dialect, file: string, read: FileRead): string {
  if (read.format === 'csv') return csvReaderSql(dialect, file, read);
  const opts = Object.entries(read.options).map(([k, v]) => `, ${k} = ${typeof v === 'string' ? dialect.quoteString(v) : String(v)}`).join('');
  const f = dialect.quoteString(file);
  // Partition columns only when declared: DuckDB would otherwise guess from any key=value folder.
  const h = `, hive_partitioning = ${read.hivePartitioned ? 'true' : 'false'}`;
  if (read.format === 'json' || read.format === 'ndjson') return `read_json_auto(${f}${read.format === 'ndjson' ? ", format = 'newline_delimited'" : ''}${h}${opts}${detectedColumns(dialect, read)})`;
  return `read_parquet(${f}${h}${opts})`;
}
