/**
 * Most models call only `ref`, `source` and `config` with literal arguments. For those, a scanner
 * extracts (and at run time substitutes) the calls without nunjucks, which is what makes parsing
 * 10,000 models take well under a second. Anything else falls back to a real render.
 */
import { locate } from '../diagnostics/index.js';
import type { RefCall, SourceCall } from '../parse/types.js';

export type FastCall =
  | { kind: 'ref'; start: number; end: number; ref: RefCall }
  | { kind: 'source'; start: number; end: number; source: SourceCall }
  | { kind: 'config'; start: number; end: number; config: Record<string, unknown> }
  | { kind: 'comment'; start: number; end: number };

const TAG = /\{\{\s*(ref|source|config)\s*\(([^{}]*?)\)\s*\}\}|\{#[\s\S]*?#\}/g;

/** A tiny reader for Python/Jinja literals: strings, numbers, booleans, none, lists, dicts, kwargs. */
class LiteralReader {
  i = 0;
  constructor(private readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  done(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }
  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === "'" || c === '"') {
      const end = this.s.indexOf(c, this.i + 1);
      if (end < 0) throw new Error('unterminated string');
      const v = this.s.slice(this.i + 1, end);
      if (v.includes('\\')) throw new Error('escapes');
      this.i = end + 1;
      return v;
    }
    if (c === '[') {
      this.i++;
      const out: unknown[] = [];
      for (;;) {
        this.ws();
        if (this.s[this.i] === ']') {
          this.i++;
          return out;
        }
        out.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') throw new Error('list');
      }
    }
    if (c === '{') {
      this.i++;
      const out: Record<string, unknown> = {};
      for (;;) {
        this.ws();
        if (this.s[this.i] === '}') {
          this.i++;
          return out;
        }
        const k = this.value();
        this.ws();
        if (this.s[this.i] !== ':') throw new Error('dict');
        this.i++;
        out[String(k)] = this.value();
        this.ws();
        if (this.s[this.i] === ',') this.i++;
      }
    }
    const m = /^(-?\d+(?:\.\d+)?|true|false|True|False|none|None)\b/.exec(this.s.slice(this.i));
    if (!m) throw new Error('not a literal');
    this.i += m[0].length;
    const t = m[0];
    if (/^(true|True)$/.test(t)) return true;
    if (/^(false|False)$/.test(t)) return false;
    if (/^(none|None)$/.test(t)) return null;
    return Number(t);
  }
  /** `a, 'b', key=value, …` */
  args(): { pos: unknown[]; kw: Record<string, unknown> } {
    const pos: unknown[] = [];
    const kw: Record<string, unknown> = {};
    while (!this.done()) {
      const m = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        kw[m[1]!] = this.value();
      } else pos.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (!this.done()) throw new Error('args');
    }
    return { pos, kw };
  }
}

/** `a, 'b', key=value` as literal values, or undefined if any argument is not a literal. */
export function readLiteralArgs(text: string): { pos: unknown[]; kw: Record<string, unknown> } | undefined {
  try {
    return new LiteralReader(text).args();
  } catch {
    return undefined;
  }
}

/** A statement tag, or an expression other than ref/source/config: known without reading any call. */
const OTHER_TAG = /\{%|\{\{(?!\s*(?:ref|source|config)\s*\()/;

/**
 * Whether a file certainly needs a real render, told by one search of its text, so that a run does not read the
 * arguments of a model's `config()` and refs before finding its macro call. Without comments or `{{{` in the
 * text, no tag the scan below would take can hold or overlap such a tag, so the scan would give up on it too.
 */
function needsRender(source: string): boolean {
  return !source.includes('{#') && !source.includes('{{{') && OTHER_TAG.test(source);
}

/** A config giving a hook as both `pre_hook` and `pre-hook`: left to the render, which refuses it with a diagnostic. */
export function hookSpelledTwice(config: Record<string, unknown>): boolean {
  return ('pre_hook' in config && 'pre-hook' in config) || ('post_hook' in config && 'post-hook' in config);
}

/** The calls of a simple file, or undefined when the file needs a real render. */
export function scanSimpleTemplate(source: string, file: string): FastCall[] | undefined {
  if (!source.includes('{')) return [];
  if (needsRender(source)) return undefined;
  const calls: FastCall[] = [];
  let rest = '';
  let last = 0;
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(source))) {
    rest += source.slice(last, m.index);
    last = m.index + m[0].length;
    const start = m.index;
    const end = last;
    if (!m[1]) {
      // `{#-` and `-#}` remove the whitespace before and after the comment, newlines included, as Jinja's do.
      const from = m[0].startsWith('{#-') ? source.slice(0, start).trimEnd().length : start;
      const to = m[0].endsWith('-#}') ? source.length - source.slice(end).trimStart().length : end;
      calls.push({ kind: 'comment', start: Math.max(from, calls.at(-1)?.end ?? 0), end: to });
      continue;
    }
    let parsed: { pos: unknown[]; kw: Record<string, unknown> };
    try {
      parsed = new LiteralReader(m[2]!).args();
    } catch {
      return undefined;
    }
    const at = { file, ...locate(source, start + m[0].indexOf(m[1])) };
    if (m[1] === 'ref') {
      const { pos, kw } = parsed;
      if (pos.length < 1 || pos.length > 2 || pos.some((p) => typeof p !== 'string')) return undefined;
      const ref: RefCall = pos.length === 2 ? { package: pos[0] as string, name: pos[1] as string, at } : { name: pos[0] as string, at };
      const v = kw.v ?? kw.version;
      if (v !== undefined) ref.version = v as string | number;
      calls.push({ kind: 'ref', start, end, ref });
    } else if (m[1] === 'source') {
      if (parsed.pos.length !== 2 || parsed.pos.some((p) => typeof p !== 'string')) return undefined;
      calls.push({ kind: 'source', start, end, source: { source: parsed.pos[0] as string, table: parsed.pos[1] as string, at } });
    } else {
      if (parsed.pos.length > 1 || (parsed.pos.length === 1 && (typeof parsed.pos[0] !== 'object' || parsed.pos[0] === null || Array.isArray(parsed.pos[0])))) return undefined;
      const config = { ...((parsed.pos[0] as Record<string, unknown>) ?? {}), ...parsed.kw };
      if (hookSpelledTwice(config)) return undefined;
      calls.push({ kind: 'config', start, end, config });
    }
  }
  rest += source.slice(last);
  if (rest.includes('{{') || rest.includes('{%') || rest.includes('{#')) return undefined;
  return calls;
}

/** Substitutes the calls of a simple file (run render). */
export function substituteSimpleTemplate(source: string, calls: FastCall[], render: (c: FastCall) => string): string {
  let out = '';
  let last = 0;
  for (const c of calls) {
    out += source.slice(last, c.start) + render(c);
    last = c.end;
  }
  return out + source.slice(last);
}
