/**
 * STRUCT field names where BigQuery and DuckDB coerce STRUCTs differently. BigQuery coerces a STRUCT to
 * another STRUCT type by position, the names coming from the common type (a UNION's first branch, IF's
 * first result, an ARRAY's first element, the column an INSERT writes); DuckDB casts a named STRUCT by
 * name, so `struct(1 as a, 2 as b) union all select struct(3, 4)` gave NULLs (`_field_1` matches no `a`)
 * and `struct(3 as b, 4 as a)` gave the values swapped. The analyzer retypes a literal in place, keeping
 * its position: such a literal is written with the names of its final type (then DuckDB's cast by name is
 * the identity). A STRUCT that is not a literal and changes names is refused: `refuseStructRenames`.
 */
import { attr, eachObject, leaf } from './resolved-ast.js';
import { argumentRanges, significant, wordOf, type Token } from './sql-tokens.js';
import { Untranslatable } from './untranslatable.js';
import type { TypeProto } from './bigquery-types.js';

/** A literal of a type holding STRUCTs, as a character range [start, end) of the statement's text. */
export interface StructLiteral {
  start: number;
  end: number;
  type: TypeProto;
}

const holdsStruct = (t: TypeProto | undefined): boolean =>
  !!t && (t.type_kind === 'TYPE_STRUCT' || (t.type_kind === 'TYPE_ARRAY' && holdsStruct(t.array_type?.element_type)));

/** A type's STRUCT field names at every depth, as one key (`a,b(x,y)`), for comparing shapes. */
function shape(t: TypeProto | undefined): string {
  if (t?.type_kind === 'TYPE_ARRAY') return `[${shape(t.array_type?.element_type)}]`;
  if (t?.type_kind !== 'TYPE_STRUCT') return '';
  return `(${(t.struct_type?.field ?? []).map((f) => `${(f.field_name ?? '').toLowerCase()}${shape(f.field_type)}`).join(',')})`;
}

/** A STRUCT's field names (lower-case, '' for an unnamed field), as one key. */
export const namesKey = (names: string[]): string => names.map((n) => n.toLowerCase()).join(',');

/**
 * The literals holding STRUCTs in a resolved statement (positions in bytes from `offset`), and how many
 * STRUCTs it builds from expressions (STRUCT(x, …) that is not a constant) with each list of field names.
 */
export function structLiterals(root: unknown, text: string, offset: number): { literals: StructLiteral[]; made: Map<string, number> } {
  const bytes = Buffer.from(text, 'utf8');
  const char = (b: number): number => bytes.subarray(0, Math.max(0, b - offset)).toString('utf8').length;
  const literals: StructLiteral[] = [];
  const made = new Map<string, number>();
  eachObject(root, (o) => {
    // Bodies, not their wrappers: a DECLARE's or SET's value is kept as its body (query-gate.ts).
    const type = attr(o, 'type') as TypeProto | undefined;
    const range = attr(o, 'parse_location_range');
    const literal = o.value !== undefined && 'has_explicit_type' in o;
    if (literal && holdsStruct(type) && range?.end !== undefined) literals.push({ start: char(Number(range.start ?? 0)), end: char(Number(range.end)), type: type! });
    if (Array.isArray(o.field_list) && type?.type_kind === 'TYPE_STRUCT') {
      const key = namesKey((type.struct_type?.field ?? []).map((f) => f.field_name ?? ''));
      made.set(key, (made.get(key) ?? 0) + 1);
    }
  });
  return { literals, made };
}

/** Throws for a conversion between STRUCT types of other field names that is not a literal's (a column, a STRUCT of expressions). */
export function refuseStructRenames(root: unknown): void {
  eachObject(root, (o) => {
    const cast = o.resolved_cast_node;
    if (cast) {
      const to = attr(cast, 'type') as TypeProto | undefined;
      const from = leaf(cast.expr) ? (attr(leaf(cast.expr)!.body, 'type') as TypeProto | undefined) : undefined;
      if (holdsStruct(to) && holdsStruct(from) && shape(to) !== shape(from)) {
        throw new Untranslatable('a STRUCT value converted to a STRUCT type with other field names (BigQuery matches the fields by position)');
      }
    }
  });
}

/**
 * The field names the translation gives each literal STRUCT(…) of the statement, by the index of its `(`
 * token: the names of the literal's final type, found by walking its text with the type (a STRUCT(…) or a
 * tuple `(…)` field by field, an ARRAY `[…]` element by element, a CAST's operand with the cast's type).
 */
export function literalStructNames(tokens: Token[], literals: StructLiteral[]): Map<number, string[]> {
  const at = new Map<number, number>();
  tokens.forEach((t, k) => {
    if (t.at !== undefined && significant(t) && !at.has(t.at)) at.set(t.at, k);
  });
  const out = new Map<number, string[]>();
  const next = (i: number): number => {
    let j = i + 1;
    while (j < tokens.length && !significant(tokens[j]!)) j++;
    return j;
  };
  const first = (r: [number, number]): number => {
    let j = r[0];
    while (j < r[1] && !significant(tokens[j]!)) j++;
    return j;
  };
  const isPunct = (i: number, text: string): boolean => tokens[i]?.kind === 'punct' && tokens[i]!.text === text;
  const walk = (k: number, type: TypeProto): void => {
    const w = wordOf(tokens[k]);
    if ((w === 'cast' || w === 'safe_cast') && isPunct(next(k), '(')) {
      // CAST(x AS T): BigQuery converts a STRUCT by position, so x takes T's names.
      const r = argumentRanges(tokens, next(k))[0];
      if (r) walk(first(r), type);
      return;
    }
    if (type.type_kind === 'TYPE_STRUCT') {
      const open = w === 'struct' && isPunct(next(k), '(') ? next(k) : isPunct(k, '(') ? k : -1;
      if (open < 0) return;
      const fields = type.struct_type?.field ?? [];
      const args = argumentRanges(tokens, open);
      if (args.length !== fields.length) return;
      // A tuple `(1, 'a')` too: DuckDB's would be a STRUCT without names.
      if (w === 'struct' || fields.length > 1) out.set(open, fields.map((f) => f.field_name ?? ''));
      args.forEach((r, i) => walk(first(r), fields[i]!.field_type));
      return;
    }
    if (type.type_kind === 'TYPE_ARRAY' && type.array_type) {
      const open = isPunct(k, '[') ? k : w === 'array' && isPunct(next(k), '[') ? next(k) : -1;
      if (open < 0) return;
      for (const r of argumentRanges(tokens, open)) walk(first(r), type.array_type.element_type);
    }
  };
  for (const l of literals) {
    const k = at.get(l.start);
    if (k !== undefined) walk(k, l.type);
  }
  return out;
}

/**
 * A STRUCT(…) field as written, tokens [start, end): its name ('' for none: `_field_n`) and its value's tokens.
 * `x AS a` is `a`; a path (`x`, `t.x`) is named after its last part, as BigQuery infers; a constant is unnamed.
 */
export function writtenField(t: Token[], start: number, end: number): { name: string; value: [number, number] } {
  const sig: number[] = [];
  for (let j = start; j < end; j++) if (significant(t[j]!)) sig.push(j);
  const last = sig.at(-1)!;
  const before = sig.at(-2);
  if (before !== undefined && wordOf(t[before]) === 'as') return { name: t[last]!.text, value: [start, before] };
  const constant = sig.length === 1 && ['null', 'true', 'false'].includes(wordOf(t[last]));
  const dot = (j: number): boolean => t[j]?.kind === 'punct' && t[j]!.text === '.';
  const path = !constant && sig.length % 2 === 1 && sig.every((j, k) => (k % 2 === 0 ? ['word', 'ident'].includes(t[j]!.kind) : dot(j)));
  if (path) return { name: t[last]!.text.split('.').at(-1)!, value: [start, end] };
  return { name: '', value: [start, end] };
}

/** What may stand before a tuple `(a, b)` (not a call's name, IN, VALUES or a column list). */
const TUPLE_AFTER = new Set([',', '(', '=', '!=', '<>', '<', '>', '<=', '>=', '[']);
const TUPLE_AFTER_WORDS = new Set(['select', 'then', 'else', 'when', 'and', 'or', 'not', 'return']);

/**
 * Whether the bracket at `open` (`before`: the token before it) is a STRUCT written as a tuple: a literal's
 * (`names`), or, after an operator, a comma or a clause word, one of the analyzer's STRUCTs of expressions
 * not yet written (`madeLeft`) has as many unnamed fields.
 */
export function isTuple(t: Token[], open: number, before: number, names: Map<number, string[]>, madeLeft: Map<string, number> | undefined): boolean {
  if (wordOf(t[before]) === 'struct') return false;
  if (names.has(open)) return true;
  const b = t[before];
  const r = argumentRanges(t, open);
  if (!madeLeft || r.length < 2 || !(b?.kind === 'punct' ? TUPLE_AFTER.has(b.text) : TUPLE_AFTER_WORDS.has(wordOf(b)))) return false;
  return (madeLeft.get(namesKey(r.map(() => ''))) ?? 0) > 0;
}

/** Takes one of the analyzer's STRUCTs of expressions with these field names; none left: BigQuery changed its names, refused. */
export function claimMade(madeLeft: Map<string, number> | undefined, names: string[]): void {
  if (!madeLeft) return;
  const key = namesKey(names);
  const left = madeLeft.get(key) ?? 0;
  if (left <= 0) throw new Untranslatable('a STRUCT of expressions whose field names BigQuery takes from another STRUCT (matched by position)');
  madeLeft.set(key, left - 1);
}
