import { hexDigest } from '../project/index.js';
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { FolderConfigTree } from '../project/types.js';
import type { ManifestNode, RefCall, SourceCall, SourceDefinition } from '../parse/types.js';
import type { RawTest } from '../parse/schema-yaml.js';
import { finalConfig, folderConfig } from '../parse/node-config.js';
import { hashable, pyRepr } from './python-repr.js';
import { testArgumentDiagnostics, type TestMacro } from './test-arguments.js';
import { kwargExpression } from './test-kwarg-expression.js';
import { configMappingProblems, describeConfigProblem } from '../project/config-values.js';

const md5 = (s: string): string => hexDigest('md5', s);
const TEST_CONFIG_KEYS = new Set(['severity', 'warn_if', 'error_if', 'where', 'limit', 'fail_calc', 'store_failures', 'store_failures_as', 'tags', 'enabled', 'meta', 'alias', 'schema', 'database', 'row_level']);

export interface GenerateTestsInput {
  projectName: string;
  nodes: ManifestNode[];
  sources: SourceDefinition[];
  projectTestConfig: FolderConfigTree;
  knownTestMacros: string[];
  /**
   * Renders `{{ var() }}` / `{{ env_var() }}` in a test's config (`where`, `severity`, …) as dbt does; reports a
   * missing name at the test's line. Without it, configs are taken as written.
   */
  renderConfig?: (config: Record<string, unknown>, at: { file: string; line?: number }) => Record<string, unknown>;
  /** The test macros (`{% test %}`, `{% macro test_x %}`): each entry's arguments are checked against its macro's. */
  testMacros?: TestMacro[];
  /** The root project: its test macros are held to their signatures; other packages' get missing arguments undefined, as Jinja passes them. */
  rootProject?: string;
}

/**
 * dbt's synthesize_generic_test_names: the full name (`accepted_values_orders_status__placed__…`) names the
 * node; past 63 characters the relation and compiled file use a short alias `<first 30>_<md5>`.
 */
export function testName(testType: string, target: string, args: Record<string, unknown>): { name: string; alias: string } {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const v = args[key];
    const parts = v && typeof v === 'object' ? (Array.isArray(v) ? v : Object.values(v)) : [v];
    flat.push(...parts.map((p) => (typeof p === 'boolean' ? (p ? 'True' : 'False') : String(p))));
  }
  const unique = flat.map((a) => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = `${testType}_${target}`;
  const full = `${identifier}_${unique}`;
  return { name: full, alias: full.length >= 64 ? `${identifier.slice(0, 30)}_${md5(full)}` : full };
}

/**
 * A `data_tests:` entry as dbt reads it: `unique`, `{unique: {…}}`, or `{test_name: unique, …}`. Of the body,
 * `name:` names the test (instead of the synthetic name), `description:` describes it, and `arguments:` holds
 * the macro's arguments (dbt 1.10's form, which packages such as dbt-date write; the older form has them beside
 * `config:`). Undefined: not a test entry.
 */
export function testEntry(entry: unknown): { testType: string; args: Record<string, unknown>; customName?: string; description?: string } | undefined {
  if (typeof entry === 'string') return { testType: entry, args: {} };
  if (!entry || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length === 0) return undefined;
  const fields = entry as Record<string, unknown>;
  let testType: string;
  let body: unknown;
  if (typeof fields.test_name === 'string') {
    testType = fields.test_name;
    body = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'test_name'));
  } else {
    const named = Object.entries(fields).find(([k]) => k !== 'name' && k !== 'config' && k !== 'description');
    if (!named) return undefined;
    [testType, body] = named;
  }
  const args: Record<string, unknown> = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
  const customName = typeof args.name === 'string' ? args.name : undefined;
  const description = typeof args.description === 'string' ? args.description : undefined;
  delete args.name;
  delete args.description;
  const nested = args.arguments;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    delete args.arguments;
    Object.assign(args, nested);
  }
  return { testType, args, ...(customName !== undefined ? { customName } : {}), ...(description !== undefined ? { description } : {}) };
}

/**
 * The package whose macro a test calls, for `depends_on.macros` (dbt-project-evaluator reads it to find
 * primary-key tests): the namespace written, else the root project's own, else the one package defining
 * it, else dbt's built-in.
 */
const definersIndex = new WeakMap<TestMacro[], Map<string, Set<string>>>();

function testMacroPackage(type: string, namespace: string | undefined, input: GenerateTestsInput): string {
  if (namespace) return namespace;
  const macros = input.testMacros ?? [];
  let index = definersIndex.get(macros);
  if (!index) {
    index = new Map();
    for (const m of macros) {
      const name = m.kind === 'test' ? m.name : m.kind === 'macro' && m.name.startsWith('test_') ? m.name.slice(5) : undefined;
      if (name !== undefined) index.set(name, new Set([...(index.get(name) ?? []), m.packageName]));
    }
    definersIndex.set(macros, index);
  }
  const defining = index.get(type) ?? new Set<string>();
  if (input.rootProject && defining.has(input.rootProject)) return input.rootProject;
  const others = [...defining].filter((p) => p !== 'dbt');
  return others.length === 1 ? others[0]! : 'dbt';
}

/**
 * The `get_where_subquery` a test's `model` argument calls, as dbt resolves a macro name: the test's own
 * package's, else the root project's, else dbt's.
 */
function whereSubqueryPackage(input: GenerateTestsInput): string {
  const defining = new Set((input.testMacros ?? []).filter((m) => m.kind === 'macro' && m.name === 'get_where_subquery').map((m) => m.packageName));
  return [input.projectName, input.rootProject].find((p) => p !== undefined && defining.has(p)) ?? 'dbt';
}

/** A model version as a Jinja literal. */
const jinjaValue = (v: unknown): string => JSON.stringify(v ?? null);

function refsIn(v: unknown, file: string, line: number | undefined): { refs: RefCall[]; sources: SourceCall[] } {
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  // In lists and mappings too: dbt renders every string of the arguments (test-kwarg-expression.ts).
  if (v && typeof v === 'object') {
    for (const item of Object.values(v)) {
      const inner = refsIn(item, file, line);
      refs.push(...inner.refs);
      sources.push(...inner.sources);
    }
    return { refs, sources };
  }
  if (typeof v !== 'string') return { refs, sources };
  const at = { file, line: line ?? 1, column: 1 };
  // A whole value `ref('x')`, or refs inside its {{ }} parts (`"{{ ref('x') }}"`, `"select … from {{ ref('x') }}"`):
  // dbt renders both, and the test depends on what they name.
  const code = /^\s*(?:ref|source)\(/.test(v) ? [v] : [...v.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
  for (const text of code) {
    for (const r of text.matchAll(/\bref\(\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?\s*\)/g)) refs.push(r[2] ? { package: r[1], name: r[2], at } : { name: r[1]!, at });
    for (const m of text.matchAll(/\bsource\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/g)) sources.push({ source: m[1]!, table: m[2]!, at });
  }
  return { refs, sources };
}

/** What a generic test is attached to: a model, seed or snapshot, or a source table. */
type TestParent = { kind: 'node'; node: ManifestNode } | { kind: 'source'; source: SourceDefinition };

/**
 * A generic test's tags, as dbt gives them: its config's, plus its column's (a column's tags apply to the
 * tests of that column only), plus its source's and table's for a test on a source; sorted, each once.
 */
function testTags(own: string[], parent: TestParent, columnName?: string): string[] {
  const columns = parent.kind === 'node' ? parent.node.columns : parent.source.columns;
  const column = columnName === undefined ? undefined : (columns[columnName] ?? Object.values(columns).find((c) => c.name.toLowerCase() === columnName.toLowerCase()));
  const inherited = [...(column?.tags ?? []), ...(parent.kind === 'source' ? parent.source.tags : [])];
  return inherited.length ? [...new Set([...own, ...inherited])].sort() : own;
}

/** A `data_tests:` entry read: the macro it calls, its arguments, and its configs (in `config:`, and the older form beside the arguments). */
interface ReadTest {
  testType: string;
  shortType: string;
  namespace: string | undefined;
  args: Record<string, unknown>;
  customName?: string;
  description?: string;
  entryConfig: Record<string, unknown>;
  legacyConfig: Record<string, unknown>;
}

/** The entry read, or undefined (with its diagnostic) when it is not a test or names no known test macro. */
function readTest(raw: RawTest, known: Set<string>, columnName: string | undefined, diagnostics: Diagnostic[]): ReadTest | undefined {
  const parsedEntry = testEntry(raw.entry);
  if (!parsedEntry) {
    diagnostics.push({ code: 'test-invalid', severity: 'error', message: 'a test entry must be a test name or a mapping like {accepted_values: {values: [...]}}', file: raw.file, line: raw.line });
    return undefined;
  }
  const { testType, args } = parsedEntry;
  const pkgSplit = testType.includes('.') ? testType.split('.') : [undefined, testType];
  const namespace = pkgSplit.length === 2 ? pkgSplit[0] : undefined;
  const shortType = pkgSplit[pkgSplit.length - 1]!;
  if (!known.has(shortType)) {
    diagnostics.push({ code: 'test-not-found', severity: 'error', message: `unknown generic test '${testType}'`, file: raw.file, line: raw.line, hint: didYouMean(shortType, known) ?? "define it with {% test name(model, column_name) %} under macros/ or tests/generic/" });
    return undefined;
  }
  const entryConfig = (args.config as Record<string, unknown>) ?? {};
  delete args.config;
  const legacyConfig: Record<string, unknown> = {};
  for (const k of Object.keys(args)) if (TEST_CONFIG_KEYS.has(k)) {
    legacyConfig[k] = args[k];
    delete args[k];
  }
  if (columnName !== undefined) args.column_name = columnName;
  return { ...parsedEntry, shortType, namespace, entryConfig, legacyConfig };
}

/** A config that is not a mapping, arguments the test macro does not take, config values of the wrong shape. */
function testDiagnostics(t: ReadTest, raw: RawTest, input: GenerateTestsInput): Diagnostic[] {
  const { shortType, entryConfig } = t;
  const diagnostics: Diagnostic[] = [];
  if (typeof entryConfig !== 'object' || Array.isArray(entryConfig)) diagnostics.push({ code: 'config-invalid', severity: 'error', message: `test '${shortType}': config: must be a mapping, not ${JSON.stringify(entryConfig)}`, file: raw.file, line: raw.line ?? 1, hint: 'config:\n  severity: warn' });
  if (input.testMacros) diagnostics.push(...testArgumentDiagnostics(shortType, t.namespace, t.args, input.testMacros, raw, input.rootProject));
  for (const p of configMappingProblems({ ...t.legacyConfig, ...(entryConfig && typeof entryConfig === 'object' ? entryConfig : {}) })) {
    diagnostics.push({ code: 'config-invalid', severity: 'error', message: `test '${shortType}': ${describeConfigProblem(p.path, p.value, p.problem)}`, file: raw.file, line: raw.line ?? 1, hint: p.problem.example });
  }
  return diagnostics;
}

/** The test's name, alias and unique id, as dbt makes them, and the `model` its macro is called with. */
function testIdentity(t: ReadTest, parent: TestParent, projectName: string): { name: string; alias: string; uniqueId: string; metadata: NonNullable<ManifestNode['testMetadata']>; modelExpr: string; version: ManifestNode['version'] } {
  const { shortType, namespace } = t;
  // A model version's tests are named after `<model>_v<v>` and ref that version, as dbt's.
  const version = parent.kind === 'node' ? parent.node.version : undefined;
  const targetName = parent.kind === 'node' ? (version !== undefined ? `${parent.node.name}_v${version}` : parent.node.name) : `${parent.source.sourceName}_${parent.source.name}`;
  const modelExpr = parent.kind === 'node' ? `ref('${parent.node.name}'${version !== undefined ? `, v=${jinjaValue(version)}` : ''})` : `source('${parent.source.sourceName}', '${parent.source.name}')`;
  const kwargs = { ...t.args, model: `{{ get_where_subquery(${modelExpr}) }}` };
  // dbt's synthetic name carries the namespace (`dbt_utils_equality_…`); a `name:` of the entry replaces it.
  const synthetic = testName(`${namespace ? `${namespace}_` : ''}${parent.kind === 'source' ? `source_${shortType}` : shortType}`, targetName, kwargs);
  const { name, alias } = t.customName !== undefined ? { name: t.customName, alias: t.customName } : synthetic;
  const metadata = { name: shortType, kwargs, namespace: namespace ?? null };
  const hash = md5(name + pyRepr(hashable(metadata))).slice(-10);
  return { name, alias, uniqueId: `test.${projectName}.${name}.${hash}`, metadata, modelExpr, version };
}

/** What the test reads: its parent, and the refs and sources named in its arguments. */
function testDependencies(parent: TestParent, version: ManifestNode['version'], args: Record<string, unknown>, raw: RawTest): { refs: RefCall[]; sources: SourceCall[] } {
  const at = { file: raw.file, line: raw.line ?? 1, column: 1 };
  const refs: RefCall[] = parent.kind === 'node' ? [{ name: parent.node.name, ...(version !== undefined ? { version } : {}), at }] : [];
  const sources: SourceCall[] = parent.kind === 'source' ? [{ source: parent.source.sourceName, table: parent.source.name, at }] : [];
  for (const v of Object.values(args)) {
    const found = refsIn(v, raw.file, raw.line);
    refs.push(...found.refs);
    sources.push(...found.sources);
  }
  return { refs, sources };
}

/** The test node: its final config (project folders, then the entry's), its call of the test macro, its parent. */
function testNode(t: ReadTest, id: ReturnType<typeof testIdentity>, parent: TestParent, raw: RawTest, columnName: string | undefined, input: GenerateTestsInput): ManifestNode {
  const { shortType, namespace, args } = t;
  const { name, alias, modelExpr } = id;
  const fqn = [input.projectName, ...(parent.kind === 'node' ? parent.node.fqn.slice(1, -1) : []), name];
  const render = (c: Record<string, unknown>): Record<string, unknown> => (input.renderConfig ? input.renderConfig(c, { file: raw.file, line: raw.line }) : c);
  const config = finalConfig('test', { severity: 'ERROR' }, folderConfig(input.projectTestConfig, fqn), render(t.legacyConfig), render(t.entryConfig));
  const callArgs = [`model=get_where_subquery(${modelExpr})`, ...Object.entries(args).map(([k, v]) => `${k}=${kwargExpression(v, k)}`)];
  const { refs, sources } = testDependencies(parent, id.version, args, raw);
  const macro = namespace ? `${namespace}.test_${shortType}` : `test_${shortType}`;
  return {
    uniqueId: id.uniqueId,
    resourceType: 'test',
    packageName: input.projectName,
    name,
    path: `${alias}.sql`,
    originalFilePath: raw.file,
    fqn,
    language: 'sql',
    rawCode: `{{ ${macro}(${callArgs.join(', ')}) }}`,
    checksum: { name: 'sha256', checksum: '' },
    config,
    unrenderedConfig: { ...t.legacyConfig, ...t.entryConfig },
    tags: testTags(config.tags as string[], parent, columnName),
    description: t.description ?? '',
    columns: {},
    meta: config.meta,
    refs,
    sources,
    // As dbt's manifest once tests compile: the test macro, then the get_where_subquery its `model` argument calls.
    dependsOn: { nodes: [], macros: [`macro.${testMacroPackage(shortType, namespace, input)}.test_${shortType}`, `macro.${whereSubqueryPackage(input)}.get_where_subquery`] },
    schema: `${parent.kind === 'node' ? parent.node.schema : parent.source.schema}_dbt_test__audit`,
    alias,
    testMetadata: id.metadata,
    attachedNode: parent.kind === 'node' ? parent.node.uniqueId : parent.source.uniqueId,
    columnName,
    extra: { fileKeyName: parent.kind === 'node' ? `${parent.node.resourceType}s.${parent.node.name}` : `sources.${parent.source.sourceName}` },
  };
}

/** Each `data_tests:` entry of a model or source (the table's, then each column's with its column's name). */
function eachTest(extra: { dataTests?: RawTest[]; columnTests?: Record<string, RawTest[]> } | undefined, f: (raw: RawTest, columnName?: string) => void): void {
  for (const t of extra?.dataTests ?? []) f(t);
  for (const [col, tests] of Object.entries(extra?.columnTests ?? {})) for (const t of tests) f(t, col);
}

/** Turns `data_tests:` entries of models, seeds and sources into test nodes with dbt's names and ids. */
export function generateTestNodes(input: GenerateTestsInput): { nodes: ManifestNode[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out: ManifestNode[] = [];
  const known = new Set(input.knownTestMacros);
  const seen = new Set<string>();
  const make = (raw: RawTest, parent: TestParent, columnName?: string): void => {
    const test = readTest(raw, known, columnName, diagnostics);
    if (!test) return;
    diagnostics.push(...testDiagnostics(test, raw, input));
    const id = testIdentity(test, parent, input.projectName);
    if (seen.has(id.uniqueId)) return;
    seen.add(id.uniqueId);
    out.push(testNode(test, id, parent, raw, columnName, input));
  };
  for (const node of input.nodes) eachTest(node.extra as Parameters<typeof eachTest>[0], (t, col) => make(t, { kind: 'node', node }, col));
  for (const source of input.sources) eachTest((source as SourceDefinition & { extra?: Parameters<typeof eachTest>[0] }).extra, (t, col) => make(t, { kind: 'source', source }, col));
  return { nodes: out, diagnostics };
}
