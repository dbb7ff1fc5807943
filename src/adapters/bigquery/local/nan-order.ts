/**
 * NaN in ORDER BY as BigQuery sorts it: the smallest FLOAT64 value — after NULL, before -inf in ascending
 * order, after -inf, before NULL in descending (data-types#floating_point_semantics). DuckDB sorts NaN
 * above +inf. A statement whose resolved AST sorts by a FLOAT64 (query, window or aggregate ORDER BY)
 * has each ORDER BY item `e` written `strata_bq_nan_order(e), e` with the item's direction: the first key
 * is NULL for NULL, 0 for NaN and 1 otherwise, and is decided only for FLOAT64 values.
 */
import { closing, significant, wordOf } from './sql-tokens.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';

export const NAN_ORDER_MACRO =
  "create or replace temp macro strata_bq_nan_order(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE)) THEN 0 ELSE 1 END";

/** Whether a resolved statement sorts by a FLOAT64 anywhere. */
export function sortsByFloat(root: unknown): boolean {
  let found = false;
  const seen = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(seen);
    const o = x as Record<string, any>;
    if (Array.isArray(o.order_by_item_list) && o.order_by_item_list.some((item: any) => /TYPE_(DOUBLE|FLOAT)$/.test(item?.column_ref?.column?.type?.type_kind ?? ''))) found = true;
    for (const v of Object.values(o)) seen(v);
  };
  seen(root);
  return found;
}

/** Words that end an ORDER BY list at its own depth. */
const ENDS = new Set(['limit', 'offset', 'rows', 'range', 'groups', 'qualify', 'window', 'union', 'intersect', 'except', 'having']);

/** `ORDER BY …` at `i` (the `order` word) with NaN sorted as BigQuery sorts it; the index after its items. */
export function nanOrderBy(tr: Translator, i: number): [string, number] {
  const by = tr.next(i);
  const items: [number, number][] = [];
  let start = by + 1;
  let k = by + 1;
  for (; k < tr.t.length; k++) {
    const t = tr.t[k]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) {
      k = closing(tr.t, k);
      continue;
    }
    if ((t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === ';')) || ENDS.has(wordOf(t))) break;
    if (t.kind === 'punct' && t.text === ',') {
      items.push([start, k]);
      start = k + 1;
    }
  }
  items.push([start, k]);
  const written = items.map(([s, e]) => {
    const sig: number[] = [];
    for (let j = s; j < e; j++) if (significant(tr.t[j]!)) sig.push(j);
    let keyEnd = sig.length;
    while (keyEnd > 0 && ['asc', 'desc', 'nulls', 'first', 'last'].includes(wordOf(tr.t[sig[keyEnd - 1]!]))) keyEnd--;
    if (keyEnd === 0) throw new Untranslatable('an ORDER BY item without an expression');
    if (keyEnd === 1 && tr.t[sig[0]!]!.kind === 'number') throw new Untranslatable('ORDER BY a select-list position in a statement that sorts by FLOAT64 (BigQuery sorts NaN first)');
    const key = tr.emit(s, sig[keyEnd - 1]! + 1).trim();
    const direction = sig.slice(keyEnd).map((j) => tr.t[j]!.text.toLowerCase());
    const dir = direction.filter((w) => w === 'asc' || w === 'desc').join(' ');
    return `strata_bq_nan_order(${key})${dir ? ` ${dir}` : ''}${nullsOf(direction)}, ${key}${direction.length ? ` ${direction.join(' ')}` : ''}`;
  });
  return [`${tr.t[i]!.text} ${tr.t[by]!.text} ${written.join(', ')} `, k];
}

/** The item's NULLS FIRST / LAST, if written. */
const nullsOf = (words: string[]): string => {
  const at = words.indexOf('nulls');
  return at >= 0 ? ` nulls ${words[at + 1]}` : '';
};
