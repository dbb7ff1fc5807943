/**
 * Jinja in YAML values (project.yml / dbt_project.yml, profiles.yml, property files, `external:`), through
 * the same engine as models (templating/jinja/, which imports nothing of Strata): `env_var`, `var`, and
 * `target` where the caller has one, with dbt's `as_text`, `as_number`, `as_bool` and `as_native` filters.
 * A value that is one `{{ expression }}` keeps the expression's type, as dbt's native rendering does; what
 * cannot be evaluated (a syntax error, an unknown name) is an error, never literal text.
 */
import { SECRET_ENV_NAME, type Diagnostic } from '../diagnostics/index.js';
import { CompiledTemplate, JinjaError, PyFloat, markPython, rootFrame, defaultGlobals, dictKeyString, dictKeys, setDictKey } from '../templating/jinja/index.js';

export interface RenderYamlContext {
  env: NodeJS.ProcessEnv;
  vars: Record<string, unknown>;
  /** dbt's `target` (name, type, schema…), where the file's context has it. */
  target?: Record<string, unknown>;
  /** Called for every env var value used, so secrets can be scrubbed. */
  onEnvValue?: (value: string) => void;
  /** Called for every env_var() or var() read, with the value found (undefined: not set), so a cached parse knows what it depends on. */
  onRead?: (kind: 'env_var' | 'var', name: string, value: unknown) => void;
  /** profiles.yml and packages.yml only: they may read secret env vars (`DBT_ENV_SECRET_*`), as in dbt. */
  allowSecretEnv?: boolean;
}

/** Why a value did not render: a name not set, a secret env var read outside profiles/packages, or a template error. */
export type RenderProblem = 'env_var' | 'var' | 'template' | 'secret';

/** `kind: 'template'`: the text could not be rendered; `missing` is then the engine's message. */
export type RenderOutcome = { ok: true; value: unknown } | { ok: false; missing: string; kind: RenderProblem };

class MissingName extends Error {
  constructor(
    readonly kind: 'env_var' | 'var' | 'secret',
    readonly missingName: string,
  ) {
    super(`${kind}('${missingName}') is not set`);
  }
}

const compiled = new Map<string, CompiledTemplate>();

function template(text: string): CompiledTemplate {
  let t = compiled.get(text);
  if (!t) {
    t = new CompiledTemplate(text, '<yaml value>');
    if (compiled.size > 5000) compiled.clear();
    compiled.set(text, t);
  }
  return t;
}

function contextOf(ctx: RenderYamlContext): Record<string, unknown> {
  return {
    env_var: markPython((name: unknown, ...rest: unknown[]) => {
      const key = String(name);
      // As dbt (SecretEnvVarLocationError): a secret may reach the warehouse's session or a package download, never a value of the project.
      if (SECRET_ENV_NAME.test(key) && !ctx.allowSecretEnv) throw new MissingName('secret', key);
      const v = ctx.env[key];
      ctx.onRead?.('env_var', key, v);
      if (v !== undefined) {
        ctx.onEnvValue?.(v);
        return v;
      }
      if (rest.length) return rest[0];
      throw new MissingName('env_var', key);
    }),
    var: markPython((name: unknown, ...rest: unknown[]) => {
      const key = String(name);
      ctx.onRead?.('var', key, ctx.vars[key]);
      if (key in ctx.vars) return ctx.vars[key];
      if (rest.length) return rest[0];
      throw new MissingName('var', key);
    }),
    ...(ctx.target ? { target: ctx.target } : {}),
  };
}

export function renderYamlString(text: string, ctx: RenderYamlContext): RenderOutcome {
  try {
    const value = template(text).renderValue(rootFrame(defaultGlobals(), contextOf(ctx)));
    return { ok: true, value: value instanceof PyFloat ? value.value : value };
  } catch (e) {
    if (e instanceof MissingName) return { ok: false, missing: e.missingName, kind: e.kind };
    if (e instanceof JinjaError) return { ok: false, missing: e.message, kind: 'template' };
    throw e;
  }
}

/** Values dbt renders when they run, not when the file is read: hooks and SQL headers (they use `this`, `target`…). */
const RENDERED_LATER = /^\+?(pre[-_]hook|post[-_]hook|sql_header|on-run-start|on-run-end)$/;

/** Renders every string in a YAML value tree; reports the key path of the first missing name. */
export function renderYamlTree(
  value: unknown,
  ctx: RenderYamlContext,
  path: (string | number)[] = [],
  onMissing: (path: (string | number)[], name: string, kind: RenderProblem) => void,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{') && !value.includes('{%')) return value;
    const r = renderYamlString(value, ctx);
    if (!r.ok) {
      onMissing(path, r.missing, r.kind);
      return value;
    }
    return r.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => renderYamlTree(v, ctx, [...path, i], onMissing));
  if (value && typeof value === 'object') {
    // Keys in their order and of their types (a var `{2024: a, 2023: b}` stays as written: yaml-schema.ts).
    const map = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of dictKeys(map)) {
      const k = dictKeyString(key);
      setDictKey(out, key, RENDERED_LATER.test(k) ? map[k] : renderYamlTree(map[k], ctx, [...path, k], onMissing));
    }
    return out;
  }
  return value;
}

/** The diagnostic for a value that did not render: a name not set, or a template the engine rejected. */
export function renderFailure(kind: RenderProblem, name: string, at: { file: string; line?: number }, varHint: string, what = ''): Diagnostic {
  const subject = what ? `${what} uses ` : '';
  if (kind === 'secret') return { code: 'env-secret-in-yaml', severity: 'error', message: `${subject}env_var('${name}'), a secret env var: they may be read only in profiles.yml and packages.yml`, ...at, hint: `read it in profiles.yml, or hand it to SQL with {{ secret('${name}') }}, which keeps it out of the SQL text` };
  if (kind === 'template') return { code: 'jinja-render-error', severity: 'error', message: `${what ? `${what}: ` : ''}cannot render the template expression in this value: ${name}`, ...at, hint: 'fix the {{ }} expression (YAML values may use env_var(), var() and filters such as as_number)' };
  return {
    code: kind === 'env_var' ? 'env-var-not-found' : 'var-not-found',
    severity: 'error',
    message: `${subject}${kind}('${name}')${what ? ', which' : ''} is not set and has no default`,
    ...at,
    hint: kind === 'env_var' ? `export ${name}=… or give a default: env_var('${name}', '…')` : varHint,
  };
}
