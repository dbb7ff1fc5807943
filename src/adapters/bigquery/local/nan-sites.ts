/**
 * FLOAT64 tests of equality that the text does not write with `=`: `x IN (…)`, `x IN UNNEST(…)`,
 * `x IN (subquery)`, `x BETWEEN lo AND hi`, `CASE x WHEN …`, `NULLIF(x, y)`. BigQuery compares NaN as IEEE does
 * (NaN equals nothing, and is neither above nor below a number); DuckDB holds NaN equal to itself and above
 * +inf. The analyzer records only the `IN` or `BETWEEN` word's range (or the subquery's), so the operands
 * are found in the tokens of the statement: a left operand without a range is a column reference.
 */
import { attr, leaf } from './resolved-ast.js';
import { argumentRanges, closing, significant, tokenize, wordOf, type Token } from './sql-tokens.js';
import { Untranslatable } from './untranslatable.js';
import type { Span } from './typed-sites.js';
import type { TypeProto } from './bigquery-types.js';

/** The NaN-aware form of a site (typed-forms.ts): its operands as `args`, the first one the tested value. */
export type NanForm = 'in-list' | 'in-array' | 'in-subquery' | 'between' | 'case-value' | 'nullif';

export interface NanSite extends Span {
  kind: 'nan';
  form: NanForm;
  /** `NOT IN`, `NOT BETWEEN`. */
  negated: boolean;
  args: Span[];
  /** The tested value's type when it is a STRUCT or an ARRAY (IN a list, an array or a subquery: composite-equality.ts). */
  nested?: TypeProto;
}

const FLOAT = /^TYPE_(DOUBLE|FLOAT)$/;
/** Words before a bracket that do not name a call: the bracket is the operand (`select (a, b) in …`). */
const NOT_CALLS = new Set(['select', 'where', 'and', 'or', 'not', 'on', 'when', 'then', 'else', 'having', 'by', 'in', 'as', 'distinct', 'all', 'case', 'qualify', 'set', 'values', 'return', 'is', 'like', 'between']);
const NESTED = /^TYPE_(STRUCT|ARRAY)$/;
const typeKind = (x: any): string => x?.type?.type_kind ?? x?.type_kind ?? '';

/** Reads a statement's tokens once, by character position. */
export class NanSiteFinder {
  private tokens?: Token[];
  private index?: Map<number, number>;

  constructor(private readonly text: string, private readonly span: (body: any) => Span | undefined, private readonly argSpan: (wrapper: any) => Span | undefined) {}

  /** The site of a resolved node `o` (a function call's or a subquery's fields), if it tests FLOAT64 equality. */
  site(o: Record<string, any>): NanSite | undefined {
    const name: string | undefined = o.function?.name;
    const types = ((o.signature?.argument ?? []) as unknown[]).map(typeKind);
    const args = (o.argument_list ?? []) as unknown[];
    if (name === 'ZetaSQL:$in' && FLOAT.test(types[0] ?? '')) return this.membership(o, args[0], 'in-list');
    // STRUCT or ARRAY values: compared field by field, NULL and NaN as BigQuery does.
    const nested = NESTED.test(types[0] ?? '') ? (o.signature.argument[0] as { type: TypeProto }).type : undefined;
    if (nested && name === 'ZetaSQL:$in') return { ...this.membership(o, args[0], 'in-list'), nested };
    if (nested && name === 'ZetaSQL:$in_array') return { ...this.membership(o, args[0], 'in-array'), nested };
    if (name === 'ZetaSQL:$in_array' && FLOAT.test(types[0] ?? '')) return this.membership(o, args[0], 'in-array');
    if (name === 'ZetaSQL:$between' && types.some((t) => FLOAT.test(t))) return this.between(o, args);
    if (name === 'ZetaSQL:$case_with_value' && FLOAT.test(types[0] ?? '')) return this.caseValue(o, args[0]);
    if (name === 'ZetaSQL:nullif' && FLOAT.test(types[0] ?? '')) return this.nullif(o);
    if (o.subquery_type === 'IN' && o.in_expr && FLOAT.test(typeKind(attr(leaf(o.in_expr)?.body, 'type')))) return this.membership(o, o.in_expr, 'in-subquery');
    const tested = o.subquery_type === 'IN' && o.in_expr ? (attr(leaf(o.in_expr)?.body, 'type') as TypeProto | undefined) : undefined;
    if (tested && NESTED.test(tested.type_kind ?? '')) return { ...this.membership(o, o.in_expr, 'in-subquery'), nested: tested };
    return undefined;
  }

  private toks(): { t: Token[]; at: Map<number, number> } {
    if (!this.tokens) {
      this.tokens = tokenize(this.text);
      this.index = new Map();
      this.tokens.forEach((t, k) => {
        if (t.at !== undefined && significant(t) && !this.index!.has(t.at)) this.index!.set(t.at, k);
      });
    }
    return { t: this.tokens, at: this.index! };
  }

  private startOf(k: number): number {
    return this.toks().t[k]?.at ?? this.text.length;
  }

  /** The character range of tokens [from, to] (inclusive). */
  private range(from: number, to: number): Span {
    return { start: this.startOf(from), end: this.startOf(to + 1) };
  }

  private prev(k: number): number {
    const { t } = this.toks();
    let j = k - 1;
    while (j >= 0 && !significant(t[j]!)) j--;
    return j;
  }

  private next(k: number): number {
    const { t } = this.toks();
    let j = k + 1;
    while (j < t.length && !significant(t[j]!)) j++;
    return j;
  }

  /** The first significant token from `k` on. */
  private first(k: number): number {
    return significant(this.toks().t[k]!) ? k : this.next(k);
  }

  private tokenAt(span: Span | undefined, what: string): number {
    const k = span ? this.toks().at.get(span.start) : undefined;
    if (k === undefined) throw new Untranslatable(`${what} of FLOAT64, not found in the statement text`);
    return k;
  }

  /** The left operand ending at token `last`: its analyzer range, else a column path (`t.x`) or a bracketed one. */
  private leftOperand(operand: unknown, last: number, what: string): number {
    const known = this.argSpan(operand);
    if (known) return this.tokenAt(known, what);
    const { t } = this.toks();
    const tok = t[last];
    if (tok?.kind === 'punct' && tok.text === ')') {
      for (let k = last, depth = 0; k >= 0; k--) {
        if (t[k]!.kind === 'punct' && t[k]!.text === ')') depth++;
        else if (t[k]!.kind === 'punct' && t[k]!.text === '(' && --depth === 0) {
          // A call's brackets (`struct(…)`, `round(…)`): the operand starts at its name.
          const name = this.prev(k);
          return t[name]?.kind === 'word' && !NOT_CALLS.has(wordOf(t[name])) ? name : k;
        }
      }
    }
    if (tok?.kind !== 'word' && tok?.kind !== 'ident') throw new Untranslatable(`${what} of FLOAT64 whose tested value is not found in the statement text`);
    let first = last;
    for (let dot = this.prev(first); t[dot]?.kind === 'punct' && t[dot]!.text === '.' && ['word', 'ident'].includes(t[this.prev(dot)]?.kind ?? ''); dot = this.prev(first)) first = this.prev(dot);
    return first;
  }

  /** `x [NOT] IN (…)`, `x [NOT] IN UNNEST(…)`, `x [NOT] IN (subquery)`. */
  private membership(o: Record<string, any>, operand: unknown, form: NanForm): NanSite {
    const what = form === 'in-subquery' ? 'IN (subquery)' : form === 'in-array' ? 'IN UNNEST' : 'IN';
    const { t } = this.toks();
    const anchor = this.tokenAt(this.span(o), what);
    // The analyzer's range: the IN word, or the subquery inside its brackets.
    const word = form === 'in-subquery' ? this.prev(this.prev(anchor)) : anchor;
    if (wordOf(t[word]) !== 'in') throw new Untranslatable(`${what} of FLOAT64, not found in the statement text`);
    const before = this.prev(word);
    const negated = wordOf(t[before]) === 'not';
    const left = this.leftOperand(operand, negated ? this.prev(before) : before, what);
    let open = this.next(word);
    if (form === 'in-array') open = this.next(open);
    if (t[open]?.kind !== 'punct' || t[open]!.text !== '(') throw new Untranslatable(`${what} of FLOAT64, not found in the statement text`);
    const shut = closing(t, open);
    const leftRange = this.range(left, (negated ? this.prev(before) : before));
    const items = form === 'in-list' ? argumentRanges(t, open).map(([s, e]) => this.range(this.first(s), this.prev(e))) : [this.range(this.next(open), this.prev(shut))];
    return { kind: 'nan', form, negated, start: this.startOf(left), end: this.startOf(shut + 1), args: [leftRange, ...items] };
  }

  /** `x [NOT] BETWEEN lo AND hi`: lo ends at the first AND at its depth; hi is its analyzer range or a column path. */
  private between(o: Record<string, any>, args: unknown[]): NanSite {
    const { t } = this.toks();
    const word = this.tokenAt(this.span(o), 'BETWEEN');
    const before = this.prev(word);
    const negated = wordOf(t[before]) === 'not';
    const leftLast = negated ? this.prev(before) : before;
    const left = this.leftOperand(args[0], leftLast, 'BETWEEN');
    const and = wordAtTopLevel(t, this.next(word), 'and');
    const hiFirst = this.next(and);
    const hiSpan = this.argSpan(args[2]);
    let hiLast = hiFirst;
    if (hiSpan) {
      const after = t.findIndex((x) => (x.at ?? 0) >= hiSpan.end);
      hiLast = this.prev(after < 0 ? t.length : after);
    } else if (t[hiFirst]?.kind === 'punct' && t[hiFirst]!.text === '(') hiLast = closing(t, hiFirst);
    else while (t[this.next(hiLast)]?.kind === 'punct' && t[this.next(hiLast)]!.text === '.') hiLast = this.next(this.next(hiLast));
    const argsOut = [this.range(left, leftLast), this.range(this.next(word), this.prev(and)), this.range(hiFirst, hiLast)];
    return { kind: 'nan', form: 'between', negated, start: this.startOf(left), end: this.startOf(hiLast + 1), args: argsOut };
  }

  /** `CASE x WHEN …`: only the tested value is the site; it becomes NULL when NaN, so that no WHEN matches it. */
  private caseValue(o: Record<string, any>, operand: unknown): NanSite {
    const known = this.argSpan(operand);
    if (known) return { kind: 'nan', form: 'case-value', negated: false, ...known, args: [known] };
    const { t } = this.toks();
    const start = this.tokenAt(this.span(o), 'CASE');
    const when = wordAtTopLevel(t, this.next(start), 'when');
    const value = this.range(this.next(start), this.prev(when));
    return { kind: 'nan', form: 'case-value', negated: false, ...value, args: [value] };
  }

  /** `NULLIF(x, y)`: the whole call. */
  private nullif(o: Record<string, any>): NanSite {
    const { t } = this.toks();
    const at = this.span(o);
    const start = this.tokenAt(at, 'NULLIF');
    const open = this.next(start);
    const ranges = t[open]?.text === '(' ? argumentRanges(t, open) : [];
    if (ranges.length !== 2) throw new Untranslatable('NULLIF of FLOAT64, not found in the statement text');
    return { kind: 'nan', form: 'nullif', negated: false, start: at!.start, end: this.startOf(closing(t, open) + 1), args: ranges.map(([s, e]) => this.range(this.first(s), this.prev(e))) };
  }
}

/** The index of the first `word` from `from` on that is outside any brackets opened after `from` (t.length if none). */
function wordAtTopLevel(t: Token[], from: number, word: string): number {
  let i = from;
  for (let depth = 0; i < t.length; i++) {
    const x = t[i]!;
    if (x.kind === 'punct' && (x.text === '(' || x.text === '[')) depth++;
    else if (x.kind === 'punct' && (x.text === ')' || x.text === ']')) depth--;
    else if (depth === 0 && wordOf(x) === word) break;
  }
  return i;
}
