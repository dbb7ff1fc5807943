/**
 * The small Jinja subset allowed inside project.yml and profiles.yml values:
 * `{{ env_var('X') }}`, `{{ env_var('X', 'default') }}`, `{{ var('x') }}`, with `| as_number`,
 * `| as_bool`, `| as_text`, `| int`. Kept apart from templating/ so loading a project needs no nunjucks.
 */
const EXPR = /\{\{\s*(env_var|var)\(\s*(['"])([^'"]+)\2\s*(?:,\s*(?:(['"])([^'"]*)\4|(-?\d+(?:\.\d+)?|true|false|True|False|none|None)))?\s*\)\s*((?:\|\s*\w+\s*)*)\}\}/g;

export interface RenderYamlContext {
  env: NodeJS.ProcessEnv;
  vars: Record<string, unknown>;
  /** Called for every env var value used, so secrets can be scrubbed. */
  onEnvValue?: (value: string) => void;
  /** Called for every env_var() or var() read, with the value found (undefined: not set), so a cached parse knows what it depends on. */
  onRead?: (kind: 'env_var' | 'var', name: string, value: unknown) => void;
}

export type RenderOutcome = { ok: true; value: unknown } | { ok: false; missing: string; kind: 'env_var' | 'var' };

function applyFilters(value: unknown, filters: string): unknown {
  let v = value;
  for (const f of filters.split('|').map((s) => s.trim()).filter(Boolean)) {
    if (f === 'as_number' || f === 'int' || f === 'float') v = Number(v);
    else if (f === 'as_bool') v = typeof v === 'string' ? /^(true|1|yes)$/i.test(v.trim()) : Boolean(v);
    else if (f === 'as_text' || f === 'string') v = String(v);
  }
  return v;
}

export function renderYamlString(text: string, ctx: RenderYamlContext): RenderOutcome {
  let missing: { name: string; kind: 'env_var' | 'var' } | undefined;
  const values: unknown[] = [];
  const rendered = text.replace(EXPR, (_m, fn: string, _q, name: string, _q2, strDefault?: string, litDefault?: string, filters = '') => {
    let value: unknown;
    const hasDefault = strDefault !== undefined || litDefault !== undefined;
    const def = strDefault ?? (litDefault === undefined ? undefined : /^(none|None)$/.test(litDefault) ? null : /^(true|True)$/.test(litDefault) ? true : /^(false|False)$/.test(litDefault) ? false : Number(litDefault));
    ctx.onRead?.(fn as 'env_var' | 'var', name, fn === 'env_var' ? ctx.env[name] : ctx.vars[name]);
    if (fn === 'env_var') {
      const v = ctx.env[name];
      if (v !== undefined) {
        ctx.onEnvValue?.(v);
        value = v;
      } else if (hasDefault) value = def;
      else missing ??= { name, kind: 'env_var' };
    } else {
      if (name in ctx.vars) value = ctx.vars[name];
      else if (hasDefault) value = def;
      else missing ??= { name, kind: 'var' };
    }
    value = applyFilters(value, filters);
    values.push(value);
    return value === null || value === undefined ? '' : String(value);
  });
  if (missing) return { ok: false, missing: missing.name, kind: missing.kind };
  // A value that is exactly one expression keeps its type (numbers, booleans from as_number/as_bool).
  const whole = text.trim();
  EXPR.lastIndex = 0;
  const single = whole.match(EXPR);
  if (single && single.length === 1 && single[0] === whole && values.length === 1) return { ok: true, value: values[0] };
  return { ok: true, value: rendered };
}

/** Renders every string in a YAML value tree; reports the key path of the first missing name. */
export function renderYamlTree(
  value: unknown,
  ctx: RenderYamlContext,
  path: (string | number)[] = [],
  onMissing: (path: (string | number)[], name: string, kind: 'env_var' | 'var') => void,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const r = renderYamlString(value, ctx);
    if (!r.ok) {
      onMissing(path, r.missing, r.kind);
      return value;
    }
    return r.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => renderYamlTree(v, ctx, [...path, i], onMissing));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderYamlTree(v, ctx, [...path, k], onMissing);
    return out;
  }
  return value;
}
