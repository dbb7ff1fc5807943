import type { MacroFile, MacroInfo } from './types.js';

const OPEN = /\{%-?\s*(macro|test|materialization)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?([^%]*)-?%\}/g;
const END: Record<MacroInfo['kind'], RegExp> = {
  macro: /\{%-?\s*endmacro\s*-?%\}/g,
  test: /\{%-?\s*endtest\s*-?%\}/g,
  materialization: /\{%-?\s*endmaterialization\s*-?%\}/g,
};

/** The 1-based line of each offset asked for, offsets in increasing order: counted on from the last one. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

function argNames(list: string | undefined): string[] {
  if (!list) return [];
  return list
    .split(',')
    .map((a) => a.split('=')[0]!.trim())
    .filter(Boolean);
}

/** The name of the macro a block defines, as dbt names it: `test_<name>`, `materialization_<name>_<adapter>`. */
export function macroNameOf(m: Pick<MacroInfo, 'name' | 'kind' | 'adapter'>): string {
  if (m.kind === 'test') return `test_${m.name}`;
  return m.kind === 'materialization' ? `materialization_${m.name}_${m.adapter ?? 'default'}` : m.name;
}

/** Finds `{% macro %}`, `{% test %}` and `{% materialization %}` blocks in a file. */
export function scanMacros(file: MacroFile): MacroInfo[] {
  const out: MacroInfo[] = [];
  OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  const lineOf = lineCounter(file.contents);
  while ((m = OPEN.exec(file.contents))) {
    const kind = m[1] as MacroInfo['kind'];
    const end = END[kind];
    end.lastIndex = m.index + m[0].length;
    const e = end.exec(file.contents);
    const stop = e ? e.index + e[0].length : file.contents.length;
    const adapter = kind === 'materialization' ? { adapter: /\badapter\s*=\s*['"]([^'"]*)['"]/.exec(m[4] ?? '')?.[1] ?? 'default' } : {};
    out.push({ name: m[2]!, packageName: file.packageName, path: file.path, line: lineOf(m.index), arguments: argNames(m[3]), sql: file.contents.slice(m.index, stop), kind, ...adapter });
    OPEN.lastIndex = stop;
  }
  return out;
}

/** `{% docs name %}…{% enddocs %}` blocks of a Markdown file. */
export function extractDocBlocks(path: string, contents: string): { name: string; contents: string; line: number }[] {
  const out: { name: string; contents: string; line: number }[] = [];
  const re = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
  let m: RegExpExecArray | null;
  const lineOf = lineCounter(contents);
  while ((m = re.exec(contents))) out.push({ name: m[1]!, contents: m[2]!.trim(), line: lineOf(m.index) });
  void path;
  return out;
}
