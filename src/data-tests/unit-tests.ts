/**
 * dbt 1.8 unit tests: `unit_tests:` in YAML with `model`, `given` inputs (rows as dicts or CSV),
 * `expect` rows and `overrides`. They never touch real tables: on the embedded target they run in an in-memory
 * database, on any other target as CTEs of given rows on the target itself (execute/unit-test-on-target.ts).
 */
import { createRequire } from 'node:module';
import type { ColumnDef, Connection, Dialect, Relation } from '../adapters/contract.js';
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode, RefCall } from '../parse/types.js';
import type { RawUnitTest } from '../parse/schema-yaml.js';
import { finalConfig } from '../parse/node-config.js';
import { fixtureValueText } from './unit-test-fixture-rows.js';
import { unitTestProblems } from './unit-test-checks.js';
import { unitTestDiff } from './unit-test-diff.js';

/** The CSV parser, loaded by the first unit test given rows as CSV: most runs have none. */
let csv: typeof import('csv-parse/sync').parse | undefined;
const csvParser = (): typeof import('csv-parse/sync').parse => (csv ??= (createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync')).parse);

export interface UnitTestInput {
  /** `ref('x')`, `source('a', 'b')` or `this`. */
  input: string;
  rows: Record<string, unknown>[];
  /** `format: sql`: the query whose rows are the input (then `rows` is empty). */
  sql?: string;
}

export interface UnitTestDefinition {
  name: string;
  model: string;
  given: UnitTestInput[];
  expect: Record<string, unknown>[];
  /** `format: sql`: the query whose rows are expected (then `expect` is empty). */
  expectSql?: string;
  overrides: { vars?: Record<string, unknown>; macros?: Record<string, unknown> };
}

/** A unit test's fixture files (`fixtures/<name>.csv` or `.sql` under the test paths), by file name: their text, read when used. */
export type UnitTestFixtures = ReadonlyMap<string, () => string>;

/** A `format: sql` block's query (its rows: text, or its fixture file's). */
function sqlOf(block: Record<string, unknown>, fixtures: UnitTestFixtures): string | undefined {
  if (block.format !== 'sql') return undefined;
  const fixture = typeof block.fixture === 'string' ? fixtures.get(`${block.fixture}.sql`) : undefined;
  return (fixture ? fixture() : String(block.rows ?? '')).trim().replace(/;\s*$/, '');
}

function rowsOf(block: Record<string, unknown>, fixtures: UnitTestFixtures): Record<string, unknown>[] {
  if (block.format === 'sql') return [];
  const fixture = block.format === 'csv' && typeof block.fixture === 'string' ? fixtures.get(`${block.fixture}.csv`) : undefined;
  if (fixture) block = { ...block, rows: fixture() };
  if (block.format === 'csv' && typeof block.rows === 'string') {
    // Like a seed: an empty field is null, a plain number is a number, anything else stays text.
    const cast = (v: string): unknown => (v === '' ? null : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
    return csvParser()(block.rows, { columns: true, skip_empty_lines: true, trim: true, cast }) as Record<string, unknown>[];
  }
  return Array.isArray(block.rows) ? (block.rows as Record<string, unknown>[]) : [];
}

const optional = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> => (v === undefined ? {} : ({ [key]: v } as Record<K, string>));

/** `unit_tests:` entries → unit_test nodes (`unit_test.<project>.<model>.<name>`), children of their model. */
export function unitTestNodes(projectName: string, raw: RawUnitTest[], models: Map<string, ManifestNode[]>, fixtures: UnitTestFixtures = new Map()): { nodes: ManifestNode[]; diagnostics: Diagnostic[] } {
  const nodes: ManifestNode[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const r of raw) {
    const d = r.definition ?? {};
    const name = String(d.name ?? '');
    const modelName = String(d.model ?? '');
    const where = { file: r.file, line: r.line };
    if (!name || !modelName) {
      diagnostics.push({ code: 'unit-test-invalid', severity: 'error', message: 'a unit test needs a name and a model', ...where, hint: 'unit_tests:\n  - name: my_test\n    model: my_model\n    given: […]\n    expect: {rows: […]}' });
      continue;
    }
    const versions = models.get(modelName) ?? [];
    const model = versions.find((m) => m.version !== undefined && m.version === m.latestVersion) ?? versions[0];
    if (!model) {
      diagnostics.push({ code: 'unit-test-invalid', severity: 'error', message: `unit test '${name}' tests '${modelName}', which is not a model`, ...where, line: r.lines?.model ?? r.line, hint: didYouMean(modelName, models.keys()) ?? 'model: must name a SQL model of this project' });
      continue;
    }
    const problems = unitTestProblems(r, model, new Set(fixtures.keys()));
    if (problems.length) {
      diagnostics.push(...problems);
      continue;
    }
    const given = Array.isArray(d.given) ? (d.given as Record<string, unknown>[]).map((g) => ({ input: String(g.input ?? ''), rows: rowsOf(g, fixtures), ...optional('sql', sqlOf(g, fixtures)) })) : [];
    const expect = (d.expect as Record<string, unknown>) ?? {};
    const definition: UnitTestDefinition = { name, model: modelName, given, expect: rowsOf(expect, fixtures), ...optional('expectSql', sqlOf(expect, fixtures)), overrides: (d.overrides as UnitTestDefinition['overrides']) ?? {} };
    const tested = versionsTested(name, modelName, versions, d.versions, where);
    if ('diagnostic' in tested) {
      diagnostics.push(tested.diagnostic);
      continue;
    }
    for (const target of tested.models) nodes.push(unitTestNode(projectName, r, d, name, modelName, target, definition));
  }
  return { nodes, diagnostics };
}

/**
 * The models a unit test runs on, as dbt's: an unversioned model; each version of a versioned one, or those its
 * `versions: {include | exclude}` name. include/exclude on an unversioned model, or naming no version, is an error.
 */
function versionsTested(name: string, modelName: string, versions: ManifestNode[], spec: unknown, where: { file: string; line?: number }): { models: ManifestNode[] } | { diagnostic: Diagnostic } {
  const s = (spec && typeof spec === 'object' ? spec : {}) as { include?: unknown; exclude?: unknown };
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? undefined : [String(v)]);
  const [include, exclude] = [list(s.include), list(s.exclude)];
  const versioned = versions.filter((m) => m.version !== undefined);
  if (!versioned.length) {
    if (include?.length || exclude?.length) return { diagnostic: { code: 'unit-test-invalid', severity: 'error', message: `unit test '${name}' has versions: include/exclude, but '${modelName}' is not a versioned model`, ...where, hint: 'remove versions: from the unit test' } };
    return { models: versions.slice(0, 1) };
  }
  const chosen = versioned.filter((m) => (exclude?.length ? !exclude.includes(String(m.version)) : include?.length ? include.includes(String(m.version)) : true));
  if (!chosen.length) return { diagnostic: { code: 'unit-test-invalid', severity: 'error', message: `unit test '${name}' names a version of '${modelName}' that does not exist (versions: ${versioned.map((m) => m.version).join(', ')})`, ...where, hint: 'versions: {include: [...]} takes the v: values of the model' } };
  return { models: chosen };
}

/** One unit test node on one model (a version's own id ends in `_v<N>`, as dbt's). */
function unitTestNode(projectName: string, r: RawUnitTest, d: Record<string, unknown>, name: string, modelName: string, model: ManifestNode, definition: UnitTestDefinition): ManifestNode {
  const v = model.version;
  return {
    uniqueId: `unit_test.${projectName}.${modelName}.${name}${v !== undefined ? `_v${v}` : ''}`,
    resourceType: 'unit_test',
    packageName: projectName,
    name,
    path: r.pathInResource ?? r.file,
    originalFilePath: r.file,
    fqn: [...model.fqn, name],
    language: 'sql',
    rawCode: '',
    checksum: { name: 'sha256', checksum: '' },
    config: finalConfig('unit_test', (d.config as Record<string, unknown>) ?? {}),
    unrenderedConfig: {},
    tags: [],
    description: String(d.description ?? ''),
    columns: {},
    meta: {},
    refs: [{ name: modelName, ...(v !== undefined ? { version: v } : {}), at: { file: r.file, line: r.line ?? 1, column: 1 } }],
    sources: [],
    dependsOn: { nodes: [], macros: [] },
    schema: model.schema,
    alias: name,
    attachedNode: model.uniqueId,
    ...(v !== undefined ? { version: v } : {}),
    extra: { unitTest: definition },
  };
}

/** `overrides.macros` other than is_incremental (which picks the model's incremental branch): what those macros return instead. */
export function macroOverrides(def: UnitTestDefinition): { macroOverrides?: Record<string, unknown> } {
  const rest = Object.entries(def.overrides.macros ?? {}).filter(([name]) => name !== 'is_incremental');
  return rest.length ? { macroOverrides: Object.fromEntries(rest) } : {};
}

const literal = (dialect: Dialect, v: unknown): string =>
  v === null || v === undefined ? 'null' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : dialect.quoteString(fixtureValueText(v));

/** A table of the given rows; with known column types (from the real relation) values are cast to them. */
export function givenTableSql(dialect: Dialect, rows: Record<string, unknown>[], columns?: ColumnDef[]): string {
  const names = [...new Set([...(columns?.map((c) => c.name) ?? []), ...rows.flatMap((r) => Object.keys(r))])];
  if (!names.length) return 'select 1 as _strata_empty where false';
  const typeOf = new Map(columns?.map((c) => [c.name, c.dataType]));
  // A column given only as nulls, with no type known, is text (a bare null would be typed INTEGER).
  for (const n of names) if (!typeOf.has(n) && rows.every((r) => r[n] === null || r[n] === undefined)) typeOf.set(n, dialect.typeName('string'));
  const select = (r: Record<string, unknown>): string =>
    `select ${names.map((n) => (typeOf.has(n) ? `cast(${literal(dialect, r[n])} as ${typeOf.get(n)})` : literal(dialect, r[n])) + ` as ${dialect.quoteIdentifier(n)}`).join(', ')}`;
  if (!rows.length) return `${select({})} where false`;
  return rows.map(select).join('\nunion all\n');
}

/**
 * The expected rows as a query typed like the model's result, as dbt builds its expected fixture: each value
 * cast to the type of the column the model returned (`'2016-09-01'` is a TIMESTAMP where the model returns
 * one), so rows compare as the warehouse sees them, not as written in YAML. Columns the model lacks stay untyped.
 */
export function expectedRowsSql(dialect: Dialect, expected: Record<string, unknown>[], actual: ColumnDef[]): string {
  const names = new Set(expected.flatMap((r) => Object.keys(r)));
  return givenTableSql(dialect, expected, actual.filter((c) => names.has(c.name) && !NESTED_TYPE.test(c.dataType)));
}

/** Types a YAML value cannot be cast to as written (BigQuery's STRUCT/RECORD and repeated fields, DuckDB's lists and maps): such a column stays untyped. */
const NESTED_TYPE = /^\s*(STRUCT|RECORD|ARRAY|MAP|LIST|UNION|JSON)\b|\[\]\s*$|\bREPEATED\b|</i;

const norm = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : String(v));

/**
 * Compares rows on the expected columns, ignoring order; dbt's diff (`unit-test-diff.ts`) when they differ. With no
 * expected rows there are no expected columns: then the columns compared are `modelColumns`, as dbt takes them from
 * the model's query (get_columns_in_query), so the diff shows the model's columns and each unexpected row.
 */
export function compareRows(expected: Record<string, unknown>[], actual: Record<string, unknown>[], modelColumns: readonly string[] = []): { ok: boolean; diff: string } {
  const cols = expected.length ? [...new Set(expected.flatMap((r) => Object.keys(r)))] : [...modelColumns];
  const key = (r: Record<string, unknown>): string => JSON.stringify(cols.map((c) => norm(r[c])));
  const want = expected.map(key).sort();
  const got = actual.map(key).sort();
  const missing = want.filter((k) => { const i = got.indexOf(k); if (i >= 0) { got.splice(i, 1); return false; } return true; });
  if (!missing.length && !got.length) return { ok: true, diff: '' };
  return { ok: false, diff: unitTestDiff(cols, expected, actual) };
}

/** Which given input a ref/source call maps to. */
export function inputKey(call: { ref?: RefCall; source?: [string, string] }): string {
  if (call.ref) return `ref('${call.ref.name}')`;
  return `source('${call.source![0]}', '${call.source![1]}')`;
}

export function normaliseInput(input: string): string {
  const m = /^\s*(ref|source)\(\s*(.*?)\s*\)\s*$/.exec(input);
  if (!m) return input.trim();
  const args = m[2]!.split(',').map((a) => a.trim().replace(/^['"]|['"]$/g, ''));
  return m[1] === 'ref' ? `ref('${args[args.length - 1]}')` : `source('${args[0]}', '${args[1]}')`;
}

export type { Connection, Relation };
