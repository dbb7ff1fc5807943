/**
 * A join `USING (x)` of FLOAT64, STRUCT or ARRAY columns as BigQuery runs it: NaN matches nothing, NaN included
 * (data-types#floating_point_semantics), and STRUCTs and ARRAYs compare field by field, a NULL or NaN inside
 * matching nothing (operators#comparison_operators), where DuckDB's USING matches NaN to NaN and
 * `struct(1, null)` to itself. DuckDB's USING is kept (its merged column, `select *` and unqualified `x` stay
 * as written); for an INNER or LEFT join, the right side's keys that cannot equal anything (NaN, or holding a
 * NULL or NaN) become NULL, which matches nothing: such a row is never matched, so its key is never shown.
 * A RIGHT or FULL join would show those keys, so is refused by name.
 */
import { closing, significant, wordOf } from './sql-tokens.js';
import { quoteIdent } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';
import { compositeEquality } from './composite-equality.js';
import type { TypeProto } from './bigquery-types.js';

/** Words that end a join's right side before its USING. */
const ENDS = new Set(['on', 'join', 'where', 'group', 'order', 'limit', 'union', 'intersect', 'except', 'qualify', 'window', 'having', 'left', 'right', 'full', 'inner', 'cross']);

/** The index of the join's `using` at its own depth, if the right side after `join` ends with one. */
function usingOf(tr: Translator, join: number): number | undefined {
  for (let k = tr.next(join), depth = 0; k < tr.t.length; k = tr.next(k)) {
    const t = tr.t[k]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
      if (--depth < 0) return undefined;
    } else if (depth === 0 && t.kind === 'punct' && t.text === ';') return undefined;
    else if (depth === 0 && t.kind === 'word' && wordOf(t) === 'using') return k;
    else if (depth === 0 && t.kind === 'word' && ENDS.has(wordOf(t))) return undefined;
  }
  return undefined;
}

/** The name the right side's columns are qualified by: its alias, or its table's name. */
function sideAlias(tr: Translator, start: number, end: number): string {
  const last = tr.t.slice(start, end).filter(significant).at(-1);
  if (last && (last.kind === 'word' || last.kind === 'ident')) return quoteIdent(last.text.split('.').at(-1)!);
  return quoteIdent('strata_using_side');
}

/** A key that can equal something, else NULL: a FLOAT64 that is no NaN, a STRUCT or ARRAY equal to itself in BigQuery. */
function matchable(column: string, type: TypeProto | undefined): string {
  if (!type) return `CASE WHEN isnan(${column}) THEN NULL ELSE ${column} END`;
  return `CASE WHEN (${compositeEquality(type, column, column)}) IS TRUE THEN ${column} ELSE NULL END`;
}

/**
 * `join <side> using (…)` at `join` when the USING list holds FLOAT64, STRUCT or ARRAY columns: the join and
 * its side, each such key made NULL where it can equal nothing, and the index of `using` (the list follows as written).
 */
export function floatUsingJoin(tr: Translator, join: number): [string, number] | undefined {
  const using = usingOf(tr, join);
  const open = using === undefined ? undefined : tr.next(using);
  if (using === undefined || open === undefined || tr.t[open]?.text !== '(') return undefined;
  const keys = tr.sitesIn(open + 1, closing(tr.t, open), 'using');
  if (!keys.length) return undefined;
  const keyed = keys.map((k) => (k.site.kind === 'using' ? k.site : undefined));
  const joinType = keyed[0]?.join ?? '';
  if (joinType === 'RIGHT' || joinType === 'FULL') {
    const nested = keyed.find((u) => u?.type)?.type;
    const kind = nested ? `a ${nested.type_kind === 'TYPE_ARRAY' ? 'ARRAY' : 'STRUCT'} column (BigQuery never matches a value with a NULL or NaN inside` : 'a FLOAT64 column (BigQuery never matches NaN to NaN';
    throw new Untranslatable(`a ${joinType} JOIN USING ${kind}; write the join with ON)`);
  }
  const columns = keys.map((k) => tr.t.slice(k.start, k.end).filter(significant).map((t) => quoteIdent(t.text)).join(''));
  const replaced = columns.map((c, k) => `${matchable(c, keyed[k]?.type)} AS ${c}`).join(', ');
  const side = tr.emit(tr.next(join), using).trim();
  return [`${tr.t[join]!.text} (select * replace (${replaced}) from ${side}) as ${sideAlias(tr, join + 1, using)} `, using];
}
