/**
 * dbt's `modules.re` with Python's semantics on JavaScript's RegExp: inline flags (`(?i)`), named groups
 * (`(?P<n>…)`), `\A`/`\Z`, match objects (`group`, `groups`, `groupdict`, `start`, `end`, `span`), `sub` with
 * `\1`/`\g<name>` references and a count, `split` with captured separators, `findall` returning tuples.
 */
import { JinjaError, markPython, splitKw, tuple } from './jinja/index.js';

const FLAGS = { I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, X: 64, VERBOSE: 64, A: 256, ASCII: 256 };

function translate(pattern: string, flags: number): RegExp {
  let p = pattern;
  let f = 'u';
  // Global flags lead the pattern, in one group or several (`(?i)(?s)…`, as dbt-codegen writes them).
  for (let inline = /^\(\?([aiLmsux]+)\)/.exec(p); inline; inline = /^\(\?([aiLmsux]+)\)/.exec(p)) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]!) flags |= c === 'i' ? 2 : c === 'm' ? 8 : c === 's' ? 16 : c === 'x' ? 64 : 0;
  }
  if (flags & 64) p = p.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  if (flags & 2) f += 'i';
  if (flags & 8) f += 'm';
  if (flags & 16) f += 's';
  p = p.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '(?<![\\s\\S])').replace(/\\Z/g, '(?![\\s\\S])');
  try {
    return new RegExp(p, f);
  } catch {
    try {
      return new RegExp(p, f.replace('u', ''));
    } catch (e) {
      throw new JinjaError('value', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
}

class Match {
  constructor(private readonly m: RegExpExecArray) {}
  group(...which: unknown[]): unknown {
    const one = (g: unknown): unknown => (typeof g === 'string' ? this.m.groups?.[g] ?? null : this.m[Number(g ?? 0)] ?? null);
    return which.length <= 1 ? one(which[0] ?? 0) : tuple(which.map(one));
  }
  groups(def: unknown = null): unknown[] {
    return tuple(this.m.slice(1).map((g) => g ?? def));
  }
  groupdict(): Record<string, unknown> {
    return { ...(this.m.groups ?? {}) };
  }
  start(): number {
    return this.m.index;
  }
  end(): number {
    return this.m.index + this.m[0].length;
  }
  span(): unknown[] {
    return tuple([this.start(), this.end()]);
  }
  __getitem__(g: unknown): unknown {
    return this.group(g);
  }
  toString(): string {
    return `<re.Match object; span=(${this.start()}, ${this.end()}), match='${this.m[0]}'>`;
  }
}

function expandTemplate(repl: string, m: RegExpExecArray): string {
  return repl.replace(/\\(\d+)|\\g<(\w+)>|\\(.)/g, (_x, num: string | undefined, name: string | undefined, esc: string | undefined) => {
    if (num !== undefined) return m[Number(num)] ?? '';
    if (name !== undefined) return (/^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? '';
    return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === '\\' ? '\\' : `\\${esc}`;
  });
}

class Pattern {
  constructor(
    readonly pattern: string,
    readonly flags: number,
  ) {}
  private re(global: boolean, sticky = false): RegExp {
    const r = translate(this.pattern, this.flags);
    return new RegExp(r.source, r.flags + (global ? 'g' : '') + (sticky ? 'y' : ''));
  }
  search(s: string): Match | null {
    const m = this.re(false).exec(String(s));
    return m ? new Match(m) : null;
  }
  match(s: string): Match | null {
    const m = this.re(false, true).exec(String(s));
    return m ? new Match(m) : null;
  }
  fullmatch(s: string): Match | null {
    const text = String(s);
    const r = new RegExp(`(?:${this.re(false).source})$`, this.re(false, true).flags);
    const m = r.exec(text);
    return m && m[0].length === text.length ? new Match(m) : null;
  }
  findall(s: string): unknown[] {
    return [...String(s).matchAll(this.re(true))].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] ?? '' : tuple(m.slice(1).map((g) => g ?? ''))));
  }
  finditer(s: string): Match[] {
    return [...String(s).matchAll(this.re(true))].map((m) => new Match(m));
  }
  sub(repl: unknown, s: string, count: unknown = 0): string {
    let n = 0;
    const max = Number(count);
    return String(s).replace(this.re(true), (...args: unknown[]) => {
      const groupsObj = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as Record<string, string>) : undefined;
      const m = args.slice(0, groupsObj ? -3 : -2) as string[] as unknown as RegExpExecArray;
      if (groupsObj) (m as { groups?: Record<string, string> }).groups = groupsObj;
      if (max > 0 && n >= max) return m[0]!;
      n++;
      return typeof repl === 'function' ? String(repl(new Match(m))) : expandTemplate(String(repl), m);
    });
  }
  split(s: string, maxsplit: unknown = 0): unknown[] {
    const out: unknown[] = [];
    let last = 0;
    let n = 0;
    const text = String(s);
    for (const m of text.matchAll(this.re(true))) {
      if (Number(maxsplit) > 0 && n >= Number(maxsplit)) break;
      if (m[0] === '' && m.index === last && m.index !== 0 && m.index === text.length) continue;
      out.push(text.slice(last, m.index), ...m.slice(1).map((g) => g ?? null));
      last = m.index + m[0].length;
      n++;
    }
    out.push(text.slice(last));
    return out;
  }
}

const withFlags = (args: unknown[], at: number): { pos: unknown[]; flags: number } => {
  const { pos, kw } = splitKw(args);
  return { pos, flags: Number(kw.flags ?? pos[at] ?? 0) };
};

export function reModule(): Record<string, unknown> {
  const compile = (p: unknown, flags: unknown = 0): Pattern => (p instanceof Pattern ? p : new Pattern(String(p), Number(flags)));
  return {
    ...FLAGS,
    compile: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 1); return compile(pos[0], flags); }),
    search: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 2); return compile(pos[0], flags).search(pos[1] as string); }),
    match: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 2); return compile(pos[0], flags).match(pos[1] as string); }),
    fullmatch: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 2); return compile(pos[0], flags).fullmatch(pos[1] as string); }),
    findall: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 2); return compile(pos[0], flags).findall(pos[1] as string); }),
    finditer: markPython((...a: unknown[]) => { const { pos, flags } = withFlags(a, 2); return compile(pos[0], flags).finditer(pos[1] as string); }),
    sub: markPython((...a: unknown[]) => { const { pos, kw } = splitKw(a); return compile(pos[0], kw.flags ?? pos[4] ?? 0).sub(pos[1], pos[2] as string, kw.count ?? pos[3] ?? 0); }),
    split: markPython((...a: unknown[]) => { const { pos, kw } = splitKw(a); return compile(pos[0], kw.flags ?? pos[3] ?? 0).split(pos[1] as string, kw.maxsplit ?? pos[2] ?? 0); }),
    escape: (s: unknown) => String(s).replace(/[.*+?^${}()|[\]\\\-#&~ \t\n]/g, '\\$&'),
  };
}
