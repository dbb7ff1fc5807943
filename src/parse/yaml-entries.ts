/**
 * The entries shared by every kind of property-file entry: its tests (`data_tests`, or the older `tests`),
 * its columns, and a model's `versions:`. Read by schema-yaml.ts and schema-file-entries.ts.
 */
import type { YamlFile } from '../project/yaml-file.js';
import type { ColumnInfo, Constraint } from './types.js';
import { readConstraints } from './constraints.js';
import { configMappingProblems, describeConfigProblem, misspeltConfig } from '../project/config-values.js';
import { liftedTopLevelConfig } from './group-entries.js';

/** A raw test entry as written (`not_null`, `{relationships: {to: …}}`) with where it was written. */
export interface RawTest {
  entry: unknown;
  file: string;
  line?: number;
}

/** One entry of a model's `versions:`: what it changes from the model's top-level properties. */
export interface VersionPatch {
  v: string;
  /** The file's name without .sql (`defined_in`); default `<model>_v<v>`. */
  definedIn?: string;
  line?: number;
  description?: string;
  config: Record<string, unknown>;
  /** The version's own `columns:` (undefined: none written, every top-level column is inherited). */
  columns?: Record<string, ColumnInfo>;
  columnTests: Record<string, RawTest[]>;
  /** Top-level columns inherited: `include: all` (default) or a list, minus `exclude`. */
  include: 'all' | string[];
  exclude: string[];
  tests: RawTest[];
  constraints?: Constraint[];
  deprecationDate?: string;
}

/** Reports a problem at a key's line; `code` defaults to schema-yaml-invalid. */
export type Report = (key: (string | number)[], message: string, hint: string, code?: string, severity?: 'error' | 'warn') => void;

/**
 * Where an entry's tests are: `data_tests`, or its old name `tests`. Both at once is an error, as in dbt
 * ("cannot have both 'tests' and 'data_tests' defined"): taking one would drop the other's tests unseen.
 */
export function testsKey(obj: Record<string, unknown>, path: (string | number)[], what: string, report: Report): 'data_tests' | 'tests' {
  if (obj.data_tests === undefined) return 'tests';
  if (obj.tests !== undefined) report([...path, 'tests'], `${what} has both 'tests' and 'data_tests'`, "'tests' is the old name of 'data_tests': move its tests under data_tests and remove it");
  return 'data_tests';
}

/**
 * The shape of a property-file entry's common keys: `columns:` a list of `- name:` entries, `data_tests:` a
 * list, `config:`/`meta:`/`docs:` mappings. Anything else is reported at its line instead of ignored.
 */
export function checkEntryShape(e: Record<string, unknown>, path: (string | number)[], report: Report): void {
  const mapping = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
  for (const key of ['config', 'meta', 'docs']) if (!mapping(e[key])) report([...path, key], `'${key}:' of '${String(e.name)}' must be a mapping`, `write ${key}: followed by indented key: value lines`);
  // The config's values, each at its own line (`severity: fatal`, `materialized: [table]`).
  if (e.config && mapping(e.config)) for (const key in e.config as object) {
    const known = misspeltConfig(key);
    if (known) report([...path, 'config', key], `'${key}' in the config of '${String(e.name)}' is no config, so it has no effect`, `did you mean '${known}'?`, 'config-unknown-key', 'warn');
  }
  if (e.config && mapping(e.config)) for (const p of configMappingProblems(e.config as Record<string, unknown>)) report([...path, 'config', ...p.path.split('.')], `${describeConfigProblem(`config.${p.path}`, p.value, p.problem)} ('${String(e.name)}')`, p.problem.example, 'config-invalid');
  if (e.tags !== undefined && e.tags !== null && typeof e.tags !== 'string' && !(Array.isArray(e.tags) && e.tags.every((t) => typeof t === 'string'))) report([...path, 'tags'], `tags: of '${String(e.name)}' must be a tag or a list of tags`, 'tags: [nightly, finance]', 'config-invalid');
  for (const key of ['data_tests', 'tests']) if (e[key] !== undefined && e[key] !== null && !Array.isArray(e[key])) report([...path, key], `'${key}:' of '${String(e.name)}' must be a list of tests`, `write ${key}:\n  - unique`);
  textKeys(e, path, ['description', 'identifier', 'schema', 'database', 'loader', 'loaded_at_field', 'project', 'dataset'], report);
  if (e.columns === undefined || e.columns === null) return;
  if (!Array.isArray(e.columns)) return report([...path, 'columns'], `'columns:' of '${String(e.name)}' must be a list of entries starting with '- name:'`, 'write columns:\n  - name: id');
  e.columns.forEach((c, i) => {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') report([...path, 'columns', i], `each column of '${String(e.name)}' needs a name`, 'write - name: my_column');
    else columnKeys(c as Record<string, unknown>, [...path, 'columns', i], report);
    if (c && typeof c === 'object') for (const key of ['data_tests', 'tests']) {
      const t = (c as Record<string, unknown>)[key];
      if (t !== undefined && t !== null && !Array.isArray(t)) report([...path, 'columns', i, key], `'${key}:' of column '${(c as { name: string }).name}' must be a list of tests`, `write ${key}:\n  - not_null`);
    }
  });
}

const mappingOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const tagList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : []);

/**
 * A column's meta and tags as dbt 1.10 merges them: `meta:` and `config: {meta:}` (the config's keys win), `tags:`
 * and `config: {tags:}` (each tag once); the config's other keys are kept as written.
 */
function columnMetaAndTags(col: Record<string, unknown>): Pick<ColumnInfo, 'meta' | 'tags' | 'config'> {
  const { meta, tags, ...rest } = mappingOf(col.config);
  const out: Pick<ColumnInfo, 'meta' | 'tags' | 'config'> = { meta: { ...mappingOf(col.meta), ...mappingOf(meta) }, tags: [...new Set([...tagList(col.tags), ...tagList(tags)])] };
  if (Object.keys(rest).length) out.config = rest;
  return out;
}

export function columnsOf(yaml: YamlFile, path: (string | number)[], list: unknown, testsOut: Record<string, RawTest[]>, report: Report): Record<string, ColumnInfo> {
  const columns: Record<string, ColumnInfo> = {};
  if (!Array.isArray(list)) return columns;
  list.forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const col = c as Record<string, unknown>;
    const name = String(col.name ?? '');
    if (!name) return;
    columns[name] = {
      name,
      description: String(col.description ?? ''),
      dataType: col.data_type === undefined ? undefined : String(col.data_type),
      ...columnMetaAndTags(col),
      quote: col.quote === undefined ? undefined : Boolean(col.quote),
      ...(typeof col.granularity === 'string' ? { granularity: col.granularity.toLowerCase() } : {}),
    };
    const constraints = readConstraints(col.constraints, [...path, i, 'constraints'], `column '${name}'`, false, report);
    if (constraints?.length) columns[name]!.constraints = constraints;
    const key = testsKey(col, [...path, i], `column '${name}'`, report);
    const tests = col[key];
    if (Array.isArray(tests)) {
      testsOut[name] = tests.map((t, j) => ({ entry: t, file: yaml.path, line: yaml.lineOf([...path, i, key, j]) }));
    }
  });
  return columns;
}

/** A model's `versions:` list; each entry's columns may `include`/`exclude` the top-level ones. */
export function readVersions(yaml: YamlFile, path: (string | number)[], model: Record<string, unknown>, report: Report): VersionPatch[] | undefined {
  const list = model.versions;
  const name = String(model.name);
  if (!Array.isArray(list) || !list.length) {
    report([...path, 'versions'], `versions: of model '${name}' must be a list of entries starting with '- v:'`, 'write versions:\n  - v: 1\n  - v: 2');
    return undefined;
  }
  const out: VersionPatch[] = [];
  list.forEach((raw, i) => {
    const at = [...path, 'versions', i];
    const entry = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    if (!entry || entry.v === undefined || entry.v === null || typeof entry.v === 'object') {
      report(at, `each version of model '${name}' needs a v:`, 'write - v: 2');
      return;
    }
    const v = String(entry.v);
    if (out.some((o) => o.v === v)) {
      report(at, `model '${name}' declares version ${v} twice`, 'give each version its own v:');
      return;
    }
    let include: 'all' | string[] = 'all';
    let exclude: string[] = [];
    let columns: Record<string, ColumnInfo> | undefined;
    const columnTests: Record<string, RawTest[]> = {};
    if (Array.isArray(entry.columns)) {
      for (const c of entry.columns) {
        const col = c && typeof c === 'object' ? (c as Record<string, unknown>) : undefined;
        if (!col || col.name !== undefined) continue;
        if (col.include !== undefined) include = col.include === 'all' || col.include === '*' ? 'all' : Array.isArray(col.include) ? col.include.map(String) : [String(col.include)];
        if (Array.isArray(col.exclude)) exclude = col.exclude.map(String);
      }
      // The include/exclude entry has no name, so it is not read as a column.
      columns = columnsOf(yaml, [...at, 'columns'], entry.columns, columnTests, report);
    }
    const constraints = readConstraints(entry.constraints, [...at, 'constraints'], `version ${v} of '${name}'`, true, report);
    out.push({
      v,
      ...(entry.defined_in !== undefined ? { definedIn: String(entry.defined_in) } : {}),
      line: yaml.lineOf(at),
      ...(entry.description !== undefined ? { description: String(entry.description) } : {}),
      // dbt: a version's own top-level `access:` over the model's.
      config: { ...((entry.config as Record<string, unknown>) ?? {}), ...liftedTopLevelConfig({ ...entry, name: `${name} v${v}` }, at, report) },
      columns,
      columnTests,
      include,
      exclude,
      tests: rawTests(yaml, at, { ...entry, name: `${name} v${v}` }, report),
      ...(constraints ? { constraints } : {}),
      ...(entry.deprecation_date !== undefined ? { deprecationDate: String(entry.deprecation_date) } : {}),
    });
  });
  return out.length ? out : undefined;
}

export function rawTests(yaml: YamlFile, path: (string | number)[], obj: Record<string, unknown>, report: Report): RawTest[] {
  const key = testsKey(obj, path, `'${String(obj.name)}'`, report);
  const list = obj[key];
  if (!Array.isArray(list)) return [];
  return list.map((t, j) => ({ entry: t, file: yaml.path, line: yaml.lineOf([...path, key, j]) }));
}

/** A source's or table's `freshness:` (dbt: warn_after / error_after, each a count and a period; filter). */
export function checkFreshness(value: unknown, path: (string | number)[], what: string, report: Report): void {
  if (value === undefined || value === null) return;
  const example = 'freshness:\n  warn_after: {count: 12, period: hour}\n  error_after: {count: 24, period: hour}';
  if (typeof value !== 'object' || Array.isArray(value)) return report(path, `freshness: of ${what} must be a mapping`, example, 'config-invalid');
  const f = value as Record<string, unknown>;
  for (const key of ['warn_after', 'error_after']) {
    const after = f[key];
    if (after === undefined || after === null) continue;
    const a = after as Record<string, unknown>;
    if (typeof after !== 'object' || Array.isArray(after)) report([...path, key], `freshness.${key} of ${what} must be a mapping with count: and period:`, example, 'config-invalid');
    else if (a.count !== undefined && a.count !== null && !(typeof a.count === 'number' && Number.isInteger(a.count) && a.count > 0)) report([...path, key, 'count'], `freshness.${key}.count of ${what} must be a whole number above 0, not ${JSON.stringify(a.count)}`, example, 'config-invalid');
    else if (a.count !== undefined && a.count !== null && !['minute', 'hour', 'day'].includes(a.period as string)) report([...path, key, 'period'], `freshness.${key}.period of ${what} must be minute, hour or day, not ${JSON.stringify(a.period ?? null)}`, example, 'config-invalid');
  }
  if (f.filter !== undefined && f.filter !== null && typeof f.filter !== 'string') report([...path, 'filter'], `freshness.filter of ${what} must be a SQL condition as text`, "filter: \"_etl_loaded_at >= date_sub(current_date(), interval 1 day)\"", 'config-invalid');
}

/** Keys whose value is text (a description, a relation's parts); Jinja inside is rendered later. */
function textKeys(e: Record<string, unknown>, path: (string | number)[], keys: string[], report: Report): void {
  for (const key of keys) {
    const v = e[key];
    if (v === undefined || v === null || typeof v === 'string' || (key !== 'description' && typeof v === 'number')) continue;
    report([...path, key], `${key}: of '${String(e.name)}' must be text, not ${JSON.stringify(v)}`, `${key}: ${key === 'description' ? '"…"' : 'my_name'}`, 'config-invalid');
  }
}

/** A column's `data_type`, `description` (text) and `quote` (true or false). */
function columnKeys(c: Record<string, unknown>, path: (string | number)[], report: Report): void {
  textKeys(c, path, ['data_type', 'description'], report);
  if (c.quote !== undefined && c.quote !== null && typeof c.quote !== 'boolean') report([...path, 'quote'], `quote: of column '${String(c.name)}' must be true or false, not ${JSON.stringify(c.quote)}`, 'quote: true', 'config-invalid');
  for (const key of ['meta']) if (c[key] !== undefined && c[key] !== null && (typeof c[key] !== 'object' || Array.isArray(c[key]))) report([...path, key], `${key}: of column '${String(c.name)}' must be a mapping`, `${key}: {owner: data-team}`, 'config-invalid');
  const isTags = (t: unknown): boolean => t === undefined || t === null || typeof t === 'string' || (Array.isArray(t) && t.every((x) => typeof x === 'string'));
  if (!isTags(c.tags)) report([...path, 'tags'], `tags: of column '${String(c.name)}' must be a tag or a list of tags`, 'tags: [pii]', 'config-invalid');
  const g = c.granularity;
  if (g !== undefined && g !== null && !(typeof g === 'string' && GRANULARITIES.includes(g.toLowerCase()))) report([...path, 'granularity'], `granularity: of column '${String(c.name)}' is not a time granularity: ${JSON.stringify(g)}`, `one of ${GRANULARITIES.join(', ')}`, 'config-invalid');
  const isMapping = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
  if (!isMapping(c.config)) return report([...path, 'config'], `config: of column '${String(c.name)}' must be a mapping`, 'config: {meta: {owner: data-team}, tags: [pii]}', 'config-invalid');
  const config = (c.config ?? {}) as Record<string, unknown>;
  if (!isMapping(config.meta)) report([...path, 'config', 'meta'], `config.meta of column '${String(c.name)}' must be a mapping`, 'config: {meta: {owner: data-team}}', 'config-invalid');
  if (!isTags(config.tags)) report([...path, 'config', 'tags'], `config.tags of column '${String(c.name)}' must be a tag or a list of tags`, 'config: {tags: [pii]}', 'config-invalid');
}

/** MetricFlow's time granularities (dbt's TimeGranularity). */
const GRANULARITIES = ['nanosecond', 'microsecond', 'millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
