/** The tags that define a macro (parser.py's parse_macro, parse_call_block, and dbt's test and materialization blocks). */
import type { MacroDef, Stmt } from './ast.js';
import type { ExpressionParser } from './parse-expression.js';
import { describe, type TokenStream } from './token-stream.js';

/** What these tags need of the statement parser: its tokens, expressions, and nested bodies. */
export interface BlockReader {
  readonly s: TokenStream;
  readonly e: ExpressionParser;
  /** Consumes the `%}` that ends a tag. */
  endBlock(): void;
  /** Parses a body up to one of `ends`; returns the body and the end tag's name (consumed). */
  block(tag: string, line: number, ends: string[]): { body: Stmt[]; end: string };
}

/** `{% macro name(a, b=1) %}…{% endmacro %}`, and dbt's `{% test name(model) %}`, a macro named `test_<name>`. */
export function macroStmt(p: BlockReader, tag: string, end: string): Stmt {
  const line = p.s.next().line;
  const name = p.s.expectName().value;
  const def: MacroDef = { name: tag === 'test' ? `test_${name}` : name, params: [], body: [], line };
  if (p.s.isOp('(')) signature(p, def);
  else throw p.s.fail(`expected token '(', got '${describe(p.s.cur)}'`);
  p.endBlock();
  def.body = p.block(tag, line, [end]).body;
  p.endBlock();
  return { t: 'macro', def, line };
}

/**
 * dbt's `{% materialization name, default %}` / `{% materialization name, adapter='duckdb' %}`: a macro
 * without parameters named `materialization_<name>_<adapter>` (dbt's MaterializationExtension).
 */
export function materializationStmt(p: BlockReader): Stmt {
  const line = p.s.next().line;
  const name = p.s.expectName().value;
  let adapter = 'default';
  while (p.s.skipOp(',')) {
    const key = p.s.expectName().value;
    if (key === 'default' && !p.s.isOp('=')) continue;
    if (!p.s.skipOp('=') || (key !== 'adapter' && key !== 'supported_languages')) throw p.s.fail(`materialization '${name}' has an invalid argument '${key}': write {% materialization ${name}, default %} or {% materialization ${name}, adapter='<type>' %}`);
    const value = p.e.expression();
    if (key === 'adapter') {
      if (value.t !== 'const' || typeof value.value !== 'string') throw p.s.fail(`materialization '${name}': adapter= takes a quoted adapter type`);
      adapter = value.value;
    }
  }
  p.endBlock();
  const def: MacroDef = { name: `materialization_${name}_${adapter}`, params: [], body: [], line };
  def.body = p.block('materialization', line, ['endmaterialization']).body;
  p.endBlock();
  return { t: 'macro', def, line };
}

/** `{% call(args) macro(…) %}…{% endcall %}`: the body becomes the `caller` macro the called macro sees. */
export function callStmt(p: BlockReader): Stmt {
  const line = p.s.next().line;
  const def: MacroDef = { name: 'caller', params: [], body: [], line };
  if (p.s.isOp('(')) signature(p, def);
  const call = p.e.expression();
  if (call.t !== 'call') throw p.s.fail('expected call', line);
  p.endBlock();
  def.body = p.block('call', line, ['endcall']).body;
  p.endBlock();
  return { t: 'callblock', call, def, line };
}

/** `(a, b=default, …)` into `def.params`, with Jinja2's checks on defaults and `caller`. */
function signature(p: BlockReader, def: MacroDef): void {
  p.s.expectOp('(');
  while (!p.s.isOp(')')) {
    if (def.params.length) p.s.expectOp(',');
    const name = p.s.expectName().value;
    const param: MacroDef['params'][number] = { name };
    if (p.s.skipOp('=')) param.default = p.e.expression();
    else if (name === 'caller') throw p.s.fail('When defining macros or call blocks the special "caller" argument must be omitted or be given a default.');
    else if (def.params.some((d) => d.default)) throw p.s.fail('non-default argument follows default argument');
    def.params.push(param);
  }
  p.s.expectOp(')');
}
