/**
 * A generic test's argument as the Jinja expression the test's call passes, so the macro gets what dbt gives
 * it. dbt renders every string of the arguments (in lists and mappings too) with its native renderer before
 * the call: `values: "{{ var('model_types') }}"` arrives as the var's list, `compare_model: ref('x')` (text
 * that looks like a call of ref, source, var, env_var or doc) as the relation, and `column_name` as written.
 */
const LOOKS_LIKE_CALL = /^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$/s;
/** `{{ expression }}` and nothing else: native rendering gives the expression's value, of any type. */
const ONE_EXPRESSION = /^\s*\{\{((?:(?!\{\{|\}\})[\s\S])*)\}\}\s*$/;
/** Text and `{{ }}` parts (no `{% %}`, no comments): rendered, it is text. */
const PARTS = /\{\{((?:(?!\{\{|\}\})[\s\S])*)\}\}/g;

export function kwargExpression(value: unknown, key?: string): string {
  if (typeof value === 'string') return key === 'column_name' ? JSON.stringify(value) : stringExpression(value);
  if (Array.isArray(value)) return `[${value.map((v) => kwargExpression(v)).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${kwargExpression(v)}`).join(', ')}}`;
  // YAML's null is Python's None (Jinja has no `null`).
  return value === null || value === undefined ? 'none' : JSON.stringify(value);
}

function stringExpression(text: string): string {
  if (LOOKS_LIKE_CALL.test(text)) return `(${text.trim()})`;
  if (!text.includes('{{') || text.includes('{%') || text.includes('{#')) return JSON.stringify(text);
  const one = ONE_EXPRESSION.exec(text);
  if (one) return `(${one[1]!.trim()})`;
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PARTS)) {
    if (m.index > last) parts.push(JSON.stringify(text.slice(last, m.index)));
    parts.push(`(${m[1]!.trim()})`);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(JSON.stringify(text.slice(last)));
  return `(${parts.join(' ~ ')})`;
}
