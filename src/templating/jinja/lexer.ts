/**
 * Jinja2's lexer with its default delimiters: `{{ }}`, `{% %}`, `{# #}`, whitespace control (`-`, `+`),
 * `{% raw %}` and the trailing-newline rule. Produces a flat token list with 1-based line numbers.
 */
import { JinjaError } from './errors.js';

export type TokenType = 'data' | 'block_begin' | 'block_end' | 'var_begin' | 'var_end' | 'name' | 'string' | 'int' | 'float' | 'op' | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  line: number;
  /** Parsed value for string, int and float tokens. */
  literal?: string | number | bigint;
}

const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '/', '%', '*', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';'];
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const FLOAT = /(?:\d(?:_?\d)*)(?:(?:\.\d(?:_?\d)*)?[eE][+-]?\d(?:_?\d)*|\.\d(?:_?\d)*)/y;
const INT = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|(?:0(?:_?0)*|[1-9](?:_?\d)*)/y;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
const WS = /\s+/y;

/** Python's unicode-escape decoding as Jinja applies it to string literals: unknown escapes stay as written. */
export function decodeEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\n|[\\'"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\})/g, (m, e: string) => {
    switch (e[0]) {
      case '\n': return '';
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return '\v';
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'N': return m;
      default: return String.fromCharCode(parseInt(e, 8));
    }
  });
}

function parseInt_(text: string): number | bigint {
  const t = text.replace(/_/g, '');
  const big = /^0[bB]/.test(t) ? BigInt(t) : /^0[oO]/.test(t) ? BigInt('0o' + t.slice(2)) : BigInt(t);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

const lineAt = (src: string, from: number, to: number, line: number): number => {
  for (let i = from; i < to; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
};

interface Opening { kind: 'block' | 'var' | 'comment'; at: number; strip: boolean; keep: boolean }

const OPENER = /\{([{%#])([-+]?)/g;

function nextOpening(src: string, from: number): Opening | undefined {
  OPENER.lastIndex = from;
  const m = OPENER.exec(src);
  if (!m) return undefined;
  const kind = m[1] === '{' ? 'var' : m[1] === '%' ? 'block' : 'comment';
  return { kind, at: m.index, strip: m[2] === '-', keep: m[2] === '+' };
}

/** Tokenizes a template. Errors are JinjaError('syntax') with the line. */
export function tokenize(source: string): Token[] {
  const src = source.replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let stripNext = false;
  const pushData = (text: string, startLine: number): void => {
    if (text) tokens.push({ type: 'data', value: text, line: startLine });
  };
  while (pos < src.length) {
    const open = nextOpening(src, pos);
    let data = src.slice(pos, open ? open.at : src.length);
    if (stripNext) data = data.replace(/^\s+/, '');
    stripNext = false;
    if (!open) {
      // keep_trailing_newline=False: a single trailing newline is dropped.
      pushData(data.endsWith('\n') ? data.slice(0, -1) : data, line);
      break;
    }
    if (open.strip) data = data.replace(/\s+$/, '');
    const dataLine = line;
    line = lineAt(src, pos, open.at, line);
    pushData(data, dataLine);
    const innerStart = open.at + 2 + (open.strip || open.keep ? 1 : 0);
    if (open.kind === 'comment') {
      const end = src.indexOf('#}', innerStart);
      if (end < 0) throw new JinjaError('syntax', 'Missing end of comment tag', line);
      // `{#-#}` trims on the left only: its one dash belongs to the opening, as in Jinja2.
      stripNext = end > innerStart && src[end - 1] === '-';
      line = lineAt(src, open.at, end + 2, line);
      pos = end + 2;
      continue;
    }
    const raw = open.kind === 'block' ? /\s*raw\s*([-+]?)%\}/y : undefined;
    if (raw) {
      raw.lastIndex = innerStart;
      const rm = raw.exec(src);
      if (rm) {
        const endRe = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
        endRe.lastIndex = raw.lastIndex;
        const em = endRe.exec(src);
        if (!em) throw new JinjaError('syntax', "Missing end of raw directive", line);
        let body = src.slice(raw.lastIndex, em.index);
        if (rm[1] === '-') body = body.replace(/^\s+/, '');
        if (em[1] === '-') body = body.replace(/\s+$/, '');
        pushData(body, lineAt(src, open.at, raw.lastIndex, line));
        line = lineAt(src, open.at, em.index + em[0].length, line);
        stripNext = em[2] === '-';
        pos = em.index + em[0].length;
        continue;
      }
    }
    const result = lexTag(src, innerStart, line, open.kind, tokens);
    pos = result.pos;
    line = result.line;
    stripNext = result.strip;
  }
  tokens.push({ type: 'eof', value: '', line });
  return tokens;
}

function lexTag(src: string, start: number, line: number, kind: 'block' | 'var', tokens: Token[]): { pos: number; line: number; strip: boolean } {
  const close = kind === 'block' ? '%}' : '}}';
  tokens.push({ type: kind === 'block' ? 'block_begin' : 'var_begin', value: '', line });
  let pos = start;
  const brackets: string[] = [];
  for (;;) {
    WS.lastIndex = pos;
    const ws = WS.exec(src);
    if (ws) {
      line = lineAt(src, pos, pos + ws[0].length, line);
      pos += ws[0].length;
    }
    if (pos >= src.length) throw new JinjaError('syntax', `unexpected end of template, expected '${close}'`, line);
    if (brackets.length === 0) {
      const minus = src[pos] === '-' && src.startsWith(close, pos + 1);
      const plus = src[pos] === '+' && src.startsWith(close, pos + 1);
      if (src.startsWith(close, pos) || minus || plus) {
        tokens.push({ type: kind === 'block' ? 'block_end' : 'var_end', value: '', line });
        return { pos: pos + close.length + (minus || plus ? 1 : 0), line, strip: minus };
      }
    }
    const tok = lexOne(src, pos, line);
    if (!tok) throw new JinjaError('syntax', `unexpected char '${src[pos]}' at ${pos}`, line);
    if (tok.type === 'op') {
      if ('([{'.includes(tok.value)) brackets.push(tok.value);
      else if (')]}'.includes(tok.value)) {
        const want = { ')': '(', ']': '[', '}': '{' }[tok.value];
        if (brackets.pop() !== want) throw new JinjaError('syntax', `unexpected '${tok.value}'`, line);
      }
    }
    tokens.push(tok.token);
    line = lineAt(src, pos, pos + tok.length, line);
    pos += tok.length;
  }
}

function lexOne(src: string, pos: number, line: number): { token: Token; length: number; type: TokenType; value: string } | undefined {
  const make = (type: TokenType, value: string, literal?: Token['literal']) => ({ token: { type, value, line, ...(literal !== undefined ? { literal } : {}) }, length: value.length, type, value });
  NAME.lastIndex = pos;
  let m = NAME.exec(src);
  if (m) return make('name', m[0]);
  STRING.lastIndex = pos;
  m = STRING.exec(src);
  if (m) return make('string', m[0], decodeEscapes(m[1] ?? m[2] ?? ''));
  FLOAT.lastIndex = pos;
  m = FLOAT.exec(src);
  if (m && src[pos - 1] !== '.') return make('float', m[0], Number(m[0].replace(/_/g, '')));
  INT.lastIndex = pos;
  m = INT.exec(src);
  if (m) return make('int', m[0], parseInt_(m[0]));
  for (const op of OPERATORS) if (src.startsWith(op, pos)) return make('op', op);
  return undefined;
}
