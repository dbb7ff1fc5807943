/**
 * Python's syntax and operators where nunjucks compiles to JavaScript's, by changing what nunjucks'
 * parser and compiler produce (each checked against Jinja2 3.1):
 * - `(a, b)` is a tuple (an array), not JavaScript's comma operator: `x in ('a', 'b')`, `for k, v in [(1, 2)]`;
 * - `%` formats strings (`'%s.%s' % (a, b)`) and takes the divisor's sign for numbers (`-7 % 3` is 2);
 * - `+` joins lists, `+`/`-` shift datetimes by a timedelta, `*` repeats strings and lists (`'-' * 20`),
 *   `==` and `!=` compare lists and dicts by value;
 * - `{% for x in xs if cond %}` filters the loop (nunjucks read `xs if cond` as an inline if: no items);
 *   `loop.cycle('odd', 'even')`;
 * - `{% set a, b = 1, 2 %}` and `{% set a, b = pair %}` unpack;
 * - `if`, `not`, `and`, `or` use Python's truthiness: `{% if columns %}` is false for an empty list;
 * - a `{% set x = … %}` inside a for loop stays in the loop, as Jinja scopes it (nunjucks let it out);
 * - macros see `varargs` and `kwargs`, and calls spread `*items` and `**mapping`;
 * - `{{ x }}` and `a ~ b` print values as Python's `str()` does: `None`, `True`, `[1, 2]`, `{'a': 1}`
 *   (an undefined name still prints nothing, as Jinja's Undefined does).
 */
import type nunjucksModule from 'nunjucks';
import { percentFormat, pyModulo, pyStr, pyTruthy, pyTuple } from './python-values.js';

type Node = { typename?: string; value?: unknown; children: Node[]; [k: string]: unknown };
type Compiler = {
  compile(node: unknown, frame: unknown): void;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  _compileExpression(node: unknown, frame: unknown): void;
  _compileAggregate(node: unknown, frame: unknown, open: string, close: string): void;
};
type Frame = { push(): Frame; lookup(name: string): string | undefined; set(name: string, id: string): void };
type Nodes = Record<string, new (...a: unknown[]) => Node>;

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

  // `{% for x in xs if cond %}`: nunjucks parses `xs if cond` as an inline if without else, which Jinja's
  // grammar never allows there. It becomes a filter over the items, with the loop's names bound.
  const parser = internals.parser.Parser.prototype;
  const parseFor = parser.parseFor as (this: unknown) => Node;
  parser.parseFor = function (this: unknown): Node {
    const node = parseFor.call(this);
    const arr = node.arr as Node;
    if (arr && arr.typename === 'InlineIf' && arr.else_ === null) {
      node.arr = arr.body;
      node.strataLoopFilter = arr.cond;
    }
    return node;
  };
  const compileFor = proto.compileFor as (this: Compiler, node: Node, frame: Frame) => void;
  proto.compileFor = function (this: Compiler, node: Node, frame: Frame): void {
    if (node.strataLoopFilter) {
      const filtered = { ...node, typename: 'StrataLoopFilter', arr: node.arr, cond: node.strataLoopFilter, names: node.name };
      node = Object.assign(Object.create(Object.getPrototypeOf(node) as object) as Node, node, { arr: filtered, strataLoopFilter: undefined });
    }
    // The loop's own scope (its first push): a `{% set %}` in it stays in it, as in Jinja.
    const push = frame.push;
    let marked = false;
    frame.push = function (this: Frame, ...a: unknown[]): Frame {
      const inner = (push as (...x: unknown[]) => Frame).apply(this, a);
      if (!marked) (inner as Frame & { strataLoop?: boolean }).strataLoop = marked = true;
      return inner;
    };
    try {
      compileFor.call(this, node, frame);
    } finally {
      frame.push = push;
    }
  };
  proto.compileStrataLoopFilter = function (this: Compiler, node: { arr: unknown; cond: unknown; names: Node }, frame: Frame): void {
    const item = this._tmpid();
    const inner = frame.push();
    this._emit('runtime.__strata_loop_filter(');
    this._compileExpression(node.arr, frame);
    this._emit(`, ${node.names.typename === 'Array' ? node.names.children.length : 0}, function(${item}) { frame = frame.push(); `);
    const names = node.names.typename === 'Array' ? node.names.children : [node.names];
    names.forEach((name, i) => {
      const id = this._tmpid();
      const value = node.names.typename === 'Array' ? `${item}[${i}]` : item;
      this._emit(`var ${id} = ${value}; frame.set("${String(name.value)}", ${id}); `);
      inner.set(String(name.value), id);
    });
    this._emit('var ok = ');
    this._compileExpression(node.cond, inner);
    this._emit('; frame = frame.pop(); return ok; })');
  };

  // loop.cycle(a, b, …): the argument at the loop's index, round and round.
  const emitLoopBindings = proto._emitLoopBindings as (this: Compiler, node: unknown, arr: string, i: string, len: string) => void;
  proto._emitLoopBindings = function (this: Compiler, node: unknown, arr: string, i: string, len: string): void {
    emitLoopBindings.call(this, node, arr, i, len);
    this._emitLine(`frame.set("loop.cycle", function() { return arguments[${i} % arguments.length]; });`);
  };

  // `x is divisibleby 3`, `x is sameas none`: Jinja takes one argument without parentheses after a test name.
  type IsParser = SignatureParser & { parseCompare(): Node; parsePrimary(): Node };
  const STARTS_VALUE = ['int', 'float', 'string', 'left-paren', 'left-bracket', 'left-curly', 'boolean', 'none'];
  parser.parseIs = function (this: IsParser): Node {
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

  // Calls with `*args` and `**kwargs` (`adapter.dispatch('x')(*varargs, **kwargs)`): nunjucks' parseSignature,
  // with a spread of the items (into the arguments) or of the mapping (into the keyword arguments).
  type SignatureParser = SetParser & { nextToken(): { type: string; value: string; lineno: number; colno: number } };
  parser.parseSignature = function (this: SignatureParser, tolerant?: boolean, noParens?: boolean): Node | null {
    let tok = this.peekToken();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new nodes.NodeList!(tok.lineno, tok.colno);
    const kwargs = new nodes.KeywordArgs!(tok.lineno, tok.colno);
    let checkComma = false;
    for (;;) {
      tok = this.peekToken();
      if (!noParens && tok.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      } else if (noParens && tok.type === lexer.TOKEN_BLOCK_END) break;
      if (checkComma && !this.skip(lexer.TOKEN_COMMA!)) this.fail('parseSignature: expected comma after expression', tok.lineno, tok.colno);
      tok = this.peekToken();
      if (tok.type === lexer.TOKEN_OPERATOR && (tok.value === '*' || tok.value === '**')) {
        this.nextToken();
        const spread = { typename: 'StrataSpread', expr: this.parseExpression(), mapping: tok.value === '**', lineno: tok.lineno, colno: tok.colno, children: [] } as unknown as Node;
        (spread.mapping ? kwargs : args).children.push(spread);
      } else {
        const arg = this.parseExpression();
        if (this.skipValue(lexer.TOKEN_OPERATOR!, '=')) kwargs.children.push(new nodes.Pair!((arg as { lineno?: number }).lineno, (arg as { colno?: number }).colno, arg, this.parseExpression()));
        else args.children.push(arg);
      }
      checkComma = true;
    }
    if (kwargs.children.length) args.children.push(kwargs);
    return args;
  };
  proto.compileStrataSpread = function (this: Compiler, node: { expr: unknown; mapping: boolean }, frame: unknown): void {
    this._emit(node.mapping ? '...runtime.__strata_mapping(' : '...runtime.__strata_items(');
    this._compileExpression(node.expr, frame);
    this._emit(')');
  };
  runtime.__strata_items = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v && typeof v === 'object' ? Object.keys(v).filter((k) => k !== '__keywords') : []);
  runtime.__strata_mapping = (v: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== '__keywords' && k !== '__strata_varargs') out[k] = x;
    return out;
  };

  // `{% set a, b = 1, 2 %}`: a bare tuple on the right, and unpacking into several names.
  const lexer = (nunjucks as unknown as { lexer: Record<string, string> }).lexer;
  // nunjucks' parseSet, with a tuple after `=` (a comma after the first value).
  type SetParser = {
    peekToken(): { type: string; value: string; lineno: number; colno: number };
    skipSymbol(s: string): boolean;
    skip(t: string): boolean;
    skipValue(t: string, v: string): boolean;
    fail(m: string, l?: number, c?: number): never;
    parsePrimary(): Node;
    parseExpression(): Node;
    parseUntilBlocks(...b: string[]): Node;
    advanceAfterBlockEnd(v?: string): void;
  };
  parser.parseSet = function (this: SetParser): Node {
    const tag = this.peekToken();
    if (!this.skipSymbol('set')) this.fail('parseSet: expected set', tag.lineno, tag.colno);
    const node = new nodes.Set!(tag.lineno, tag.colno, []);
    const targets = node.targets as Node[];
    for (let target = this.parsePrimary(); target; target = this.parsePrimary()) {
      targets.push(target);
      if (!this.skip(lexer.TOKEN_COMMA!)) break;
    }
    if (!this.skipValue(lexer.TOKEN_OPERATOR!, '=')) {
      if (!this.skip(lexer.TOKEN_BLOCK_END!)) this.fail('parseSet: expected = or block end in set tag', tag.lineno, tag.colno);
      node.body = new nodes.Capture!(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
      node.value = null;
      this.advanceAfterBlockEnd();
      return node;
    }
    const first = this.parseExpression();
    if (this.peekToken().type === lexer.TOKEN_COMMA) {
      const tuple = new nodes.Array!(tag.lineno, tag.colno, [first]);
      while (this.skip(lexer.TOKEN_COMMA!)) tuple.children.push(this.parseExpression());
      node.value = tuple;
    } else node.value = first;
    this.advanceAfterBlockEnd(tag.value);
    return node;
  };
  const compileSet = proto.compileSet as (this: Compiler, node: Node, frame: Frame) => void;
  proto.compileSet = function (this: Compiler, node: Node, frame: Frame): void {
    const targets = node.targets as Node[];
    const loop = frame as Frame & { strataLoop?: boolean; variables: Record<string, unknown> };
    if (loop.strataLoop && (node.value || node.body)) {
      // In a for loop, a name not set in the loop yet gets a variable of the loop's own.
      const values = this._tmpid();
      this._emit(`var ${values} = ${targets.length > 1 ? 'runtime.__strata_unpack(' : '('}`);
      if (node.value) this._compileExpression(node.value, frame);
      else this.compile(node.body, frame);
      this._emitLine(targets.length > 1 ? `, ${targets.length});` : ');');
      targets.forEach((target, i) => {
        const name = String(target.value);
        let id = Object.prototype.hasOwnProperty.call(loop.variables, name) ? (loop.variables[name] as string) : undefined;
        if (!id) {
          id = this._tmpid();
          this._emitLine(`var ${id};`);
          frame.set(name, id);
        }
        this._emitLine(`${id} = ${targets.length > 1 ? `${values}[${i}]` : values}; frame.set("${name}", ${id});`);
      });
      return;
    }
    if (targets.length < 2 || !node.value) return compileSet.call(this, node, frame);
    const values = this._tmpid();
    this._emit(`var ${values} = runtime.__strata_unpack(`);
    this._compileExpression(node.value, frame);
    this._emitLine(`, ${targets.length});`);
    targets.forEach((target, i) => {
      const one = Object.assign(Object.create(Object.getPrototypeOf(node) as object) as Node, node, { targets: [target], value: { typename: 'StrataRaw', code: `${values}[${i}]` } });
      compileSet.call(this, one, frame);
    });
  };
  proto.compileStrataRaw = function (this: Compiler, node: { code: string }): void {
    this._emit(node.code);
  };

  // Macros see `varargs` (extra positional arguments) and `kwargs` (keyword arguments they do not declare), as in Jinja.
  const compileMacro = proto._compileMacro as (this: Compiler & { _emitLines(...l: string[]): void }, node: Node, frame: unknown) => string;
  proto._compileMacro = function (this: Compiler & { _emitLines(...l: string[]): void }, node: Node, frame: unknown): string {
    const declared = (node.args as Node).children.flatMap((a) => (a.typename === 'KeywordArgs' || a.typename === 'Dict' ? a.children.map((pair) => String((pair.key as Node).value)) : [String(a.value)]));
    const emitLines = this._emitLines;
    this._emitLines = function (this: unknown, ...lines: string[]): void {
      const at = lines.indexOf('kwargs = kwargs || {};');
      if (at >= 0) lines.splice(at + 1, 0, `frame.set("varargs", kwargs.__strata_varargs || runtime.__strata_tuple([])); frame.set("kwargs", runtime.__strata_extra_kwargs(kwargs, ${JSON.stringify(declared)}));`);
      emitLines.apply(this, lines);
    };
    try {
      return compileMacro.call(this, node, frame);
    } finally {
      this._emitLines = emitLines;
    }
  };
  const makeMacro = runtime.makeMacro as (argNames: string[], kwargNames: string[], func: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown;
  runtime.makeMacro = (argNames: string[], kwargNames: string[], func: (...a: unknown[]) => unknown) => {
    const macro = makeMacro(argNames, kwargNames, func);
    return function (this: unknown, ...args: unknown[]): unknown {
      const last = args[args.length - 1] as Record<string, unknown> | undefined;
      const hasKw = !!last && typeof last === 'object' && Object.prototype.hasOwnProperty.call(last, '__keywords');
      const positional = hasKw ? args.length - 1 : args.length;
      const declared = argNames.length + kwargNames.length;
      if (positional > declared) {
        const extra = pyTuple(args.slice(declared, positional));
        if (hasKw) last!.__strata_varargs = extra;
        else args.push({ __keywords: true, __strata_varargs: extra });
      }
      return macro.apply(this, args);
    };
  };
  runtime.__strata_extra_kwargs = (kwargs: Record<string, unknown>, declared: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kwargs ?? {})) if (k !== '__keywords' && k !== '__strata_varargs' && k !== 'caller' && !declared.includes(k)) out[k] = v;
    return out;
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
  runtime.__strata_loop_filter = (arr: unknown, names: number, keep: (item: unknown) => unknown): unknown[] => {
    const items = Array.isArray(arr) ? arr : arr && typeof arr === 'object' ? (names === 2 ? Object.entries(arr) : Object.keys(arr)) : typeof arr === 'string' ? [...arr] : [];
    return items.filter((item) => pyTruthy(keep(item)));
  };
  runtime.__strata_truthy = pyTruthy;
  runtime.__strata_tuple = pyTuple;
  runtime.__strata_or = (a: unknown, b: () => unknown): unknown => (pyTruthy(a) ? a : b());
  runtime.__strata_and = (a: unknown, b: () => unknown): unknown => (pyTruthy(a) ? b() : a);
  runtime.__strata_unpack = (v: unknown, n: number): unknown[] => {
    const items = Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v && typeof v === 'object' ? Object.keys(v) : [];
    if (items.length !== n) throw new Error(`cannot unpack ${items.length} values into ${n} names`);
    return items;
  };
  const text = (v: unknown): string => (v === undefined ? '' : v instanceof SafeString ? String(v) : pyStr(v));
  runtime.__strata_concat = (a: unknown, b: unknown): string => text(a) + text(b);
  // What `{{ … }}` prints. No template here is autoescaped (SQL, not HTML).
  runtime.suppressValue = (v: unknown): unknown => (v === undefined ? '' : typeof v === 'string' || v instanceof SafeString ? v : pyStr(v));
}
