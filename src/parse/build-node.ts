import type { ParseRenderResult } from '../templating/types.js';
import type { ManifestNode, NodeConfig } from './types.js';
import { folderConfig } from './node-config.js';
import { latestOf } from './model-versions.js';
import { rawCodeFromFile } from './raw-code.js';
import { columnHasJinja } from './property-render.js';
import { groupConfigSite } from './group-checks.js';
import { nodeConfigDiagnostics } from './node-checks.js';
import type { ParseRun } from './parse-run.js';
import type { PreparedUnit } from './parse-unit.js';

/** The manifest node of a rendered unit, its relation named; records its group use and reports its config's problems. */
export function buildNode(run: ParseRun, unit: PreparedUnit, config: NodeConfig, rendered: ParseRenderResult): ManifestNode {
  const { f, name, resourceType, fqn, patch, version } = unit;
  const { cfg, namer } = run;
  const nodeInfo = { name, resource_type: resourceType, package_name: cfg.name, fqn, config, original_file_path: run.dbtPath(f.path), path: f.pathInResource, ...(version ? { version: version.v.v } : {}) };
  const fields: Omit<ManifestNode, 'rawCode'> = {
    uniqueId: unit.uniqueId,
    resourceType,
    packageName: cfg.name,
    name,
    path: f.pathInResource,
    originalFilePath: f.path,
    fqn,
    language: 'sql',
    checksum: { name: 'sha256', checksum: f.checksum },
    config,
    // As dbt's: the project file's configs for its folders, the YAML's, then the file's own config() calls.
    unrenderedConfig: { ...folderConfig(unit.tree, fqn), ...(patch?.config ?? {}), ...rendered.config },
    tags: config.tags,
    description: run.describe(patch?.description ?? ''),
    columns: columnsOf(run, unit),
    meta: config.meta,
    patchPath: patch?.file,
    refs: rendered.refs,
    sources: rendered.sources,
    dependsOn: { nodes: [], macros: rendered.macrosUsed },
    database: namer.database(config.database, nodeInfo),
    schema: namer.schema(config.schema, nodeInfo),
    alias: namer.alias(config.alias, nodeInfo),
    docRefs: rendered.docRefs,
    ...(patch?.constraints ? { constraints: patch.constraints } : {}),
    ...(patch?.timeSpine && resourceType === 'model' ? { timeSpine: patch.timeSpine } : {}),
    ...(version ? { version: version.v.v, latestVersion: latestOf(version.of), ...(version.v.deprecationDate ? { deprecationDate: version.v.deprecationDate } : {}) } : {}),
    extra: { dataTests: patch?.tests ?? [], columnTests: patch?.columnTests ?? {}, fastPath: rendered.fastPath },
  };
  // A seed's SQL is empty like dbt's; a model's is its file, read only if something needs it.
  const node: ManifestNode = resourceType === 'seed' ? Object.assign(fields, { rawCode: '', seedFile: f.absPath }) : unit.ownCode ? Object.assign(fields, { rawCode: f.contents }) : rawCodeFromFile(fields, f);
  if (resourceType === 'test') node.schema = namer.schema(config.schema ?? 'dbt_test__audit', nodeInfo);
  // A snapshot's legacy target_schema / target_database are used as written, without generate_schema_name (as dbt).
  if (resourceType === 'snapshot' && config.target_schema) node.schema = String(config.target_schema);
  if (resourceType === 'snapshot' && config.target_database) node.database = String(config.target_database);
  if (config.enabled && config.group !== undefined) run.groupUses.push({ group: config.group, node: node.uniqueId, ...groupConfigSite(rendered.config, () => f.contents, f.path, patch, cfg.configFile) });
  run.diagnostics.push(...nodeConfigDiagnostics({ resourceType, name, config, columns: node.columns, file: f.path, fileConfig: rendered.config, text: () => f.contents, patch: patch ? { file: patch.file, line: patch.line, config: patch.config ?? {} } : undefined, adapterType: run.project.target.type, incrementalStrategies: run.options.incrementalStrategies, customMaterializations: run.customMaterializations, macroPackageOf: (macro) => run.engine.macroPackage?.(macro, cfg.name) }));
  return node;
}

/** A column's properties are rendered as dbt renders property files (`data_type: "{{ 'int' if … }}"`); descriptions are docs. */
function columnsOf(run: ParseRun, unit: PreparedUnit): ManifestNode['columns'] {
  const { patch, name } = unit;
  return Object.fromEntries(Object.entries(patch?.columns ?? {}).map(([k, c]) => [k, { ...(columnHasJinja(c) ? run.renderProperty({ ...c, description: '' }, `column '${k}' of '${name}'`, { file: patch!.file, line: patch!.line }) : c), description: run.describe(c.description) }]));
}
