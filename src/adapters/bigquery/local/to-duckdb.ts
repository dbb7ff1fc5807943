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
import { CLAUSE_WORDS, quoteIdent, quoteString, REFUSED, RENAMED, timeFormat, TYPES } from './duckdb-spelling.js';

export { duckTypeOfField, quoteIdent, quoteString } from './duckdb-spelling.js';

export class Untranslatable extends Error {}

export interface TranslateContext {
  /** Script variables (DECLARE): read with getvariable(). */
  variables: Set<string>;
}

/** A function call being translated: its name, brackets, argument ranges and readers of its arguments. */
interface Call {
  name: string;
  f: string;
  open: number;
  close: number;
  r: [number, number][];
  /** Argument k as DuckDB SQL. */
  a(k: number): string;
  /** Argument k as a date part word (`day`). */
  part(k: number): string;
  /** Argument k's value if it is a string literal. */
  literal(k: number): string | undefined;
}

class Translator {
  constructor(private readonly t: Token[], private readonly ctx: TranslateContext) {}

  private next(i: number): number {
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

  private arg(r: [number, number] | undefined): string {
    return r ? this.emit(r[0], r[1]).trim() : '';
  }

  /** One token (or construct starting there): its text and the index after it. */
  private one(i: number, end: number): [string, number] {
    const tok = this.t[i]!;
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

  private punct(i: number, end: number): [string, number] {
    const tok = this.t[i]!;
    const n = this.next(i);
    if (tok.text === '*' && wordOf(this.t[n]) === 'except' && this.isPunct(this.next(n), '(')) return ['* exclude ', n + 1];
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
    if (w === 'unnest' && this.isPunct(n, '(')) return this.unnest(i, n);
    if (this.isPunct(n, '(') && !['numeric', 'decimal', 'bignumeric', 'bigdecimal'].includes(w)) return this.call(i);
    if (this.isPunct(n, '.')) return [tok.text, i + 1];
    if (this.ctx.variables.has(w)) return [`getvariable(${quoteString(w)})`, i + 1];
    if ((w === 'array' || w === 'struct') && this.isPunct(n, '<')) return this.compositeType(i);
    if (w === 'distinct' && ['union', 'intersect', 'except'].includes(wordOf(this.t[p]))) return ['', i + 1];
    if (TYPES[w] && !this.isPunct(n, '(')) return [TYPES[w]!, i + 1];
    if ((w === 'numeric' || w === 'decimal') && this.isPunct(n, '(')) return ['DECIMAL', i + 1];
    return [tok.text, i + 1];
  }

  /** `array<T>` → `T[]`, `struct<a T, b U>` → `STRUCT(a T, b U)`. */
  private compositeType(i: number): [string, number] {
    const open = this.next(i);
    const close = closing(this.t, open);
    const inner = this.emit(open + 1, close).trim();
    return [wordOf(this.t[i]) === 'array' ? `${inner}[]` : `STRUCT(${inner})`, close + 1];
  }

  /** A function call at `i` (name) with BigQuery's semantics. */
  private call(i: number): [string, number] {
    const name = this.t[i]!.text;
    const f = name.toLowerCase();
    const open = this.next(i);
    const close = closing(this.t, open);
    const r = argumentRanges(this.t, open);
    const tokensOf = (k: number): Token[] => (r[k] ? this.t.slice(r[k]![0], r[k]![1]).filter(significant) : []);
    const c: Call = {
      name, f, open, close, r,
      a: (k) => this.arg(r[k]),
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
    if (REFUSED.has(f)) throw new Untranslatable(`function ${name}`);
    if (RENAMED[f]) return [`${RENAMED[f]}(${this.emit(open + 1, close)})`, close + 1];
    return [this.timeCall(c) ?? this.valueCall(c), close + 1];
  }

  /** Date and time functions. */
  private timeCall(c: Call): string | undefined {
    switch (c.f) {
      case 'date_trunc':
      case 'timestamp_trunc':
      case 'datetime_trunc':
        return this.trunc(c.f, c.a(0), c.part(1));
      case 'timestamp_diff':
        return `date_sub(${quoteString(c.part(2))}, ${c.a(1)}, ${c.a(0)})`;
      case 'datetime_diff':
      case 'date_diff':
      case 'time_diff':
        if (c.part(2) === 'week') return `date_diff('day', (${c.a(1)}) - CAST(dayofweek(${c.a(1)}) AS INTEGER), (${c.a(0)}) - CAST(dayofweek(${c.a(0)}) AS INTEGER)) // 7`;
        return `date_diff(${quoteString(c.part(2))}, ${c.a(1)}, ${c.a(0)})`;
      case 'timestamp_add':
      case 'datetime_add':
      case 'timestamp_sub':
      case 'datetime_sub':
        return `((${c.a(0)}) ${c.f.endsWith('add') ? '+' : '-'} ${c.a(1)})`;
      case 'date_add':
      case 'date_sub':
        return `CAST((${c.a(0)}) ${c.f.endsWith('add') ? '+' : '-'} ${c.a(1)} AS DATE)`;
      case 'parse_timestamp':
      case 'parse_datetime':
      case 'parse_date': {
        const fmt = c.literal(0);
        if (fmt === undefined || c.r.length > 2) throw new Untranslatable(`${c.name} with a computed format or a time zone`);
        const type = c.f === 'parse_timestamp' ? 'TIMESTAMPTZ' : c.f === 'parse_date' ? 'DATE' : 'TIMESTAMP';
        return `CAST(strptime(${c.a(1)}, ${quoteString(timeFormat(fmt))}) AS ${type})`;
      }
      case 'format_timestamp':
      case 'format_datetime':
      case 'format_date': {
        const fmt = c.literal(0);
        if (fmt === undefined || c.r.length > 2) throw new Untranslatable(`${c.name} with a computed format or a time zone`);
        return `strftime(${c.a(1)}, ${quoteString(timeFormat(fmt))})`;
      }
      case 'date':
        if (c.r.length === 3) return `make_date(${c.a(0)}, ${c.a(1)}, ${c.a(2)})`;
        if (c.r.length === 1) return `CAST(${c.a(0)} AS DATE)`;
        throw new Untranslatable('date() with a time zone');
      case 'timestamp':
      case 'datetime':
      case 'string':
        if (c.r.length !== 1) throw new Untranslatable(`${c.name}() with ${c.r.length} arguments`);
        return `CAST(${c.a(0)} AS ${TYPES[c.f]})`;
      case 'current_timestamp':
      case 'current_date':
        return c.f;
      case 'current_datetime':
        return 'CAST(current_timestamp AS TIMESTAMP)';
      case 'extract':
        return this.extract(c.open, c.close);
      default:
        return undefined;
    }
  }

  /** The other functions (text, hashes, arithmetic, arrays, casts); the rest as written. */
  private valueCall(c: Call): string {
    switch (c.f) {
      case 'cast':
      case 'safe_cast':
        return this.cast(c.f === 'safe_cast', c.open, c.close);
      case 'concat':
        return `(${c.r.map((_, k) => `(${c.a(k)})`).join(' || ')})`;
      case 'regexp_replace':
        return `regexp_replace(${c.a(0)}, ${c.a(1)}, ${c.a(2)}, 'g')`;
      case 'regexp_extract': {
        const pattern = c.literal(1);
        if (pattern === undefined || c.r.length > 2) throw new Untranslatable('regexp_extract with a computed pattern or a position');
        const group = /\((?!\?)/.test(pattern.replace(/\\\\|\\\(/g, '')) ? 1 : 0;
        return `(CASE WHEN regexp_matches(${c.a(0)}, ${c.a(1)}) THEN regexp_extract(${c.a(0)}, ${c.a(1)}, ${group}) END)`;
      }
      case 'to_hex':
        return `lower(hex(${c.a(0)}))`;
      case 'md5':
      case 'sha256':
      case 'sha1':
        return `unhex(${c.f}(${c.a(0)}))`;
      case 'safe_divide':
        return `(CASE WHEN (${c.a(1)}) = 0 THEN NULL ELSE (${c.a(0)}) / (${c.a(1)}) END)`;
      case 'div':
        return `((${c.a(0)}) // (${c.a(1)}))`;
      case 'ieee_divide':
        return `((${c.a(0)}) / (${c.a(1)}))`;
      case 'split':
        return `string_split(${c.a(0)}, ${c.r.length > 1 ? c.a(1) : "','"})`;
      case 'approx_count_distinct':
        return `count(distinct ${c.a(0)})`;
      case 'approx_quantiles': {
        const n = Number(this.arg(c.r[1]));
        if (!Number.isInteger(n) || n < 1) throw new Untranslatable('approx_quantiles with a computed number of quantiles');
        // Exact quantiles (BigQuery's are approximate): equal on small inputs.
        return `quantile_disc(${c.a(0)}, [${Array.from({ length: n + 1 }, (_, k) => String(k / n)).join(', ')}])`;
      }
      case 'struct':
        return this.struct(c.r);
      default:
        return `${c.name}(${this.emit(c.open + 1, c.close)})`;
    }
  }

  /**
   * CAST / SAFE_CAST. To an integer, text must be an integer literal in BigQuery ('1.5' is an error, or
   * NULL when safe), where DuckDB would round; a FLOAT64 rounds half away from zero.
   */
  private cast(safe: boolean, open: number, close: number): string {
    let as = -1;
    let depth = 0;
    for (let j = open + 1; j < close; j++) {
      const t = this.t[j]!;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
      else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
      else if (depth === 0 && wordOf(t) === 'as') as = j;
    }
    if (as < 0) throw new Untranslatable('cast without AS');
    const x = this.emit(open + 1, as).trim();
    const type = this.emit(as + 1, close).trim();
    const fn = safe ? 'try_cast' : 'cast';
    if (type !== 'BIGINT') return `${fn}(${x} AS ${type})`;
    const bad = safe ? 'NULL' : `CAST(error('Bad int64 value: ' || CAST(${x} AS VARCHAR)) AS BIGINT)`;
    // A FLOAT64 rounds half away from zero (DuckDB's cast rounds half to even).
    return `(CASE WHEN typeof(${x}) = 'VARCHAR' AND NOT regexp_full_match(trim(CAST(${x} AS VARCHAR)), '[+-]?[0-9]+') THEN ${bad} WHEN typeof(${x}) IN ('DOUBLE', 'FLOAT') THEN ${fn}(round(try_cast(${x} AS DOUBLE)) AS BIGINT) ELSE ${fn}(${x} AS BIGINT) END)`;
  }

  /** UNNEST(arr) AS x in FROM: DuckDB names the element column `unnest` unless the alias names it too (`x(x)`). */
  private unnest(i: number, open: number): [string, number] {
    const close = closing(this.t, open);
    const text = `${this.t[i]!.text}(${this.emit(open + 1, close)})`;
    let a = this.next(close);
    if (wordOf(this.t[a]) === 'as') a = this.next(a);
    const alias = this.t[a];
    const aliased = alias && (alias.kind === 'ident' || (alias.kind === 'word' && !CLAUSE_WORDS.has(alias.text.toLowerCase())));
    if (!aliased || this.isPunct(this.next(a), '(')) return [text, close + 1];
    return [`${text} as ${quoteIdent(alias.text)}(${quoteIdent(alias.text)})`, a + 1];
  }

  /** STRUCT(x AS a, y AS b) → struct_pack(a := x, b := y); unnamed fields are _field_N, as in BigQuery. */
  private struct(r: [number, number][]): string {
    const fields = r.map(([start, end], k) => {
      const sig = [];
      for (let j = start; j < end; j++) if (significant(this.t[j]!)) sig.push(j);
      const last = sig.at(-1)!;
      const before = sig.at(-2);
      if (before !== undefined && wordOf(this.t[before]) === 'as') return `${quoteIdent(this.t[last]!.text)} := ${this.emit(start, before).trim()}`;
      if (sig.length === 1 && (this.t[last]!.kind === 'word' || this.t[last]!.kind === 'ident')) return `${quoteIdent(this.t[last]!.text)} := ${this.emit(start, end).trim()}`;
      return `${quoteIdent(`_field_${k + 1}`)} := ${this.emit(start, end).trim()}`;
    });
    return `struct_pack(${fields.join(', ')})`;
  }

  private trunc(f: string, x: string, part: string): string {
    if (part === 'week') {
      const day = `(CAST(dayofweek(${x}) AS INTEGER))`;
      return f === 'date_trunc' ? `(CAST(${x} AS DATE) - ${day})` : `(date_trunc('day', ${x}) - to_days(${day}))`;
    }
    if (part.startsWith('week') || part === 'isoweek') {
      if (part !== 'isoweek' && part !== 'week_monday') throw new Untranslatable(`${f} by ${part}`);
      part = 'week';
    }
    return f === 'date_trunc' ? `CAST(date_trunc(${quoteString(part)}, ${x}) AS DATE)` : `date_trunc(${quoteString(part)}, ${x})`;
  }

  /** EXTRACT(part FROM x): DAYOFWEEK counts from 1 on Sunday. */
  private extract(open: number, close: number): string {
    const first = this.next(open);
    const part = wordOf(this.t[first]);
    const from = this.next(first);
    if (wordOf(this.t[from]) !== 'from') throw new Untranslatable('extract');
    const x = this.emit(from + 1, close).trim();
    if (part === 'dayofweek') return `(extract(dow from ${x}) + 1)`;
    if (part === 'dayofyear') return `extract(doy from ${x})`;
    if (part === 'date') return `CAST(${x} AS DATE)`;
    if (part === 'week' || part === 'isoweek' || part === 'isoyear') return `extract(${part === 'isoyear' ? 'isoyear' : 'week'} from ${x})`;
    return `extract(${part} from ${x})`;
  }
}

/** Tokens [start, end) of a statement as DuckDB SQL. */
export function translateRange(tokens: Token[], start: number, end: number, ctx: TranslateContext): string {
  return new Translator(tokens, ctx).emit(start, end);
}

/** A BigQuery expression or query as DuckDB SQL. */
export function toDuckDb(sql: string, ctx: TranslateContext): string {
  const tokens = tokenize(sql);
  return translateRange(tokens, 0, tokens.length, ctx);
}
