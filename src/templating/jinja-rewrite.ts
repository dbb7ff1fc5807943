/**
 * Source-level rewrites for Jinja syntax nunjucks cannot parse, keeping every line where it was:
 * - `{% set ns.total = ns.total + 1 %}` (namespace attribute assignment) becomes a `do` call;
 * - a nested dict closing inside a tag (`config(meta={'owner': {'name': 'x'}})`) gets a space between
 *   its braces: nunjucks' lexer reads any `}}` as the end of a `{{ … }}`, where Jinja's counts brackets;
 * - a trailing comma before a closing bracket (`tags=['a', 'b',]`) becomes a space: Jinja allows it,
 *   nunjucks' parser does not. (A one-element tuple `(x,)` so becomes `(x)`.)
 */
const SET_ATTR = /\{%(-?)\s*set\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*([\s\S]*?)\s*(-?)%\}/g;

export function rewriteJinja(source: string): string {
  const spaced = source.includes('}}') || TRAILING_COMMA.test(source) ? normalizeTags(source) : source;
  if (!spaced.includes('set ')) return spaced;
  return spaced.replace(SET_ATTR, (_m, l: string, obj: string, attr: string, expr: string, r: string) => `{%${l} do __strata_setattr(${obj}, '${attr}', ${expr}) ${r}%}`);
}

const RAW = /\{%-?\s*raw\s*-?%\}/y;
const END_RAW = /\{%-?\s*endraw\s*-?%\}/g;

const TRAILING_COMMA = /,\s*[)\]}]/;

/**
 * Inside tags: `}}` where the first brace closes a dict becomes `} }`, and a comma just before a closing
 * bracket becomes a space. Text, comments and raw blocks are left alone.
 */
function normalizeTags(source: string): string {
  const n = source.length;
  let out = '';
  let copied = 0;
  let i = source.indexOf('{');
  while (i >= 0 && i < n - 1) {
    const two = source.slice(i, i + 2);
    if (two === '{#') {
      const end = source.indexOf('#}', i + 2);
      if (end < 0) break;
      i = source.indexOf('{', end + 2);
      continue;
    }
    RAW.lastIndex = i;
    if (RAW.test(source)) {
      END_RAW.lastIndex = i;
      const end = END_RAW.exec(source);
      if (!end) break;
      i = source.indexOf('{', end.index + end[0].length);
      continue;
    }
    if (two !== '{{' && two !== '{%') {
      i = source.indexOf('{', i + 1);
      continue;
    }
    let j = i + 2;
    let depth = 0;
    let quote = '';
    for (; j < n; j++) {
      const c = source[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ',' && /^\s*[)\]}]/.test(source.slice(j + 1, j + 40))) {
        out += `${source.slice(copied, j)} `;
        copied = j + 1;
      } else if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) {
          if (two === '{{' && source[j + 1] === '}') break;
        } else {
          depth--;
          if (source[j + 1] === '}') {
            out += `${source.slice(copied, j + 1)} `;
            copied = j + 1;
          }
        }
      } else if (c === '%' && two === '{%' && depth === 0 && source[j + 1] === '}') break;
    }
    i = source.indexOf('{', j + 2);
  }
  return copied ? out + source.slice(copied) : source;
}
