/**
 * A unit test's definition checked at parse time, as dbt's schema for `unit_tests:` has it: `given` a list of
 * inputs, each a `ref()`/`source()` of the model's parents (or `this`), every parent given, rows in the
 * form `format:` names (dict: a list of mappings; csv and sql: text), and an `expect`. Before, each of
 * these was found when the test ran (exit 1), or not at all (a test that could never pass).
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { RawUnitTest } from '../parse/schema-yaml.js';

const FORMATS = ['dict', 'csv', 'sql'];
const UNIT_TEST_KEYS = ['name', 'model', 'given', 'expect', 'description', 'overrides', 'config', 'versions'];
const OVERRIDE_KEYS = ['macros', 'vars', 'env_vars'];

/** `ref('x')`, `ref('pkg', 'x')`, `source('a', 'b')` or `this`, as the key a run looks rows up by. */
function inputKey(input: string): string | undefined {
  const m = /^\s*(ref|source)\(\s*(.*?)\s*\)\s*$/.exec(input);
  if (!m) return input.trim() === 'this' ? 'this' : undefined;
  const args = m[2]!.split(',').map((a) => a.trim().replace(/^['"]|['"]$/g, '')).filter((a) => !a.includes('='));
  if (m[1] === 'ref') return args.length ? `ref('${args[args.length - 1]}')` : undefined;
  return args.length === 2 ? `source('${args[0]}', '${args[1]}')` : undefined;
}

/** The problems of one unit test on its model. */
export function unitTestProblems(r: RawUnitTest, model: ManifestNode, fixtures: ReadonlySet<string> = new Set()): Diagnostic[] {
  const d = r.definition;
  const out: Diagnostic[] = [];
  const name = String(d.name);
  const error = (where: string | undefined, message: string, hint: string): void => {
    out.push({ code: 'unit-test-invalid', severity: 'error', message: `unit test '${name}': ${message}`, file: r.file, line: (where ? r.lines?.[where] : undefined) ?? r.line ?? 1, hint });
  };
  for (const key of Object.keys(d)) if (!UNIT_TEST_KEYS.includes(key)) error(undefined, `'${key}' is not a key of a unit test (it takes ${UNIT_TEST_KEYS.join(', ')})`, didYouMean(key, UNIT_TEST_KEYS) ?? `remove ${key}:`);
  overridesProblems(d.overrides, error);
  const parents = new Set([...model.refs.map((x) => `ref('${x.name}')`), ...model.sources.map((s) => `source('${s.source}', '${s.table}')`)]);
  const given = new Set<string>();
  if (d.given !== undefined && d.given !== null && !Array.isArray(d.given)) error('given', 'given: must be a list of inputs', "given:\n  - input: ref('orders')\n    rows: [{id: 1}]");
  (Array.isArray(d.given) ? d.given : []).forEach((g, i) => {
    const at = `given.${i}`;
    if (!g || typeof g !== 'object' || Array.isArray(g)) return error(at, 'each entry of given: must be a mapping with input: and rows:', "- input: ref('orders')\n  rows: [{id: 1}]");
    const entry = g as Record<string, unknown>;
    const key = typeof entry.input === 'string' ? inputKey(entry.input) : undefined;
    if (!key) return error(at, `input: must be ref('…'), source('…', '…') or this, not ${JSON.stringify(entry.input ?? null)}`, "input: ref('orders')");
    if (key !== 'this' && !parents.has(key)) error(at, `${key} is not a parent of '${model.name}' (its parents: ${[...parents].join(', ') || 'none'})`, 'give rows for the refs and sources the model reads');
    given.add(key);
    rowProblems(entry, at, 'given', fixtures, error);
  });
  const overridden = (d.overrides as { macros?: Record<string, unknown> } | undefined)?.macros?.is_incremental === true;
  // With is_incremental overridden, the run renders other branches of the model: its parents may differ.
  const missing = Array.isArray(d.given) && !overridden ? [...parents].filter((p) => !given.has(p)) : [];
  if (missing.length) error('given', `it gives no rows for ${missing.join(', ')}, which '${model.name}' reads`, `add under given:\n  - input: ${missing[0]}\n    rows: []`);
  if (d.given === undefined || d.given === null) error(undefined, 'it has no given: inputs', `given:\n  - input: ${[...parents][0] ?? "ref('orders')"}\n    rows: [{id: 1}]`);
  if (d.expect === undefined || d.expect === null) error(undefined, 'it has no expect: rows', 'expect:\n  rows:\n    - {id: 1}');
  else if (typeof d.expect !== 'object' || Array.isArray(d.expect)) error('expect', 'expect: must be a mapping with rows:', 'expect:\n  rows:\n    - {id: 1}');
  else rowProblems(d.expect as Record<string, unknown>, 'expect', 'expect', fixtures, error);
  return out;
}

/** `format:` and `rows:` of a given input or of expect, or its `fixture:` (`fixtures/<name>.csv` or `.sql`). */
function rowProblems(entry: Record<string, unknown>, at: string, what: string, fixtures: ReadonlySet<string>, error: (where: string | undefined, message: string, hint: string) => void): void {
  const format = entry.format ?? 'dict';
  if (typeof format !== 'string' || !FORMATS.includes(format)) return error(`${at}.format`, `format: of ${what} must be dict, csv or sql, not ${JSON.stringify(format)}`, 'format: csv');
  if (entry.fixture !== undefined && entry.fixture !== null) {
    if (format === 'dict') return error(at, `fixture: files are read for format: csv or sql (${what} is dict)`, 'add format: csv, or write the rows inline under rows:');
    if (entry.rows !== undefined) return error(at, `${what} has both rows: and fixture:`, 'keep one of them');
    const file = `${String(entry.fixture)}.${format}`;
    if (typeof entry.fixture !== 'string' || !fixtures.has(file)) return error(at, `there is no fixture file ${file} in a fixtures/ folder of the test paths`, `create tests/fixtures/${file}${fixtures.size ? ` (there are: ${[...fixtures].join(', ')})` : ''}`);
    return;
  }
  const rows = entry.rows;
  if (rows === undefined || rows === null) return error(at, `${what} has no rows:`, format === 'dict' ? 'rows:\n  - {id: 1}' : 'rows: |\n  id\n  1');
  if (format === 'dict' && !(Array.isArray(rows) && rows.every((x) => x && typeof x === 'object' && !Array.isArray(x)))) return error(`${at}.rows`, `rows: of ${what} must be a list of mappings (format dict), not ${JSON.stringify(rows).slice(0, 60)}`, 'rows:\n  - {id: 1, status: placed}');
  if (format === 'csv' && typeof rows !== 'string') return error(`${at}.rows`, `rows: of ${what} must be CSV text (format csv)`, 'rows: |\n  id,status\n  1,placed');
  if (format === 'sql' && typeof rows !== 'string') return error(`${at}.rows`, `rows: of ${what} must be a SQL query (format sql)`, "rows: |\n  select 1 as id, 'placed' as status");
}

/** `overrides:` a mapping of macros, vars and env_vars, each a mapping. */
function overridesProblems(o: unknown, error: (where: string | undefined, message: string, hint: string) => void): void {
  if (o === undefined || o === null) return;
  const example = 'overrides:\n  macros: {is_incremental: true}\n  vars: {start: 2024-01-01}';
  if (typeof o !== 'object' || Array.isArray(o)) return error('overrides', 'overrides: must be a mapping of macros:, vars: and env_vars:', example);
  for (const [key, v] of Object.entries(o)) {
    if (!OVERRIDE_KEYS.includes(key)) error('overrides', `'${key}' is not a key of overrides: (it takes ${OVERRIDE_KEYS.join(', ')})`, didYouMean(key, OVERRIDE_KEYS) ?? example);
    else if (v !== null && (typeof v !== 'object' || Array.isArray(v))) error('overrides', `overrides.${key} must be a mapping of names to values, not ${JSON.stringify(v)}`, example);
  }
}
