/**
 * A BigQuery SQL tokenizer for the local server's translation to DuckDB: strings (quoted, triple-quoted,
 * raw and bytes), backquoted identifiers, comments, words, numbers, `@parameters` and punctuation. The
 * statements it sees were accepted by BigQuery's analyzer first, so it needs no error reporting.
 */

export type TokenKind = 'space' | 'comment' | 'string' | 'bytes' | 'ident' | 'word' | 'number' | 'param' | 'punct';

export interface Token {
  kind: TokenKind;
  /** The source text (for `string`/`bytes`: the decoded value; for `ident`: the unquoted name). */
  text: string;
  /** Where the token starts in the tokenized SQL (a UTF-16 index). */
  at?: number;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?' };

/** A backslash escape of a non-raw literal: its value and length. */
function escapeAt(sql: string, i: number): [string, number] {
  const c = sql[i + 1] ?? '';
  if (c in ESCAPES) return [ESCAPES[c]!, 2];
  if (c === 'x' || c === 'X') return [String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16)), 4];
  if (c === 'u') return [String.fromCodePoint(parseInt(sql.slice(i + 2, i + 6), 16)), 6];
  if (c === 'U') return [String.fromCodePoint(parseInt(sql.slice(i + 2, i + 10), 16)), 10];
  if (/[0-7]/.test(c)) return [String.fromCharCode(parseInt(sql.slice(i + 1, i + 4), 8)), 4];
  return [c, 2];
}

/** A quoted literal starting at `i` (after any r/b prefix): its value and end. */
function literal(sql: string, i: number, raw: boolean): [string, number] {
  const q = sql[i]!;
  const triple = sql.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  let out = '';
  while (j < sql.length && !sql.startsWith(close, j)) {
    if (sql[j] === '\\') {
      if (raw) {
        out += sql.slice(j, j + 2);
        j += 2;
        continue;
      }
      const [v, n] = escapeAt(sql, j);
      out += v;
      j += n;
      continue;
    }
    out += sql[j];
    j++;
  }
  return [out, j + close.length];
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const from = out.length;
    const at = i;
    scan();
    for (let k = from; k < out.length; k++) out[k]!.at = at;
  }
  return out;

  function scan(): void {
    const c = sql[i]!;
    const rest = sql.slice(i, i + 3);
    let m: RegExpExecArray | null;
    if (/\s/.test(c)) {
      m = /^\s+/.exec(sql.slice(i))!;
      out.push({ kind: 'space', text: m[0] });
      i += m[0].length;
    } else if (c === '#' || rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      const text = sql.slice(i, end < 0 ? sql.length : end);
      out.push({ kind: 'comment', text: `--${text.replace(/^(#|--)/, '')}` });
      i += text.length;
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      const text = sql.slice(i, end < 0 ? sql.length : end + 2);
      out.push({ kind: 'comment', text });
      i += text.length;
    } else if ((m = /^([rRbB]{1,2})?(['"])/.exec(sql.slice(i, i + 3))) && (m[1] || c === "'" || c === '"')) {
      const prefix = (m[1] ?? '').toLowerCase();
      const [value, end] = literal(sql, i + prefix.length, prefix.includes('r'));
      out.push({ kind: prefix.includes('b') ? 'bytes' : 'string', text: value });
      i = end;
    } else if (c === '`') {
      let j = i + 1;
      let name = '';
      while (j < sql.length && sql[j] !== '`') {
        if (sql[j] === '\\') {
          const [v, n] = escapeAt(sql, j);
          name += v;
          j += n;
        } else name += sql[j++];
      }
      out.push({ kind: 'ident', text: name });
      i = j + 1;
    } else if ((m = /^@@?[A-Za-z_][\w.]*/.exec(sql.slice(i)))) {
      out.push({ kind: 'param', text: m[0] });
      i += m[0].length;
    } else if ((m = /^(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)/.exec(sql.slice(i)))) {
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_][\w]*/.exec(sql.slice(i)))) {
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);
      const op = ['<=', '>=', '<>', '!=', '||', '<<', '>>', '=>', '->'].includes(two) ? two : c;
      out.push({ kind: 'punct', text: op });
      i += op.length;
    }
  }
}

/** Whether a token carries meaning (not space or a comment). */
export const significant = (t: Token): boolean => t.kind !== 'space' && t.kind !== 'comment';

/** A word token, lower-cased, or ''. */
export const wordOf = (t: Token | undefined): string => (t && t.kind === 'word' ? t.text.toLowerCase() : '');

/** The index of the `)` (or `]`) closing the bracket at `open`. */
export function closing(tokens: Token[], open: number): number {
  const o = tokens[open]!.text;
  const c = o === '(' ? ')' : o === '[' ? ']' : '>';
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === o) depth++;
    else if (t.text === c && --depth === 0) return i;
    // `array<struct<a int64>>`: one `>>` token closes two type brackets.
    else if (o === '<' && t.text === '>>' && (depth -= 2) <= 0) return i;
  }
  return tokens.length - 1;
}

/** The top-level comma-separated ranges [start, end) between `open` and its closing bracket. */
export function argumentRanges(tokens: Token[], open: number): [number, number][] {
  const end = closing(tokens, open);
  const out: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (t.text === ',' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  if (tokens.slice(start, end).some(significant)) out.push([start, end]);
  return out;
}

/** The index of the first `AS` at bracket depth 0 (the query of a CTAS or a view, a function's body), or -1. */
export function topLevelAs(tokens: Token[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    else if (depth === 0 && wordOf(t) === 'as') return i;
  }
  return -1;
}
