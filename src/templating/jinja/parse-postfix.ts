/** Jinja2's postfix syntax (parser.py): subscripts and slices, call arguments, dotted filter and test names. */
import type { Expr } from './ast.js';
import { describe, type TokenStream } from './token-stream.js';

/** Parses one full expression (conditional included) at the current token. */
export type ParseExpr = () => Expr;

/** A call's arguments: positional, keyword, and the `*args` / `**kwargs` spreads. */
export interface CallArgs {
  args: Expr[];
  kwargs: [string, Expr][];
  star?: Expr;
  dstar?: Expr;
}

/** `.name`, `.0` or `[key]` / `[a:b:c]` / `[a, b]` after `node`; the current token is the `.` or `[`. */
export function parseSubscript(s: TokenStream, node: Expr, expression: ParseExpr): Expr {
  const tok = s.next();
  const line = tok.line;
  if (tok.value === '.') {
    const attr = s.next();
    if (attr.type === 'name') return { t: 'getattr', obj: node, attr: attr.value, line };
    if (attr.type === 'int') return { t: 'getitem', obj: node, key: { t: 'const', value: attr.literal, line }, line };
    throw s.fail('expected name or number', attr.line);
  }
  const keys: Expr[] = [];
  while (!s.isOp(']')) {
    if (keys.length) s.expectOp(',');
    keys.push(subscribed(s, expression));
  }
  s.expectOp(']');
  const key = keys.length === 1 ? keys[0]! : { t: 'tuple' as const, items: keys, line };
  return { t: 'getitem', obj: node, key, line };
}

/** One key inside `[…]`: an expression, or a slice with any of its three parts left out. */
function subscribed(s: TokenStream, expression: ParseExpr): Expr {
  const line = s.cur.line;
  const parts: (Expr | undefined)[] = [];
  const part = (): Expr | undefined => (s.isOp(':') || s.isOp(']') || s.isOp(',') ? undefined : expression());
  parts.push(part());
  if (!s.isOp(':')) {
    if (!parts[0]) throw s.fail(`Expected an expression, got '${describe(s.cur)}'`);
    return parts[0];
  }
  s.next();
  parts.push(part());
  if (s.skipOp(':')) parts.push(part());
  return { t: 'slice', ...(parts[0] ? { start: parts[0] } : {}), ...(parts[1] ? { stop: parts[1] } : {}), ...(parts[2] ? { step: parts[2] } : {}), line };
}

/** `(a, b, key=c, *rest, **more)`, from the opening parenthesis to the closing one. */
export function parseCallArgs(s: TokenStream, expression: ParseExpr): CallArgs {
  s.expectOp('(');
  const out: CallArgs = { args: [], kwargs: [] };
  let first = true;
  while (!s.isOp(')')) {
    if (!first) {
      s.expectOp(',');
      if (s.isOp(')')) break;
    }
    first = false;
    if (s.skipOp('**')) out.dstar = expression();
    else if (s.skipOp('*')) out.star = expression();
    else if (s.cur.type === 'name' && s.peek().type === 'op' && s.peek().value === '=') {
      const key = s.next().value;
      s.next();
      out.kwargs.push([key, expression()]);
    } else {
      if (out.kwargs.length || out.dstar || out.star) throw s.fail('invalid syntax for function call expression');
      out.args.push(expression());
    }
  }
  s.expectOp(')');
  return out;
}

/** A filter's or test's name, dotted names included (`| dbt.safe_cast`). */
export function parseDottedName(s: TokenStream): string {
  let name = s.expectName().value;
  while (s.isOp('.') && s.peek().type === 'name') {
    s.next();
    name += '.' + s.next().value;
  }
  return name;
}

/** Whether the current token starts the one argument a test takes without parentheses (`x is divisibleby 3`). */
export function startsTestArgument(s: TokenStream): boolean {
  const c = s.cur;
  if (c.type === 'string' || c.type === 'int' || c.type === 'float') return true;
  if (c.type === 'op') return c.value === '[' || c.value === '{' || c.value === '(';
  return c.type === 'name' && !['else', 'or', 'and', 'is', 'in', 'not', 'if'].includes(c.value);
}
