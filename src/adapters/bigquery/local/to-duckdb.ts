/**
 * BigQuery expressions and queries as DuckDB SQL, token by token, for the local server's execution on
 * data: backquoted paths become DuckDB's `"project"."dataset"."table"` (a DuckDB catalog per project),
 * strings DuckDB literals, types DuckDB types (TIMESTAMP is TIMESTAMPTZ in a UTC session, DATETIME is
 * TIMESTAMP, INT64 BIGINT, NUMERIC DECIMAL(38,9)), and the functions Strata's SQL uses get BigQuery's
 * semantics (CONCAT with NULL is NULL, REGEXP_REPLACE replaces every match, DATE_TRUNC WEEK starts on
 * Sunday, TIMESTAMP_DIFF counts whole intervals, MD5/SHA256 return bytes…). What it cannot translate
 * faithfully throws `Untranslatable`: the job says so instead of running something else.
 */
import { argumentRanges, closing, significant, tokenize, wordOf, type Token } from './sql-tokens.js';
import { BRACKET_WORDS, DUCKDB_ONLY_RESERVED, DUCKDB_RESERVED_SYNTAX, quoteIdent, quoteString, REFUSED, REFUSED_NAMESPACES, RENAMED, TYPES } from './duckdb-spelling.js';
import { timeCall, valueCall, type Call } from './function-calls.js';
import { DEFAULT_SESSION_USER } from './session-user.js';
import { CURRENT, interval } from './special-forms.js';
import { offsetRowFields, unnestForm } from './unnest-forms.js';
import { bigQueryError, Untranslatable } from './untranslatable.js';
import { placeSites, type PlacedSite, type TypedSite } from './typed-sites.js';
import { typedForm } from './typed-forms.js';
import { analyticForm } from './analytic-windows.js';
import type { AnalyticCall } from './aggregate-forms.js';
import { nanOrderBy } from './nan-order.js';
import { floatUsingJoin } from './float-using.js';
import { rangeValueSites, type RangeValues } from './range-variables.js';
import { claimMade, isTuple, literalStructNames, writtenField, type StructLiteral } from './struct-names.js';

export { duckTypeOfField, quoteIdent, quoteString } from './duckdb-spelling.js';

export { Untranslatable } from './untranslatable.js';

export interface TranslateContext {
  /** Script variables (DECLARE): read with getvariable(). */
  variables: Set<string>;
  /** Where the statement's meaning depends on operand types (typed-sites.ts), in the translated text. */
  sites?: TypedSite[];
  /** The statement's analytic SUM / AVG / MIN / MAX calls and their types (aggregate-forms.ts). */
  analytic?: AnalyticCall[];
  /** Whether the statement sorts by a FLOAT64 (nan-order.ts): its ORDER BY items then sort NaN first. */
  floatOrder?: boolean;
  /** What `session_user()` answers (session-user.ts); DuckDB's own would say `duckdb`. */
  sessionUser?: string;
  /** The element names of the statement's UNNESTs of STRUCTs, and of others (unnest-forms.ts). */
  unnests?: { struct: Set<string>; other: Set<string>; offsets?: Map<string, string> };
  /** The statement's literals holding STRUCTs and the field names of its STRUCTs of expressions (struct-names.ts). */
  structs?: { literals: StructLiteral[]; made: Map<string, number> };
  /** The range variables the statement uses as values (range-variables.ts). */
  rangeValues?: RangeValues;
}

/** Translates tokens to DuckDB SQL; function-calls.ts reads arguments and nested forms through it. */
export class Translator {
  private readonly sites: Map<number, PlacedSite[]>;
  /** The sites being written: their operands are translated without them. */
  private readonly active = new Set<PlacedSite>();
  private readonly written = new Set<PlacedSite>();
  /** A range variable used as a value, by token: the struct of its columns (named as the select item it is). */
  private readonly rows: Map<number, string>;
  /** A literal STRUCT(…)'s field names by its `(` token: its final type's (struct-names.ts). */
  private readonly structNames: Map<number, string[]>;
  /** The STRUCTs of expressions not yet written, by their field names: each written one must be one of them. */
  private readonly madeLeft?: Map<string, number>;

  constructor(readonly t: Token[], private readonly ctx: TranslateContext) {
    this.rows = rangeValueSites(t, ctx.rangeValues);
    const placed = ctx.sites?.length ? placeSites(t, ctx.sites) : new Map<number, PlacedSite[]>();
    if (!placed) throw new Untranslatable('an expression whose operand types matter, not found in the statement text');
    this.sites = placed;
    this.structNames = ctx.structs ? literalStructNames(t, ctx.structs.literals) : new Map();
    this.madeLeft = ctx.structs ? new Map(ctx.structs.made) : undefined;
  }

  next(i: number): number {
    let j = i + 1;
    while (j < this.t.length && !significant(this.t[j]!)) j++;
    return j;
  }

  private prev(i: number): number {
    let j = i - 1;
    while (j >= 0 && !significant(this.t[j]!)) j--;
    return j;
  }

  private isPunct(i: number, text: string): boolean {
    const x = this.t[i];
    return !!x && x.kind === 'punct' && x.text === text;
  }

  /** The tokens [start, end) as DuckDB SQL. */
  emit(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; ) {
      const [text, after] = this.one(i, end);
      out += text;
      i = after;
    }
    return out;
  }

  arg(r: [number, number] | undefined): string {
    return r ? this.emit(r[0], r[1]).trim() : '';
  }

  /** One token (or construct starting there): its text and the index after it. */
  private one(i: number, end: number): [string, number] {
    const site = this.sites.get(i)?.find((p) => p.end <= end && !this.active.has(p));
    if (site) return [this.typed(site), site.end];
    const tok = this.t[i]!;
    const row = this.rows.get(i);
    if (row) return [row, i + 1];
    switch (tok.kind) {
      case 'space':
      case 'comment':
        return [tok.text, i + 1];
      case 'string':
        return [quoteString(tok.text), i + 1];
      case 'bytes':
        return [`${quoteString(tok.text)}::BLOB`, i + 1];
      case 'ident':
        return [tok.text.split('.').map(quoteIdent).join('.'), i + 1];
      case 'param':
        if (tok.text.startsWith('@@')) throw new Untranslatable(`system variable ${tok.text}`);
        return [`getvariable(${quoteString(`strata_param_${tok.text.slice(1).toLowerCase()}`)})`, i + 1];
      case 'number':
        // BigQuery's 0.1 is a FLOAT64; DuckDB's would be a DECIMAL.
        return [/[.eE]/.test(tok.text) ? `${tok.text}::DOUBLE` : tok.text, i + 1];
      case 'punct':
        return this.punct(i, end);
      case 'word':
        return this.word(i);
      default:
        return [tok.text, i + 1];
    }
  }

  /** Whether the word between tokens `p` and `n` is a name: an alias after AS, or a whole select-list item. */
  private isName(p: number, n: number): boolean {
    const before = this.t[p];
    const item = before && (wordOf(before) === 'select' || (before.kind === 'punct' && before.text === ','));
    const ends = !this.t[n] || [',', ')'].includes(this.t[n]!.text) || ['from', 'as'].includes(wordOf(this.t[n]));
    return wordOf(before) === 'as' || (!!item && ends);
  }

  /** Whether an UNNEST in FROM with this element name (lower-case, '' without alias) is one of STRUCTs. */
  structUnnest(name: string): boolean {
    return !!this.ctx.unnests?.struct.has(name) && !this.ctx.unnests.other.has(name);
  }

  /** Whether the word between tokens `p` and `n` names a table: a CTE's (`with w as (`), or right after FROM or JOIN. */
  private isTableName(p: number, n: number): boolean {
    const cte = ['with', 'recursive'].includes(wordOf(this.t[p])) || this.isPunct(p, ',');
    return (cte && wordOf(this.t[n]) === 'as' && this.isPunct(this.next(n), '(')) || ['from', 'join'].includes(wordOf(this.t[p]));
  }

  /** The placed sites of `kind` starting in tokens [start, end). */
  sitesIn(start: number, end: number, kind: TypedSite['kind']): PlacedSite[] {
    return [...this.sites].filter(([at]) => at >= start && at < end).flatMap(([, placed]) => placed.filter((p) => p.site.kind === kind));
  }

  /** Whether a NaN site (nan-sites.ts) starting in tokens [start, end) was not written: it would run with DuckDB's NaN. */
  unwritten(start: number, end: number): boolean {
    for (const [at, placed] of this.sites) if (at >= start && at < end && placed.some((p) => p.site.kind === 'nan' && !this.written.has(p))) return true;
    return false;
  }

  /** A typed site with BigQuery's semantics (typed-forms.ts), its operands translated as usual. */
  private typed(p: PlacedSite): string {
    this.written.add(p);
    this.active.add(p);
    try {
      return typedForm(p.site, (k) => this.emit(p.args[k]![0], p.args[k]![1]).trim());
    } finally {
      this.active.delete(p);
    }
  }

  private punct(i: number, end: number): [string, number] {
    const tok = this.t[i]!;
    const n = this.next(i);
    if (tok.text === '*' && wordOf(this.t[n]) === 'except' && this.isPunct(this.next(n), '(')) return ['* exclude ', n + 1];
    // A STRUCT written as a tuple `(x, 'a')` (DuckDB's has no names): a literal, or one the analyzer built with these names.
    if (tok.text === '(' && isTuple(this.t, i, this.prev(i), this.structNames, this.madeLeft)) return [this.struct(i, argumentRanges(this.t, i), true), closing(this.t, i) + 1];
    if (tok.text === '[' && n < end && ['offset', 'safe_offset', 'ordinal', 'safe_ordinal'].includes(wordOf(this.t[n])) && this.isPunct(this.next(n), '(')) {
      const open = this.next(n);
      const close = closing(this.t, open);
      const shut = closing(this.t, i);
      const index = this.emit(open + 1, close).trim();
      return [wordOf(this.t[n]).endsWith('offset') ? `[(${index}) + 1]` : `[${index}]`, shut + 1];
    }
    return [tok.text, i + 1];
  }

  private word(i: number): [string, number] {
    const tok = this.t[i]!;
    const w = tok.text.toLowerCase();
    const p = this.prev(i);
    const n = this.next(i);
    if (this.isPunct(p, '.')) return [tok.text, i + 1];
    if (w === 'safe' && this.isPunct(n, '.') && this.t[this.next(n)]?.kind === 'word' && this.isPunct(this.next(this.next(n)), '(')) {
      const [text, after] = this.call(this.next(n));
      return [`try(${text})`, after];
    }
    if (w === 'unnest' && wordOf(this.t[p]) === 'in' && this.isPunct(n, '(')) {
      const close = closing(this.t, n);
      return [`(select unnest(${this.emit(n + 1, close)}))`, close + 1];
    }
    if (w === 'unnest' && this.isPunct(n, '(')) return unnestForm(this, i, n);
    if (w === 'interval') return interval(this, i);
    if (w === 'order' && wordOf(this.t[n]) === 'by' && this.ctx.floatOrder) return nanOrderBy(this, i);
    if (CURRENT[w] !== undefined && !this.isPunct(n, '(')) return [wordOf(this.t[p]) === 'as' || this.isTableName(p, n) ? quoteIdent(tok.text) : CURRENT[w]!, i + 1];
    if (w === 'join') {
      const floatUsing = floatUsingJoin(this, i);
      if (floatUsing) return floatUsing;
    }
    // The bracket's own tokens follow (and the typed sites starting there).
    if (this.isPunct(n, '(') && BRACKET_WORDS.has(w)) return [tok.text, i + 1];
    if (this.isPunct(n, '(') && !['numeric', 'decimal', 'bignumeric', 'bigdecimal'].includes(w)) return this.call(i);
    const fields = this.isPunct(n, '.') && this.isPunct(this.next(n), '*') ? offsetRowFields(this, i, this.ctx.unnests?.offsets) : undefined;
    if (fields) return fields;
    if (this.isPunct(n, '.')) {
      // A dotted function name (`NET.HOST(x)`): its tokens are `net`, `.`, `host`.
      const member = this.next(n);
      if (REFUSED_NAMESPACES.has(w) && this.t[member]?.kind === 'word' && this.isPunct(this.next(member), '(')) throw new Untranslatable(`function ${tok.text}.${this.t[member]!.text}`);
      // A qualifier (`table.x`, `unique.x`) is a name, whatever DuckDB reserves.
      return [DUCKDB_ONLY_RESERVED.has(w) || DUCKDB_RESERVED_SYNTAX.has(w) ? quoteIdent(tok.text) : tok.text, i + 1];
    }
    if (this.ctx.variables.has(w)) return [`getvariable(${quoteString(w)})`, i + 1];
    if ((w === 'array' || w === 'struct') && this.isPunct(n, '<')) return this.compositeType(i);
    if (w === 'distinct' && ['union', 'intersect', 'except'].includes(wordOf(this.t[p]))) return ['', i + 1];
    if (TYPES[w] && !this.isPunct(n, '(')) return [TYPES[w]!, i + 1];
    if ((w === 'numeric' || w === 'decimal') && this.isPunct(n, '(')) return ['DECIMAL', i + 1];
    // A name BigQuery allows that DuckDB reserves (one that is BigQuery syntax too: as an alias or a select-list item).
    if (DUCKDB_ONLY_RESERVED.has(w) || (DUCKDB_RESERVED_SYNTAX.has(w) && (this.isName(p, n) || this.isTableName(p, n)))) return [quoteIdent(tok.text), i + 1];
    return [tok.text, i + 1];
  }

  /**
   * `array<T>` → `T[]`, `struct<a T, b U>` → `STRUCT(a T, b U)`; a typed literal (`array<T>[…]`,
   * `struct<a T>(…)`) is its values cast to that type, so an empty one keeps its element type.
   */
  private compositeType(i: number): [string, number] {
    const open = this.next(i);
    const close = closing(this.t, open);
    const inner = this.emit(open + 1, close).trim();
    const type = wordOf(this.t[i]) === 'array' ? `${inner}[]` : `STRUCT(${inner})`;
    const after = this.next(close);
    const bracket = wordOf(this.t[i]) === 'array' ? '[' : '(';
    if (!this.isPunct(after, bracket)) return [type, close + 1];
    const shut = closing(this.t, after);
    const values = bracket === '[' ? `[${this.emit(after + 1, shut)}]` : `ROW(${this.emit(after + 1, shut)})`;
    return [`CAST(${values} AS ${type})`, shut + 1];
  }

  /** A function call at `i` (name) with BigQuery's semantics. */
  private call(i: number): [string, number] {
    const name = this.t[i]!.text;
    const f = name.toLowerCase();
    const open = this.next(i);
    const close = closing(this.t, open);
    const r = argumentRanges(this.t, open);
    const args: string[] = [];
    const tokensOf = (k: number): Token[] => (r[k] ? this.t.slice(r[k]![0], r[k]![1]).filter(significant) : []);
    const c: Call = {
      name, f, open, close, r,
      // Once per argument, however often a form writes it (a STRUCT of expressions is counted as it is written).
      a: (k) => (args[k] ??= this.arg(r[k])),
      part: (k) => {
        const x = tokensOf(k);
        if (x.length !== 1 || x[0]!.kind !== 'word') throw new Untranslatable(`${name} with part ${x.map((y) => y.text).join(' ')}`);
        return x[0]!.text.toLowerCase();
      },
      literal: (k) => {
        const x = tokensOf(k);
        return x.length === 1 && x[0]!.kind === 'string' ? x[0]!.text : undefined;
      },
    };
    if (['sum', 'avg', 'min', 'max'].includes(f) && wordOf(this.t[this.next(close)]) === 'over') return analyticForm(this, c, this.ctx.analytic);
    if (REFUSED.has(f)) throw new Untranslatable(`function ${name}`);
    if (RENAMED[f]) return [`${RENAMED[f]}(${this.emit(open + 1, close)})`, close + 1];
    if (f === 'session_user') return [quoteString(this.ctx.sessionUser ?? DEFAULT_SESSION_USER), close + 1];
    return [timeCall(c, this) ?? valueCall(c, this), close + 1];
  }

  /**
   * STRUCT(x AS a, y AS b) → struct_pack(a := x, b := y) (struct-names.ts): a literal takes its final type's names
   * (BigQuery coerces by position, DuckDB by name); a STRUCT of expressions whose names the analyzer changed is refused.
   */
  struct(open: number, r: [number, number][], tuple = false): string {
    // A tuple's fields have no names, paths included.
    const written = r.map(([start, end]) => (tuple ? { name: '', value: [start, end] as [number, number] } : writtenField(this.t, start, end)));
    const given = this.structNames.get(open);
    if (!given) claimMade(this.madeLeft, written.map((w) => w.name));
    const fields = written.map((w, k) => `${quoteIdent((given ? given[k] : w.name) || `_field_${k + 1}`)} := ${this.emit(w.value[0], w.value[1]).trim()}`);
    return `struct_pack(${fields.join(', ')})`;
  }
}

/** Tokens [start, end) of a statement as DuckDB SQL. */
export function translateRange(tokens: Token[], start: number, end: number, ctx: TranslateContext): string {
  const tr = new Translator(tokens, ctx);
  const sql = tr.emit(start, end);
  if (tr.unwritten(start, end)) throw new Untranslatable('an IN, BETWEEN, CASE or NULLIF of FLOAT64 (NaN equals nothing in BigQuery) not found in the statement text');
  return sql;
}

/** A BigQuery expression or query as DuckDB SQL. */
export function toDuckDb(sql: string, ctx: TranslateContext): string {
  const tokens = tokenize(sql);
  return translateRange(tokens, 0, tokens.length, ctx);
}
