/**
 * `select *` over a join USING: BigQuery puts the USING columns first (query-syntax#using_clause), DuckDB
 * keeps them where the left side has them. Rows go to the job's result and to a CTAS's table by position,
 * so a model's `select * from a join b using (j)` with `j` not first in `a` had its columns' values under
 * each other's names. A CTAS's query with a USING join is read in the analyzer's column order, by name; a
 * query's rows are put in that order as they come back (`reorderRows`), where DuckDB's names of its unnamed
 * columns (`select *, j + 1`: `(j + 1)`, BigQuery's `f0_`) are known.
 */
import { significant, wordOf, type Token } from './sql-tokens.js';
import { quoteIdent } from './duckdb-spelling.js';
import { Untranslatable } from './untranslatable.js';

/** A name DuckDB gives the column too: written by the query (BigQuery's `$col1` / `f0_` for an unnamed one are not). */
const NAMED = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the statement's tokens hold a join's `USING (`. */
export function hasUsing(tokens: Token[]): boolean {
  const sig = tokens.filter(significant);
  return sig.some((t, k) => wordOf(t) === 'using' && sig[k + 1]?.kind === 'punct' && sig[k + 1]!.text === '(');
}

/** `query` (DuckDB SQL) with its columns in the analyzer's order `names`, when it has a USING join and the names allow it. */
export function inAnalyzerOrder(query: string, tokens: Token[], names: string[]): string {
  if (!names.length || !hasUsing(tokens)) return query;
  const lower = names.map((n) => n.toLowerCase());
  if (new Set(lower).size !== names.length || names.some((n) => !NAMED.test(n) || /^f\d+_$/.test(n))) return query;
  return `select ${names.map(quoteIdent).join(', ')} from (${query}) as strata_using_order`;
}

/** The analyzer's name of an unnamed result column (`$col2`). */
const UNNAMED = /^\$col\d+$/;

/**
 * A query's rows (columns in DuckDB's order, named `duckNames`) in the analyzer's order `names` (its own
 * names, `$colN` for an unnamed column): a named column by its name, the unnamed ones in their order. When
 * the orders differ, a name found twice cannot be placed: refused.
 */
export function reorderRows<T>(rows: T[][], duckNames: string[], names: string[]): T[][] {
  const duck = duckNames.map((n) => n.toLowerCase());
  // Already in order (no `select *` moved a USING column): nothing to place, a name twice included.
  if (duck.length === names.length && names.every((n, i) => UNNAMED.test(n) || n.toLowerCase() === duck[i])) return rows;
  const named = names.filter((n) => !UNNAMED.test(n)).map((n) => n.toLowerCase());
  const claimed = new Set<number>();
  const at: number[] = [];
  for (const n of names) {
    if (UNNAMED.test(n)) continue;
    const k = duck.indexOf(n.toLowerCase());
    if (k < 0 || duck.lastIndexOf(n.toLowerCase()) !== k || named.filter((x) => x === n.toLowerCase()).length > 1) {
      throw new Untranslatable(`select * over a join USING with the column name ${n} twice in its result`);
    }
    claimed.add(k);
  }
  const rest = duck.map((_, k) => k).filter((k) => !claimed.has(k));
  for (const n of names) at.push(UNNAMED.test(n) ? rest.shift()! : duck.indexOf(n.toLowerCase()));
  if (at.some((k) => k === undefined) || duck.length !== names.length) throw new Untranslatable('select * over a join USING whose result columns are not found by name');
  return rows.map((r) => at.map((k) => r[k]!));
}
