/**
 * Compiles a template's syntax tree to JavaScript source, as Jinja2 compiles to Python. One code generator,
 * two modes: sync (parse renders, YAML values, macros called from Strata) and async (run renders, where
 * `run_query` waits for the warehouse: every call is awaited, so side effects happen once, in order).
 */
import type { Expr, MacroDef, Stmt, Target } from './ast.js';
import { JinjaError } from './errors.js';
import { FILTERS } from './filters.js';
import { TESTS } from './tests.js';
import { PyFloat } from './py-number.js';

const BINARY: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'mod', '**': 'pow' };
const q = (s: string): string => JSON.stringify(s);

interface FnScope {
  temps: string[];
}

export class CodeGenerator {
  private id = 0;
  private readonly fns: FnScope[] = [];
  private readonly A: string;
  /** Inside an if branch or an inline-if: an unknown filter or test is an error only when it runs, as in Jinja2. */
  private soft = 0;

  /** `lenient`: an unknown filter or test is an error only when it runs, anywhere (a dbt macro file, compiled by dbt only when called). */
  constructor(
    private readonly isAsync: boolean,
    private readonly file: string,
    lenient = false,
  ) {
    this.A = isAsync ? 'await ' : '';
    if (lenient) this.soft = 1;
  }

  /** Source of `function (rt, frame) → string` (or a Promise of it). */
  template(body: Stmt[]): string {
    return `return ${this.isAsync ? 'async ' : ''}function render(rt, f0) {\n${this.fnBody(body, 'f0', 1, (b) => b)}\n};`;
  }

  /** Source of `function (rt, frame) → value` for one expression (native rendering). */
  value(expr: Expr): string {
    this.fns.push({ temps: [] });
    const code = this.expr(expr, 'f0');
    const { temps } = this.fns.pop()!;
    return `return function value(rt, f0) {${temps.length ? ` let ${temps.join(', ')};` : ''} try { return ${code}; } catch (e) { throw rt.locate(e, ${q(this.file)}, ${expr.line}); } };`;
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.id}`;
  }

  private temp(): string {
    const t = this.fresh('t');
    this.fns[this.fns.length - 1]!.temps.push(t);
    return t;
  }

  /** A function body: a buffer, the line register, temps, and errors located in this file. */
  private fnBody(body: Stmt[], frame: string, line: number, result: (buf: string) => string, prelude = ''): string {
    this.fns.push({ temps: [] });
    const buf = this.fresh('b');
    const code = this.stmts(body, frame, buf);
    const { temps } = this.fns.pop()!;
    return `let L = ${line}; let ${buf} = '';${temps.length ? ` let ${temps.join(', ')};` : ''}\ntry {\n${prelude}${code}\nif (${buf}.length > rt.limits.output) rt.outputTooLarge(${buf}.length);\n} catch (e) { throw rt.locate(e, ${q(this.file)}, L); }\nreturn ${result(buf)};`;
  }

  private stmts(list: Stmt[], f: string, buf: string): string {
    return list.map((s) => this.stmt(s, f, buf)).join('\n');
  }

  private stmt(s: Stmt, f: string, buf: string): string {
    switch (s.t) {
      case 'data': return `${buf} += ${q(s.text)};`;
      case 'output': return `L = ${s.line}; ${buf} += rt.str(${this.expr(s.expr, f)});`;
      case 'if': {
        const branches = s.tests.map((b, i) => `${i ? ' else ' : `L = ${s.line}; `}if (rt.truthy(${this.expr(b.test, f)})) {\n${this.softly(() => this.stmts(b.body, f, buf))}\n}`);
        return branches.join('') + (s.else ? ` else {\n${this.softly(() => this.stmts(s.else!, f, buf))}\n}` : '');
      }
      case 'for': return this.forStmt(s, f, buf);
      case 'set': return `L = ${s.line}; ${this.assign(s.target, this.expr(s.value, f), f)}`;
      case 'setblock': {
        const inner = this.fresh('b');
        const value = s.filters.reduce((acc, flt) => this.expr(flt, f, acc), inner);
        return `{ let ${inner} = '';\n${this.stmts(s.body, f, inner)}\nL = ${s.line}; ${this.assign(s.target, value, f)} }`;
      }
      case 'macro': return `${f}[${q(s.def.name)}] = ${this.macro(s.def, f)};`;
      case 'callblock': {
        const call = s.call as Extract<Expr, { t: 'call' }>;
        const caller = this.macro(s.def, f);
        const kw = `{ ${call.kwargs.map(([k, v]) => `${q(k)}: ${this.expr(v, f)}`).join(', ')}${call.kwargs.length ? ', ' : ''}caller: ${caller} }`;
        return `L = ${s.line}; ${buf} += rt.str(${this.A}rt.call(${this.expr(call.fn, f)}, ${this.args(call.args, call.star, f)}, ${call.dstar ? `rt.mergeKw(${kw}, ${this.expr(call.dstar, f)})` : kw}));`;
      }
      case 'filterblock': {
        const inner = this.fresh('b');
        const frame = this.fresh('f');
        const value = s.filters.reduce((acc, flt) => this.expr(flt, f, acc), inner);
        return `{ let ${inner} = ''; const ${frame} = Object.create(${f});\n${this.stmts(s.body, frame, inner)}\nL = ${s.line}; ${buf} += rt.str(${value}); }`;
      }
      case 'do': return `L = ${s.line}; ${this.expr(s.expr, f)};`;
      case 'with': {
        const inner = this.fresh('f');
        const values = s.targets.map(([, e]) => this.expr(e, f));
        const tmp = values.map(() => this.fresh('w'));
        return `{ L = ${s.line}; ${values.map((v, i) => `const ${tmp[i]} = ${v};`).join(' ')} const ${inner} = Object.create(${f}); ${s.targets.map(([t], i) => this.assign(t, tmp[i]!, inner)).join(' ')}\n${this.stmts(s.body, inner, buf)}\n}`;
      }
      case 'break': return 'break;';
      case 'continue': return 'continue;';
      case 'skip': return '';
    }
  }

  private assign(target: Target, value: string, f: string): string {
    if (target.t === 'name') return `${f}[${q(target.name)}] = ${value};`;
    if (target.t === 'nsattr') return `rt.setattr(${this.lookup(target.name, f)}, ${q(target.attr)}, ${value});`;
    const u = this.fresh('u');
    return `{ const ${u} = rt.unpack(${value}, ${target.items.length}); ${target.items.map((t, i) => this.assign(t, `${u}[${i}]`, f)).join(' ')} }`;
  }

  private forStmt(s: Extract<Stmt, { t: 'for' }>, f: string, buf: string): string {
    const fn = this.fresh('loop');
    const inner = this.fresh('f');
    const item = this.fresh('i');
    const filter = s.filter
      ? `{ const kept = []; for (const x of items) { ${this.assign(s.target, 'x', inner)} if (rt.truthy(${this.expr(s.filter, inner)})) kept.push(x); } items = kept; }\n`
      : '';
    const recurse = s.recursive ? `, ${this.isAsync ? 'async ' : ''}(it, d) => (${this.A}${fn}(rt.iter(it), d))[0]` : '';
    const prelude = `let ${inner} = Object.create(${f});\n${filter}const loop = rt.loop(items, depth0${recurse}); const budget = rt.budget(), maxIterations = rt.limits.iterations, maxOutput = rt.limits.output;\n`;
    this.fns.push({ temps: [] });
    const b = this.fresh('b');
    const body = this.stmts(s.body, inner, b);
    const { temps } = this.fns.pop()!;
    const code = `let L = ${s.line}; let ${b} = ''; let iterated = false;${temps.length ? ` let ${temps.join(', ')};` : ''}\ntry {\n${prelude}for (let ${item} = 0; ${item} < items.length; ${item}++) { if (++budget.iterations > maxIterations) rt.tooManyIterations(); if (${b}.length > maxOutput) rt.outputTooLarge(${b}.length); loop.index0 = ${item}; ${inner} = Object.create(${f}); ${inner}.loop = loop; ${this.assign(s.target, `items[${item}]`, inner)}\n${body}\niterated = true;\n}\n} catch (e) { throw rt.locate(e, ${q(this.file)}, L); }\nreturn [${b}, iterated];`;
    const decl = `const ${fn} = ${this.isAsync ? 'async ' : ''}function (items, depth0) {\n${code}\n};`;
    const r = this.fresh('r');
    return `${decl}\nL = ${s.line}; const ${r} = ${this.A}${fn}(rt.iter(${this.expr(s.iter, f)}), 0); ${buf} += ${r}[0];${s.else ? ` if (!${r}[1]) {\n${this.stmts(s.else, f, buf)}\n}` : ''}`;
  }

  private macro(def: MacroDef, f: string): string {
    const inner = this.fresh('f');
    const used = namesUsed(def.body);
    const declared = new Set(def.params.map((p) => p.name));
    const varargs = used.has('varargs') && !declared.has('varargs');
    const kwargs = used.has('kwargs') && !declared.has('kwargs');
    const caller = used.has('caller') && !declared.has('caller');
    this.fns.push({ temps: [] });
    const params = def.params
      .map((p, i) => {
        const fallback = p.default ? this.expr(p.default, inner) : `new rt.Undefined(${q(`parameter '${p.name}' was not provided`)}, ${q(p.name)})`;
        return `${inner}[${q(p.name)}] = bound.values[${i}] !== rt.MISSING ? bound.values[${i}] : ${fallback};`;
      })
      .join('\n');
    const defaultTemps = this.fns.pop()!.temps;
    const extras = `${varargs ? `${inner}.varargs = rt.tuple(bound.varargs);` : ''}${kwargs ? `${inner}.kwargs = bound.kwargs;` : ''}${caller ? `${inner}.caller = bound.caller === undefined ? rt.undef('caller') : bound.caller;` : ''}`;
    const prelude = `${defaultTemps.length ? `let ${defaultTemps.join(', ')}; ` : ''}const ${inner} = Object.create(${f});\n${params}\n${extras}\n`;
    const body = this.fnBody(def.body, inner, def.line, (b) => b, prelude);
    return `rt.macro(${q(def.name)}, ${JSON.stringify(def.params.map((p) => p.name))}, ${varargs}, ${kwargs}, ${caller}, ${this.isAsync ? 'async ' : ''}function (bound) {\n${body}\n})`;
  }

  private lookup(name: string, f: string): string {
    return `(${f}[${q(name)}] ?? rt.undefOr(${f}, ${q(name)}))`;
  }

  private args(args: Expr[], star: Expr | undefined, f: string): string {
    const list = `[${args.map((a) => this.expr(a, f)).join(', ')}]`;
    return star ? `rt.spread(${list}, ${this.expr(star, f)})` : list;
  }

  private kwargs(kwargs: [string, Expr][], dstar: Expr | undefined, f: string): string {
    const obj = kwargs.length ? `{ ${kwargs.map(([k, v]) => `${q(k)}: ${this.expr(v, f)}`).join(', ')} }` : 'undefined';
    return dstar ? `rt.mergeKw(${obj}, ${this.expr(dstar, f)})` : obj;
  }

  /** `input`: the value a filter with no node of its own applies to (block filters). */
  expr(e: Expr, f: string, input?: string): string {
    switch (e.t) {
      case 'const': return constant(e.value);
      case 'name': return this.lookup(e.name, f);
      case 'tuple': return `rt.tuple([${e.items.map((i) => this.expr(i, f)).join(', ')}])`;
      case 'list': return `[${e.items.map((i) => this.expr(i, f)).join(', ')}]`;
      case 'dict': return `rt.dict([${e.items.map(([k, v]) => `[${this.expr(k, f)}, ${this.expr(v, f)}]`).join(', ')}])`;
      case 'getattr': return `rt.getattr(${this.expr(e.obj, f)}, ${q(e.attr)})`;
      case 'getitem': return `rt.getitem(${this.expr(e.obj, f)}, ${this.expr(e.key, f)})`;
      case 'slice': return `rt.slice(${e.start ? this.expr(e.start, f) : 'null'}, ${e.stop ? this.expr(e.stop, f) : 'null'}, ${e.step ? this.expr(e.step, f) : 'null'})`;
      case 'call': return `(${this.A}rt.call(${this.expr(e.fn, f)}, ${this.args(e.args, e.star, f)}, ${this.kwargs(e.kwargs, e.dstar, f)}))`;
      case 'filter': {
        if (!(e.name in FILTERS) && !this.soft) throw new JinjaError('syntax', `No filter named '${e.name}'.`, e.line);
        const value = e.node ? this.expr(e.node, f, input) : input ?? 'undefined';
        return `rt.filter(${q(e.name)}, ${value}, ${this.args(e.args, e.star, f)}, ${this.kwargs(e.kwargs, e.dstar, f)})`;
      }
      case 'test': {
        if (!(e.name in TESTS) && !this.soft) throw new JinjaError('syntax', `No test named '${e.name}'.`, e.line);
        const call = `rt.test(${q(e.name)}, ${this.expr(e.node, f, input)}, [${e.args.map((a) => this.expr(a, f)).join(', ')}])`;
        return e.negated ? `!${call}` : call;
      }
      case 'bin': return `rt.${BINARY[e.op]}(${this.expr(e.left, f, input)}, ${this.expr(e.right, f)})`;
      case 'unary': return e.op === 'not' ? `!rt.truthy(${this.expr(e.node, f, input)})` : `rt.${e.op === '-' ? 'neg' : 'pos'}(${this.expr(e.node, f, input)})`;
      case 'compare': return this.compare(e, f, input);
      case 'and':
      case 'or': {
        const t = this.temp();
        const left = `rt.truthy(${t} = ${this.expr(e.left, f, input)})`;
        return e.t === 'and' ? `(${left} ? ${this.expr(e.right, f)} : ${t})` : `(${left} ? ${t} : ${this.expr(e.right, f)})`;
      }
      case 'concat': return `rt.concat(${e.items.map((i) => this.expr(i, f, input)).join(', ')})`;
      case 'cond': return `(rt.truthy(${this.expr(e.test, f)}) ? ${this.softly(() => this.expr(e.then, f, input))} : ${e.else ? this.softly(() => this.expr(e.else!, f)) : `new rt.Undefined('the inline if-expression evaluated to false and no else section was defined.')`})`;
    }
  }

  private softly<T>(fn: () => T): T {
    this.soft++;
    try {
      return fn();
    } finally {
      this.soft--;
    }
  }

  private compare(e: Extract<Expr, { t: 'compare' }>, f: string, input?: string): string {
    if (e.ops.length === 1) return `rt.cmp(${q(e.ops[0]![0])}, ${this.expr(e.first, f, input)}, ${this.expr(e.ops[0]![1], f)})`;
    let prev = this.temp();
    const parts: string[] = [`(${prev} = ${this.expr(e.first, f, input)}, true)`];
    for (const [op, right] of e.ops) {
      const t = this.temp();
      parts.push(`rt.cmp(${q(op)}, ${prev}, ${t} = ${this.expr(right, f)})`);
      prev = t;
    }
    return `(${parts.join(' && ')})`;
  }
}

function constant(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `rt.bigint(${q(String(v))})`;
  if (v instanceof PyFloat) return `rt.float(${String(v.value)})`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(v);
}

/** Names read anywhere in a body (expression name nodes carry a line; assignment targets do not). */
function namesUsed(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) namesUsed(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.t === 'name' && typeof o.line === 'number') out.add(o.name as string);
    for (const k in o) if (k !== 't') namesUsed(o[k], out);
  }
  return out;
}
