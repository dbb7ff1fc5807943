/**
 * The places in a statement whose BigQuery meaning depends on operand types the token-by-token
 * translation cannot see: read from the resolved AST (the analyzer records each expression's byte range),
 * as character ranges of the statement's text. The translation (to-duckdb.ts) writes each one with the
 * typed forms of typed-forms.ts instead of DuckDB's own operator or cast.
 */
import { attr, eachObject, leaf } from './resolved-ast.js';
import { argumentRanges, closing, significant, wordOf, type Token } from './sql-tokens.js';
import { analyticCalls, needsForm, type AggregateName, type AnalyticCall } from './aggregate-forms.js';
import { NanSiteFinder, type NanSite } from './nan-sites.js';
import type { TypeProto } from './bigquery-types.js';

/** A character range [start, end) of the statement's text. */
export interface Span {
  start: number;
  end: number;
}

/** Operands' ranges; the analyzer records none for a column reference: found in the tokens then. */
type Operands = (Span | undefined)[];

export type TypedSite = Span & { safe?: boolean } & (
  /** `a / b`, DIV(a, b), MOD(a, b): an error on a zero divisor; the result type (NUMERIC keeps its scale). */
  | { kind: 'divide' | 'div' | 'mod'; args: Operands; result: string }
  /** `a * b` of NUMERICs (or BIGNUMERICs, the result's type): exact, rounded half away from zero at nine decimals, BigQuery's overflow error. */
  | { kind: 'multiply'; args: Operands; result: string }
  /**
   * SUM of INT64, NUMERIC or FLOAT64 (BigQuery's error past the type's range, where DuckDB's sum widens or is
   * infinite), AVG of NUMERIC (exact, where DuckDB's goes through a DOUBLE), MIN / MAX of FLOAT64 (NaN when an
   * input is NaN): aggregate-forms.ts. The operand is the call's argument.
   */
  | { kind: 'aggregate'; fn: AggregateName; args: Operands; result: string; distinct: boolean }
  /** FLOAT64 `+`, `-`, `*` (and SAFE_ forms), POW, EXP: finite operands with an infinite or NaN result are BigQuery's error. */
  | { kind: 'float'; op: FloatOp; args: Operands }
  /** ROUND(float64, digits): halfway cases away from zero on the exact binary value. */
  | { kind: 'round'; args: Operands }
  /** A cast to STRING (or STRING(x)) of a type DuckDB writes otherwise. */
  | { kind: 'to-string'; from: string; args: Operands }
  /**
   * `arr[OFFSET(i)]`, `arr[ORDINAL(i)]`, `arr[i]` (an offset): BigQuery's error for an index out of bounds, where
   * DuckDB gives NULL, or an element counted from the end; the SAFE_ forms NULL. `base` is 0 for an offset.
   */
  | { kind: 'array-at'; args: Operands; base: 0 | 1 }
  /** DATE_TRUNC of a DATETIME or TIMESTAMP: of its type (the DATE translation would make it a DATE). */
  | { kind: 'trunc'; args: Operands }
  /** A cast the analyzer folded into a STRING literal: BigQuery's own text. */
  | { kind: 'literal'; value: string }
  /** FLOAT64 equality not written with `=` (IN, BETWEEN, CASE x WHEN, NULLIF): nan-sites.ts. */
  | Omit<NanSite, keyof Span>
  /** `=` or `!=` of STRUCTs or ARRAYs (`type` the operands'): composite-equality.ts. */
  | { kind: 'composite'; op: '=' | '!='; type: TypeProto; args: Operands }
  /** A FLOAT64 (no `type`), STRUCT or ARRAY column of a join's USING list (`join` the analyzer's join type): float-using.ts. */
  | { kind: 'using'; join: string; type?: TypeProto; args: Operands }
);

/** Source types whose text differs between DuckDB and BigQuery. */
const TO_STRING = new Set(['TYPE_TIMESTAMP', 'TYPE_DATETIME', 'TYPE_TIME', 'TYPE_DOUBLE', 'TYPE_FLOAT', 'TYPE_NUMERIC', 'TYPE_BIGNUMERIC']);

export type FloatOp = '+' | '-' | '*' | 'POW' | 'EXP' | Comparison;
/** FLOAT64 comparisons: false with a NaN operand (`!=` true), where DuckDB orders NaN above +inf. */
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';
const COMPARISONS: Record<string, Comparison> = {
  'ZetaSQL:$equal': '=', 'ZetaSQL:$not_equal': '!=', 'ZetaSQL:$less': '<', 'ZetaSQL:$less_or_equal': '<=', 'ZetaSQL:$greater': '>', 'ZetaSQL:$greater_or_equal': '>=',
};

const FUNCTIONS: Record<string, 'divide' | 'div' | 'mod' | 'round' | 'string' | 'multiply' | AggregateName | 'add' | 'subtract' | 'pow' | 'exp'> = {
  'ZetaSQL:$multiply': 'multiply', 'ZetaSQL:safe_multiply': 'multiply', 'ZetaSQL:sum': 'sum', 'ZetaSQL:avg': 'avg', 'ZetaSQL:min': 'min', 'ZetaSQL:max': 'max',
  'ZetaSQL:$add': 'add', 'ZetaSQL:safe_add': 'add', 'ZetaSQL:$subtract': 'subtract', 'ZetaSQL:safe_subtract': 'subtract', 'ZetaSQL:pow': 'pow', 'ZetaSQL:exp': 'exp', 'ZetaSQL:$divide': 'divide', 'ZetaSQL:safe_divide': 'divide', 'ZetaSQL:div': 'div', 'ZetaSQL:mod': 'mod', 'ZetaSQL:round': 'round', 'ZetaSQL:string': 'string',
};

const ARRAY_AT: Record<string, [0 | 1, boolean]> = {
  'ZetaSQL:$array_at_offset': [0, false], 'ZetaSQL:$array_at_ordinal': [1, false], 'ZetaSQL:$safe_array_at_offset': [0, true], 'ZetaSQL:$safe_array_at_ordinal': [1, true],
};

const FLOAT_OPS: Record<string, FloatOp> = { add: '+', subtract: '-', multiply: '*', pow: 'POW', exp: 'EXP' };

/** A function call's own part (its function and arguments), which the node's body holds as a `parent`. */
function callOf(wrapper: unknown): any {
  let body = leaf(wrapper)?.body;
  while (body && !body.function && body.parent) body = body.parent;
  return body?.function ? body : undefined;
}

const typeKind = (x: any): string | undefined => x?.type?.type_kind ?? x?.type_kind;

/**
 * The typed sites of a resolved statement. `offset` is where the statement's text starts in the analyzed
 * SQL (in bytes); positions are converted to the text's character indexes.
 */
function spanReaders(text: string, offset: number): { span: (body: any) => Span | undefined; argSpan: (wrapper: any) => Span | undefined } {
  const bytes = Buffer.from(text, 'utf8');
  const char = (b: number): number => bytes.subarray(0, Math.max(0, b - offset)).toString('utf8').length;
  const span = (body: any): Span | undefined => {
    const r = attr(body, 'parse_location_range');
    return r && r.end !== undefined ? { start: char(Number(r.start ?? 0)), end: char(Number(r.end)) } : undefined;
  };
  /** An argument's range: an implicit coercion may carry none, its operand does. */
  const argSpan = (wrapper: any): Span | undefined => {
    const n = leaf(wrapper);
    if (!n) return undefined;
    return span(n.body) ?? (n.body.expr ? argSpan(n.body.expr) : undefined);
  };
  return { span, argSpan };
}

/** The analytic SUM / AVG / MIN / MAX calls of a resolved statement (aggregate-forms.ts), positions as typedSites'. */
export function statementAnalyticCalls(root: unknown, text: string, offset: number): AnalyticCall[] {
  const { argSpan } = spanReaders(text, offset);
  return analyticCalls(root, (w) => argSpan(w)?.start);
}

export function typedSites(root: unknown, text: string, offset: number): TypedSite[] {
  const { span, argSpan } = spanReaders(text, offset);
  const nan = new NanSiteFinder(text, span, argSpan);
  const sites: TypedSite[] = [];
  /** Aggregate calls with DISTINCT: the flag sits one level above the call's function and arguments. */
  const distinctCalls = new Set<unknown>();
  /** A join's equalities (its join_expr, or the operands of its AND), with the join's type: USING's are among them. */
  const joinEqualities = new Map<unknown, string>();
  eachObject(root, (o) => {
    if (o.distinct === true && o.parent?.function) distinctCalls.add(o.parent);
    // A join scan (its type is left out when it is the default, INNER), or a join of an UNNEST (LEFT when outer).
    if (o.join_expr && (o.right_scan || o.array_expr || o.array_expr_list)) {
      const expr = callOf(o.join_expr);
      for (const e of expr?.function?.name === 'ZetaSQL:$and' ? ((expr.argument_list ?? []) as unknown[]).map(callOf) : [expr]) if (e) joinEqualities.set(e, typeof o.join_type === 'string' ? o.join_type : o.is_outer ? 'LEFT' : 'INNER');
    }
    const fn = FUNCTIONS[o.function?.name];
    if (fn) {
      const args = ((o.argument_list ?? []) as unknown[]).map(argSpan);
      const types = ((o.signature?.argument ?? []) as unknown[]).map(typeKind);
      const at = span(o);
      // SAFE_DIVIDE is `/` in its SAFE form: NULL on a zero divisor or an overflow.
      const safe = o.error_mode === 'SAFE_ERROR_MODE' || /^ZetaSQL:safe_(divide|multiply|add|subtract)$/.test(o.function.name);
      if (at) {
        if (fn === 'round' && args.length === 2 && types[0] === 'TYPE_DOUBLE') sites.push({ kind: 'round', ...at, safe, args });
        if ((fn === 'divide' || fn === 'div' || fn === 'mod') && args.length === 2) sites.push({ kind: fn, ...at, safe, args, result: typeKind(o.signature?.return_type) ?? '' });
        const result = typeKind(o.signature?.return_type) ?? '';
        if (fn === 'multiply' && args.length === 2 && (result === 'TYPE_NUMERIC' || result === 'TYPE_BIGNUMERIC')) sites.push({ kind: 'multiply', ...at, safe, args, result });
        const op = FLOAT_OPS[fn];
        if (op && result === 'TYPE_DOUBLE' && args.length === (op === 'EXP' ? 1 : 2)) sites.push({ kind: 'float', op, ...at, safe, args });
        // Analytic calls (`SUM(x) OVER (…)`) carry no range, so are not sites: aggregate-forms.ts finds them.
        const distinct = distinctCalls.has(o);
        if ((fn === 'sum' || fn === 'avg' || fn === 'min' || fn === 'max') && args.length === 1 && needsForm(fn, result)) sites.push({ kind: 'aggregate', fn, ...at, result, distinct, args });
        if (fn === 'string' && args.length === 1 && TO_STRING.has(types[0] ?? '')) sites.push({ kind: 'to-string', ...at, safe, from: types[0]!, args });
      }
    }
    const comparison = COMPARISONS[o.function?.name];
    const compared = comparison ? ((o.signature?.argument ?? []) as unknown[]).map(typeKind) : [];
    const at = comparison ? span(o) : undefined;
    if (at && compared.length === 2 && compared.every((t) => t === 'TYPE_DOUBLE' || t === 'TYPE_FLOAT')) {
      // A join's USING (x): DuckDB's USING matches NaN to NaN, and its merged column has no ON to rewrite.
      const join = joinEqualities.get(o);
      if (join && /\busing\s*\((?:[^()]*,)?\s*$/i.test(text.slice(0, at.start))) sites.push({ kind: 'using', ...at, join, args: [at] });
      else sites.push({ kind: 'float', op: comparison!, ...at, args: ((o.argument_list ?? []) as unknown[]).map(argSpan) });
    }
    const nested = (t: string | undefined): boolean => t === 'TYPE_STRUCT' || t === 'TYPE_ARRAY';
    // A join USING (s) of STRUCTs keeps DuckDB's USING (its list holds names, not expressions): its side's keys are rewritten.
    const inUsing = at && joinEqualities.has(o) && /\busing\s*\((?:[^()]*,)?\s*$/i.test(text.slice(0, at.start));
    if (at && compared.length === 2 && (comparison === '=' || comparison === '!=') && compared.every(nested)) {
      const type = (o.signature.argument[0] as { type: TypeProto }).type;
      if (inUsing) sites.push({ kind: 'using', join: joinEqualities.get(o)!, type, ...at, args: [at] });
      else sites.push({ kind: 'composite', op: comparison, type, ...at, args: ((o.argument_list ?? []) as unknown[]).map(argSpan) });
    }
    const nanSite = nan.site(o);
    if (nanSite) sites.push(nanSite);
    const arrayAt = ARRAY_AT[o.function?.name];
    const where = arrayAt || o.function?.name === 'ZetaSQL:date_trunc' ? span(o) : undefined;
    if (where && arrayAt) sites.push({ kind: 'array-at', ...where, safe: arrayAt[1], base: arrayAt[0], args: ((o.argument_list ?? []) as unknown[]).map(argSpan) });
    if (where && !arrayAt && typeKind((o.signature?.argument ?? [])[0]) !== 'TYPE_DATE') sites.push({ kind: 'trunc', ...where, args: ((o.argument_list ?? []) as unknown[]).map(argSpan) });
    const cast = o.resolved_cast_node;
    if (cast && typeKind(attr(cast, 'type')) === 'TYPE_STRING') {
      const from = typeKind(attr(leaf(cast.expr)?.body, 'type'));
      const at = span(cast);
      const arg = argSpan(cast.expr);
      if (at && from && TO_STRING.has(from)) sites.push({ kind: 'to-string', ...at, from, args: [arg] });
    }
    const literal = o.resolved_literal_node;
    if (literal && typeKind(attr(literal, 'type')) === 'TYPE_STRING') {
      const at = span(literal);
      const value = literal.value?.value?.string_value;
      // Only a folded cast: a plain string literal is translated as written.
      if (at && typeof value === 'string' && /^(safe_)?cast\s*\(|^string\s*\(/i.test(text.slice(at.start, at.end))) sites.push({ kind: 'literal', ...at, value });
    }
  });
  return sites;
}

/** A site found in a token list: its tokens [start, end) and its operands' token ranges. */
export interface PlacedSite {
  site: TypedSite;
  start: number;
  end: number;
  args: [number, number][];
}

/**
 * Operands by their tokens, for those the analyzer gave no range: `L / R` splits at the `/` before R (or
 * the last one outside brackets: R binds tighter, so holds none), a call at its top-level commas, a cast
 * at its `AS`.
 */
function operandTokens(tokens: Token[], site: TypedSite, start: number, end: number, known: (number | undefined)[]): [number, number][] | undefined {
  const top: number[] = [];
  for (let k = start, depth = 0; k < end; k++) {
    const t = tokens[k]!;
    if (depth === 0 && significant(t)) top.push(k);
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
  }
  if (site.kind === 'array-at') return arrayOperands(tokens, top);
  const first = wordOf(tokens[start]);
  const infix = (site.kind === 'float' && !['POW', 'EXP'].includes(site.op) && !/^safe_/.test(first)) || site.kind === 'composite';
  if ((site.kind === 'divide' && first !== 'safe_divide') || (site.kind === 'multiply' && first !== 'safe_multiply') || infix) {
    const operator = site.kind === 'divide' ? '/' : site.kind === 'float' || site.kind === 'composite' ? site.op : '*';
    const spelled = operator === '!=' ? ['!=', '<>'] : [operator];
    const ops = top.filter((k) => tokens[k]!.kind === 'punct' && spelled.includes(tokens[k]!.text) && (known[1] === undefined || k < known[1]));
    const op = ops.at(-1);
    return op === undefined ? undefined : [[start, op], [op + 1, end]];
  }
  // A coercion the analyzer put in (no CAST written): the operand is the whole site.
  if (site.kind === 'to-string' && !/^(safe_)?cast$|^string$/.test(first)) return [[start, end]];
  const open = top.find((k) => tokens[k]!.kind === 'punct' && tokens[k]!.text === '(');
  if (open === undefined) return undefined;
  if (first.endsWith('cast')) {
    const shut = closing(tokens, open);
    for (let k = open + 1, depth = 0; k < shut; k++) {
      const t = tokens[k]!;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
      else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
      else if (depth === 0 && wordOf(t) === 'as') return [[open + 1, k]];
    }
    return undefined;
  }
  return argumentRanges(tokens, open);
}

/** `arr[OFFSET(i)]` or `arr[i]`: the array before the last top-level `[`, the index inside it (and inside OFFSET(…)). */
function arrayOperands(tokens: Token[], top: number[]): [number, number][] | undefined {
  const open = top.filter((k) => tokens[k]!.kind === 'punct' && tokens[k]!.text === '[').at(-1);
  if (open === undefined) return undefined;
  const shut = closing(tokens, open);
  let word = open + 1;
  while (word < shut && !significant(tokens[word]!)) word++;
  let paren = word + 1;
  while (paren < shut && !significant(tokens[paren]!)) paren++;
  const wrapped = /^(safe_)?(offset|ordinal)$/.test(wordOf(tokens[word])) && tokens[paren]?.kind === 'punct' && tokens[paren]!.text === '(';
  return [[top[0]!, open], wrapped ? [paren + 1, closing(tokens, paren)] : [open + 1, shut]];
}

/**
 * The sites by the index of their first token, longest first (`a / b / c` and its `a / b` start at the
 * same token). A site that cannot be placed on token boundaries is `undefined`: the caller refuses the
 * statement rather than run it without the site's semantics.
 */
export function placeSites(tokens: Token[], sites: TypedSite[]): Map<number, PlacedSite[]> | undefined {
  const index = new Map<number, number>();
  tokens.forEach((t, k) => {
    if (t.at !== undefined && significant(t) && !index.has(t.at)) index.set(t.at, k);
  });
  const after = (end: number): number => {
    const k = tokens.findIndex((t) => (t.at ?? 0) >= end);
    return k < 0 ? tokens.length : k;
  };
  const out = new Map<number, PlacedSite[]>();
  for (const site of sites) {
    const start = index.get(site.start);
    if (start === undefined) return undefined;
    const end = after(site.end);
    let args: [number, number][] = [];
    if (site.kind !== 'literal') {
      const known = site.args.map((a) => (a ? index.get(a.start) : undefined));
      const found = known.some((k) => k === undefined) ? operandTokens(tokens, site, start, end, known) : undefined;
      if (known.some((k) => k === undefined) && found?.length !== site.args.length) return undefined;
      args = site.args.map((a, k) => (a && known[k] !== undefined ? [known[k]!, after(a.end)] : found![k]!));
    }
    const placed: PlacedSite = { site, start, end, args };
    out.set(start, [...(out.get(start) ?? []), placed].sort((x, y) => y.end - x.end));
  }
  return out;
}
