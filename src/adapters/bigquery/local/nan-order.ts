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

/** Words after which a last word is an operand, not an implicit alias (`a and b`). */
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'is', 'in', 'like', 'between', 'distinct', 'all', 'select', 'when', 'then', 'else', 'case', 'interval', 'exists']);

/** A query's select list as the text writes it: each alias's expression, and each item's by position (`undefined` from a `*` on). */
interface SelectList {
  aliases: Map<string, [number, number]>;
  items: ([number, number] | undefined)[];
  /** The ORDER BY sorts a UNION's, INTERSECT's or EXCEPT's result. */
  ofSet: boolean;
}

/** Words that end an ORDER BY list at its own depth. */
const ENDS = new Set(['limit', 'offset', 'rows', 'range', 'groups', 'qualify', 'window', 'union', 'intersect', 'except', 'having']);

/**
 * The select list of the query whose ORDER BY is at `order` (its aliases and items, as expressions' tokens): the
 * nearest SELECT before it at its depth, unless a set operation lies between (its ORDER BY sorts the
 * result's columns). DuckDB cannot sort by a function of an alias whose expression may fail at run time
 * (an `error()` call of the typed forms), so the key is computed from the expression itself; an item named
 * by its position (`ORDER BY 1`) likewise.
 */
function selectList(tr: Translator, order: number): SelectList {
  const aliases = new Map<string, [number, number]>();
  const items: ([number, number] | undefined)[] = [];
  const list: SelectList = { aliases, items, ofSet: false };
  let depth = 0;
  let select = -1;
  for (let k = order - 1; k >= 0 && select < 0; k--) {
    const t = tr.t[k]!;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth++;
    else if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) {
      if (depth-- === 0) return list;
    } else if (depth === 0 && ['union', 'intersect', 'except'].includes(wordOf(t))) return { ...list, ofSet: true };
    else if (depth === 0 && wordOf(t) === 'select') select = k;
  }
  if (select < 0) return list;
  if (followsSetOperation(tr, select)) return { ...list, ofSet: true };
  let start = select + 1;
  while (['distinct', 'all'].includes(wordOf(tr.t[tr.next(start - 1)]))) start = tr.next(start - 1) + 1;
  depth = 0;
  const item = (end: number): void => {
    const sig: number[] = [];
    for (let j = start; j < end; j++) if (significant(tr.t[j]!)) sig.push(j);
    const last = tr.t[sig.at(-1) ?? -1];
    const before = tr.t[sig.at(-2) ?? -1];
    // `*`, `t.*` and `* except (…)` stand for several columns: positions after them are not known from the text.
    const isStar = (j: number, k: number): boolean => tr.t[j]!.kind === 'punct' && tr.t[j]!.text === '*' && (k === 0 || tr.t[sig[k - 1]!]!.text === '.');
    const star = sig.some((j, k) => isStar(j, k));
    items.push(last && !star && !items.includes(undefined) ? [sig[0]!, sig.at(-1)!] : undefined);
    if (!last || (last.kind !== 'word' && last.kind !== 'ident') || !before) return;
    const explicit = wordOf(before) === 'as';
    const implicit = !explicit && !OPERATOR_WORDS.has(wordOf(before)) && (before.kind === 'ident' || before.kind === 'word' || before.kind === 'number' || before.kind === 'string' || (before.kind === 'punct' && (before.text === ')' || before.text === ']')));
    if ((explicit && sig.length >= 3) || (implicit && sig.length >= 2)) {
      const expression: [number, number] = [sig[0]!, sig.at(explicit ? -3 : -2)!];
      aliases.set(last.text.toLowerCase(), expression);
      items[items.length - 1] = items.at(-1) && expression;
    }
  };
  for (let k = select + 1; k < order; k++) {
    const t = tr.t[k]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    else if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      item(k);
      start = k + 1;
    } else if (depth === 0 && ['from', 'where', 'group', 'having', 'qualify', 'window'].includes(wordOf(t))) {
      item(k);
      return list;
    }
  }
  item(order);
  return list;
}

/** Whether a UNION, INTERSECT or EXCEPT comes before the SELECT at `select` in its query: the ORDER BY sorts the set's result. */
function followsSetOperation(tr: Translator, select: number): boolean {
  let depth = 0;
  for (let k = select - 1; k >= 0; k--) {
    const t = tr.t[k]!;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth++;
    else if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) {
      if (depth-- === 0) return false;
    } else if (depth === 0 && ['union', 'intersect', 'except'].includes(wordOf(t))) return true;
  }
  return false;
}

/** `ORDER BY …` at `i` (the `order` word) with NaN sorted as BigQuery sorts it; the index after its items. */
export function nanOrderBy(tr: Translator, i: number): [string, number] {
  const by = tr.next(i);
  const { aliases, items: selected, ofSet } = selectList(tr, i);
  // DuckDB sorts a set's result only by its columns, not by a function of them (the NaN key).
  if (ofSet) throw new Untranslatable('ORDER BY of a UNION, INTERSECT or EXCEPT in a statement that sorts by FLOAT64 (BigQuery sorts NaN first; sort the set in an outer query)');
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
    const t = tr.t[sig[0]!]!;
    // A position names a select-list item: its NaN key comes from the item's expression, the position stays DuckDB's sort key.
    const position = keyEnd === 1 && t.kind === 'number' && /^\d+$/.test(t.text) ? selected[Number(t.text) - 1] : undefined;
    if (keyEnd === 1 && t.kind === 'number' && !position) throw new Untranslatable('ORDER BY a select-list position after select * in a statement that sorts by FLOAT64 (BigQuery sorts NaN first)');
    const key = tr.emit(s, sig[keyEnd - 1]! + 1).trim();
    const aliased = position ?? (keyEnd === 1 && (t.kind === 'word' || t.kind === 'ident') ? aliases.get(t.text.toLowerCase()) : undefined);
    const nanKey = aliased ? `strata_bq_nan_order(${tr.emit(aliased[0], aliased[1] + 1).trim()})` : `strata_bq_nan_order(${key})`;
    const direction = sig.slice(keyEnd).map((j) => tr.t[j]!.text.toLowerCase());
    const dir = direction.filter((w) => w === 'asc' || w === 'desc').join(' ');
    return `${nanKey}${dir ? ` ${dir}` : ''}${nullsOf(direction)}, ${key}${direction.length ? ` ${direction.join(' ')}` : ''}`;
  });
  return [`${tr.t[i]!.text} ${tr.t[by]!.text} ${written.join(', ')} `, k];
}

/** The item's NULLS FIRST / LAST, if written. */
const nullsOf = (words: string[]): string => {
  const at = words.indexOf('nulls');
  return at >= 0 ? ` nulls ${words[at + 1]}` : '';
};
