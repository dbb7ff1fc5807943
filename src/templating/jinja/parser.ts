/** Jinja2's statement parser: turns tokens into a list of statements (see ast.ts). */
import type { Expr, Stmt, Target } from './ast.js';
import { JinjaError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { ExpressionParser } from './parse-expression.js';
import { callStmt, macroStmt, materializationStmt, type BlockReader } from './parse-definitions.js';
import { TokenStream, describe } from './token-stream.js';

/** Blocks that dbt adds and that render nothing in a model or macro file (their contents are read elsewhere). */
const SKIPPED_BLOCKS: Record<string, string> = { docs: 'enddocs' };
/** Blocks whose body renders as written (dbt's `{% snapshot %}`, Jinja's `{% autoescape %}`). */
const TRANSPARENT_BLOCKS: Record<string, string> = { snapshot: 'endsnapshot', autoescape: 'endautoescape' };

export function parseTemplate(source: string): Stmt[] {
  return new Parser(tokenize(source)).parse();
}

interface Frame {
  tag: string;
  line: number;
  ends: string[];
}

class Parser implements BlockReader {
  readonly s: TokenStream;
  readonly e: ExpressionParser;
  private readonly stack: Frame[] = [];

  constructor(tokens: Token[]) {
    this.s = new TokenStream(tokens);
    this.e = new ExpressionParser(this.s);
  }

  parse(): Stmt[] {
    const body = this.subparse([]);
    if (this.s.cur.type !== 'eof') throw this.s.fail(`unexpected '${describe(this.s.cur)}'`);
    return body;
  }

  /** Statements until one of `ends` (left as the current token, after the block_begin) or the end. */
  private subparse(ends: string[]): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const tok = this.s.cur;
      if (tok.type === 'eof') {
        if (ends.length) throw this.unclosed(tok.line);
        return body;
      }
      if (tok.type === 'data') {
        body.push({ t: 'data', text: this.s.next().value, line: tok.line });
      } else if (tok.type === 'var_begin') {
        this.s.next();
        const expr = this.e.tuple();
        if (this.s.cur.type !== 'var_end') throw this.s.fail(`expected token 'end of print statement', got '${describe(this.s.cur)}'`);
        this.s.next();
        body.push({ t: 'output', expr, line: tok.line });
      } else if (tok.type === 'block_begin') {
        this.s.next();
        const name = this.s.cur;
        if (name.type === 'name' && ends.includes(name.value)) return body;
        const stmt = this.statement();
        if (stmt) body.push(stmt);
      } else throw this.s.fail(`unexpected '${describe(tok)}'`);
    }
  }

  private unclosed(line: number): JinjaError {
    const top = this.stack[this.stack.length - 1];
    if (!top) return new JinjaError('syntax', 'Unexpected end of template.', line);
    return new JinjaError('syntax', `Unexpected end of template. Jinja was looking for the following tags: ${top.ends.map((e) => `'${e}'`).join(' or ')}. The innermost block that needs to be closed is '${top.tag}'.`, line);
  }

  endBlock(): void {
    if (this.s.cur.type !== 'block_end') throw this.s.fail(`expected token 'end of statement block', got '${describe(this.s.cur)}'`);
    this.s.next();
  }

  /** Parses a body up to one of `ends`; returns the body and the end tag's name (consumed). */
  block(tag: string, line: number, ends: string[]): { body: Stmt[]; end: string } {
    this.stack.push({ tag, line, ends });
    const body = this.subparse(ends);
    this.stack.pop();
    return { body, end: this.s.next().value };
  }

  private statement(): Stmt | undefined {
    const tok = this.s.cur;
    if (tok.type !== 'name') throw this.s.fail('tag name expected');
    const line = tok.line;
    switch (tok.value) {
      case 'if': return this.ifStmt();
      case 'for': return this.forStmt();
      case 'set': return this.setStmt();
      case 'macro': return macroStmt(this, 'macro', 'endmacro');
      case 'test': return macroStmt(this, 'test', 'endtest');
      case 'materialization': return materializationStmt(this);
      case 'call': return callStmt(this);
      case 'filter': return this.filterStmt();
      case 'with': return this.withStmt();
      case 'do': {
        this.s.next();
        const expr = this.e.tuple();
        this.endBlock();
        return { t: 'do', expr, line };
      }
      case 'break':
      case 'continue':
        this.s.next();
        if (!this.inLoop()) throw this.s.fail(`'${tok.value}' outside loop`, line);
        this.endBlock();
        return { t: tok.value, line };
    }
    if (tok.value in SKIPPED_BLOCKS) return this.skipBlock(tok.value, SKIPPED_BLOCKS[tok.value]!);
    if (tok.value in TRANSPARENT_BLOCKS) return this.transparentBlock(tok.value, TRANSPARENT_BLOCKS[tok.value]!);
    const open = this.stack[this.stack.length - 1];
    if (open) throw this.s.fail(`Encountered unknown tag '${tok.value}'. Jinja was looking for the following tags: ${open.ends.map((e) => `'${e}'`).join(' or ')}. The innermost block that needs to be closed is '${open.tag}'.`);
    if (['include', 'import', 'from', 'extends', 'block'].includes(tok.value)) throw this.s.fail(`{% ${tok.value} %} is not supported by Strata's template engine (dbt projects use macros instead)`);
    throw this.s.fail(`Encountered unknown tag '${tok.value}'.`);
  }

  /** Inside a for loop, and not inside a macro or call block nested in it. */
  private inLoop(): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const tag = this.stack[i]!.tag;
      if (tag === 'for') return true;
      if (tag === 'macro' || tag === 'test' || tag === 'materialization' || tag === 'call') return false;
    }
    return false;
  }

  private skipBlock(tag: string, end: string): Stmt {
    const line = this.s.next().line;
    while (this.s.cur.type !== 'eof' && !(this.s.cur.type === 'name' && this.s.cur.value === end && this.s.tokens[this.s.pos - 1]?.type === 'block_begin')) this.s.next();
    if (this.s.cur.type === 'eof') throw new JinjaError('syntax', `Unexpected end of template. Jinja was looking for the following tags: '${end}'. The innermost block that needs to be closed is '${tag}'.`, line);
    this.s.next();
    this.endBlock();
    return { t: 'skip', line };
  }

  private transparentBlock(tag: string, end: string): Stmt {
    const line = this.s.next().line;
    while (this.s.cur.type !== 'block_end' && this.s.cur.type !== 'eof') this.s.next();
    this.endBlock();
    const { body } = this.block(tag, line, [end]);
    this.endBlock();
    return { t: 'if', tests: [{ test: { t: 'const', value: true, line }, body }], line };
  }

  private ifStmt(): Stmt {
    const line = this.s.next().line;
    const tests: { test: Expr; body: Stmt[] }[] = [];
    let test = this.e.tuple({ withCond: false });
    for (;;) {
      this.endBlock();
      const { body, end } = this.block('if', line, ['elif', 'else', 'endif']);
      tests.push({ test, body });
      if (end === 'elif') {
        test = this.e.tuple({ withCond: false });
        continue;
      }
      if (end === 'else') {
        this.endBlock();
        const rest = this.block('if', line, ['endif']);
        this.endBlock();
        return { t: 'if', tests, else: rest.body, line };
      }
      this.endBlock();
      return { t: 'if', tests, line };
    }
  }

  private target(extraEnd: string[]): Target {
    const expr = this.e.tuple({ simplified: true, extraEnd });
    return toTarget(expr, this.s);
  }

  private forStmt(): Stmt {
    const line = this.s.next().line;
    const target = this.target(['in']);
    this.s.expectName('in');
    const iter = this.e.tuple({ withCond: false, extraEnd: ['recursive'] });
    const filter = this.s.skipName('if') ? this.e.expression() : undefined;
    const recursive = this.s.skipName('recursive');
    this.endBlock();
    const { body, end } = this.block('for', line, ['endfor', 'else']);
    let otherwise: Stmt[] | undefined;
    if (end === 'else') {
      this.endBlock();
      otherwise = this.block('for', line, ['endfor']).body;
    }
    this.endBlock();
    return { t: 'for', target, iter, body, ...(otherwise ? { else: otherwise } : {}), ...(filter ? { filter } : {}), recursive, line };
  }

  private setStmt(): Stmt {
    const line = this.s.next().line;
    const target = this.target([]);
    if (this.s.skipOp('=')) {
      const value = this.e.tuple();
      this.endBlock();
      return { t: 'set', target, value, line };
    }
    const filters: Expr[] = [];
    if (this.s.isOp('|')) {
      this.s.next();
      filters.push(this.e.filter(null, false));
    }
    this.endBlock();
    const { body } = this.block('set', line, ['endset']);
    this.endBlock();
    return { t: 'setblock', target, body, filters, line };
  }

  private filterStmt(): Stmt {
    const line = this.s.next().line;
    const filters = [this.e.filter(null, false)];
    this.endBlock();
    const { body } = this.block('filter', line, ['endfilter']);
    this.endBlock();
    return { t: 'filterblock', filters, body, line };
  }

  private withStmt(): Stmt {
    const line = this.s.next().line;
    const targets: [Target, Expr][] = [];
    while (this.s.cur.type !== 'block_end') {
      if (targets.length) this.s.expectOp(',');
      const target = this.target([]);
      this.s.expectOp('=');
      targets.push([target, this.e.expression()]);
    }
    this.endBlock();
    const { body } = this.block('with', line, ['endwith']);
    this.endBlock();
    return { t: 'with', targets, body, line };
  }
}

function toTarget(expr: Expr, s: TokenStream): Target {
  if (expr.t === 'name') {
    if (['true', 'false', 'none', 'True', 'False', 'None'].includes(expr.name)) throw s.fail(`can't assign to '${expr.name}'`, expr.line);
    return { t: 'name', name: expr.name };
  }
  if (expr.t === 'tuple') return { t: 'tuple', items: expr.items.map((i) => toTarget(i, s)) };
  if (expr.t === 'getattr' && expr.obj.t === 'name') return { t: 'nsattr', name: expr.obj.name, attr: expr.attr };
  throw s.fail(`can't assign to '${expr.t === 'const' ? 'literal' : expr.t}'`, expr.line);
}
