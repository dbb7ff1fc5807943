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

/** Turns `data_tests:` entries of models, seeds and sources into test nodes with dbt's names and ids. */
/**
 * A generic test's tags, as dbt gives them: its config's, plus its column's (a column's tags apply to the
 * tests of that column only), plus its source's and table's for a test on a source; sorted, each once.
 */
function testTags(own: string[], parent: { kind: 'node'; node: ManifestNode } | { kind: 'source'; source: SourceDefinition }, columnName?: string): string[] {
  const columns = parent.kind === 'node' ? parent.node.columns : parent.source.columns;
  const column = columnName === undefined ? undefined : (columns[columnName] ?? Object.values(columns).find((c) => c.name.toLowerCase() === columnName.toLowerCase()));
  const inherited = [...(column?.tags ?? []), ...(parent.kind === 'source' ? parent.source.tags : [])];
  return inherited.length ? [...new Set([...own, ...inherited])].sort() : own;
}

export function generateTestNodes(input: GenerateTestsInput): { nodes: ManifestNode[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out: ManifestNode[] = [];
  const known = new Set(input.knownTestMacros);
  const seen = new Set<string>();

  const make = (raw: RawTest, parent: { kind: 'node'; node: ManifestNode } | { kind: 'source'; source: SourceDefinition }, columnName?: string): void => {
    const parsedEntry = testEntry(raw.entry);
    if (!parsedEntry) {
      diagnostics.push({ code: 'test-invalid', severity: 'error', message: 'a test entry must be a test name or a mapping like {accepted_values: {values: [...]}}', file: raw.file, line: raw.line });
      return;
    }
    const { testType, args, customName, description } = parsedEntry;
    const pkgSplit = testType.includes('.') ? testType.split('.') : [undefined, testType];
    const namespace = pkgSplit.length === 2 ? pkgSplit[0] : undefined;
    const shortType = pkgSplit[pkgSplit.length - 1]!;
    if (!known.has(shortType)) {
      diagnostics.push({ code: 'test-not-found', severity: 'error', message: `unknown generic test '${testType}'`, file: raw.file, line: raw.line, hint: didYouMean(shortType, known) ?? "define it with {% test name(model, column_name) %} under macros/ or tests/generic/" });
      return;
    }
    const entryConfig = (args.config as Record<string, unknown>) ?? {};
    delete args.config;
    const legacyConfig: Record<string, unknown> = {};
    for (const k of Object.keys(args)) if (TEST_CONFIG_KEYS.has(k)) {
      legacyConfig[k] = args[k];
      delete args[k];
    }
    if (columnName !== undefined) args.column_name = columnName;
    if (typeof entryConfig !== 'object' || Array.isArray(entryConfig)) diagnostics.push({ code: 'config-invalid', severity: 'error', message: `test '${shortType}': config: must be a mapping, not ${JSON.stringify(entryConfig)}`, file: raw.file, line: raw.line ?? 1, hint: 'config:\n  severity: warn' });
    if (input.testMacros) diagnostics.push(...testArgumentDiagnostics(shortType, namespace, args, input.testMacros, raw, input.rootProject));
    for (const p of configMappingProblems({ ...legacyConfig, ...(entryConfig && typeof entryConfig === 'object' ? entryConfig : {}) })) {
      diagnostics.push({ code: 'config-invalid', severity: 'error', message: `test '${shortType}': ${describeConfigProblem(p.path, p.value, p.problem)}`, file: raw.file, line: raw.line ?? 1, hint: p.problem.example });
    }
    // A model version's tests are named after `<model>_v<v>` and ref that version, as dbt's.
    const version = parent.kind === 'node' ? parent.node.version : undefined;
    const targetName = parent.kind === 'node' ? (version !== undefined ? `${parent.node.name}_v${version}` : parent.node.name) : `${parent.source.sourceName}_${parent.source.name}`;
    const modelExpr = parent.kind === 'node' ? `ref('${parent.node.name}'${version !== undefined ? `, v=${jinjaValue(version)}` : ''})` : `source('${parent.source.sourceName}', '${parent.source.name}')`;
    const kwargs = { ...args, model: `{{ get_where_subquery(${modelExpr}) }}` };
    // dbt's synthetic name carries the namespace (`dbt_utils_equality_…`); a `name:` of the entry replaces it.
    const synthetic = testName(`${namespace ? `${namespace}_` : ''}${parent.kind === 'source' ? `source_${shortType}` : shortType}`, targetName, kwargs);
    const { name, alias } = customName !== undefined ? { name: customName, alias: customName } : synthetic;
    const metadata = { name: shortType, kwargs, namespace: namespace ?? null };
    const hash = md5(name + pyRepr(hashable(metadata))).slice(-10);
    const uniqueId = `test.${input.projectName}.${name}.${hash}`;
    if (seen.has(uniqueId)) return;
    seen.add(uniqueId);
    const fqn = [input.projectName, ...(parent.kind === 'node' ? parent.node.fqn.slice(1, -1) : []), name];
    const render = (c: Record<string, unknown>): Record<string, unknown> => (input.renderConfig ? input.renderConfig(c, { file: raw.file, line: raw.line }) : c);
    const config = finalConfig('test', { severity: 'ERROR' }, folderConfig(input.projectTestConfig, fqn), render(legacyConfig), render(entryConfig));
    const callArgs = [`model=get_where_subquery(${modelExpr})`, ...Object.entries(args).map(([k, v]) => `${k}=${kwargExpression(v, k)}`)];
    const refs: RefCall[] = parent.kind === 'node' ? [{ name: parent.node.name, ...(version !== undefined ? { version } : {}), at: { file: raw.file, line: raw.line ?? 1, column: 1 } }] : [];
    const sources: SourceCall[] = parent.kind === 'source' ? [{ source: parent.source.sourceName, table: parent.source.name, at: { file: raw.file, line: raw.line ?? 1, column: 1 } }] : [];
    for (const v of Object.values(args)) {
      const found = refsIn(v, raw.file, raw.line);
      refs.push(...found.refs);
      sources.push(...found.sources);
    }
    const macro = namespace ? `${namespace}.test_${shortType}` : `test_${shortType}`;
    out.push({
      uniqueId,
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
      unrenderedConfig: { ...legacyConfig, ...entryConfig },
      tags: testTags(config.tags as string[], parent, columnName),
      description: description ?? '',
      columns: {},
      meta: config.meta,
      refs,
      sources,
      dependsOn: { nodes: [], macros: [`macro.${testMacroPackage(shortType, namespace, input)}.test_${shortType}`] },
      schema: `${parent.kind === 'node' ? parent.node.schema : parent.source.schema}_dbt_test__audit`,
      alias,
      testMetadata: metadata,
      attachedNode: parent.kind === 'node' ? parent.node.uniqueId : parent.source.uniqueId,
      columnName,
      extra: { fileKeyName: parent.kind === 'node' ? `${parent.node.resourceType}s.${parent.node.name}` : `sources.${parent.source.sourceName}` },
    });
  };

  for (const node of input.nodes) {
    const extra = node.extra as { dataTests?: RawTest[]; columnTests?: Record<string, RawTest[]> } | undefined;
    for (const t of extra?.dataTests ?? []) make(t, { kind: 'node', node });
    for (const [col, tests] of Object.entries(extra?.columnTests ?? {})) for (const t of tests) make(t, { kind: 'node', node }, col);
  }
  for (const source of input.sources) {
    const extra = (source as SourceDefinition & { extra?: { dataTests?: RawTest[]; columnTests?: Record<string, RawTest[]> } }).extra;
    for (const t of extra?.dataTests ?? []) make(t, { kind: 'source', source });
    for (const [col, tests] of Object.entries(extra?.columnTests ?? {})) for (const t of tests) make(t, { kind: 'source', source }, col);
  }
  return { nodes: out, diagnostics };
}
