/**
 * How BigQuery's names, literals, types and functions are spelled in DuckDB: the tables the translation
 * (to-duckdb.ts) reads, and quoting. Pure data and functions.
 */

export const TYPES: Record<string, string> = {
  int64: 'BIGINT', integer: 'BIGINT', int: 'BIGINT', smallint: 'BIGINT', tinyint: 'BIGINT', byteint: 'BIGINT', bigint: 'BIGINT',
  float64: 'DOUBLE', bool: 'BOOLEAN', boolean: 'BOOLEAN', string: 'VARCHAR', bytes: 'BLOB', numeric: 'DECIMAL(38,9)', decimal: 'DECIMAL(38,9)',
  bignumeric: 'DECIMAL(38,9)', bigdecimal: 'DECIMAL(38,9)', timestamp: 'TIMESTAMPTZ', datetime: 'TIMESTAMP', json: 'JSON',
};

/** Functions that are the same in both, or only renamed. */
export const RENAMED: Record<string, string> = {
  regexp_contains: 'regexp_matches', countif: 'count_if', logical_and: 'bool_and', logical_or: 'bool_or', array_length: 'len',
  is_nan: 'isnan', is_inf: 'isinf',
};

/** Functions BigQuery has that these rules do not translate faithfully. */
export const REFUSED = new Set(['farm_fingerprint', 'format', 'st_geogpoint', 'range_bucket', 'approx_top_count',
  'initcap', 'soundex', 'regexp_instr', 'to_json_string', 'to_json', 'byte_length', 'percentile_cont', 'percentile_disc']);

/** Families of functions called by a dotted name (`NET.HOST`, `HLL_COUNT.INIT`, `ML.PREDICT`): none is translated. */
export const REFUSED_NAMESPACES = new Set(['net', 'hll_count', 'kll_quantiles', 'keys', 'aead', 'deterministic_encrypt', 'ml', 'obj', 'dlp', 'vector_search', 'appends', 'changes']);

/** Words that can follow a FROM item and are no alias. */
export const CLAUSE_WORDS = new Set(['on', 'using', 'where', 'with', 'left', 'right', 'full', 'inner', 'cross', 'join', 'group', 'order', 'limit', 'union', 'intersect', 'except', 'qualify', 'window', 'having', 'as']);

/** Words followed by a bracket that is no call of theirs (`where (a + b) * c > 0`, `x in (…)`). */
export const BRACKET_WORDS = new Set(['select', 'where', 'and', 'or', 'not', 'on', 'when', 'then', 'else', 'by', 'having', 'qualify', 'in', 'between', 'like', 'is', 'from', 'join', 'as', 'return', 'all', 'distinct']);

/**
 * Words DuckDB reserves (or reads as its join kinds: `semi`, `asof`…) and BigQuery does not, nor uses in its
 * syntax: in BigQuery SQL they are names (a CTE `both`, a column `check`), which DuckDB parses only quoted.
 * (`offset`, `table`, `column`, `primary`, `qualify`… are BigQuery syntax too: quoted only as a name — an alias
 * after AS, a whole select-list item, a CTE's name, a table right after FROM or JOIN, a qualifier before `.`.)
 */
export const DUCKDB_ONLY_RESERVED = new Set(['analyse', 'analyze', 'anti', 'asof', 'asymmetric', 'both', 'check', 'deferrable', 'describe', 'do', 'initially', 'lambda', 'leading', 'only', 'pivot_longer', 'pivot_wider', 'placing', 'positional', 'returning', 'semi', 'show', 'summarize', 'symmetric', 'trailing', 'unique', 'variadic']);
export const DUCKDB_RESERVED_SYNTAX = new Set(['column', 'constraint', 'foreign', 'offset', 'pivot', 'primary', 'qualify', 'references', 'table', 'unpivot']);

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** BigQuery format elements DuckDB spells otherwise (`%x` is MM/DD/YY there, an ISO date in DuckDB). */
// The translation formats in UTC only (a time zone argument is not translated): %z and %Ez are constant.
const ELEMENTS: Record<string, string> = { 'E6S': '%S.%f', 'E3S': '%S.%g', 'E*S': '%S', z: '+0000', Ez: '+00:00', Z: 'UTC', F: '%Y-%m-%d', T: '%H:%M:%S', D: '%m/%d/%y', x: '%m/%d/%y', X: '%H:%M:%S', R: '%H:%M', h: '%b', n: '\n', t: '\t' };
/** Elements with no DuckDB equal (`%e` pads with a space, `%s` is epoch seconds…): a format with one is not translated. */
const UNMATCHED = /^(e|s|k|l|C|Q|J|N|P|E[0-24-57-9]S|E4Y|Ey|EY|Ec|EC|Ex|EX|O.|c|\+|G|g|V)$/;

/** The same elements when parsing: an offset in the text is read, not written. */
const PARSED: Record<string, string> = { z: '%z', Ez: '%z', Z: '%Z' };

/** A BigQuery format string for DuckDB's strftime (or strptime, `parse`); undefined when an element has no DuckDB equal. */
export function timeFormat(fmt: string, parse = false): string | undefined {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') {
      out += fmt[i];
      continue;
    }
    const el = /^(E[0-9*]S|E[0-9]Y|E[a-zA-Z]|O[a-zA-Z]|.)/.exec(fmt.slice(i + 1))?.[0] ?? '';
    if (UNMATCHED.test(el)) return undefined;
    out += (parse ? PARSED[el] : undefined) ?? ELEMENTS[el] ?? `%${el}`;
    i += el.length;
  }
  return out;
}

/** A REST schema type (with mode) as a DuckDB column type. */
export function duckTypeOfField(f: { type: string; mode?: string; fields?: { name: string; type: string; mode?: string; fields?: unknown[] }[] }): string {
  const t = f.type.toUpperCase();
  const base =
    t === 'RECORD' || t === 'STRUCT'
      ? `STRUCT(${(f.fields ?? []).map((c) => `${quoteIdent(c.name)} ${duckTypeOfField(c as typeof f)}`).join(', ')})`
      : ({ INTEGER: 'BIGINT', INT64: 'BIGINT', FLOAT: 'DOUBLE', FLOAT64: 'DOUBLE', BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', STRING: 'VARCHAR', BYTES: 'BLOB', DATE: 'DATE', DATETIME: 'TIMESTAMP', TIME: 'TIME', TIMESTAMP: 'TIMESTAMPTZ', NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,9)', JSON: 'JSON', GEOGRAPHY: 'VARCHAR', INTERVAL: 'INTERVAL' } as Record<string, string>)[t] ?? 'VARCHAR';
  return (f.mode ?? '').toUpperCase() === 'REPEATED' ? `${base}[]` : base;
}
