/**
 * `select *` over a join USING: BigQuery puts the USING columns first (query-syntax#using_clause), DuckDB
 * keeps them where the left side has them. Rows go to the job's result and to a CTAS's table by position,
 * so a model's `select * from a join b using (j)` with `j` not first in `a` had its columns' values under
 * each other's names. A query with a USING join is read in the analyzer's column order, by name.
 */
import { significant, wordOf, type Token } from './sql-tokens.js';
import { quoteIdent } from './duckdb-spelling.js';

/** A name DuckDB gives the column too: written by the query (BigQuery's `$col1` / `f0_` for an unnamed one are not). */
const NAMED = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the statement's tokens hold a join's `USING (`. */
function hasUsing(tokens: Token[]): boolean {
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
