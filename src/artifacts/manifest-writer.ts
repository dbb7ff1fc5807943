import type { Manifest, ManifestNode, SourceDefinition, ColumnInfo, Constraint, TimeSpine } from '../parse/types.js';
import { accessOf, groupOf } from '../parse/access-checks.js';
import { groupJson, groupMap } from './group-json.js';
import { MANIFEST_SCHEMA, DBT_COMPAT_VERSION, type ArtifactMetadata } from './types.js';
import { STRATA_VERSION } from './version.js';
import { hexDigest } from '../project/index.js';
import { dbtFilePath, dbtPatchPath, type PackageDirs } from '../parse/package-paths.js';
import { docJson, exposureJson, macroJson } from './manifest-resources.js';
import { dbtMacroIds } from './dbt-macro-identity.js';
import { targetMacros } from './target-macros.js';
import { metadataEnv } from './metadata-env.js';
import { configJson } from './hook-json.js';

export { exposureJson };

export interface ManifestArtifactInput {
  manifest: Manifest;
  /** The environment: its DBT_ENV_CUSTOM_ENV_* variables go to metadata.env. */
  env?: Record<string, string | undefined>;
  parentMap: Record<string, string[]>;
  childMap: Record<string, string[]>;
  invocationId: string;
  /** Renders a node's or source's relation name as the warehouse quotes it; undefined for ephemerals/tests. */
  relationName: (node: ManifestNode | SourceDefinition) => string | null;
  /** The project's YAML selectors (`selectors.yml`), as dbt lists them. */
  selectors?: { name: string; description: string; default: boolean; definition: unknown }[];
  /** The project's on-run-start / on-run-end hooks, written as dbt's `operation` nodes. */
  hooks?: { onRunStart: string[]; onRunEnd: string[]; configFile: string; database?: string; schema?: string };
}

/** dbt's node for a project hook: `operation.<project>.<project>-on-run-start-<n>`, from the project file. */
function hookJson(project: string, which: 'on-run-start' | 'on-run-end', index: number, sql: string, hooks: NonNullable<ManifestArtifactInput['hooks']>): Record<string, unknown> {
  const name = `${project}-${which}-${index}`;
  const configFile = hooks.configFile;
  return {
    // As every dbt node, the target's database and schema (a hook has no config of its own to change them).
    database: hooks.database ?? null,
    schema: hooks.schema ?? null,
    name,
    resource_type: 'operation',
    package_name: project,
    path: `hooks/${name}.sql`,
    original_file_path: `./${configFile}`,
    unique_id: `operation.${project}.${name}`,
    fqn: [project, 'hooks', name],
    alias: name,
    checksum: { name: 'sha256', checksum: hexDigest('sha256', sql) },
    config: { enabled: true, materialized: 'view', tags: [], meta: {} },
    tags: [],
    description: '',
    columns: {},
    meta: {},
    unrendered_config: {},
    raw_code: sql,
    language: 'sql',
    refs: [],
    sources: [],
    metrics: [],
    depends_on: { macros: [], nodes: [] },
    index,
  };
}

function constraintJson(c: Constraint): Record<string, unknown> {
  return {
    type: c.type,
    name: c.name ?? null,
    expression: c.expression ?? null,
    warn_unenforced: c.warnUnenforced,
    warn_unsupported: c.warnUnsupported,
    to: c.to ?? null,
    to_columns: c.toColumns ?? [],
    ...(c.columns ? { columns: c.columns } : {}),
  };
}

function columnsJson(columns: Record<string, ColumnInfo>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, c] of Object.entries(columns)) {
    out[key] = {
      name: c.name,
      description: c.description,
      meta: c.meta,
      data_type: c.dataType ?? null,
      constraints: (c.constraints ?? []).map(constraintJson),
      quote: c.quote ?? null,
      // dbt 1.10's ColumnInfo.config: the merged meta and tags again, as templates read them (`column.config.meta`).
      config: { ...c.config, meta: c.meta, tags: c.tags },
      tags: c.tags,
      granularity: c.granularity ?? null,
    };
  }
  return out;
}

/** dbt 1.9's ModelNode.time_spine: null for a model that is none, as dbt-project-evaluator's `rejectattr("time_spine", "none")` reads it. */
function timeSpineJson(t: TimeSpine | undefined): Record<string, unknown> | null {
  if (!t) return null;
  return { standard_granularity_column: t.standardGranularityColumn, custom_granularities: t.customGranularities.map((g) => ({ name: g.name, column_name: g.columnName ?? null })) };
}

/** A model version as dbt writes it: a number where it is one (`v: 2`), else the string. */
const versionJson = (v: string | undefined): string | number | null => (v === undefined ? null : /^\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** A node's `docs` as dbt writes it: its config's, `show` true and `node_color` null unless set. */
function docsJson(docs: unknown): { show: boolean; node_color: string | null } {
  const d = (docs && typeof docs === 'object' ? docs : {}) as { show?: unknown; node_color?: unknown };
  return { show: d.show !== false, node_color: typeof d.node_color === 'string' ? d.node_color : null };
}

/**
 * A node as manifest.json has it. `group`: its group as dbt gives it (a generic test takes its attached node's,
 * which only the whole manifest knows); by default its config's. `dirs`: the manifest's package folders, so a
 * package's paths are dbt's (relative to the package).
 */
export function nodeJson(node: ManifestNode, relationName: string | null, group: string | null = typeof node.config.group === 'string' ? node.config.group : null, dirs?: PackageDirs): Record<string, unknown> {
  const json: Record<string, unknown> = {
    database: node.database ?? null,
    schema: node.schema,
    name: node.name,
    resource_type: node.resourceType,
    package_name: node.packageName,
    path: dbtFilePath(dirs, node.packageName, node.path),
    original_file_path: dbtFilePath(dirs, node.packageName, node.originalFilePath),
    unique_id: node.uniqueId,
    fqn: node.fqn,
    alias: node.alias,
    checksum: node.checksum,
    config: configJson(node.config),
    tags: node.tags,
    description: node.description,
    columns: columnsJson(node.columns),
    meta: node.meta,
    group,
    docs: docsJson(node.config.docs),
    patch_path: dbtPatchPath(dirs, node),
    build_path: null,
    unrendered_config: node.unrenderedConfig,
    created_at: 0,
    relation_name: relationName,
    raw_code: node.rawCode,
    language: node.language,
    refs: node.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: node.sources.map((s) => [s.source, s.table]),
    metrics: [],
    depends_on: { macros: node.dependsOn.macros, nodes: node.dependsOn.nodes },
    compiled_path: node.compiledPath ?? null,
    compiled: node.compiledCode !== undefined,
    compiled_code: node.compiledCode ?? null,
    extra_ctes_injected: node.compiledCode !== undefined,
    extra_ctes: [],
    contract: { enforced: (node.config.contract as { enforced?: unknown } | undefined)?.enforced === true, alias_types: true, checksum: null },
    // A model's access (dbt's ModelNode field; other nodes have none).
    access: accessOf(node),
    constraints: (node.constraints ?? []).map(constraintJson),
    version: versionJson(node.version),
    latest_version: versionJson(node.latestVersion),
    deprecation_date: node.deprecationDate ?? null,
  };
  if (node.resourceType === 'model') json.time_spine = timeSpineJson(node.timeSpine);
  if (node.resourceType === 'test') {
    json.test_metadata = node.testMetadata
      ? { name: node.testMetadata.name, kwargs: node.testMetadata.kwargs, namespace: node.testMetadata.namespace ?? null }
      : undefined;
    json.column_name = node.columnName ?? null;
    json.attached_node = node.attachedNode ?? null;
    json.file_key_name = node.extra?.fileKeyName ?? null;
  }
  if (node.resourceType === 'seed') json.root_path = undefined;
  return json;
}

export function sourceJson(source: SourceDefinition, relationName: string | null, dirs?: PackageDirs): Record<string, unknown> {
  return {
    database: source.database ?? null,
    schema: source.schema,
    name: source.name,
    resource_type: 'source',
    package_name: source.packageName,
    path: dbtFilePath(dirs, source.packageName, source.path),
    original_file_path: dbtFilePath(dirs, source.packageName, source.originalFilePath),
    unique_id: source.uniqueId,
    fqn: source.fqn,
    source_name: source.sourceName,
    source_description: source.sourceDescription,
    loader: source.loader,
    identifier: source.identifier,
    quoting: source.quoting ?? {},
    loaded_at_field: source.loadedAtField ?? null,
    freshness: source.freshness ?? null,
    external: source.external ?? null,
    description: source.description,
    columns: columnsJson(source.columns),
    meta: source.meta,
    source_meta: {},
    tags: source.tags,
    config: source.config,
    patch_path: null,
    unrendered_config: {},
    relation_name: relationName,
    created_at: 0,
  };
}

export function manifestMetadata(input: { invocationId: string; projectName: string; adapterType: string; env?: Record<string, string | undefined> }): ArtifactMetadata {
  return {
    dbt_schema_version: MANIFEST_SCHEMA,
    dbt_version: DBT_COMPAT_VERSION,
    strata_version: STRATA_VERSION,
    generated_at: new Date().toISOString(),
    invocation_id: input.invocationId,
    env: metadataEnv(input.env),
    project_name: input.projectName,
    adapter_type: input.adapterType,
  };
}

/** Builds the `manifest.json` object. */
/** `depends_on.macros` with dbt's ids for the built-in macros (the object is Strata's own, changed in place). */
function withDbtMacroIds(json: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
  const dependsOn = json.depends_on as { macros?: string[] } | undefined;
  if (ids.size && dependsOn?.macros) dependsOn.macros = dependsOn.macros.map((id) => ids.get(id) ?? id);
  return json;
}

export function manifestArtifact(input: ManifestArtifactInput): Record<string, unknown> {
  const { manifest } = input;
  const dirs = manifest.packageDirs;
  const nodes: Record<string, unknown> = {};
  const unitTests: Record<string, unknown> = {};
  // dbt's ids of the built-in macros (macro.dbt_duckdb.duckdb__…), wherever one is named.
  const macroIds = dbtMacroIds(manifest.macros);
  for (const node of Object.values(manifest.nodes)) {
    const json = withDbtMacroIds(nodeJson(node, input.relationName(node), groupOf(node, manifest.nodes) ?? null, dirs), macroIds);
    if (node.resourceType === 'unit_test') unitTests[node.uniqueId] = json;
    else nodes[node.uniqueId] = json;
  }
  const sources: Record<string, unknown> = {};
  for (const s of Object.values(manifest.sources)) sources[s.uniqueId] = sourceJson(s, input.relationName(s), dirs);
  const disabled: Record<string, unknown[]> = {};
  for (const [id, d] of Object.entries(manifest.disabled)) {
    disabled[id] = [d.resourceType === 'source' ? sourceJson(d, null, dirs) : d.resourceType === 'exposure' ? exposureJson(d, dirs) : withDbtMacroIds(nodeJson(d, null, undefined, dirs), macroIds)];
  }
  let { parentMap, childMap } = input;
  if (input.hooks && (input.hooks.onRunStart.length || input.hooks.onRunEnd.length)) {
    // The hooks join the maps as dbt lists them: no parents, no children.
    parentMap = { ...parentMap };
    childMap = { ...childMap };
    for (const which of ['on-run-start', 'on-run-end'] as const) {
      const list = which === 'on-run-start' ? input.hooks.onRunStart : input.hooks.onRunEnd;
      list.forEach((sql, i) => {
        const hook = hookJson(manifest.projectName, which, i, sql, input.hooks!);
        const id = hook.unique_id as string;
        nodes[id] = hook;
        parentMap[id] = [];
        childMap[id] = [];
      });
    }
  }
  return {
    metadata: manifestMetadata({ invocationId: input.invocationId, projectName: manifest.projectName, adapterType: manifest.adapterType, env: input.env }),
    nodes,
    sources,
    macros: Object.fromEntries(targetMacros(manifest).map((m) => withDbtMacroIds(macroJson(m, dirs), macroIds)).map((m) => [m.unique_id as string, m])),
    docs: Object.fromEntries(Object.values(manifest.docs).map((d) => [d.uniqueId, docJson(d, dirs)])),
    exposures: Object.fromEntries(Object.values(manifest.exposures ?? {}).map((e) => [e.uniqueId, exposureJson(e, dirs)])),
    metrics: {},
    groups: Object.fromEntries(Object.values(manifest.groups ?? {}).map((g) => [g.uniqueId, groupJson(g, dirs)])),
    selectors: Object.fromEntries((input.selectors ?? []).map((s) => [s.name, { name: s.name, description: s.description, definition: s.definition, ...(s.default ? { default: true } : {}) }])),
    disabled,
    parent_map: parentMap,
    child_map: childMap,
    group_map: groupMap(manifest),
    saved_queries: {},
    semantic_models: {},
    unit_tests: unitTests,
  };
}
