/** The parser's view of a template's tokens: the current one, lookahead, and Jinja2's syntax errors. */
import { JinjaError } from './errors.js';
import type { Token } from './lexer.js';

export class TokenStream {
  pos = 0;
  constructor(readonly tokens: Token[]) {}
  get cur(): Token {
    return this.tokens[this.pos]!;
  }
  peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.cur;
    if (t.type !== 'eof') this.pos++;
    return t;
  }
  isOp(v: string): boolean {
    return this.cur.type === 'op' && this.cur.value === v;
  }
  isName(v?: string): boolean {
    return this.cur.type === 'name' && (v === undefined || this.cur.value === v);
  }
  skipOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.pos++;
    return true;
  }
  skipName(v: string): boolean {
    if (!this.isName(v)) return false;
    this.pos++;
    return true;
  }
  expectOp(v: string): Token {
    if (!this.isOp(v)) throw this.fail(`expected token '${v}', got '${describe(this.cur)}'`);
    return this.next();
  }
  expectName(v?: string): Token {
    if (!this.isName(v)) throw this.fail(v ? `expected token '${v}', got '${describe(this.cur)}'` : `expected token 'name', got '${describe(this.cur)}'`);
    return this.next();
  }
  fail(message: string, line = this.cur.line): JinjaError {
    return new JinjaError('syntax', message, line);
  }
}

export function describe(t: Token): string {
  if (t.type === 'eof') return 'end of template';
  if (t.type === 'block_end') return 'end of statement block';
  if (t.type === 'var_end') return 'end of print statement';
  return t.value;
}
