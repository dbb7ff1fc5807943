/**
 * Source-level rewrites for Jinja syntax nunjucks cannot parse, keeping every line where it was:
 * - `{% set ns.total = ns.total + 1 %}` (namespace attribute assignment) becomes a `do` call;
 * - a nested dict closing inside a tag (`config(meta={'owner': {'name': 'x'}})`) gets a space between
 *   its braces: nunjucks' lexer reads any `}}` as the end of a `{{ … }}`, where Jinja's counts brackets;
 * - a trailing comma before a closing bracket (`tags=['a', 'b',]`) becomes a space: Jinja allows it,
 *   nunjucks' parser does not. (A one-element tuple `(x,)` so becomes `(x)`.)
 * - `{% with a = x, b = y %} … {% endwith %}` (an inner scope) becomes a one-pass for loop, which scopes
 *   its sets as Jinja's with does: the values are computed outside first, an outer `loop` stays visible.
 */
const SET_ATTR = /\{%(-?)\s*set\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*([\s\S]*?)\s*(-?)%\}/g;

export function rewriteJinja(source: string): string {
  let spaced = source.includes('}}') || TRAILING_COMMA.test(source) ? normalizeTags(source) : source;
  if (spaced.includes('with')) spaced = rewriteWith(spaced);
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

const WITH = /\{%(-?)\s*with\b([\s\S]*?)(-?)%\}/g;
const END_WITH = /\{%(-?)\s*endwith\s*(-?)%\}/g;

/** `a = 1, b = f(x, y)` → [['a', '1'], ['b', 'f(x, y)']]: split at commas outside brackets and strings. */
function assignments(text: string): [string, string][] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  const out: [string, string][] = [];
  for (const part of parts.map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(part);
    if (!m) return undefined;
    out.push([m[1]!, m[2]!]);
  }
  return out;
}

function rewriteWith(source: string): string {
  let n = 0;
  const withs = source.replace(WITH, (whole, l: string, body: string, r: string) => {
    const list = assignments(body);
    // Not an assignment list: left for nunjucks to report as written.
    if (!list) return whole;
    const id = n++;
    const tags = [
      `set __strata_with${id}_loop = loop`,
      ...list.map(([, expr], k) => `set __strata_with${id}_${k} = ${expr}`),
      `for __strata_with${id} in [0]`,
      `set loop = __strata_with${id}_loop`,
      ...list.map(([name], k) => `set ${name} = __strata_with${id}_${k}`),
    ];
    // The with tag's whitespace control goes to the first and last tag it becomes.
    return tags.map((t, k) => `{%${k === 0 ? l : ''} ${t} ${k === tags.length - 1 ? r : ''}%}`).join('');
  });
  return n ? withs.replace(END_WITH, (_m, l: string, r: string) => `{%${l} endfor ${r}%}`) : withs;
}
