/**
 * Rows from files into the local BigQuery's DuckDB: load jobs (GCS URIs, multipart uploads of seeds) and
 * external tables (read once, when created: a later change to the files is not seen). Files are written
 * to a temporary folder for DuckDB's readers and removed afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableField } from './bigquery-types.js';
import { columnDefinitions, duckRelation, type DuckWarehouse } from './duckdb-warehouse.js';
import { quoteIdent, quoteString } from './to-duckdb.js';
import { castCsvText, textColumns } from './csv-values.js';

export interface StagedFile {
  uri: string;
  bytes: Buffer;
}

/** A DuckDB reader over files in BigQuery's source format. */
export function readerOf(paths: string[], format: string, csv: { skip?: number; delimiter?: string; fields?: TableField[]; nullMarker?: string } = {}): string {
  const list = `[${paths.map(quoteString).join(', ')}]`;
  const f = format.toUpperCase();
  if (f === 'CSV') {
    // With a schema, every column is read as text and checked against its type (csv-values.ts).
    const columns = csv.fields ? `, header = false, skip = ${csv.skip ?? 0}, ${textColumns(csv.fields, csv.nullMarker)}` : ', header = true';
    return `read_csv(${list}${columns}, delim = ${quoteString(csv.delimiter ?? ',')}, quote = '"', escape = '"')`;
  }
  if (f === 'NEWLINE_DELIMITED_JSON' || f === 'JSON') return `read_json_auto(${list}, format = 'newline_delimited')`;
  return `read_parquet(${list})`;
}

/** Hive partition keys of a file below the prefix (`dt=2026-01-01/…`), as constant STRING columns. */
function hiveColumns(uri: string, prefix: string | undefined): string {
  if (!prefix || !uri.startsWith(prefix)) return '';
  const segs = uri.slice(prefix.length).split('/').slice(0, -1).filter((s) => s.includes('='));
  return segs.map((s) => `, ${quoteString(s.slice(s.indexOf('=') + 1))} as ${quoteIdent(s.split('=')[0]!)}`).join('');
}

/**
 * Loads files into a table: `replace` makes the table anew (WRITE_TRUNCATE, an external table), else the
 * rows are appended (created first if missing). With `fields` the table has those columns (with `csvSchema`
 * a CSV is read by them, without a header; else columns are matched by name and cast).
 */
export async function loadFiles(wh: DuckWarehouse, key: string, files: StagedFile[], format: string, options: { replace: boolean; fields?: TableField[]; csvSchema?: boolean; skip?: number; delimiter?: string; nullMarker?: string; hivePrefix?: string }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bq-rows-'));
  try {
    const paths = files.map((f, i) => {
      const p = join(dir, `f${i}`);
      writeFileSync(p, f.bytes);
      return p;
    });
    const [project, dataset] = key.split('.') as [string, string];
    await wh.useProject(project);
    await wh.run(`create schema if not exists ${quoteIdent(project)}.${quoteIdent(dataset)}`);
    const target = duckRelation(key);
    const typedCsv = format.toUpperCase() === 'CSV' && options.fields && options.csvSchema;
    const csv = typedCsv ? { fields: options.fields, skip: options.skip, delimiter: options.delimiter, nullMarker: options.nullMarker } : { delimiter: options.delimiter };
    let select = paths.map((p, i) => `select *${hiveColumns(files[i]!.uri, options.hivePrefix)} from ${readerOf([p], format, csv)}`).join(' union all by name ');
    if (typedCsv) {
      await wh.run(`create or replace temp table __strata_csv_text as ${select}`);
      select = await castCsvText(wh, '__strata_csv_text', options.fields!, (options.skip ?? 0) + 1);
    }
    if (options.fields) {
      if (options.replace || !(await wh.exists(key))) await wh.run(`create or replace table ${target} (${columnDefinitions(options.fields)})`);
      await wh.run(`insert into ${target} by name ${select}`);
    } else if (options.replace || !(await wh.exists(key))) await wh.run(`create or replace table ${target} as ${select}`);
    else await wh.run(`insert into ${target} by name ${select}`);
  } finally {
    await wh.run('drop table if exists temp.__strata_csv_text').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
