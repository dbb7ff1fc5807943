/** The entries of one property file, each checked where it is written: node patches, source tables, exposures. */
import type { YamlFile } from '../project/yaml-file.js';
import type { ProjectFile } from '../project/types.js';
import { readTimeSpine } from './time-spine.js';
import { readConstraints } from './constraints.js';
import { liftedTopLevelConfig } from './group-entries.js';
import { checkEntryShape, checkFreshness, columnsOf, rawTests, readVersions, type RawTest, type Report } from './yaml-entries.js';
import type { Patch, RawExposure, RawSourceTable, SchemaFileProps } from './schema-yaml.js';

/** `models:`, `seeds:`, `snapshots:` and `analyses:` entries as patches (an analysis's is checked, then dropped). */
export function readNodePatches(yaml: YamlFile, f: ProjectFile, doc: Record<string, unknown>, invalid: Report): SchemaFileProps['patches'] {
  const out: SchemaFileProps['patches'] = [];
  for (const kind of ['models', 'seeds', 'snapshots', 'analyses'] as const) {
    const list = doc[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      invalid([kind], `'${kind}:' must be a list of entries starting with '- name:'`, `write:\n${kind}:\n  - name: my_${kind.slice(0, -1)}`);
      continue;
    }
    list.forEach((entry, i) => {
      if (!entry || typeof entry !== 'object' || typeof (entry as { name?: unknown }).name !== 'string') {
        invalid([kind, i], `each entry of '${kind}:' needs a name`, 'add name: <file name without .sql>');
        return;
      }
      const e = entry as Record<string, unknown>;
      checkEntryShape(e, [kind, i], invalid);
      const columnTests: Record<string, RawTest[]> = {};
      const patch: Patch = {
        name: String(e.name),
        file: f.path,
        line: yaml.lineOf([kind, i]),
        description: String(e.description ?? ''),
        config: { ...((e.config as Record<string, unknown>) ?? {}), ...(e.tags ? { tags: e.tags } : {}), ...(e.meta ? { meta: e.meta } : {}), ...liftedTopLevelConfig(e, [kind, i], invalid) },
        columns: columnsOf(yaml, [kind, i, 'columns'], e.columns, columnTests, invalid),
        tests: rawTests(yaml, [kind, i], e, invalid),
        columnTests,
        meta: (e.meta as Record<string, unknown>) ?? {},
        tags: Array.isArray(e.tags) ? e.tags.map(String) : [],
        docs: e.docs,
      };
      if (kind === 'snapshots' && e.relation !== undefined) patch.relation = e.relation;
      if (kind === 'models' && e.versions !== undefined) {
        const versions = readVersions(yaml, [kind, i], e, invalid);
        if (versions) {
          patch.versions = versions;
          const latest = e.latest_version === undefined || e.latest_version === null ? undefined : String(e.latest_version);
          if (latest !== undefined && !versions.some((v) => v.v === latest)) invalid([kind, i, 'latest_version'], `latest_version ${latest} of model '${patch.name}' is not one of its versions (${versions.map((v) => v.v).join(', ')})`, 'set latest_version: to one of the v: values, or remove it to use the highest');
          else patch.latestVersion = latest;
        }
      }
      if (kind === 'models' && e.time_spine !== undefined && e.time_spine !== null) {
        const spine = readTimeSpine(e.time_spine, patch, [kind, i], invalid);
        if (spine) patch.timeSpine = spine;
      }
      const constraints = readConstraints(e.constraints, [kind, i, 'constraints'], `'${patch.name}'`, true, invalid);
      if (constraints?.length) patch.constraints = constraints;
      if (kind === 'analyses') return;
      out.push({ kind, patch });
    });
  }
  return out;
}

/** `sources:` entries, one per table. */
export function readSourceTables(yaml: YamlFile, f: ProjectFile, doc: Record<string, unknown>, invalid: Report): RawSourceTable[] {
  const out: RawSourceTable[] = [];
  const sources = doc.sources;
  if (sources !== undefined && sources !== null) {
    if (!Array.isArray(sources)) invalid(['sources'], "'sources:' must be a list of entries starting with '- name:'", 'write:\nsources:\n  - name: crm\n    tables:\n      - name: customers');
    else
      sources.forEach((s, i) => {
        if (!s || typeof s !== 'object' || typeof (s as { name?: unknown }).name !== 'string') {
          invalid(['sources', i], 'each source needs a name', 'add name: <source name>');
          return;
        }
        const src = s as Record<string, unknown>;
        checkFreshness(src.freshness, ['sources', i, 'freshness'], `source '${String(src.name)}'`, invalid);
        checkEntryShape({ ...src, columns: undefined }, ['sources', i], invalid);
        const tables = src.tables ?? [];
        if (!Array.isArray(tables)) {
          invalid(['sources', i, 'tables'], `tables of source '${String(src.name)}' must be a list`, 'write tables:\n  - name: my_table');
          return;
        }
        tables.forEach((t, j) => {
          if (!t || typeof t !== 'object' || typeof (t as { name?: unknown }).name !== 'string') {
            invalid(['sources', i, 'tables', j], `each table of source '${String(src.name)}' needs a name`, 'add name: <table name>');
            return;
          }
          const table = t as Record<string, unknown>;
          checkFreshness(table.freshness, ['sources', i, 'tables', j, 'freshness'], `table '${String(src.name)}.${String(table.name)}'`, invalid);
          checkEntryShape(table, ['sources', i, 'tables', j], invalid);
          const columnTests: Record<string, RawTest[]> = {};
          out.push({
            sourceName: String(src.name),
            source: src,
            table,
            file: f.path,
            line: yaml.lineOf(['sources', i, 'tables', j]),
            tests: rawTests(yaml, ['sources', i, 'tables', j], table, invalid),
            columnTests,
            columns: columnsOf(yaml, ['sources', i, 'tables', j, 'columns'], table.columns, columnTests, invalid),
          });
        });
      });
  }
  return out;
}

/** `exposures:` entries, with the line of each `depends_on` item. */
export function readExposureEntries(yaml: YamlFile, f: ProjectFile, doc: Record<string, unknown>, invalid: Report): RawExposure[] {
  const out: RawExposure[] = [];
  const exposures = doc.exposures;
  if (exposures !== undefined && exposures !== null) {
    if (!Array.isArray(exposures)) invalid(['exposures'], "'exposures:' must be a list of entries starting with '- name:'", 'write:\nexposures:\n  - name: weekly_report\n    type: dashboard\n    owner: {email: data@example.com}');
    else
      exposures.forEach((e, i) => {
        if (!e || typeof e !== 'object' || Array.isArray(e)) {
          invalid(['exposures', i], 'each entry of exposures: must be a mapping with a name', 'write - name: weekly_report');
          return;
        }
        const entry = e as Record<string, unknown>;
        const deps = Array.isArray(entry.depends_on) ? entry.depends_on : [];
        out.push({ entry, file: f.path, pathInResource: f.pathInResource, line: yaml.lineOf(['exposures', i]), dependsOnLines: deps.map((_d, j) => yaml.lineOf(['exposures', i, 'depends_on', j])) });
      });
  }
  return out;
}
