/**
 * A generic test's arguments checked against its macro's signature at parse time, as Jinja checks a macro
 * call when dbt renders the test: a required argument missing (`not_null` on a model without a column,
 * `accepted_values` without `values`), or one the macro does not take (unless it reads `kwargs`). Before,
 * these compiled to broken SQL and failed when the test ran.
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';

/** A test macro as the template engine found it. */
export interface TestMacro {
  name: string;
  packageName: string;
  kind: 'macro' | 'test' | 'materialization';
  sql: string;
}

interface Signature {
  required: string[];
  all: string[];
  /** The body reads `kwargs`: any keyword is accepted. */
  open: boolean;
}

/** The parameters between the first `(` and its `)`, split at top-level commas (defaults may hold lists and strings). */
function parameters(sql: string): string[] | undefined {
  const start = sql.indexOf('(');
  const close = sql.indexOf('%}');
  if (start < 0 || (close >= 0 && close < start)) return [];
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = start + 1; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote && sql[i - 1] !== '\\') quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' && depth === 0) return [...parts, current].map((p) => p.trim()).filter(Boolean);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  return undefined;
}

const signatures = new WeakMap<TestMacro, Signature | null>();

function signatureOf(m: TestMacro): Signature | undefined {
  const known = signatures.get(m);
  if (known !== undefined) return known ?? undefined;
  const params = parameters(m.sql);
  const sig = params && params.every((p) => /^[A-Za-z_]\w*\s*(=|$)/.test(p))
    ? { all: params.map((p) => p.split('=')[0]!.trim()), required: params.filter((p) => !p.includes('=')).map((p) => p.trim()), open: /\bkwargs\b/.test(m.sql) }
    : undefined;
  signatures.set(m, sig ?? null);
  return sig;
}

/** The macro a test entry calls: `{% test x %}` or `{% macro test_x %}`, of the named package if there is one. */
const byTestName = new WeakMap<TestMacro[], Map<string, TestMacro[]>>();

/** The test macros by the test name they define, indexed once per macro list (a project has thousands of tests). */
function testMacrosNamed(type: string, macros: TestMacro[]): TestMacro[] {
  let index = byTestName.get(macros);
  if (!index) {
    index = new Map();
    for (const m of macros) {
      const name = m.kind === 'test' ? m.name : m.kind === 'macro' && m.name.startsWith('test_') ? m.name.slice(5) : undefined;
      if (name !== undefined) index.set(name, [...(index.get(name) ?? []), m]);
    }
    byTestName.set(macros, index);
  }
  return index.get(type) ?? [];
}

function macroFor(type: string, namespace: string | undefined, macros: TestMacro[]): TestMacro | undefined {
  const found = testMacrosNamed(type, macros).filter((m) => !namespace || m.packageName === namespace);
  // Several packages may define it; without a namespace, only a signature they all share would be right.
  return found.length === 1 || (found.length > 1 && found.every((m) => m.sql.slice(0, m.sql.indexOf('%}')).replace(/\w+\s*\(/, '(') === found[0]!.sql.slice(0, found[0]!.sql.indexOf('%}')).replace(/\w+\s*\(/, '('))) ? found[0] : undefined;
}

/**
 * The problems with a generic test entry's arguments (`args` as dbt passes them: with column_name, without
 * model). A required argument not given is an error for dbt's tests and `strictPackage`'s (the root project's);
 * for another package's macro it is not checked (Jinja passes it undefined, as in dbt). Undefined `strictPackage`: every macro is held to its signature.
 */
export function testArgumentDiagnostics(type: string, namespace: string | undefined, args: Record<string, unknown>, macros: TestMacro[], at: { file: string; line?: number }, strictPackage?: string): Diagnostic[] {
  const macro = macroFor(type, namespace, macros);
  const sig = macro && signatureOf(macro);
  if (!sig) return [];
  const out: Diagnostic[] = [];
  const error = (message: string, hint: string): void => {
    out.push({ code: 'test-invalid', severity: 'error', message: `test '${type}': ${message}`, file: at.file, line: at.line ?? 1, hint });
  };
  // Jinja passes a missing argument as undefined, and packages' tests rely on it (dbt-expectations' compare
  // tests default to the model): only the project's own and dbt's tests are held to their signatures.
  const strict = macro.packageName === 'dbt' || strictPackage === undefined || macro.packageName === strictPackage;
  for (const name of sig.required) {
    if (name === 'model' || name in args) continue;
    // Another package's test gets it undefined, silently, as in dbt (which warns of nothing here).
    if (!strict) continue;
    if (name === 'column_name') error('it needs a column, and this entry is not under one', `move it under a column's data_tests:, or write - ${type}:\n    column_name: id`);
    else error(`the argument '${name}' is missing`, `write - ${type}:\n    ${name}: …`);
  }
  if (!sig.open) {
    for (const name of Object.keys(args)) {
      if (sig.all.includes(name)) continue;
      error(`it takes no argument '${name}' (it takes ${sig.all.filter((a) => a !== 'model').join(', ') || 'none'})`, didYouMean(name, sig.all) ?? `remove ${name}:, or put a config under config:`);
    }
  }
  if (!namespace || namespace === 'dbt') builtinValueChecks(type, args, error);
  return out;
}

/** dbt's built-in tests: the types their SQL needs. */
function builtinValueChecks(type: string, written: Record<string, unknown>, error: (message: string, hint: string) => void): void {
  // A value with Jinja (`values: "{{ var('model_types') }}"`) is known when the test renders, not here.
  const args = Object.fromEntries(Object.entries(written).filter(([, v]) => !(typeof v === 'string' && /\{\{|^\s*(env_var|var)\s*\(/.test(v))));
  if (type === 'accepted_values' && 'values' in args && !(Array.isArray(args.values) && args.values.length)) error(`values must be a list of at least one value, not ${JSON.stringify(args.values)}`, 'values: [placed, shipped]');
  if (type === 'accepted_values' && args.quote !== undefined && typeof args.quote !== 'boolean') error(`quote must be true or false, not ${JSON.stringify(args.quote)}`, 'quote: false');
  if (type === 'relationships') {
    for (const key of ['to', 'field']) if (key in args && (typeof args[key] !== 'string' || !(args[key] as string).trim())) error(`${key} must be text, not ${JSON.stringify(args[key])}`, key === 'to' ? "to: ref('customers')" : 'field: id');
  }
}
