/**
 * UNNEST in FROM as DuckDB writes it: DuckDB names the element column `unnest` unless the alias names it
 * too (`x(x)`), and WITH OFFSET is the element and its 0-based position side by side. An UNNEST of STRUCTs
 * is a value table in BigQuery: `select *` gives the fields, and a field is a column (`x`, `t.x`), so its
 * fields are DuckDB's columns (`strata_s.*`); the alias alone (`t`) is DuckDB's row of the table.
 */
import { closing, significant, wordOf } from './sql-tokens.js';
import { CLAUSE_WORDS, quoteIdent } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';
import { attr, eachObject, leaf } from './resolved-ast.js';

/**
 * The element names (lower-case; '' for an UNNEST without alias) of a resolved statement's UNNESTs in FROM:
 * those of STRUCTs, and those of other types (a name in both is read as DuckDB does); for those of STRUCTs
 * WITH OFFSET, the offset's name (DuckDB's `t.*` holds it: written `t.* exclude (o)`).
 */
export function unnestElements(root: unknown): { struct: Set<string>; other: Set<string>; offsets: Map<string, string> } {
  const found = { struct: new Set<string>(), other: new Set<string>(), offsets: new Map<string, string>() };
  eachObject(root, (o) => {
    const column = o.element_column;
    if (column && o.array_expr && typeof column.name === 'string') {
      const name = column.name.startsWith('$') ? '' : column.name.toLowerCase();
      (column.type?.type_kind === 'TYPE_STRUCT' ? found.struct : found.other).add(name);
      if (column.type?.type_kind === 'TYPE_STRUCT' && typeof o.array_offset_column?.column?.name === 'string') found.offsets.set(name, o.array_offset_column.column.name);
    }
  });
  return found;
}

/**
 * DuckDB's row of an UNNEST of STRUCTs WITH OFFSET holds the offset too, as a last field: `t` as a value
 * (not `t.x`) would carry it (`select distinct t` kept rows BigQuery makes one; `t` in a UNION, `group by t`).
 * Refused, named; the fields and the offset as columns run.
 */
export function refuseOffsetRowValues(root: unknown): void {
  const ids = new Set<string>();
  eachObject(root, (o) => {
    if (o.element_column?.type?.type_kind === 'TYPE_STRUCT' && o.array_offset_column && o.array_expr) ids.add(String(o.element_column.column_id));
  });
  if (!ids.size) return;
  const visit = (o: Record<string, any>): 'skip' | void => {
    const field = o.resolved_get_struct_field_node;
    if (field) {
      // `t.x` reads a field: the column under it is not the whole value.
      for (const [k, v] of Object.entries(field)) if (k !== 'expr' || leaf(v)?.kind !== 'resolved_column_ref_node') eachObject(v, visit);
      return 'skip';
    }
    const ref = o.resolved_column_ref_node;
    if (ref && ids.has(String(attr(ref, 'column')?.column_id))) {
      throw new Untranslatable(`the element of an UNNEST of STRUCTs WITH OFFSET as a whole value (${attr(ref, 'column')?.name}; its fields, as ${attr(ref, 'column')?.name}.x, run)`);
    }
  };
  eachObject(root, visit);
}

/** `t.*` of an UNNEST of STRUCTs WITH OFFSET (the word `t` at `i`): its fields without the offset DuckDB's row holds. */
export function offsetRowFields(tr: Translator, i: number, offsets: Map<string, string> | undefined): [string, number] | undefined {
  const name = tr.t[i]!.text;
  const offset = tr.structUnnest(name.toLowerCase()) ? offsets?.get(name.toLowerCase()) : undefined;
  return offset === undefined ? undefined : [`${quoteIdent(name)}.* exclude (${quoteIdent(offset)})`, tr.next(tr.next(i)) + 1];
}

const isPunct = (tr: Translator, i: number, text: string): boolean => tr.t[i]?.kind === 'punct' && tr.t[i]!.text === text;

/** UNNEST(arr) AS x in FROM; after JOIN with no ON, BigQuery's correlated join, ` on true` for DuckDB. */
export function unnestForm(tr: Translator, i: number, open: number): [string, number] {
  const [form, after] = unnestItem(tr, i, open);
  let p = i - 1;
  while (p >= 0 && !significant(tr.t[p]!)) p--;
  let q = p - 1;
  while (q >= 0 && !significant(tr.t[q]!)) q--;
  const joined = wordOf(tr.t[p]) === 'join' && wordOf(tr.t[q]) !== 'cross' && !['on', 'using'].includes(wordOf(tr.t[tr.next(after - 1)]));
  return [joined ? `${form} on true` : form, after];
}

/** UNNEST(arr) AS x: DuckDB names the element column `unnest` unless the alias names it too (`x(x)`). */
function unnestItem(tr: Translator, i: number, open: number): [string, number] {
  const close = closing(tr.t, open);
  const array = tr.emit(open + 1, close);
  const text = `${tr.t[i]!.text}(${array})`;
  let a = tr.next(close);
  if (wordOf(tr.t[a]) === 'as') a = tr.next(a);
  const alias = tr.t[a];
  const aliased = alias && (alias.kind === 'ident' || (alias.kind === 'word' && !CLAUSE_WORDS.has(alias.text.toLowerCase())));
  const offsetAt = (w: number): boolean => wordOf(tr.t[w]) === 'with' && wordOf(tr.t[tr.next(w)]) === 'offset';
  const fields = (rest = ''): string => `(select strata_s.*${rest} from (select unnest(${array}) as strata_s`;
  if (!aliased || isPunct(tr, tr.next(a), '(')) {
    if (offsetAt(tr.next(close))) throw new Untranslatable('UNNEST … WITH OFFSET without an alias for the element');
    return [!aliased && tr.structUnnest('') ? `${fields()}))` : text, close + 1];
  }
  const name = quoteIdent(alias.text);
  const struct = tr.structUnnest(alias.text.toLowerCase());
  const w = tr.next(a);
  if (!offsetAt(w)) return [struct ? `${fields()})) as ${name}` : `${text} as ${name}(${name})`, a + 1];
  // WITH OFFSET: the element and its 0-based position, side by side.
  let o = tr.next(tr.next(w));
  if (wordOf(tr.t[o]) === 'as') o = tr.next(o);
  const off = tr.t[o];
  const named = off && (off.kind === 'ident' || (off.kind === 'word' && !CLAUSE_WORDS.has(off.text.toLowerCase())));
  const offset = named ? quoteIdent(off.text) : '"offset"';
  const position = `generate_subscripts(${array}, 1) - 1 as ${offset}`;
  const form = struct ? `${fields(`, ${offset}`)}, ${position})) as ${name}` : `(select unnest(${array}) as ${name}, ${position}) as ${name}`;
  return [form, named ? o + 1 : tr.next(w) + 1];
}
