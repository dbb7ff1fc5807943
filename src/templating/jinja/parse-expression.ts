/** Jinja2's expression grammar (parser.py): precedence, literals, postfix, filters and tests. */
import type { Expr } from './ast.js';
import { describe, type TokenStream } from './token-stream.js';
import { PyFloat } from './py-number.js';
import { parseCallArgs, parseDottedName, parseSubscript, startsTestArgument, type CallArgs } from './parse-postfix.js';

const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>=']);
const CONSTANTS: Record<string, unknown> = { true: true, false: false, none: null, True: true, False: false, None: null };

export class ExpressionParser {
  constructor(readonly s: TokenStream) {}

  expression(withCond = true): Expr {
    return withCond ? this.condexpr() : this.or();
  }

  private condexpr(): Expr {
    const line = this.s.cur.line;
    let expr = this.or();
    while (this.s.skipName('if')) {
      const test = this.or();
      const otherwise = this.s.skipName('else') ? this.condexpr() : undefined;
      expr = { t: 'cond', test, then: expr, ...(otherwise ? { else: otherwise } : {}), line };
    }
    return expr;
  }

  private or(): Expr {
    let left = this.and();
    while (this.s.isName('or')) {
      const line = this.s.next().line;
      left = { t: 'or', left, right: this.and(), line };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.s.isName('and')) {
      const line = this.s.next().line;
      left = { t: 'and', left, right: this.not(), line };
    }
    return left;
  }

  private not(): Expr {
    if (this.s.isName('not')) {
      const line = this.s.next().line;
      return { t: 'unary', op: 'not', node: this.not(), line };
    }
    return this.compare();
  }

  private compare(): Expr {
    const line = this.s.cur.line;
    const first = this.math1();
    const ops: [string, Expr][] = [];
    for (;;) {
      if (this.s.cur.type === 'op' && COMPARE.has(this.s.cur.value)) ops.push([this.s.next().value, this.math1()]);
      else if (this.s.skipName('in')) ops.push(['in', this.math1()]);
      else if (this.s.isName('not') && this.s.peek().type === 'name' && this.s.peek().value === 'in') {
        this.s.pos += 2;
        ops.push(['notin', this.math1()]);
      } else break;
    }
    return ops.length ? { t: 'compare', first, ops, line } : first;
  }

  private binary(next: () => Expr, ops: string[]): Expr {
    let left = next();
    while (this.s.cur.type === 'op' && ops.includes(this.s.cur.value)) {
      const tok = this.s.next();
      left = { t: 'bin', op: tok.value, left, right: next(), line: tok.line };
    }
    return left;
  }

  private math1(): Expr {
    return this.binary(() => this.concat(), ['+', '-']);
  }

  private concat(): Expr {
    const line = this.s.cur.line;
    const items = [this.math2()];
    while (this.s.skipOp('~')) items.push(this.math2());
    return items.length === 1 ? items[0]! : { t: 'concat', items, line };
  }

  private math2(): Expr {
    return this.binary(() => this.pow(), ['*', '/', '//', '%']);
  }

  private pow(): Expr {
    return this.binary(() => this.unary(), ['**']);
  }

  private unary(withFilter = true): Expr {
    const line = this.s.cur.line;
    let node: Expr;
    if (this.s.skipOp('-')) node = { t: 'unary', op: '-', node: this.unary(false), line };
    else if (this.s.skipOp('+')) node = { t: 'unary', op: '+', node: this.unary(false), line };
    else node = this.primary();
    node = this.postfix(node);
    return withFilter ? this.filterExpr(node) : node;
  }

  private primary(): Expr {
    const tok = this.s.cur;
    const line = tok.line;
    if (tok.type === 'name') {
      this.s.next();
      if (tok.value in CONSTANTS) return { t: 'const', value: CONSTANTS[tok.value], line };
      return { t: 'name', name: tok.value, line };
    }
    if (tok.type === 'string') {
      let value = '';
      while (this.s.cur.type === 'string') value += this.s.next().literal as string;
      return { t: 'const', value, line };
    }
    if (tok.type === 'int') {
      this.s.next();
      return { t: 'const', value: tok.literal, line };
    }
    if (tok.type === 'float') {
      this.s.next();
      return { t: 'const', value: PyFloat.of(tok.literal as number), line };
    }
    if (this.s.skipOp('(')) {
      const node = this.tuple({ explicitParens: true });
      this.s.expectOp(')');
      return node;
    }
    if (this.s.isOp('[')) return this.list();
    if (this.s.isOp('{')) return this.dict();
    throw this.s.fail(tok.type === 'eof' || tok.type === 'block_end' || tok.type === 'var_end' ? `Expected an expression, got '${describe(tok)}'` : `unexpected '${describe(tok)}'`);
  }

  /** A comma-separated tuple, or one expression when there is no comma (Jinja's parse_tuple). */
  tuple(o: { simplified?: boolean; withCond?: boolean; explicitParens?: boolean; extraEnd?: string[] } = {}): Expr {
    const line = this.s.cur.line;
    const items: Expr[] = [];
    let comma = false;
    const parse = o.simplified ? () => this.postfix(this.primary()) : () => this.expression(o.withCond ?? true);
    for (;;) {
      if (items.length) this.s.expectOp(',');
      if (this.tupleEnds(o.extraEnd)) break;
      items.push(parse());
      if (this.s.isOp(',')) comma = true;
      else break;
    }
    if (!comma) {
      if (items.length) return items[0]!;
      if (!o.explicitParens) throw this.s.fail(`Expected an expression, got '${describe(this.s.cur)}'`);
    }
    return { t: 'tuple', items, line };
  }

  private tupleEnds(extra: string[] = []): boolean {
    const c = this.s.cur;
    if (c.type === 'var_end' || c.type === 'block_end' || c.type === 'eof') return true;
    if (c.type === 'op' && c.value === ')') return true;
    return c.type === 'name' && extra.includes(c.value);
  }

  private list(): Expr {
    const line = this.s.expectOp('[').line;
    const items: Expr[] = [];
    while (!this.s.isOp(']')) {
      if (items.length) this.s.expectOp(',');
      if (this.s.isOp(']')) break;
      items.push(this.expression());
    }
    this.s.expectOp(']');
    return { t: 'list', items, line };
  }

  private dict(): Expr {
    const line = this.s.expectOp('{').line;
    const items: [Expr, Expr][] = [];
    while (!this.s.isOp('}')) {
      if (items.length) this.s.expectOp(',');
      if (this.s.isOp('}')) break;
      const key = this.expression();
      this.s.expectOp(':');
      items.push([key, this.expression()]);
    }
    this.s.expectOp('}');
    return { t: 'dict', items, line };
  }

  postfix(node: Expr): Expr {
    for (;;) {
      if (this.s.isOp('.') || this.s.isOp('[')) node = this.subscript(node);
      else if (this.s.isOp('(')) node = this.call(node);
      else return node;
    }
  }

  private filterExpr(node: Expr): Expr {
    for (;;) {
      if (this.s.isOp('|')) node = this.filter(node);
      else if (this.s.isName('is')) node = this.test(node);
      else if (this.s.isOp('(')) node = this.call(node);
      else return node;
    }
  }

  private subscript(node: Expr): Expr {
    return parseSubscript(this.s, node, () => this.expression());
  }

  callArgs(): CallArgs {
    return parseCallArgs(this.s, () => this.expression());
  }

  private call(fn: Expr): Expr {
    const line = this.s.cur.line;
    return { t: 'call', fn, ...this.callArgs(), line };
  }

  /** `| name(args)`, applied to `node` (null inside `{% filter %}` and block set, where the body is the input). */
  filter(node: Expr | null, startInline = true): Expr {
    if (startInline) this.s.expectOp('|');
    const line = this.s.cur.line;
    const name = parseDottedName(this.s);
    const args = this.s.isOp('(') ? this.callArgs() : { args: [], kwargs: [] };
    let result: Expr = { t: 'filter', name, node, ...args, line };
    if (!startInline) while (this.s.skipOp('|')) result = this.filter(result, false);
    return result;
  }

  private test(node: Expr): Expr {
    const line = this.s.next().line;
    const negated = this.s.skipName('not');
    const name = parseDottedName(this.s);
    let args: { args: Expr[]; kwargs: [string, Expr][] } = { args: [], kwargs: [] };
    if (this.s.isOp('(')) args = this.callArgs();
    else if (startsTestArgument(this.s)) args = { args: [this.postfix(this.primary())], kwargs: [] };
    return { t: 'test', name, node, ...args, negated, line };
  }
}
