import { escapeHtml } from './dom.js';

const KEYWORDS = new Set(('select from where and or not in is null as on join left right inner outer full cross using group by order having limit offset union all ' +
  'except intersect distinct case when then else end with recursive insert into values update set delete create table view replace or merge matched ' +
  'partition over rows range between unbounded preceding following current row qualify window asc desc nulls first last cast true false exists ' +
  'if begin commit interval lateral unnest struct array exclude like ilike filter within').split(' '));

/** A token class per span; enough for reading, not a parser. */
const TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\]|\\.|'')*'?)|("(?:[^"]|"")*"?|`[^`]*`?)|(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\})|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|([\s\S])/g;

/** SQL (with Jinja) → HTML with `<span class="sql-…">` around comments, strings, keywords, numbers and Jinja. */
export function highlightSql(sql: string): string {
  let out = '';
  for (const m of sql.matchAll(TOKEN)) {
    const [text, comment, str, quoted, jinja, num, word] = m;
    const cls = comment ? 'comment' : str ? 'string' : quoted ? 'ident' : jinja ? 'jinja' : num ? 'number' : word && KEYWORDS.has(word.toLowerCase()) ? 'keyword' : undefined;
    out += cls ? `<span class="sql-${cls}">${escapeHtml(text)}</span>` : escapeHtml(text);
  }
  return out;
}
