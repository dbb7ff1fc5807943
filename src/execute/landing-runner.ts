import { join } from 'node:path';
import type { Connection, Relation } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { GcsStaging, formatOf, relationFolder, gcsSettingsFrom, isHivePartitioned, landSource, s3SettingsFrom, storeFor, type LandingResult } from '../landing/index.js';
import type { ExternalSpec, SourceDefinition } from '../parse/types.js';
import type { NodeRunContext } from './node-runner.js';
import { bronzeRoot, renderExternal } from './landing-check.js';

/** Lands one external source's new files into its bronze relation. */
export async function runLandingNode(ctx: NodeRunContext, node: ManifestNode, connection: Connection): Promise<NodeOutcome> {
  const p = ctx.prepared;
  const source = p.graph.manifest.sources[String(node.extra?.sourceId)];
  if (!source?.external) return { status: 'error', message: `landing ${node.name}: its source has no external: location` };
  const { external, missing } = renderExternal(p, source);
  if (missing) return { status: 'error', message: `landing ${node.name}: ${missing} in its external: settings (${source.originalFilePath}) is not set; set it or give a default` };
  let store;
  try {
    store = storeFor(external, p.project.config.rootDir, s3SettingsFrom(p.project.target.settings, p.env), gcsSettingsFrom(p.project.target.settings, p.env));
  } catch (e) {
    return { status: 'error', message: `landing ${node.name}: ${(e as Error).message} (${source.originalFilePath})` };
  }
  const wantsExternal = source.config.materialized === 'external' || (external as { materialized?: unknown }).materialized === 'external';
  if (wantsExternal) return createExternal(ctx, node, connection, source, external);
  const stagingBucket = p.project.target.settings.gcs_staging_bucket ? String(p.project.target.settings.gcs_staging_bucket) : undefined;
  try {
    const filesRoot = bronzeRoot(p);
    const relation = bronzeRelation(ctx.relations.relationOf(source), filesRoot ? p.project.target.database : undefined);
    const landAs = external.land_as ?? source.config.land_as;
    const r = await landSource({
      source: { ...source, external },
      store,
      relation,
      connection,
      dialect: p.adapter.dialect,
      cacheDir: join(p.targetDir, 'landing-cache', p.invocationId),
      invocationId: p.invocationId,
      relandChanged: ctx.relandChanged,
      staging: stagingBucket ? new GcsStaging(stagingBucket, gcsSettingsFrom(p.project.target.settings, p.env)) : undefined,
      concurrency: 4,
      reporter: p.reporter,
      // RunSession.open created it, once for all landing nodes.
      ledgerReady: true,
      bronzeFiles: filesRoot ? { root: filesRoot, asParquet: landAs === 'parquet' } : undefined,
    });
    return landingOutcome(ctx, r, filesRoot ? join(filesRoot, relationFolder(relation)) : '', p.adapter.dialect.renderRelation(relation));
  } finally {
    (store as { close?: () => void }).close?.();
  }
}

/**
 * The relation a landing fills. Where bronze has a folder of its own (DuckDB), a relation in the target's own
 * catalog is named without it, as before sources carried the catalog's name: its bronze files stay in
 * `<bronze>/<schema>/<table>/`, where the ledger has them; another catalog keeps its own folder level.
 */
function bronzeRelation(relation: Relation, ownCatalog: string | undefined): Relation {
  if (!ownCatalog || relation.database !== ownCatalog) return relation;
  const { database: _own, ...rest } = relation;
  return rest;
}

/** A landing's outcome: its summary line, its warnings, and an error when a file failed or bronze lacks a landed object's file. */
function landingOutcome(ctx: NodeRunContext, r: LandingResult, folder: string, relation: string): NodeOutcome {
  const p = ctx.prepared;
  const changed = r.changedNotReloaded.length;
  if (r.moved) {
    const where = r.moved.to === 'parquet' ? `into ${r.moved.files} Parquet file(s) under ${folder} (land_as: parquet); the table is now a view over them` : `from its Parquet files into a table (land_as: table); the files were left where they are`;
    p.reporter.emit({ type: 'info', message: `${r.source}: moved ${r.moved.rows} bronze rows ${where}` });
  }
  // Static exports (a CRM dump landed once) say so on every later run rather than "landed 0 files".
  const plural = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
  const summary = r.landed === 0 && r.skipped > 0 && !r.failed.length && !changed
    ? `nothing new: ${plural(r.skipped)} already landed`
    : `landed ${plural(r.landed)} (${r.rows} rows), skipped ${r.skipped}${changed ? ` (${changed} changed since landed, not reloaded)` : ''}`;
  if (changed) {
    p.reporter.emit({ type: 'info', message: `warning: ${changed} object(s) of ${r.source} changed since they were landed and were not reloaded (${r.changedNotReloaded.slice(0, 3).join(', ')}${changed > 3 ? ', …' : ''}); use --reland-changed to replace their rows` });
  }
  const missing = r.missingFiles ?? [];
  const response = { files_landed: r.landed, files_skipped: r.skipped, files_changed_not_reloaded: changed, files_failed: r.failed.length, ...(r.missingFiles ? { files_missing: missing.length } : {}), rows_affected: r.rows, bytes: r.bytes };
  // Said once, by the landing that kept them apart (the ledger remembers): a warning, an error with --warn-error.
  const apart = r.keptApart ?? [];
  const warning = apart.length ? `warning: ${apart.length} object(s) of ${r.source} had been landed by an earlier version from another folder of the project too, with other rows (${apart.slice(0, 2).join(', ')}${apart.length > 2 ? ', …' : ''}); those rows stay in bronze under that URI, as another location's object, and their ledger rows say so (error: kept apart: …): delete them from bronze and mark those rows replaced if they are not wanted` : '';
  const problems = [
    ...r.failed.map((f) => `  ${f.error}`),
    ...(missing.length ? [`  the bronze files of ${missing.length} landed object(s) are missing from ${folder} (${missing.slice(0, 2).join(', ')}${missing.length > 2 ? ', …' : ''}), so bronze cannot be read: restore the folder, or land them again with a run that lists them (without --vars ds for a daily pattern); objects gone from the source too stay missing until their ledger rows are marked replaced (update strata_meta.landed_files set status = 'replaced' where uri = …)`] : []),
  ];
  if (problems.length) {
    const failed = r.failed.length ? `, ${r.failed.length} failed` : '';
    return { status: 'error', message: `${summary}${failed}:\n${[...problems, ...(warning ? [`  ${warning}`] : [])].join('\n')}`, rowsAffected: r.rows, adapterResponse: response, relation };
  }
  return { status: warning ? 'warn' : 'success', message: warning ? `${summary}:\n  ${warning}` : summary, rowsAffected: r.rows, adapterResponse: { ...response, download_wait_s: secs(r.waitMs), load_s: secs(r.loadMs) }, relation };
}

const secs = (ms: number): number => Math.round(ms) / 1000;

/** `materialized: external` on a gs:// source: an external table over the files instead of a load, where the dialect makes them. */
async function createExternal(ctx: NodeRunContext, node: ManifestNode, connection: Connection, source: SourceDefinition, external: ExternalSpec): Promise<NodeOutcome> {
  const d = ctx.prepared.adapter.dialect;
  const location = String(external.location ?? '');
  if (!d.createExternalTable || !location.startsWith('gs://')) {
    return { status: 'error', message: `landing ${node.name}: materialized: external needs a target whose warehouse makes external tables over object-store files, and a gs:// location (${source.originalFilePath}); remove it to land the files instead` };
  }
  const base = location.endsWith('/') ? location : `${location}/`;
  const hive = isHivePartitioned(external);
  const relation = ctx.relations.relationOf(source);
  const r = await connection.execute(d.createExternalTable(relation, [`${base}*`], formatOf(external), hive ? base : undefined));
  return { status: 'success', message: 'EXTERNAL TABLE', adapterResponse: { code: 'CREATE EXTERNAL TABLE', ...(r.response ?? {}) }, relation: d.renderRelation(relation) };
}
