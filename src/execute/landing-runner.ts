import { join } from 'node:path';
import type { Connection } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from './index.js';
import { GcsStaging, formatOf, relationFolder, gcsSettingsFrom, isHivePartitioned, landSource, s3SettingsFrom, storeFor } from '../landing/index.js';
import type { ExternalSpec, SourceDefinition } from '../parse/types.js';
import type { NodeRunContext } from './node-runner.js';
import { renderExternal } from './landing-check.js';

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
    const relation = ctx.relations.relationOf(source);
    const filesRoot = p.adapter.landedFilesFolder?.(p.project.target, { projectRoot: p.project.config.rootDir });
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
      bronzeFiles: filesRoot ? { folder: relationFolder(filesRoot, relation), asParquet: landAs === 'parquet' } : undefined,
    });
    const changed = r.changedNotReloaded.length;
    const folder = filesRoot ? relationFolder(filesRoot, relation) : '';
    if (r.missingFiles) {
      p.reporter.emit({ type: 'info', message: `warning: the bronze files of ${r.missingFiles} landed object(s) of ${r.source} are missing from ${folder}, so their rows are not in bronze; they land again when a run lists them (without --vars ds, for a daily pattern) and are still in the source location` });
    }
    if (r.strayFiles?.length) {
      const n = r.strayFiles.length;
      p.reporter.emit({ type: 'info', message: `warning: ${n} Parquet file(s) in ${folder} belong to no object the ledger says is landed (${r.strayFiles.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}), so they are not read: left by an earlier database file or another source location? Move them out of the folder, or delete them if their rows are landed again` });
    }
    if (r.moved) {
      const where = r.moved.to === 'parquet' ? `into ${r.moved.files} Parquet file(s) under ${folder} (land_as: parquet); the table is now a view over them` : `from its Parquet files into a table (land_as: table); the files were left where they are`;
      p.reporter.emit({ type: 'info', message: `${r.source}: moved ${r.moved.rows} bronze rows ${where}` });
    }
    // Static exports (a CRM dump landed once) say so on every later run rather than "landed 0 files".
    const plural = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
    const summary = r.landed === 0 && r.skipped > 0 && !r.failed.length && !changed
      ? `nothing new: ${plural(r.skipped)} already landed`
      : `landed ${plural(r.landed)} (${r.rows} rows), skipped ${r.skipped}${changed ? ` (${changed} changed since landed, not reloaded)` : ''}`;
    if (r.changedNotReloaded.length) {
      p.reporter.emit({ type: 'info', message: `warning: ${changed} object(s) of ${r.source} changed since they were landed and were not reloaded (${r.changedNotReloaded.slice(0, 3).join(', ')}${changed > 3 ? ', …' : ''}); use --reland-changed to replace their rows` });
    }
    if (r.failed.length) {
      return { status: 'error', message: `${summary}, ${r.failed.length} failed:\n${r.failed.map((f) => `  ${f.error}`).join('\n')}`, rowsAffected: r.rows, adapterResponse: { files_landed: r.landed, files_skipped: r.skipped, files_changed_not_reloaded: changed, files_failed: r.failed.length, rows_affected: r.rows, bytes: r.bytes }, relation: p.adapter.dialect.renderRelation(relation) };
    }
    return { status: 'success', message: summary, rowsAffected: r.rows, adapterResponse: { files_landed: r.landed, files_skipped: r.skipped, files_changed_not_reloaded: changed, files_failed: 0, rows_affected: r.rows, bytes: r.bytes, download_wait_s: secs(r.waitMs), load_s: secs(r.loadMs) }, relation: p.adapter.dialect.renderRelation(relation) };
  } finally {
    (store as { close?: () => void }).close?.();
  }
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
