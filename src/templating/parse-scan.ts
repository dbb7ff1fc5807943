/**
 * The static scan at parse time, for the shapes real models have beyond literal ref/source/config calls
 * (issue #19): calls of *inert* macros, and `{% if is_incremental() %}` blocks. Neither can change what a
 * parse render records, so the file's refs, sources and config come from the scan as from a render:
 * - `is_incremental()` is false while parsing (as in dbt), so the block's body is never rendered. It is
 *   skipped only when it holds nothing a render could reject: no statements, only `{{ name }}`,
 *   `{{ a.b }}` or calls with string arguments (`{{ this }}`, `{{ ref('x') }}`).
 * - an inert macro's body outputs only its arguments (`({{ col }} / 100.0)`) and its defaults are
 *   literals: it reads no var, env var or config, calls nothing, logs nothing, cannot fail. A call with
 *   literal arguments that fit its signature outputs text, which a parse throws away.
 * Used for the parse render only; the run render substitutes only ref/source (fast-path.ts).
 */
import { hookSpelledTwice, readLiteralArgs, scanSimpleTemplate, type FastCall } from './fast-path.js';
import type { MacroInfo } from './types.js';

const IF_INCREMENTAL = /\{%-?\s*if\s+is_incremental\s*\(\s*\)\s*-?%\}/g;
const ENDIF = /\{%-?\s*endif\s*-?%\}/g;
/** An expression tag that parses whatever it names: a name, a dotted name, or a call with string arguments. */
const HARMLESS_TAG = /^\{\{-?\s*[A-Za-z_][\w.]*\s*(\(\s*(('[^'\\]*'|"[^"\\]*")\s*(,\s*('[^'\\]*'|"[^"\\]*")\s*)*)?\))?\s*-?\}\}$/;
const CONFIG_OPEN = /\{\{\s*config\s*\(/g;
const MACRO_CALL = /\{\{\s*([A-Za-z_]\w*)\s*\(([^{}]*?)\)\s*\}\}/g;
const LITERAL_DEFAULT = /^\s*[A-Za-z_]\w*\s*(=\s*('[^'\\]*'|"[^"\\]*"|-?\d+(\.\d+)?|true|false|True|False|none|None)\s*)?$/;

/** Blanks every `{% if is_incremental() %}…{% endif %}` block (offsets and lines kept); undefined if one is not harmless. */
export function withoutIncrementalBlocks(source: string): string | undefined {
  if (!source.includes('is_incremental')) return source;
  let out = '';
  let last = 0;
  IF_INCREMENTAL.lastIndex = 0;
  for (let m = IF_INCREMENTAL.exec(source); m; m = IF_INCREMENTAL.exec(source)) {
    ENDIF.lastIndex = m.index + m[0].length;
    const end = ENDIF.exec(source);
    if (!end) return undefined;
    const body = source.slice(m.index + m[0].length, end.index);
    if (body.includes('{%') || body.includes('{#')) return undefined;
    for (const tag of body.match(/\{\{[\s\S]*?\}\}/g) ?? []) if (!HARMLESS_TAG.test(tag)) return undefined;
    if (/\{\{|\}\}/.test(body.replace(/\{\{[\s\S]*?\}\}/g, ''))) return undefined;
    const stop = end.index + end[0].length;
    out += source.slice(last, m.index) + source.slice(m.index, stop).replace(/[^\n]/g, ' ');
    last = stop;
    IF_INCREMENTAL.lastIndex = stop;
  }
  out += source.slice(last);
  return out.includes('is_incremental') ? undefined : out;
}

/** Whether a macro only outputs its arguments: see the file's comment. */
export function isInertMacro(m: MacroInfo): boolean {
  if (m.kind !== 'macro') return false;
  const open = /^\{%-?\s*macro\s+[A-Za-z_]\w*\s*\(([^)]*)\)\s*-?%\}/.exec(m.sql);
  const close = /\{%-?\s*endmacro\s*-?%\}\s*$/.exec(m.sql);
  if (!open || !close) return false;
  if (open[1]!.trim() && !open[1]!.split(',').every((a) => LITERAL_DEFAULT.test(a))) return false;
  const body = m.sql.slice(open[0].length, close.index);
  if (body.includes('{%') || body.includes('{#')) return false;
  const args = new Set(m.arguments);
  for (const tag of body.matchAll(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g)) if (!args.has(tag[1]!)) return false;
  return !/\{\{|\}\}/.test(body.replace(/\{\{[\s\S]*?\}\}/g, ''));
}

/**
 * The ref/source/config calls of a file a parse need not render, or undefined. `inert(name, pos, kw)`: the
 * call `{{ name(...) }}` with these literal arguments is a call of an inert macro that fits its signature.
 */
export function scanParseTemplate(source: string, file: string, inert: (name: string, args: string) => boolean, incrementalIsFalse: boolean): { calls: FastCall[]; beyondSimple: boolean } | undefined {
  const simple = scanSimpleTemplate(source, file);
  if (simple) return { calls: simple, beyondSimple: false };
  let text = incrementalIsFalse ? withoutIncrementalBlocks(source) : source;
  if (text === undefined) return undefined;
  // config() calls with dicts (which the simple scan leaves to a render), and inert macro calls, are blanked
  // like the blocks: what is left must be a simple template.
  const configs = configCalls(text);
  if (!configs) return undefined;
  for (const c of configs) text = text.slice(0, c.start) + blank(text.slice(c.start, c.end)) + text.slice(c.end);
  text = text.replace(MACRO_CALL, (call: string, name: string, args: string) => (name === 'ref' || name === 'source' || name === 'config' || !inert(name, args) ? call : blank(call)));
  const calls = scanSimpleTemplate(text, file);
  return calls ? { calls: [...calls, ...configs].sort((a, b) => a.start - b.start), beyondSimple: true } : undefined;
}

const blank = (text: string): string => text.replace(/[^\n]/g, ' ');

/** `{{ config(...) }}` calls whose arguments hold braces (dicts): their config, or undefined if one is not literal. */
function configCalls(text: string): FastCall[] | undefined {
  const out: FastCall[] = [];
  CONFIG_OPEN.lastIndex = 0;
  for (let m = CONFIG_OPEN.exec(text); m; m = CONFIG_OPEN.exec(text)) {
    const close = /\)\s*\}\}/g;
    close.lastIndex = m.index + m[0].length;
    const end = close.exec(text);
    const args = end && text.slice(m.index + m[0].length, end.index);
    if (!end || !args!.includes('{')) continue;
    const parsed = readLiteralArgs(args!);
    const first = parsed?.pos[0];
    if (!parsed || parsed.pos.length > 1 || (parsed.pos.length === 1 && (typeof first !== 'object' || first === null || Array.isArray(first)))) return undefined;
    const config = { ...((first as Record<string, unknown>) ?? {}), ...parsed.kw };
    if (hookSpelledTwice(config)) return undefined;
    out.push({ kind: 'config', start: m.index, end: end.index + end[0].length, config });
    CONFIG_OPEN.lastIndex = end.index + end[0].length;
  }
  return out;
}
