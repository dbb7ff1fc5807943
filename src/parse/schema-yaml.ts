/** Reads `version: 2` property files: model/seed/snapshot patches, sources, unit tests. */
import type { Diagnostic } from '../diagnostics/index.js';
import { parseYamlFile, type YamlFile } from '../project/yaml-file.js';
import type { ProjectFile } from '../project/types.js';
import type { ColumnInfo, Constraint, TimeSpine } from './types.js';
import { readGroupEntries, type RawGroup } from './group-entries.js';
import { yamlRowTimestamps } from '../data-tests/unit-test-fixture-rows.js';

export type { RawGroup } from './group-entries.js';
import type { RawTest, VersionPatch } from './yaml-entries.js';
import { readExposureEntries, readNodePatches, readSourceTables } from './schema-file-entries.js';

export type { RawTest, VersionPatch } from './yaml-entries.js';

export interface Patch {
  name: string;
  file: string;
  line?: number;
  description: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  tests: RawTest[];
  columnTests: Record<string, RawTest[]>;
  meta: Record<string, unknown>;
  tags: string[];
  docs?: unknown;
  /** The model's own `constraints:`. */
  constraints?: Constraint[];
  /** A snapshot declared in YAML (dbt 1.9): what it snapshots. */
  relation?: unknown;
  /** Model versions (`versions:`), and `latest_version`. */
  versions?: VersionPatch[];
  latestVersion?: string;
  /** A model's `time_spine:` (dbt 1.9). */
  timeSpine?: TimeSpine;
}

export interface RawSourceTable {
  sourceName: string;
  source: Record<string, unknown>;
  table: Record<string, unknown>;
  file: string;
  line?: number;
  tests: RawTest[];
  columnTests: Record<string, RawTest[]>;
  columns: Record<string, ColumnInfo>;
}

export interface RawUnitTest {
  definition: Record<string, unknown>;
  file: string;
  /** The YAML file's path within its resource folder (`sub/s.yml` for `models/sub/s.yml`): dbt's unit test `path`. */
  pathInResource?: string;
  line?: number;
  /** Lines of its parts, for diagnostics: `given.0`, `given.0.rows`, `expect`, `expect.rows`, `model`. */
  lines?: Record<string, number>;
}

/** The lines of a unit test's parts (read only for the few entries of `unit_tests:`). */
function unitTestLines(yaml: YamlFile, i: number, u: unknown): Record<string, number> {
  const lines: Record<string, number> = {};
  const put = (key: string, path: (string | number)[]): void => {
    const line = yaml.lineOf(['unit_tests', i, ...path]);
    if (line !== undefined) lines[key] = line;
  };
  const d = u && typeof u === 'object' ? (u as Record<string, unknown>) : {};
  for (const key of ['model', 'given', 'expect', 'overrides']) put(key, [key]);
  put('expect.rows', ['expect', 'rows']);
  if (Array.isArray(d.given)) d.given.forEach((_g, j) => { put(`given.${j}`, ['given', j]); put(`given.${j}.rows`, ['given', j, 'rows']); put(`given.${j}.format`, ['given', j, 'format']); });
  return lines;
}

/** An `exposures:` entry as written, with where it was written (built into an Exposure by exposures.ts). */
export interface RawExposure {
  entry: Record<string, unknown>;
  file: string;
  /** The property file's path within its resource path, for the exposure's fqn. */
  pathInResource: string;
  line?: number;
  /** Line of each `depends_on` entry. */
  dependsOnLines: (number | undefined)[];
}


/** A macro's entry in a property file (`macros: - name:`): its description and `arguments:` (name, type, description), as dbt's macro properties. */
export interface MacroProperties {
  description: string;
  arguments?: { name: string; type?: string; description: string }[];
}

function macroProperties(m: Record<string, unknown>): MacroProperties {
  const args = Array.isArray(m.arguments) ? m.arguments.filter((a): a is Record<string, unknown> => !!a && typeof a === 'object' && 'name' in a) : undefined;
  return {
    description: String(m.description ?? ''),
    ...(args ? { arguments: args.map((a) => ({ name: String(a.name), ...(a.type !== undefined && a.type !== null ? { type: String(a.type) } : {}), description: String(a.description ?? '') })) } : {}),
  };
}

export interface SchemaProperties {
  models: Map<string, Patch>;
  seeds: Map<string, Patch>;
  snapshots: Map<string, Patch>;
  sources: RawSourceTable[];
  macros: Map<string, MacroProperties>;
  unitTests: RawUnitTest[];
  exposures: RawExposure[];
  groups: RawGroup[];
  diagnostics: Diagnostic[];
}

/** What one property file declares, as plain data (cached by file checksum in the partial-parse cache). */
export interface SchemaFileProps {
  patches: { kind: 'models' | 'seeds' | 'snapshots'; patch: Patch }[];
  sources: RawSourceTable[];
  macros: [string, MacroProperties][];
  unitTests: RawUnitTest[];
  exposures: RawExposure[];
  groups?: RawGroup[];
  diagnostics: Diagnostic[];
}

/** Where per-file results can be kept between runs (the partial-parse cache). */
export interface SchemaFileCache {
  getSchema(file: ProjectFile): SchemaFileProps | undefined;
  setSchema(file: ProjectFile, props: SchemaFileProps): void;
}

export function readSchemaFiles(files: ProjectFile[], cache?: SchemaFileCache): SchemaProperties {
  const props: SchemaProperties = { models: new Map(), seeds: new Map(), snapshots: new Map(), sources: [], macros: new Map(), unitTests: [], exposures: [], groups: [], diagnostics: [] };
  for (const f of files) {
    if (f.kind !== 'schema') continue;
    let one = cache?.getSchema(f);
    if (!one) {
      one = readSchemaFile(f);
      cache?.setSchema(f, one);
    }
    props.diagnostics.push(...one.diagnostics);
    for (const { kind, patch } of one.patches) {
      const map = props[kind];
      if (map.has(patch.name)) {
        props.diagnostics.push({ code: 'duplicate-patch', severity: 'error', message: `${kind.slice(0, -1)} '${patch.name}' is described twice: ${map.get(patch.name)!.file} and ${f.path}`, file: f.path, line: patch.line, hint: 'keep one entry' });
      } else map.set(patch.name, patch);
    }
    props.sources.push(...one.sources);
    for (const [name, m] of one.macros) props.macros.set(name, m);
    props.unitTests.push(...one.unitTests);
    props.exposures.push(...(one.exposures ?? []));
    props.groups.push(...(one.groups ?? []));
  }
  return props;
}

function readSchemaFile(f: ProjectFile): SchemaFileProps {
  const props: SchemaFileProps = { patches: [], sources: [], macros: [], unitTests: [], exposures: [], groups: [], diagnostics: [] };
  const parsed = parseYamlFile(f.path, f.contents);
  props.diagnostics.push(...parsed.diagnostics);
  if (!parsed.file) return props;
  const yaml = parsed.file;
  const doc = yaml.value as Record<string, unknown>;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    // An empty file is nothing to read; text or a list is a mistake (dbt: "Invalid schema file").
    if (f.contents.trim() && !/^\s*(#.*)?$/.test(f.contents.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n'))) {
      props.diagnostics.push({ code: 'schema-yaml-invalid', severity: 'error', message: `${f.path} must be a mapping (version: 2, models:, sources:, …), not ${Array.isArray(doc) ? 'a list' : 'text'}`, file: f.path, line: 1, hint: 'start the file with version: 2, then models:, sources:, seeds: … as keys' });
    }
    return props;
  }
  const invalid = (key: (string | number)[], message: string, hint: string, code = 'schema-yaml-invalid', severity: 'error' | 'warn' = 'error'): void => {
    props.diagnostics.push({ code, severity, message, file: f.path, line: yaml.lineOf(key) ?? yaml.lineOf(key.slice(0, -1)), hint });
  };
  props.patches.push(...readNodePatches(yaml, f, doc, invalid));
  props.sources.push(...readSourceTables(yaml, f, doc, invalid));
  if (Array.isArray(doc.macros)) for (const m of doc.macros) if (m && typeof m === 'object' && 'name' in m) props.macros.push([String(m.name), macroProperties(m as Record<string, unknown>)]);
  if (doc.unit_tests !== undefined && doc.unit_tests !== null && !Array.isArray(doc.unit_tests)) invalid(['unit_tests'], "'unit_tests:' must be a list of entries starting with '- name:'", 'unit_tests:\n  - name: my_test\n    model: my_model');
  if (Array.isArray(doc.unit_tests)) doc.unit_tests.forEach((u, i) => props.unitTests.push({ definition: yamlRowTimestamps(u, (p) => yaml.isPlain(['unit_tests', i, ...p])) as Record<string, unknown>, file: f.path, pathInResource: f.pathInResource, line: yaml.lineOf(['unit_tests', i]), lines: unitTestLines(yaml, i, u) }));
  props.exposures.push(...readExposureEntries(yaml, f, doc, invalid));
  props.groups!.push(...readGroupEntries(yaml, f, invalid));
  return props;
}
