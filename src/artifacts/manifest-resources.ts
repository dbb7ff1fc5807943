import type { DocBlock, Exposure, MacroDefinition } from '../parse/types.js';
import { dbtFilePath, type PackageDirs } from '../parse/package-paths.js';
import { dbtMacroIdentity } from './dbt-macro-identity.js';

/** manifest.json's exposures, macros and docs blocks, with dbt's field names. */
export function exposureJson(e: Exposure, dirs?: PackageDirs): Record<string, unknown> {
  return {
    name: e.name,
    resource_type: 'exposure',
    package_name: e.packageName,
    path: dbtFilePath(dirs, e.packageName, e.path),
    original_file_path: dbtFilePath(dirs, e.packageName, e.originalFilePath),
    unique_id: e.uniqueId,
    fqn: e.fqn,
    type: e.type,
    owner: { email: e.owner.email ?? null, name: e.owner.name ?? null },
    description: e.description,
    label: e.label ?? null,
    maturity: e.maturity ?? null,
    meta: e.meta,
    tags: e.tags,
    config: e.config,
    unrendered_config: e.unrenderedConfig,
    url: e.url ?? null,
    depends_on: { macros: [], nodes: e.dependsOn.nodes },
    refs: e.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: e.sources.map((s) => [s.source, s.table]),
    metrics: e.metrics.map((m) => [m]),
    created_at: 0,
  };
}

export function macroJson(m: MacroDefinition, dirs?: PackageDirs): Record<string, unknown> {
  // A built-in as dbt's manifest has it: its package and file in dbt-adapters, dbt-duckdb or dbt-bigquery.
  const dbt = dbtMacroIdentity(m);
  const ofp = dbt?.path ?? dbtFilePath(dirs, m.packageName, m.originalFilePath);
  return {
    name: m.name,
    resource_type: 'macro',
    package_name: dbt?.packageName ?? m.packageName,
    // dbt's macro path is its original_file_path (`macros/x.sql`).
    path: ofp,
    original_file_path: ofp,
    unique_id: dbt?.uniqueId ?? m.uniqueId,
    macro_sql: m.macroSql,
    depends_on: { macros: m.dependsOn.macros },
    description: m.description,
    meta: {},
    docs: { show: true, node_color: null },
    patch_path: null,
    arguments: m.arguments.map((a) => ({ name: a.name, type: a.type ?? null, description: a.description ?? '' })),
    created_at: 0,
    supported_languages: null,
  };
}

export function docJson(d: DocBlock, dirs?: PackageDirs): Record<string, unknown> {
  return {
    name: d.name,
    resource_type: 'doc',
    package_name: d.packageName,
    path: d.path,
    original_file_path: dbtFilePath(dirs, d.packageName, d.originalFilePath),
    unique_id: d.uniqueId,
    block_contents: d.blockContents,
  };
}
