/**
 * Load jobs on the local BigQuery: from GCS URIs (Parquet, CSV, JSON read with DuckDB for their columns
 * and row count, hive partition keys added as columns) and from a multipart upload (seeds: CSV with the
 * schema the client sends).
 */
import type { TableField } from './bigquery-types.js';
import type { TableStore } from './table-store.js';
import type { DuckWarehouse } from './duckdb-warehouse.js';
import { loadFiles, type StagedFile } from './file-loads.js';
import { CsvValueError } from './csv-values.js';

/** Where load jobs read `gs://bucket/name` from (the local GCS server). */
export interface ObjectSource {
  get(bucket: string, name: string): Buffer | undefined;
  /** Object names in a bucket (wildcard URIs of external tables). */
  list?(bucket: string): string[];
}

export function multipart(body: Buffer, contentType: string): { meta: any; data: Buffer } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
  const payload = (p: string): string => p.slice(p.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
  return { meta: JSON.parse(payload(parts[0]!)), data: Buffer.from(payload(parts[1]!), 'latin1') };
}

/** Reads a Parquet, CSV or JSON file's columns and row count with DuckDB, as BigQuery field types. */
export async function describeFile(bytes: Buffer, format: string): Promise<{ fields: TableField[]; rows: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'strata-bq-load-'));
  const file = join(dir, 'f');
  writeFileSync(file, bytes);
  const db = await DuckDBInstance.create(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
  const c = await db.connect();
  try {
    const reader = format === 'CSV' ? `read_csv('${file}', header = true)` : format === 'NEWLINE_DELIMITED_JSON' ? `read_json_auto('${file}')` : `read_parquet('${file}')`;
    const cols = (await (await c.run(`describe select * from ${reader}`)).getRowObjects()) as { column_name: string; column_type: string }[];
    const n = Number(((await (await c.run(`select count(*) as n from ${reader}`)).getRowObjects())[0] as { n: bigint }).n);
    return { fields: cols.map((col) => fieldOf(col.column_name, col.column_type)), rows: n };
  } finally {
    c.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits `a X, b STRUCT(c Y, d Z)` at its top-level commas. */
function topLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (list.slice(start).trim()) out.push(list.slice(start).trim());
  return out;
}

/** A DuckDB column type as a BigQuery field: STRUCT(…) as a RECORD with its fields, `X[]` as REPEATED. */
function fieldOf(name: string, duckType: string): TableField {
  const t = duckType.trim();
  if (t.endsWith('[]')) return { ...fieldOf(name, t.slice(0, -2)), mode: 'REPEATED' };
  const struct = /^STRUCT\((.*)\)$/is.exec(t);
  if (struct) {
    const fields = topLevel(struct[1]!).map((part) => {
      const m = /^("(?:[^"]|"")+"|\S+)\s+(.*)$/s.exec(part)!;
      return fieldOf(m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'), m[2]!);
    });
    return { name, type: "RECORD", mode: "NULLABLE", fields };
  }
  const type = /INT/.test(t) ? 'INTEGER' : /DOUBLE|FLOAT|DECIMAL/.test(t) ? 'FLOAT' : t === 'BOOLEAN' ? 'BOOLEAN' : t === 'DATE' ? 'DATE' : /^TIMESTAMP/.test(t) ? 'TIMESTAMP' : 'STRING';
  return { name, type, mode: 'NULLABLE' };
}

/** A load job from GCS URIs into its destination table; returns the job's error, if any, and the rows loaded. */
export async function loadFromUris(load: any, objects: ObjectSource | undefined, store: TableStore, wh: DuckWarehouse): Promise<{ error?: { reason: string; message: string }; rows: number }> {
  let fields: TableField[] = [];
  let rows = 0;
  const files: StagedFile[] = [];
  for (const uri of load.sourceUris as string[]) {
    const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
    const bytes = m ? objects?.get(m[1]!, m[2]!) : undefined;
    if (!bytes) return { error: { reason: 'notFound', message: `Not found: URI ${uri}` }, rows: 0 };
    files.push({ uri, bytes });
    try {
      const d = await describeFile(bytes, load.sourceFormat);
      fields = d.fields;
      rows += d.rows;
      const prefix = load.hivePartitioningOptions?.sourceUriPrefix as string | undefined;
      if (prefix && uri.startsWith(prefix)) for (const seg of uri.slice(prefix.length).split('/').slice(0, -1)) if (seg.includes('=')) fields.push({ name: seg.split('=')[0]!, type: 'STRING', mode: 'NULLABLE' });
    } catch (e) {
      return { error: { reason: 'invalid', message: `Error while reading data, error message: ${(e as Error).message.split('\n')[0]} File: ${uri}` }, rows: 0 };
    }
  }
  const t = load.destinationTable;
  const key = `${t.projectId}.${t.datasetId}.${t.tableId}`;
  const schema: TableField[] = load.schema?.fields ?? fields;
  const replace = (load.writeDisposition ?? 'WRITE_APPEND') !== 'WRITE_APPEND' || !store.tables.has(key);
  try {
    await wh.exclusive(() => loadFiles(wh, key, files, load.sourceFormat ?? 'CSV', { replace, fields: schema, csvSchema: !!load.schema, skip: load.skipLeadingRows, delimiter: load.fieldDelimiter, nullMarker: load.nullMarker, hivePrefix: load.hivePartitioningOptions?.sourceUriPrefix }));
  } catch (e) {
    if (e instanceof CsvValueError) return { error: { reason: e.reason, message: e.message }, rows: 0 };
    return { error: { reason: 'invalid', message: `Error while reading data, error message: ${(e as Error).message.split('\n')[0]}` }, rows: 0 };
  }
  store.tables.set(key, { type: 'TABLE', fields: replace ? schema : store.tables.get(key)!.fields, numRows: (await wh.exclusive(() => wh.count(key))) ?? rows, numBytes: rows * 10 });
  store.save();
  return { rows };
}

/** A multipart upload load job (CSV): the table gets the client's schema, or STRING columns named by the header. */
export async function loadFromUpload(load: any, data: Buffer, store: TableStore, wh: DuckWarehouse): Promise<number> {
  const lines = data.toString('utf8').split(/\r?\n/).filter((l) => l.length);
  const header = (lines[0] ?? '').split(load.fieldDelimiter ?? ',');
  const t = load.destinationTable;
  const fields = load.schema?.fields ?? header.map((h: string) => ({ name: h.replace(/^"|"$/g, ''), type: 'STRING', mode: 'NULLABLE' }));
  const key = `${t.projectId}.${t.datasetId}.${t.tableId}`;
  const replace = (load.writeDisposition ?? 'WRITE_APPEND') !== 'WRITE_APPEND' || !store.tables.has(key);
  await wh.exclusive(() => loadFiles(wh, key, [{ uri: 'upload', bytes: data }], 'CSV', { replace, fields, csvSchema: true, skip: load.skipLeadingRows ?? (load.schema ? 0 : 1), delimiter: load.fieldDelimiter, nullMarker: load.nullMarker }));
  const rows = (await wh.exclusive(() => wh.count(key))) ?? Math.max(0, lines.length - (load.skipLeadingRows ?? 0));
  store.tables.set(key, { type: 'TABLE', fields, numRows: rows, numBytes: data.length });
  store.save();
  return rows;
}
