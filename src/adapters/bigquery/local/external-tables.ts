/**
 * External tables over the local GCS: BigQuery infers their columns from the files, so the local server
 * does too — the columns of the first matching object (read with DuckDB), hive partition keys added as
 * STRING columns, and the row count of all matching objects.
 */
import type { TableField } from './bigquery-types.js';
import { describeFile, type ObjectSource } from './load-jobs.js';
import type { DuckWarehouse } from './duckdb-warehouse.js';
import { loadFiles } from './file-loads.js';

function option(text: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*'([^']*)'`, 'i').exec(text)?.[1];
}

/** The `uris = [...]` of an external table's OPTIONS. */
function uris(text: string): string[] {
  const list = /\buris\s*=\s*\[([^\]]*)\]/i.exec(text)?.[1] ?? '';
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
}

/** The objects a `gs://bucket/prefix*` URI names. */
function matching(uri: string, objects: ObjectSource): { bucket: string; name: string }[] {
  const m = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) return [];
  const [bucket, pattern] = [m[1]!, m[2]!];
  if (!pattern.includes('*')) return objects.get(bucket, pattern) ? [{ bucket, name: pattern }] : [];
  const prefix = pattern.slice(0, pattern.indexOf('*'));
  const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
  return (objects.list?.(bucket) ?? []).filter((n) => n.startsWith(prefix) && n.endsWith(suffix)).map((name) => ({ bucket, name }));
}

/** Columns and rows of a `create external table` statement's files, when the local GCS holds them. */
export async function externalTableSchema(statement: string, objects: ObjectSource | undefined): Promise<{ fields: TableField[]; rows: number } | undefined> {
  if (!objects) return undefined;
  const format = (option(statement, 'format') ?? 'PARQUET').toUpperCase();
  const files = uris(statement).flatMap((u) => matching(u, objects));
  if (!files.length) return undefined;
  let fields: TableField[] = [];
  let rows = 0;
  for (const [i, f] of files.entries()) {
    const d = await describeFile(objects.get(f.bucket, f.name)!, format === 'JSON' ? 'NEWLINE_DELIMITED_JSON' : format);
    if (i === 0) fields = d.fields;
    rows += d.rows;
  }
  const prefix = option(statement, 'hive_partition_uri_prefix');
  const first = `gs://${files[0]!.bucket}/${files[0]!.name}`;
  if (prefix && first.startsWith(prefix)) {
    for (const seg of first.slice(prefix.length).split('/').slice(0, -1)) if (seg.includes('=')) fields.push({ name: seg.split('=')[0]!, type: 'STRING', mode: 'NULLABLE' });
  }
  return { fields, rows };
}

/** An external table's rows, read from the local GCS once when it is created (missing files: an empty table). */
export async function createExternalRows(wh: DuckWarehouse, statement: string, key: string, fields: TableField[], objects: ObjectSource | undefined): Promise<void> {
  const format = (option(statement, 'format') ?? 'PARQUET').toUpperCase();
  const files = objects ? uris(statement).flatMap((u) => matching(u, objects)) : [];
  if (!files.length) {
    await wh.ensureTable(key, fields);
    return;
  }
  const staged = files.map((f) => ({ uri: `gs://${f.bucket}/${f.name}`, bytes: objects!.get(f.bucket, f.name)! }));
  const skip = Number(/\bskip_leading_rows\s*=\s*(\d+)/i.exec(statement)?.[1] ?? 0);
  await loadFiles(wh, key, staged, format === 'JSON' ? 'NEWLINE_DELIMITED_JSON' : format, { replace: true, hivePrefix: option(statement, 'hive_partition_uri_prefix'), ...(format === 'CSV' && skip !== 1 ? { skip } : {}) });
}
