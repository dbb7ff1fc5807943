/**
 * BigQuery forms that are no plain function call, as DuckDB SQL: `INTERVAL expr part`, the
 * current-time functions (which DuckDB would take for a column of the same name), aggregates with LIMIT
 * and `EXTRACT(part FROM x)`.
 */
import { closing, significant, wordOf, type Token } from './sql-tokens.js';
import type { Call } from './function-calls.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';

/**
 * CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_DATETIME, with or without brackets, are always the
 * functions in BigQuery (a column of that name needs backquotes); DuckDB's bare `current_timestamp`
 * would read such a column, so the translation calls a function whose name no column takes.
 */
export const CURRENT: Record<string, string> = {
  current_timestamp: 'get_current_timestamp()',
  current_date: 'CAST(get_current_timestamp() AS DATE)',
  current_datetime: 'CAST(get_current_timestamp() AS TIMESTAMP)',
};

/** BigQuery's date parts of an INTERVAL, as a DuckDB interval of one such part. */
const ONE: Record<string, string> = {
  year: 'INTERVAL 1 YEAR', quarter: 'INTERVAL 3 MONTH', month: 'INTERVAL 1 MONTH', week: 'INTERVAL 7 DAY', day: 'INTERVAL 1 DAY',
  hour: 'INTERVAL 1 HOUR', minute: 'INTERVAL 1 MINUTE', second: 'INTERVAL 1 SECOND', millisecond: 'INTERVAL 1 MILLISECOND', microsecond: 'INTERVAL 1 MICROSECOND',
};

/**
 * `INTERVAL <INT64 expression> <part>` at `i`: the expression (a literal, a column, `(1 + 2)`,
 * `row_number() over (…) - 1`) times one part. It ends at the first date part at its own depth after at
 * least one token. A range (`INTERVAL '1-2' YEAR TO MONTH`) is not translated.
 */
export function interval(tr: Translator, i: number): [string, number] {
  const t = tr.t;
  const first = tr.next(i);
  for (let j = first; j < t.length; j++) {
    const x = t[j]!;
    if (x.kind === 'punct' && (x.text === '(' || x.text === '[')) {
      j = closing(t, j);
      continue;
    }
    if (x.kind === 'punct' && (x.text === ')' || x.text === ']' || x.text === ',' || x.text === ';')) break;
    if (j === first || !significant(x) || ONE[wordOf(x)] === undefined) continue;
    if (wordOf(t[tr.next(j)]) === 'to') throw new Untranslatable('an INTERVAL range (… TO …)');
    const value = t[first]!.kind === 'string' && tr.next(first) === j ? t[first]!.text : tr.emit(first, j).trim();
    if (t[first]!.kind === 'string' && !/^\s*[+-]?\d+\s*$/.test(value)) throw new Untranslatable(`INTERVAL '${value}' ${wordOf(x)}`);
    return [`((${value}) * ${ONE[wordOf(x)]})`, j + 1];
  }
  throw new Untranslatable('an INTERVAL without a date part');
}

/** The top-level words of a call's brackets that start its modifiers: `order` (by), `limit`, `ignore`/`respect` (nulls). */
function modifiers(t: Token[], c: Call): Record<string, number> {
  const at: Record<string, number> = {};
  for (let j = c.open + 1; j < c.close; j++) {
    const x = t[j]!;
    if (x.kind === 'punct' && (x.text === '(' || x.text === '[')) j = closing(t, j);
    else if (['order', 'limit', 'ignore', 'respect'].includes(wordOf(x)) && at[wordOf(x)] === undefined) at[wordOf(x)] = j;
  }
  return at;
}

/**
 * STRING_AGG / ARRAY_AGG with `LIMIT n` (DuckDB's aggregates take none): the list of the values in
 * their order, cut to n. STRING_AGG skips NULLs before the limit, as BigQuery (so does ARRAY_AGG with
 * IGNORE NULLS); no value left gives NULL. Undefined without a LIMIT.
 */
export function limitedAggregate(c: Call, tr: Translator): string | undefined {
  const t = tr.t;
  const at = modifiers(t, c);
  if (at.limit === undefined) return undefined;
  const head = Math.min(...[at.order, at.limit, at.ignore, at.respect].filter((x): x is number => x !== undefined));
  const args: [number, number][] = [];
  let start = c.open + 1;
  for (let j = start; j < head; j++) {
    const x = t[j]!;
    if (x.kind === 'punct' && (x.text === '(' || x.text === '[')) j = closing(t, j);
    else if (x.kind === 'punct' && x.text === ',') {
      args.push([start, j]);
      start = j + 1;
    }
  }
  args.push([start, head]);
  let [vStart, vEnd] = args[0]!;
  vStart = tr.next(vStart - 1);
  const distinct = wordOf(t[vStart]) === 'distinct';
  const value = tr.emit(distinct ? vStart + 1 : vStart, vEnd).trim();
  const order = at.order !== undefined ? ` ${tr.emit(at.order, at.limit).trim()}` : '';
  const n = tr.emit(at.limit + 1, c.close).trim();
  const skipNulls = c.f === 'string_agg' || at.ignore !== undefined;
  const list = `list(${distinct ? 'DISTINCT ' : ''}${value}${order})${skipNulls ? ` FILTER (WHERE (${value}) IS NOT NULL)` : ''}`;
  if (c.f === 'array_agg') return `list_slice(${list}, 1, ${n})`;
  const separator = args[1] ? tr.emit(args[1][0], args[1][1]).trim() : "','";
  return `array_to_string(list_slice(${list}, 1, ${n}), ${separator})`;
}

/** EXTRACT(part FROM x): DAYOFWEEK counts from 1 on Sunday. */
export function extractForm(tr: Translator, open: number, close: number): string {
  const first = tr.next(open);
  const part = wordOf(tr.t[first]);
  const from = tr.next(first);
  if (wordOf(tr.t[from]) !== 'from') throw new Untranslatable('extract');
  const x = tr.emit(from + 1, close).trim();
  if (part === 'dayofweek') return `(extract(dow from ${x}) + 1)`;
  if (part === 'dayofyear') return `extract(doy from ${x})`;
  // The fraction of the second only (DuckDB's count the whole seconds too).
  if (part === 'millisecond' || part === 'microsecond') return `(extract(${part} from ${x}) % ${part === 'millisecond' ? 1000 : 1000000})`;
  if (part === 'date') return `CAST(${x} AS DATE)`;
  // WEEK counts Sunday-based weeks from 0 (days before the first Sunday); DuckDB's week is ISO's.
  if (part === 'week') return `CAST(strftime(${x}, '%U') AS BIGINT)`;
  if (part === 'isoweek' || part === 'isoyear') return `extract(${part === 'isoyear' ? 'isoyear' : 'week'} from ${x})`;
  return `extract(${part} from ${x})`;
}
