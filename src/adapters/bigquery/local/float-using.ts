/**
 * A join `USING (x)` of FLOAT64 columns as BigQuery runs it: NaN matches nothing, NaN included
 * (data-types#floating_point_semantics), where DuckDB's USING matches NaN to NaN. DuckDB's USING is kept
 * (its merged column, `select *` and unqualified `x` stay as written); for an INNER or LEFT join, the
 * right side's NaN keys become NULL, which matches nothing: such a row is never matched, so its key is
 * never shown. A RIGHT or FULL join would show those keys, so is refused by name.
 */
import { closing, significant, wordOf } from './sql-tokens.js';
import { quoteIdent } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';

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

/**
 * `join <side> using (…)` at `join` when the USING list holds FLOAT64 columns: the join and its side,
 * each FLOAT64 key's NaN made NULL, and the index of `using` (the list follows as written).
 */
export function floatUsingJoin(tr: Translator, join: number): [string, number] | undefined {
  const using = usingOf(tr, join);
  const open = using === undefined ? undefined : tr.next(using);
  if (using === undefined || open === undefined || tr.t[open]?.text !== '(') return undefined;
  const keys = tr.sitesIn(open + 1, closing(tr.t, open), 'using');
  if (!keys.length) return undefined;
  const type = keys[0]!.site.kind === 'using' ? keys[0]!.site.join : '';
  if (type === 'RIGHT' || type === 'FULL') throw new Untranslatable(`a ${type} JOIN USING a FLOAT64 column (BigQuery never matches NaN to NaN; write the join with ON)`);
  const columns = keys.map((k) => tr.t.slice(k.start, k.end).filter(significant).map((t) => quoteIdent(t.text)).join(''));
  const replaced = columns.map((c) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END AS ${c}`).join(', ');
  const side = tr.emit(tr.next(join), using).trim();
  return [`${tr.t[join]!.text} (select * replace (${replaced}) from ${side}) as ${sideAlias(tr, join + 1, using)} `, using];
}
