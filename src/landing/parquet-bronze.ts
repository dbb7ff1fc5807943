import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, Dialect, Relation } from '../adapters/contract.js';

/**
 * Bronze kept as Parquet files (`land_as: parquet`, on a warehouse that reads local files): each landed
 * object becomes one file of the relation's folder, and the bronze relation is a view over the files of the
 * objects the ledger says are landed. A day's landing then writes a file instead of appending a small row
 * group to a table the database must merge and checkpoint.
 *
 * Exactly once, as with tables: a file is written under a temporary name, renamed, and only then recorded in
 * the ledger; its name comes from the object's URI, so a rerun after a crash in between writes the same file
 * again, never a second one. The view lists the ledger's files by name, so a file the ledger does not know
 * (a database deleted while its bronze folder was kept, then the source moved) is never read twice; a landed
 * object whose file has gone is landed again.
 */
export interface BronzeFolder {
  folder: string;
  relation: Relation;
  /** Lower-cased column name → type: the view's, plus the columns files of this run added. */
  columns: Map<string, string>;
  /** URIs whose files the view reads: the ledger's landed objects, then those landed by this run. */
  uris: Set<string>;
  /** Landed objects (by the ledger) whose file is missing: they land again, replacing their ledger row. */
  missing: Set<string>;
  /** Parquet files of the folder that no landed object owns: left out of the view, and reported. */
  strays: string[];
  /** Rows and files moved out of a table landed before `land_as: parquet`, one file per landed object. */
  moved: { rows: number; files: number };
}

/** The file of one landed object: readable, and unique to its URI. */
export function bronzeFileName(uri: string): string {
  const base = (uri.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.parquet$/i, '').slice(0, 80) || 'object';
  return `${base}.${createHash('sha256').update(uri).digest('hex').slice(0, 16)}.parquet`;
}

/** The relation's own folder under the target's bronze folder. */
export function relationFolder(root: string, relation: Relation): string {
  return join(root, ...[relation.database, relation.schema, relation.identifier].filter((p): p is string => !!p));
}

/** Whether a relation's folder holds bronze files (an earlier `land_as: parquet`). */
export const hasBronzeFiles = (folder: string): boolean => existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.parquet'));

/** How the dialect reads one Parquet file. */
function readParquet(d: Dialect, file: string): string {
  return d.readFileSql!(file, { format: 'parquet', options: {}, hivePartitioned: false, tableTypes: new Map(), csvHeader: () => [] });
}

/**
 * Opens a relation's folder before its files land, given the ledger's landed objects (URI → ETag): what an
 * interrupted landing left half-written is removed; the rows of a bronze table landed before
 * `land_as: parquet` are written out, one file per object, for the view that replaces the table at the end;
 * a landed object whose file is missing is taken out of `landed`, so that it lands again.
 */
export async function openBronzeFolder(c: Connection, d: Dialect, relation: Relation, folder: string, landed: Map<string, string>): Promise<BronzeFolder> {
  mkdirSync(folder, { recursive: true });
  for (const f of readdirSync(folder)) if (f.endsWith('.tmp')) rmSync(join(folder, f), { force: true });
  const existing = await c.getRelation(relation);
  const columns = new Map(existing ? (await c.getColumns(relation)).map((col) => [col.name.toLowerCase(), col.dataType]) : []);
  const state: BronzeFolder = { folder, relation, columns, uris: new Set(), missing: new Set(), strays: [], moved: { rows: 0, files: 0 } };
  if (existing?.kind === 'table') await moveTableToFiles(c, d, state);
  const present = new Set(readdirSync(folder).filter((f) => f.endsWith('.parquet')));
  for (const uri of landed.keys()) {
    if (present.delete(bronzeFileName(uri))) state.uris.add(uri);
    else state.missing.add(uri);
  }
  for (const uri of state.missing) landed.delete(uri);
  state.strays = [...present].sort();
  return state;
}

/** A bronze table's rows, written out one file per `_strata_source_file`. */
async function moveTableToFiles(c: Connection, d: Dialect, state: BronzeFolder): Promise<void> {
  const target = d.renderRelation(state.relation);
  if (!state.columns.has('_strata_source_file')) {
    throw new Error(`${target} is a table without _strata_source_file: it was not landed by Strata, so its rows cannot be kept as one file per landed object; rename or drop it, or set land_as: table`);
  }
  const uris = (await c.query(`select distinct _strata_source_file as f from ${target} where _strata_source_file is not null`)).rows.map((r) => String(r.f));
  for (const uri of uris) {
    state.moved.rows += await writeParquet(c, d, `select * from ${target} where _strata_source_file = ${d.quoteString(uri)}`, state.folder, bronzeFileName(uri));
    state.moved.files++;
  }
  const orphans = Number((await c.query(`select count(*) as n from ${target} where _strata_source_file is null`)).rows[0]?.n ?? 0);
  if (orphans > 0) throw new Error(`${target} has ${orphans} rows without _strata_source_file, which no landed object owns; move or delete them, or set land_as: table`);
}

/** Writes a query's rows to `name` in the folder, under a temporary name first; the row count. */
async function writeParquet(c: Connection, d: Dialect, select: string, folder: string, name: string): Promise<number> {
  const tmp = join(folder, `${name}.tmp`);
  try {
    const rows = (await c.execute(d.copyToParquetSql!(select, tmp))).rowsAffected ?? 0;
    renameSync(tmp, join(folder, name));
    return rows;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes one landed object's rows (the `select` of the file with its landing columns) as its bronze file. A
 * column the view already has keeps the view's type: a file whose values convert is written with them
 * converted, one whose values do not is refused with the column named and nothing written. The row count.
 */
export async function writeBronzeFile(c: Connection, d: Dialect, state: BronzeFolder, select: string, uri: string): Promise<number> {
  const name = bronzeFileName(uri);
  const first = join(state.folder, `${name}.first.tmp`);
  try {
    const rows = await writeParquet(c, d, select, state.folder, `${name}.first.tmp`);
    const fileCols = (await c.query(`describe select * from ${readParquet(d, first)}`)).rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const casts: string[] = [];
    for (const col of fileCols) {
      const have = state.columns.get(col.name.toLowerCase());
      if (have === undefined || have.toUpperCase() === col.type.toUpperCase()) continue;
      const q = d.quoteIdentifier(col.name);
      const bad = Number((await c.query(`select count(*) as n from ${readParquet(d, first)} where ${q} is not null and try_cast(${q} as ${have}) is null`)).rows[0]?.n ?? 0);
      if (bad > 0) throw new Error(`column ${col.name} is ${col.type} in this file but ${have} in ${d.renderRelation(state.relation)}; ${bad} values cannot be converted`);
      casts.push(`cast(${q} as ${have}) as ${q}`);
    }
    if (casts.length) await writeParquet(c, d, `select * replace (${casts.join(', ')}) from ${readParquet(d, first)}`, state.folder, name);
    else renameSync(first, join(state.folder, name));
    for (const col of fileCols) {
      if (!state.columns.has(col.name.toLowerCase())) state.columns.set(col.name.toLowerCase(), col.type);
    }
    state.uris.add(uri);
    state.missing.delete(uri);
    state.strays = state.strays.filter((f) => f !== name);
    return rows;
  } finally {
    rmSync(first, { force: true });
  }
}

/**
 * Makes the bronze relation the view over the landed objects' files, in one transaction with dropping the
 * table it replaces, so readers see the table or the view, never neither. At the end of every landing, not
 * only one that landed files: a landing interrupted between a file's ledger row and this view leaves the
 * view without that file, and the next landing mends it (about 10 ms for a hundred files). New columns of
 * later files come out null for earlier ones (`union_by_name`).
 */
export async function publishBronzeView(c: Connection, d: Dialect, state: BronzeFolder): Promise<void> {
  if (!state.uris.size) return;
  const files = [...state.uris].map((uri) => join(state.folder, bronzeFileName(uri))).sort();
  const sql = `select * from ${d.readParquetFilesSql!(files)}`;
  await c.transaction(async () => {
    const existing = await c.getRelation(state.relation);
    if (existing?.kind === 'table') await c.execute(d.dropRelation(state.relation, 'table'));
    await c.execute(d.createViewAs(state.relation, sql));
  });
}

/**
 * `land_as: table` where an earlier landing left the view over files: the view's rows become the table,
 * in one transaction; the files stay where they are (nothing is deleted). The number of rows.
 */
export async function tableFromBronzeView(c: Connection, d: Dialect, relation: Relation): Promise<number> {
  const work: Relation = { ...relation, identifier: `${relation.identifier}__strata_from_files` };
  return c.transaction(async () => {
    await c.execute(d.dropRelation(work, 'table'));
    await c.execute(d.createTableAs(work, `select * from ${d.renderRelation(relation)}`));
    await c.execute(d.dropRelation(relation, 'view'));
    await c.execute(d.renameRelation(work, relation.identifier, 'table'));
    const n = await c.query(`select count(*) as n from ${d.renderRelation(relation)}`);
    return Number(n.rows[0]?.n ?? 0);
  });
}
