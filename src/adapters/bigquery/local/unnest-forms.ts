/**
 * UNNEST in FROM as DuckDB writes it: DuckDB names the element column `unnest` unless the alias names it
 * too (`x(x)`), and WITH OFFSET is the element and its 0-based position side by side.
 */
import { closing, wordOf } from './sql-tokens.js';
import { CLAUSE_WORDS, quoteIdent } from './duckdb-spelling.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';

const isPunct = (tr: Translator, i: number, text: string): boolean => tr.t[i]?.kind === 'punct' && tr.t[i]!.text === text;

/** UNNEST(arr) AS x in FROM: DuckDB names the element column `unnest` unless the alias names it too (`x(x)`). */
export function unnestForm(tr: Translator, i: number, open: number): [string, number] {
  const close = closing(tr.t, open);
  const array = tr.emit(open + 1, close);
  const text = `${tr.t[i]!.text}(${array})`;
  let a = tr.next(close);
  if (wordOf(tr.t[a]) === 'as') a = tr.next(a);
  const alias = tr.t[a];
  const aliased = alias && (alias.kind === 'ident' || (alias.kind === 'word' && !CLAUSE_WORDS.has(alias.text.toLowerCase())));
  const offsetAt = (w: number): boolean => wordOf(tr.t[w]) === 'with' && wordOf(tr.t[tr.next(w)]) === 'offset';
  if (!aliased || isPunct(tr, tr.next(a), '(')) {
    if (offsetAt(tr.next(close))) throw new Untranslatable('UNNEST … WITH OFFSET without an alias for the element');
    return [text, close + 1];
  }
  const name = quoteIdent(alias.text);
  const w = tr.next(a);
  if (!offsetAt(w)) return [`${text} as ${name}(${name})`, a + 1];
  // WITH OFFSET: the element and its 0-based position, side by side.
  let o = tr.next(tr.next(w));
  if (wordOf(tr.t[o]) === 'as') o = tr.next(o);
  const off = tr.t[o];
  const named = off && (off.kind === 'ident' || (off.kind === 'word' && !CLAUSE_WORDS.has(off.text.toLowerCase())));
  const offset = named ? quoteIdent(off.text) : '"offset"';
  return [`(select unnest(${array}) as ${name}, generate_subscripts(${array}, 1) - 1 as ${offset}) as ${name}`, named ? o + 1 : tr.next(w) + 1];
}
