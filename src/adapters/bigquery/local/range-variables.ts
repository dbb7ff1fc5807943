/**
 * A range variable used as a value: in BigQuery a bare table alias (`select t from (…) t`, a CTE's name, an
 * UNNEST's alias of STRUCTs) is the row as a STRUCT, even where a column has the same name (the range
 * variable wins); DuckDB binds such a name to the column. The analyzer resolves each such use to a STRUCT
 * made of the range variable's columns, which carries no position in the text, so the uses are found in
 * the tokens by BigQuery's scoping: a bare name in an expression of the query block that declares it in
 * FROM, or of a subquery correlated to it. Each is written as DuckDB's struct of the alias's columns.
 */
import { significant, wordOf, type Token } from './sql-tokens.js';
import { quoteIdent } from './duckdb-spelling.js';
import { Untranslatable } from './untranslatable.js';
import { eachObject } from './resolved-ast.js';

/** The range variables a statement uses as values (lower-case name → the STRUCT's field names), and those used from a correlated subquery. */
export interface RangeValues {
  fields: Map<string, string[]>;
  /** How many uses the analyzer resolved from a correlated subquery, by range variable. */
  correlated: Map<string, number>;
}

const fieldNames = (type: any): string[] => ((type?.struct_type?.field ?? []) as { field_name?: string }[]).map((f) => f.field_name ?? '');

/**
 * From the resolved AST: a STRUCT the analyzer made, without a position, of column references of one range
 * variable; and an UNNEST of STRUCTs whose alias is also one of its fields' names (its bare alias is the element).
 */
export function rangeValues(root: unknown, text = '', offset = 0): RangeValues {
  const found: RangeValues = { fields: new Map(), correlated: new Map() };
  const add = (name: string, fields: string[]): void => {
    const known = found.fields.get(name);
    if (known && known.join('\u0000') !== fields.join('\u0000')) throw new Untranslatable(`two range variables named ${name} used as values`);
    found.fields.set(name, fields);
  };
  // A table's columns are named after the table, not its alias: the scan says the alias.
  const aliasOf = new Map<string, string>();
  /** Scans with a position (a set operation's columns are named `$union_all`): where each column's innermost one starts. */
  const startOf = new Map<string, { start: number; length: number }>();
  const structs: any[] = [];
  eachObject(root, (o) => {
    const scan = o.resolved_table_scan_node;
    if (typeof scan?.alias === 'string' && scan.alias) for (const c of (scan.parent?.column_list ?? []) as { column_id: string }[]) aliasOf.set(String(c.column_id), scan.alias);
    if (o.resolved_make_struct_node) structs.push(o.resolved_make_struct_node);
    const range = o.parent?.parent?.parse_location_range;
    if (range?.end !== undefined && Array.isArray(o.parent?.column_list)) {
      const [start, length] = [Number(range.start ?? 0), Number(range.end) - Number(range.start ?? 0)];
      for (const c of o.parent.column_list as { column_id: string }[]) if ((startOf.get(String(c.column_id))?.length ?? Infinity) > length) startOf.set(String(c.column_id), { start, length });
    }
    const element = o.element_column;
    if (element && o.array_expr && typeof element.name === 'string' && element.type?.type_kind === 'TYPE_STRUCT') {
      const fields = fieldNames(element.type);
      if (fields.some((f) => f.toLowerCase() === element.name.toLowerCase())) add(element.name.toLowerCase(), fields);
    }
  });
  const bytes = Buffer.from(text, 'utf8');
  // A `$`-named range (a set operation in brackets) is keyed by where its text starts: `@<character index>`.
  const nameOf = (c: { column_id: string; table_name: string }): string => {
    const at = c.table_name.startsWith('$') ? startOf.get(String(c.column_id))?.start : undefined;
    return at === undefined ? String(aliasOf.get(String(c.column_id)) ?? c.table_name).toLowerCase() : `@${bytes.subarray(0, Math.max(0, at - offset)).toString('utf8').length}`;
  };
  for (const struct of structs) {
    const refs = ((struct.field_list ?? []) as any[]).map((f) => f?.resolved_column_ref_node);
    if (struct.parent?.parent?.parse_location_range || !refs.length || !refs.every((r) => r?.column?.table_name)) continue;
    const names = new Set(refs.map((r) => nameOf(r.column)));
    const [name] = names;
    if (names.size !== 1 || name!.startsWith('$')) continue;
    add(name!, fieldNames(struct.parent?.type));
    if (refs.some((r) => r.is_correlated)) found.correlated.set(name!, (found.correlated.get(name!) ?? 0) + 1);
  }
  return found;
}

/** One query block (a SELECT up to its set operator or closing bracket): the range variables its FROM declares. */
interface Block {
  /** The block this one is correlated to (undefined for a FROM's derived table, a CTE's body or the statement). */
  outer?: Block;
  /** Range variables by lower-case name: the name as written, and what it ranges over (a table's or CTE's name; itself for a subquery). */
  declared: Map<string, { text: string; source: string }>;
  /** The select list's aliases (lower-case): ORDER BY and GROUP BY may mean them. */
  aliases: Set<string>;
}

interface Frame {
  block?: Block;
  clause: string;
  /** A bracket of no query (a call's arguments, an expression): its tokens belong to the enclosing block. */
  expression: boolean;
  outer?: Block;
  /** Where the bracket's text starts (character index). */
  first?: number;
}

const CLAUSES = new Set(['select', 'from', 'join', 'where', 'group', 'having', 'qualify', 'order', 'on', 'using', 'window', 'limit', 'with']);
const SET_OPERATORS = new Set(['union', 'intersect', 'except']);
/** Words after which a name starts an expression (elsewhere a bare word after a word is an alias). */
const BEFORE_EXPRESSION = new Set(['select', 'distinct', 'all', 'where', 'and', 'or', 'not', 'by', 'on', 'having', 'qualify', 'when', 'then', 'else', 'case', 'in', 'between', 'like', 'is', 'return']);
/** Words that end a FROM item rather than alias it. */
const NOT_ALIAS = new Set([...CLAUSES, ...SET_OPERATORS, 'as', 'left', 'right', 'full', 'inner', 'cross', 'natural', 'for', 'tablesample', 'unnest']);

/** The range variables used as values, by token index: the DuckDB struct to write for each (a whole select item keeps its name). */
export function rangeValueSites(t: Token[], values: RangeValues | undefined): Map<number, string> {
  const out = new Map<number, string>();
  if (!values?.fields.size) return out;
  const sig = t.map((_, i) => i).filter((i) => significant(t[i]!));
  // A backquoted path is one name (the analyzer's implicit alias of `p.d.t` is all of it).
  const name = (i: number | undefined): string | undefined => (i !== undefined && (t[i]!.kind === 'word' || t[i]!.kind === 'ident') ? t[i]!.text.toLowerCase() : undefined);
  const punct = (i: number | undefined, text: string): boolean => i !== undefined && t[i]!.kind === 'punct' && t[i]!.text === text;
  const stack: Frame[] = [{ clause: '', expression: false }];
  const uses: { at: number; block: Block; clause: string; item: boolean }[] = [];
  /** Where the last closed bracket's text starts (a derived table's, for its alias). */
  let closed: number | undefined;
  sig.forEach((i, k) => {
    const top = stack.at(-1)!;
    const [p, n] = [sig[k - 1], sig[k + 1]];
    const w = wordOf(t[i]);
    if (punct(i, '(')) {
      const query = ['select', 'with'].includes(wordOf(t[n!]));
      const derived = ['from', 'join'].includes(top.clause) && !top.expression;
      const first = t[n!]?.at;
      stack.push(query ? { clause: '', expression: false, outer: derived || top.clause === 'with' ? undefined : top.block, first } : { block: top.block, clause: top.clause === 'using' ? 'using' : 'expression', expression: true, first });
      return;
    }
    if (punct(i, ')')) {
      if (stack.length > 1) closed = stack.pop()!.first;
      return;
    }
    if (t[i]!.kind === 'word' && !top.expression) {
      if (w === 'select') top.block = { outer: top.outer, declared: new Map(), aliases: new Set() };
      if (SET_OPERATORS.has(w)) top.block = undefined;
      if (CLAUSES.has(w)) top.clause = w;
      if (CLAUSES.has(w) || SET_OPERATORS.has(w)) return;
    }
    const own = name(i);
    if (!own || !top.block || (t[i]!.kind === 'word' && NOT_ALIAS.has(w))) return;
    if (['from', 'join'].includes(top.clause) && !top.expression) {
      // A FROM item's alias, or a table (CTE) named without one: not a path's qualifier, not followed by an alias.
      const aliased = name(n) !== undefined && !NOT_ALIAS.has(wordOf(t[n!]));
      const item = wordOf(t[p!]) === 'as' ? sig[k - 2] : p;
      const source = punct(item, ')') && closed !== undefined ? `@${closed}` : item !== undefined && !['from', 'join'].includes(wordOf(t[item])) ? name(item) : undefined;
      if (!punct(n, '.') && !aliased) top.block.declared.set(own, { text: t[i]!.text, source: source ?? own });
      return;
    }
    if (punct(p, '.') || punct(n, '.') || punct(n, '(')) return;
    const expression = t[p!]?.kind === 'punct' ? ![')', ']'].includes(t[p!]!.text) : BEFORE_EXPRESSION.has(wordOf(t[p!]));
    if (top.clause === 'select' && !top.expression && !expression) return void top.block.aliases.add(own);
    // A whole select-list item without alias is named after the range variable.
    const item = top.clause === 'select' && !top.expression && ['select', 'distinct', 'all', ','].includes(t[p!]!.text.toLowerCase()) && (n === undefined || punct(n, ',') || punct(n, ')') || CLAUSES.has(wordOf(t[n])) || SET_OPERATORS.has(wordOf(t[n])));
    if (expression && !['with', 'using'].includes(top.clause)) uses.push({ at: i, block: top.block, clause: top.clause, item });
  });
  const correlated = new Map<string, number>();
  for (const use of uses) {
    const row = rowOf(use, name(use.at)!, values);
    if (!row) continue;
    out.set(use.at, use.item ? `${row.struct} as ${quoteIdent(t[use.at]!.text)}` : row.struct);
    if (row.correlated) correlated.set(row.key, (correlated.get(row.key) ?? 0) + 1);
  }
  // More bare uses in subqueries than the analyzer resolved there: one of them is a column of its subquery.
  for (const [key, n] of correlated) if (n > (values.correlated.get(key) ?? 0)) throw new Untranslatable(`a bare ${key} in a subquery that is the outer range variable in one place and a column of the subquery in another`);
  return out;
}

/** The DuckDB struct a bare name in an expression means, when it is a range variable used as a value. */
function rowOf(use: { block: Block; clause: string }, own: string, values: RangeValues): { struct: string; key: string; correlated: boolean } | undefined {
  let block: Block | undefined = use.block;
  while (block && !block.declared.has(own)) block = block.outer;
  const declared = block?.declared.get(own);
  const key = declared && (values.fields.has(own) ? own : declared.source);
  // From a subquery, only where the analyzer saw a correlated use (else a column of the subquery's own has the name).
  if (!block || !key || !values.fields.has(key) || (block !== use.block && !values.correlated.has(key))) return undefined;
  if (['group', 'order', 'having', 'qualify'].includes(use.clause) && use.block.aliases.has(own)) {
    throw new Untranslatable(`${own} in ${use.clause === 'group' || use.clause === 'order' ? `${use.clause.toUpperCase()} BY` : use.clause.toUpperCase()}, both a range variable and a select-list alias`);
  }
  const fields = values.fields.get(key)!;
  if (!fields.length || fields.some((f) => !f) || new Set(fields.map((f) => f.toLowerCase())).size !== fields.length) throw new Untranslatable(`the range variable ${own} as a value (its columns are unnamed or repeat a name)`);
  const alias = quoteIdent(declared!.text);
  return { struct: `struct_pack(${fields.map((f) => `${quoteIdent(f)} := ${alias}.${quoteIdent(f)}`).join(', ')})`, key, correlated: block !== use.block };
}
