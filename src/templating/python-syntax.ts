/**
 * Python's syntax and operators where nunjucks compiles to JavaScript's, by changing what nunjucks'
 * parser and compiler produce (each checked against Jinja2 3.1):
 * - `(a, b)` is a tuple (an array), not JavaScript's comma operator: `x in ('a', 'b')`, `for k, v in [(1, 2)]`;
 * - `%` formats strings (`'%s.%s' % (a, b)`) and takes the divisor's sign for numbers (`-7 % 3` is 2);
 * - `+` joins lists, `+`/`-` shift datetimes by a timedelta, `*` repeats strings and lists (`'-' * 20`),
 *   `==` and `!=` compare lists and dicts by value;
 * - `if`, `not`, `and`, `or` use Python's truthiness: `{% if columns %}` is false for an empty list;
 * - `x is divisibleby 3`: a test's one argument without parentheses;
 * - `{{ x }}` and `a ~ b` print values as Python's `str()` does: `None`, `True`, `[1, 2]`, `{'a': 1}`
 *   (an undefined name still prints nothing, as Jinja's Undefined does).
 * Statements (`for`, `set`, macros, call arguments) are in python-statements.ts.
 */
import type nunjucksModule from 'nunjucks';
import { percentFormat, pyModulo, pyStr, pyTruthy, pyTuple } from './python-values.js';
import { installPythonStatements } from './python-statements.js';
import type { Compiler, Node, Nodes, Parser } from './nunjucks-internals.js';

/** Deep equality as Python's `==` sees lists and dicts; anything else as JavaScript's `==`. */
function pyEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  const plain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  if (plain(a) && plain(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  // Values with a primitive value of their own (datetimes) compare by it.
  if (a && b && typeof a === 'object' && typeof b === 'object' && Object.getPrototypeOf(a) === Object.getPrototypeOf(b)) {
    const [va, vb] = [(a as object).valueOf(), (b as object).valueOf()];
    if (va !== a && vb !== b) return va === vb;
  }
  // eslint-disable-next-line eqeqeq
  return a == b;
}

function repeat(a: unknown, b: unknown): unknown {
  const [seq, n] = typeof b === 'number' ? [a, b] : [b, a];
  if (typeof n === 'number' && typeof seq === 'string') return seq.repeat(Math.max(0, Math.trunc(n)));
  if (typeof n === 'number' && Array.isArray(seq)) return Array.from({ length: Math.max(0, Math.trunc(n)) }, () => seq).flat(1);
  return (a as number) * (b as number);
}

export function installPythonSyntax(nunjucks: typeof nunjucksModule, runtime: Record<string, unknown>): void {
  const internals = nunjucks as unknown as { compiler: { Compiler: { prototype: Compiler & Record<string, unknown> } }; parser: { Parser: { prototype: Record<string, unknown> } }; nodes: Nodes };
  const proto = internals.compiler.Compiler.prototype;
  const nodes = internals.nodes;
  type Binary = { left: unknown; right: unknown; lineno: number; colno: number };
  /** Emits `open <left> middle <right> close` for a binary operator node. */
  const binary = (open: (node: Binary) => string, middle: string, close: string) =>
    function (this: Compiler, node: Binary, frame: unknown): void {
      this._emit(open(node));
      this.compile(node.left, frame);
      this._emit(middle);
      this.compile(node.right, frame);
      this._emit(close);
    };
  // Each helper call records its position first, as nunjucks does for calls, so an error names its line.
  const call = (helper: string) => binary((node) => `(lineno = ${node.lineno}, colno = ${node.colno}, runtime.${helper}(`, ', ', '))');
  proto.compileMod = call('__strata_mod');
  proto.compileAdd = call('__strata_add');
  proto.compileSub = call('__strata_sub');
  proto.compileMul = call('__strata_mul');
  proto.compileConcat = call('__strata_concat');
  // The nodes made here (a filtered loop's items, an unpacked value) are expressions too.
  const assertType = proto.assertType as (this: Compiler, node: Node, ...types: unknown[]) => void;
  proto.assertType = function (this: Compiler, node: Node, ...types: unknown[]): void {
    if (node && (node.typename === 'StrataLoopFilter' || node.typename === 'StrataRaw' || node.typename === 'StrataTruthy' || node.typename === 'StrataSpread')) return;
    assertType.call(this, node, ...types);
  };
  // Conditions by Python's truthiness: an empty list or dict is false (JavaScript's [] and {} are true).
  const truthy = (expr: unknown): Node => ({ typename: 'StrataTruthy', expr, children: [] }) as unknown as Node;
  proto.compileStrataTruthy = function (this: Compiler, node: { expr: unknown }, frame: unknown): void {
    this._emit('runtime.__strata_truthy(');
    this._compileExpression(node.expr, frame);
    this._emit(')');
  };
  const withCond = (original: (this: Compiler, node: Node, ...rest: unknown[]) => void) =>
    function (this: Compiler, node: Node, ...rest: unknown[]): void {
      original.call(this, Object.assign(Object.create(Object.getPrototypeOf(node) as object) as Node, node, { cond: truthy(node.cond) }), ...rest);
    };
  proto.compileIf = withCond(proto.compileIf as (this: Compiler, node: Node, ...rest: unknown[]) => void);
  proto.compileInlineIf = withCond(proto.compileInlineIf as (this: Compiler, node: Node, ...rest: unknown[]) => void);
  proto.compileNot = function (this: Compiler, node: { target: unknown }, frame: unknown): void {
    this._emit('!runtime.__strata_truthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  // `a or b` and `a and b` give one of their operands, chosen by truthiness; the right one is evaluated only if needed.
  const logical = (helper: string) => binary(() => `runtime.${helper}(`, ', function() { return ', '; })');
  proto.compileOr = logical('__strata_or');
  proto.compileAnd = logical('__strata_and');
  proto.compileGroup = function (this: Compiler, node: Node, frame: unknown): void {
    if (node.children.length < 2) return this._compileAggregate(node, frame, '(', ')');
    this._emit('runtime.__strata_tuple(');
    this._compileAggregate(node, frame, '[', ']');
    this._emit(')');
  };

  // `a == b != c`: each comparison that is == or != goes through pyEquals; the others stay JavaScript's.
  const compareOps: Record<string, string> = { '==': '==', '===': '===', '!=': '!=', '!==': '!==', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
  proto.compileCompare = function (this: Compiler, node: { expr: unknown; ops: { type: string; expr: unknown }[] }, frame: unknown): void {
    // Chained comparisons (`1 < x < 3`) keep nunjucks' left-to-right JavaScript form unless an operand is == or !=.
    if (!node.ops.some((op) => op.type === '==' || op.type === '!=')) {
      this.compile(node.expr, frame);
      for (const op of node.ops) {
        this._emit(` ${compareOps[op.type]} `);
        this.compile(op.expr, frame);
      }
      return;
    }
    this._emit('runtime.__strata_compare(');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, "${op.type}", `);
      this.compile(op.expr, frame);
    }
    this._emit(')');
  };

  const parser = internals.parser.Parser.prototype;
  // `x is divisibleby 3`, `x is sameas none`: Jinja takes one argument without parentheses after a test name.
  const STARTS_VALUE = ['int', 'float', 'string', 'left-paren', 'left-bracket', 'left-curly', 'boolean', 'none'];
  parser.parseIs = function (this: Parser): Node {
    let node = this.parseCompare();
    if (this.skipSymbol('is')) {
      const not = this.skipSymbol('not');
      let test = this.parseCompare();
      const next = this.peekToken();
      const startsValue = STARTS_VALUE.includes(next.type) || (next.type === 'symbol' && !['and', 'or', 'else', 'if', 'not', 'in', 'is'].includes(next.value));
      if (test.typename === 'Symbol' && startsValue) {
        const arg = this.parsePrimary();
        test = new nodes.FunCall!((test as { lineno?: number }).lineno, (test as { colno?: number }).colno, test, new nodes.NodeList!((arg as { lineno?: number }).lineno, (arg as { colno?: number }).colno, [arg]));
      }
      node = new nodes.Is!((node as { lineno?: number }).lineno, (node as { colno?: number }).colno, node, test);
      if (not) node = new nodes.Not!((node as { lineno?: number }).lineno, (node as { colno?: number }).colno, node);
    }
    return node;
  };

  const SafeString = runtime.SafeString as new (...a: unknown[]) => object;
  runtime.__strata_mod = (a: unknown, b: unknown): unknown => {
    if (typeof a === 'string' || a instanceof SafeString) return percentFormat(String(a), b);
    return typeof a === 'number' && typeof b === 'number' ? pyModulo(a, b) : (a as number) % (b as number);
  };
  // Objects that define Python's operators (datetimes and timedeltas) use them.
  const dunder = (a: unknown, name: '__add__' | '__sub__', b: unknown): unknown => {
    const f = (a as Record<string, unknown> | null)?.[name];
    return typeof f === 'function' ? (f as (x: unknown) => unknown).call(a, b) : undefined;
  };
  runtime.__strata_add = (a: unknown, b: unknown): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    return dunder(a, '__add__', b) ?? dunder(b, '__add__', a) ?? (a as number) + (b as number);
  };
  runtime.__strata_sub = (a: unknown, b: unknown): unknown => dunder(a, '__sub__', b) ?? (a as number) - (b as number);
  runtime.__strata_mul = repeat;
  runtime.__strata_compare = (first: unknown, ...rest: unknown[]): boolean => {
    let left = first;
    for (let i = 0; i < rest.length; i += 2) {
      const [op, right] = [rest[i] as string, rest[i + 1]];
      // eslint-disable-next-line eqeqeq
      const ok = op === '==' ? pyEquals(left, right) : op === '!=' ? !pyEquals(left, right) : op === '<' ? (left as number) < (right as number) : op === '>' ? (left as number) > (right as number) : op === '<=' ? (left as number) <= (right as number) : op === '>=' ? (left as number) >= (right as number) : op === '===' ? left === right : left !== right;
      if (!ok) return false;
      left = right;
    }
    return true;
  };
  runtime.__strata_truthy = pyTruthy;
  runtime.__strata_tuple = pyTuple;
  runtime.__strata_or = (a: unknown, b: () => unknown): unknown => (pyTruthy(a) ? a : b());
  runtime.__strata_and = (a: unknown, b: () => unknown): unknown => (pyTruthy(a) ? b() : a);
  const text = (v: unknown): string => (v === undefined ? '' : v instanceof SafeString ? String(v) : pyStr(v));
  runtime.__strata_concat = (a: unknown, b: unknown): string => text(a) + text(b);
  // What `{{ … }}` prints. No template here is autoescaped (SQL, not HTML).
  runtime.suppressValue = (v: unknown): unknown => (v === undefined ? '' : typeof v === 'string' || v instanceof SafeString ? v : pyStr(v));
  installPythonStatements(nunjucks, runtime);
}
