/** The nunjucks Environment configured to behave like dbt's Jinja. */
import nunjucks from 'nunjucks';
import { installPythonShims } from './python-shims.js';
import { pyTruthy } from './python-values.js';
import { addJinjaFilters } from './jinja-filters.js';
import { isKw } from './call-args.js';

/** `{% do expr %}`: evaluates an expression for its side effect (Jinja's `do` extension, used all over dbt). */
class DoExtension {
  tags = ['do'];
  parse(parser: any, nodes: any): unknown {
    const tok = parser.nextToken();
    const expr = parser.parseExpression();
    parser.advanceAfterBlockEnd(tok.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(tok.lineno, tok.colno, [expr]), null);
  }
  run(): string {
    return '';
  }
}

function toBool(v: unknown): boolean {
  if (typeof v === 'string') return /^(true|1|yes|y|on)$/i.test(v.trim());
  return pyTruthy(v);
}

function native(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^(none|null)$/i.test(t)) return null;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

export function createNunjucksEnvironment(): nunjucks.Environment {
  installPythonShims();
  const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false, trimBlocks: false, lstripBlocks: false, dev: true } as nunjucks.ConfigureOptions);
  env.addExtension('DoExtension', new DoExtension());

  env.addFilter('fromjson', (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v));
  env.addFilter('as_bool', toBool);
  env.addFilter('as_number', (v: unknown) => Number(v));
  env.addFilter('as_text', (v: unknown) => (v === null || v === undefined ? '' : String(v)));
  env.addFilter('as_native', native);
  env.addFilter('bool', toBool);
  env.addFilter('map', (v: unknown, ...args: unknown[]) => {
    if (!Array.isArray(v)) return v;
    const kw = args.find(isKw);
    if (kw?.attribute !== undefined) return v.map((x) => (x as Record<string, unknown>)?.[String(kw.attribute)]);
    const name = args[0];
    if (typeof name === 'string') {
      const f = env.getFilter(name) as (...a: unknown[]) => unknown;
      const extra = args.slice(1).filter((a) => !isKw(a));
      return v.map((x) => f(x, ...extra));
    }
    return v;
  });
  env.addFilter('items', (v: unknown) => (v && typeof v === 'object' ? Object.entries(v) : []));
  env.addFilter('keys', (v: unknown) => (v && typeof v === 'object' ? Object.keys(v) : []));
  addJinjaFilters(env);

  // Jinja tests missing from nunjucks (`x is none`, `x is mapping` …). addTest exists at runtime but not in @types.
  const addTest = (name: string, fn: (...a: any[]) => boolean): void => (env as unknown as { addTest(n: string, f: unknown): void }).addTest(name, fn);
  addTest('none', (v: unknown) => v === null || v === undefined);
  addTest('mapping', (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v));
  addTest('iterable', (v: unknown) => typeof v === 'string' || Array.isArray(v) || (!!v && typeof v === 'object'));
  addTest('sequence', (v: unknown) => typeof v === 'string' || Array.isArray(v));
  addTest('string', (v: unknown) => typeof v === 'string');
  addTest('number', (v: unknown) => typeof v === 'number');
  addTest('integer', (v: unknown) => Number.isInteger(v));
  addTest('float', (v: unknown) => typeof v === 'number' && !Number.isInteger(v));
  addTest('boolean', (v: unknown) => typeof v === 'boolean');
  addTest('true', (v: unknown) => v === true);
  addTest('false', (v: unknown) => v === false);
  addTest('callable', (v: unknown) => typeof v === 'function');
  // Jinja's operator names for the comparison tests (`selectattr('n', '>=', 2)`).
  for (const [alias, name] of [['==', 'eq'], ['!=', 'ne'], ['<', 'lt'], ['<=', 'le'], ['>', 'gt'], ['>=', 'ge']] as const) {
    addTest(alias, (env as unknown as { getTest(n: string): (...a: any[]) => boolean }).getTest(name));
  }
  addTest('in', (v: unknown, container: unknown) => (Array.isArray(container) || typeof container === 'string' ? container.includes(v as never) : !!container && typeof container === 'object' && String(v) in container));
  return env;
}
