import { closeSync, openSync, readSync } from 'node:fs';
import type { Dialect } from '../adapters/contract.js';

/** Options that say the project reads its CSV files its own way: then they are passed as given. */
const OWN_WAY = ['columns', 'types', 'column_types', 'dtypes', 'auto_detect', 'all_varchar', 'names', 'column_names'];

/**
 * The DuckDB reader of one landed CSV file, read with the bronze table's types (columns it does not have
 * yet: as text), strictly: a row with too many or too few fields, a value that does not convert, or a file
 * with no header is an error naming the line — never a guessed type that rewrites the text (`f` → `false`,
 * `1.50` → `1.5`) or a junk column. `tableTypes`: lower-cased column name → type of the bronze table.
 */
export function csvReaderSql(dialect: Dialect, file: string, options: Record<string, unknown>, tableTypes: Map<string, string>, hive: boolean): string {
  const lit = (v: unknown): string => (typeof v === 'string' ? dialect.quoteString(v) : String(v));
  const user = (skip: string[]): string => Object.entries(options).filter(([k]) => !skip.includes(k)).map(([k, v]) => `, ${k} = ${lit(v)}`).join('');
  const h = `, hive_partitioning = ${hive ? 'true' : 'false'}`;
  if (options.header === false || Object.keys(options).some((k) => OWN_WAY.includes(k))) {
    return `read_csv(${dialect.quoteString(file)}, header = true${h}${user([])})`;
  }
  const delim = String(options.delim ?? options.sep ?? options.delimiter ?? ',');
  const quote = String(options.quote ?? '"');
  const names = headerNames(file, delim, quote);
  const columns = names.map((n) => `${dialect.quoteString(n)}: ${dialect.quoteString(tableTypes.get(n.toLowerCase()) ?? 'VARCHAR')}`).join(', ');
  const fixed = `header = true, auto_detect = false, delim = ${lit(delim)}, quote = ${lit(quote)}, escape = ${lit(String(options.escape ?? quote))}, strict_mode = true, null_padding = false`;
  return `read_csv(${dialect.quoteString(file)}, ${fixed}, columns = {${columns}}${h}${user(['delim', 'sep', 'delimiter', 'quote', 'escape', 'header', 'strict_mode', 'null_padding'])})`;
}

/** The column names on the first line of a CSV file; an error when there is none, or one is empty or repeated. */
export function headerNames(file: string, delim: string, quote: string): string[] {
  const line = firstLine(file).replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (!line.trim()) throw new Error('the file is empty: a CSV file needs a header line naming its columns');
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) (cur += quote), i++;
      else if (ch === quote) quoted = false;
      else cur += ch;
    } else if (ch === quote) quoted = true;
    else if (line.startsWith(delim, i)) (names.push(cur), (cur = ''), (i += delim.length - 1));
    else cur += ch;
  }
  names.push(cur);
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (!n.trim()) throw new Error(`line 1 (the header): column ${i + 1} has no name`);
    if (seen.has(n.toLowerCase())) throw new Error(`line 1 (the header): column '${n}' appears twice`);
    seen.add(n.toLowerCase());
  });
  return names;
}

/** The first line of a file, read in small chunks (a landed file may be large). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (let total = 0; total < 16 * 1024 * 1024; ) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
      if (nl !== -1) break;
      total += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
