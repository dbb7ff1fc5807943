/**
 * Source-level rewrites for Jinja syntax nunjucks cannot parse, keeping every line where it was:
 * `{% set ns.total = ns.total + 1 %}` (namespace attribute assignment) becomes a `do` call.
 */
const SET_ATTR = /\{%(-?)\s*set\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*([\s\S]*?)\s*(-?)%\}/g;

export function rewriteJinja(source: string): string {
  if (!source.includes('set ')) return source;
  return source.replace(SET_ATTR, (_m, l: string, obj: string, attr: string, expr: string, r: string) => `{%${l} do __strata_setattr(${obj}, '${attr}', ${expr}) ${r}%}`);
}
