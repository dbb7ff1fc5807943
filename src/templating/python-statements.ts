/**
 * Python's statements where nunjucks' differ (each checked against Jinja2 3.1), by changing what its parser
 * and compiler produce:
 * - `{% for x in xs if cond %}` filters the loop (nunjucks read `xs if cond` as an inline if: no items);
 *   `loop.cycle('odd', 'even')`; a `{% set %}` inside a for loop stays in the loop (nunjucks let it out);
 * - `{% set a, b = 1, 2 %}` and `{% set a, b = pair %}` unpack;
 * - macros see `varargs` and `kwargs`, and calls spread `*items` and `**mapping`.
 */
import type nunjucksModule from 'nunjucks';
import { pyTruthy, pyTuple } from './python-values.js';
import type { Compiler, Frame, Node, Nodes, Parser } from './nunjucks-internals.js';

export function installPythonStatements(nunjucks: typeof nunjucksModule, runtime: Record<string, unknown>): void {
  const internals = nunjucks as unknown as { compiler: { Compiler: { prototype: Compiler & Record<string, unknown> } }; parser: { Parser: { prototype: Record<string, unknown> } }; nodes: Nodes; lexer: Record<string, string> };
  const proto = internals.compiler.Compiler.prototype;
  const parser = internals.parser.Parser.prototype;
  const nodes = internals.nodes;
  const lexer = internals.lexer;

  // `{% for x in xs if cond %}`: nunjucks parses `xs if cond` as an inline if without else, which Jinja's
  // grammar never allows there. It becomes a filter over the items, with the loop's names bound.
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

  // Calls with `*args` and `**kwargs` (`adapter.dispatch('x')(*varargs, **kwargs)`): nunjucks' parseSignature,
  // with a spread of the items (into the arguments) or of the mapping (into the keyword arguments).
  parser.parseSignature = function (this: Parser, tolerant?: boolean, noParens?: boolean): Node | null {
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
  // nunjucks' parseSet, with a tuple after `=` (a comma after the first value).
  parser.parseSet = function (this: Parser): Node {
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
  runtime.__strata_loop_filter = (arr: unknown, names: number, keep: (item: unknown) => unknown): unknown[] => {
    const items = Array.isArray(arr) ? arr : arr && typeof arr === 'object' ? (names === 2 ? Object.entries(arr) : Object.keys(arr)) : typeof arr === 'string' ? [...arr] : [];
    return items.filter((item) => pyTruthy(keep(item)));
  };
  runtime.__strata_unpack = (v: unknown, n: number): unknown[] => {
    const items = Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v && typeof v === 'object' ? Object.keys(v) : [];
    if (items.length !== n) throw new Error(`cannot unpack ${items.length} values into ${n} names`);
    return items;
  };
}
