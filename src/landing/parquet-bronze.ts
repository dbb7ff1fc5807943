import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, Dialect, Relation } from '../adapters/contract.js';
import { checkConvertible, checkRounding, LandingFileError } from './schema-evolution.js';
import { LEDGER, type Ledger } from './ledger.js';

/**
 * Bronze kept as Parquet files (`land_as: parquet`, on a warehouse that writes them): each landed object
 * version becomes one file of the relation's folder, and the bronze relation is a view over the folder's
 * files that the ledger lists as landed. A day's landing then writes a file instead of appending a small row
 * group to a table the database must merge and checkpoint.
 *
 * Exactly once, as with tables: a file is written under a temporary name and renamed, and becomes part of
 * bronze only when its ledger row commits (the view reads the ledger). Its name comes from the object's URI
 * and ETag, so a rerun after a crash writes the same file again, and a reland writes a new file that
 * replaces the old one in the view in the same commit as the ledger's. A landed object whose file has gone
 * makes every read of the view fail, naming the folder, instead of shrinking bronze silently.
 */
export interface BronzeFolder {
  /** The target's bronze folder (absolute), and this relation's folder below it (`bronze/raw_x`). */
  root: string;
  folder: string;
  relation: Relation;
  /** Lower-cased column name → type: the view's, plus the columns files of this run added. */
  columns: Map<string, string>;
  /** Objects landed into this folder, by any source: URI → ETag and file (relative to `root`). */
  files: Map<string, { etag: string; file: string }>;
  /** Landed objects whose file is missing: URI → ETag. */
  missing: Map<string, string>;
  /** Rows and files moved out of a table landed before `land_as: parquet`. */
  moved: { rows: number; files: number };
  /** The relation is still a table that had no rows to move: the first file's commit replaces it by the view. */
  emptyTable: boolean;
  invocationId: string;
}

/** The file of one version of a landed object: readable, and unique to its URI and ETag. */
export function bronzeFileName(uri: string, etag: string): string {
  const base = (uri.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.parquet$/i, '').slice(0, 80) || 'object';
  return `${base}.${createHash('sha256').update(`${uri}\n${etag}`).digest('hex').slice(0, 16)}.parquet`;
}

/** The relation's own folder below the bronze folder, with forward slashes (`bronze/raw_call_logs`). */
export function relationFolder(relation: Relation): string {
  return [relation.database, relation.schema, relation.identifier].filter((p): p is string => !!p).join('/');
}

/** Whether a relation's folder holds bronze files (an earlier `land_as: parquet`). */
export const hasBronzeFiles = (dir: string): boolean => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.parquet'));

/** DuckDB refuses one of two transactions that change the same catalog entry at once (two sources landing into one relation): tried again. */
export async function retryingConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= 5 || !/conflict/i.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/**
 * Opens a relation's folder before its files land: half-written files of earlier runs are removed; a bronze
 * table landed before `land_as: parquet` is written out one file per object and replaced by the view at
 * once (so a crash later cannot leave new objects outside the table); files the ledger lists but the folder
 * lacks are found.
 */
export async function openBronzeFolder(c: Connection, d: Dialect, ledger: Ledger, relation: Relation, root: string, invocationId: string): Promise<BronzeFolder> {
  const folder = relationFolder(relation);
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.tmp') && !f.includes(invocationId)) rmSync(join(dir, f), { force: true });
  const existing = await c.getRelation(relation);
  const columns = new Map(existing ? (await c.getColumns(relation)).map((col) => [col.name.toLowerCase(), col.dataType]) : []);
  const state: BronzeFolder = { root, folder, relation, columns, files: await ledger.bronzeFiles(folder), missing: new Map(), moved: { rows: 0, files: 0 }, emptyTable: false, invocationId };
  if (existing?.kind === 'table') await moveTableToFiles(c, d, ledger, state);
  for (const [uri, f] of state.files) if (!existsSync(join(root, f.file))) state.missing.set(uri, f.etag);
  return state;
}

/** A bronze table's rows, one file per landed object, then the view in the table's place (one transaction with the ledger's record of the files). */
async function moveTableToFiles(c: Connection, d: Dialect, ledger: Ledger, state: BronzeFolder): Promise<void> {
  const target = d.renderRelation(state.relation);
  if (!state.columns.has('_strata_source_file')) {
    throw new Error(`${target} is a table without _strata_source_file: it was not landed by Strata, so its rows cannot be kept as one file per landed object; rename or drop it, or set land_as: table`);
  }
  const loaded = await ledger.loadedObjects();
  const uris = (await c.query(`select distinct _strata_source_file as f from ${target}`)).rows.map((r) => (r.f === null || r.f === undefined ? null : String(r.f)));
  const unknown = uris.filter((u) => u === null || !loaded.has(u));
  if (unknown.length) {
    throw new Error(`${target} has rows of ${unknown.length} object(s) the ledger does not list as landed (${unknown.slice(0, 2).map(String).join(', ')}): no file could own them; move or delete those rows, or set land_as: table`);
  }
  const recorded = new Map<string, string>();
  for (const uri of uris as string[]) {
    const etag = loaded.get(uri)!;
    const file = `${state.folder}/${bronzeFileName(uri, etag)}`;
    state.moved.rows += await writeParquet(c, d, state, `select * from ${target} where _strata_source_file = ${d.quoteString(uri)}`, file);
    state.moved.files++;
    recorded.set(uri, file);
    state.files.set(uri, { etag, file });
  }
  // A table without rows stays until the first file's commit replaces it (a view needs a file to read).
  if (!recorded.size) {
    state.emptyTable = true;
    return;
  }
  await retryingConflicts(() => c.transaction(async () => {
    for (const sql of ledger.recordBronzeFilesSql(recorded)) await c.execute(sql);
    await c.execute(d.dropRelation(state.relation, 'table'));
    await c.execute(d.createViewAs(state.relation, bronzeView(d, state)));
  }));
}

/** Writes a query's rows to `file` (relative to the bronze folder), under a temporary name first; the row count. */
async function writeParquet(c: Connection, d: Dialect, state: Pick<BronzeFolder, 'root' | 'invocationId'>, select: string, file: string): Promise<number> {
  const path = join(state.root, file);
  const tmp = `${path}.${state.invocationId}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const rows = (await c.execute(d.copyToParquetSql!(select, tmp))).rowsAffected ?? 0;
    renameSync(tmp, path);
    return rows;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes one landed object version's rows (the `select` of the file with its landing columns) as its bronze
 * file; it joins bronze when its ledger row commits. A column the view already has is compared with it as a
 * table's would be (`widenType`): the file is written with the view's type (its values converted once checked:
 * a file whose values do not convert is refused with the column named and nothing written), or with the type
 * that holds both, which the view (its files by name) then takes: a struct's new field, an integer meeting
 * doubles once the landed integers are known to fit in a double. A nested field of another type fails the file
 * by name, as in a table: the view would change its type, or read earlier values as null. The row count and
 * the file (relative to the root).
 */
export async function writeBronzeFile(c: Connection, d: Dialect, state: BronzeFolder, select: string, uri: string, etag: string): Promise<{ rows: number; file: string }> {
  const file = `${state.folder}/${bronzeFileName(uri, etag)}`;
  const first = `${file}.first`;
  const firstPath = join(state.root, first);
  const read = d.readFileSql!(firstPath, { format: 'parquet', options: {}, hivePartitioned: false, tableTypes: new Map(), csvHeader: () => [] });
  try {
    const rows = await writeParquet(c, d, state, select, first);
    const fileCols = (await c.query(`describe select * from ${read}`)).rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const casts: string[] = [];
    const widened = new Map<string, string>();
    for (const col of fileCols) {
      const have = state.columns.get(col.name.toLowerCase());
      if (have === undefined || have.toUpperCase() === col.type.toUpperCase()) continue;
      const type = await typeInView(c, d, state, read, col, have);
      if (type !== have) widened.set(col.name.toLowerCase(), type);
      const q = d.quoteIdentifier(col.name);
      casts.push(`cast(${q} as ${type}) as ${q}`);
    }
    for (const [name, type] of widened) state.columns.set(name, type);
    if (casts.length) await writeParquet(c, d, state, `select * replace (${casts.join(', ')}) from ${read}`, file);
    else renameSync(firstPath, join(state.root, file));
    for (const col of fileCols) if (!state.columns.has(col.name.toLowerCase())) state.columns.set(col.name.toLowerCase(), col.type);
    return { rows, file };
  } finally {
    rmSync(firstPath, { force: true });
  }
}

const FIX = 'fix the file and land again: failed files are retried';

/** The type a file's column is written with, in a view whose column is `have`; a `LandingFileError` when none keeps every value. */
async function typeInView(c: Connection, d: Dialect, state: BronzeFolder, read: string, col: { name: string; type: string }, have: string): Promise<string> {
  const target = d.renderRelation(state.relation);
  const w = d.widenType?.(col.name, have, col.type) ?? { kind: 'convert' as const };
  if (w.kind === 'conflict') {
    const where = w.field === col.name ? `column ${col.name}` : `field ${w.field} of column ${col.name}`;
    throw new LandingFileError(`${where} is ${w.fileType} in this file but ${w.tableType} in ${target}; nothing of the file was landed: ${FIX}`);
  }
  if (w.kind === 'convert') await checkConvertible(c, d, read, { name: col.name, dataType: col.type }, have, target, FIX);
  else if (w.rounding) await checkRounding(c, d, target, read, col.name, w.rounding, FIX);
  return w.kind === 'widen' ? w.type : have;
}

/**
 * A bronze file written again as `to` (both relative to the root) with `_strata_source_file` set to `uri`: the
 * object's URI as it is spelled now (a ledger of an earlier version). The old file stays until its caller's
 * ledger commit. The row count.
 */
export async function copyBronzeFileAs(c: Connection, d: Dialect, at: Pick<BronzeFolder, 'root' | 'invocationId'>, from: string, to: string, uri: string): Promise<number> {
  const read = d.readFileSql!(join(at.root, from), { format: 'parquet', options: {}, hivePartitioned: false, tableTypes: new Map(), csvHeader: () => [] });
  return writeParquet(c, d, at, `select * replace (${d.quoteString(uri)} as _strata_source_file) from ${read}`, to);
}

/** The bronze view's SQL: the folder's files the ledger lists as landed, and an error on read when one is missing. */
export function bronzeView(d: Dialect, state: BronzeFolder): string {
  return d.bronzeViewSql!(state.root, state.folder, d.renderRelation(LEDGER));
}

/**
 * Makes the bronze relation the view over its landed files (when it has any): the view reads the ledger, so a
 * file joins it with its ledger row and nothing else is needed for that; made again at the end of every
 * landing so that it follows a project folder that moved (its file paths are absolute).
 */
export async function publishBronzeView(c: Connection, d: Dialect, state: BronzeFolder): Promise<void> {
  if (!state.files.size) return;
  await retryingConflicts(() => c.transaction(async () => {
    const existing = await c.getRelation(state.relation);
    if (existing?.kind === 'table') await c.execute(d.dropRelation(state.relation, 'table'));
    await c.execute(d.createViewAs(state.relation, bronzeView(d, state)));
  }));
}

/**
 * `land_as: table` where an earlier landing left the view over files: the view's rows become the table,
 * in one transaction; the files stay where they are (nothing is deleted). The number of rows. The view
 * reads the ledger's files (those under `root`, the bronze folder now), so the table has every landed
 * object, and a missing file stops the switch.
 */
export async function tableFromBronzeView(c: Connection, d: Dialect, relation: Relation, root: string): Promise<number> {
  const work: Relation = { ...relation, identifier: `${relation.identifier}__strata_from_files` };
  return c.transaction(async () => {
    // Made again first: its file paths are absolute, and the bronze folder may have moved with the project.
    await c.execute(d.createViewAs(relation, d.bronzeViewSql!(root, relationFolder(relation), d.renderRelation(LEDGER))));
    await c.execute(d.dropRelation(work, 'table'));
    await c.execute(d.createTableAs(work, `select * from ${d.renderRelation(relation)}`));
    await c.execute(d.dropRelation(relation, 'view'));
    await c.execute(d.renameRelation(work, relation.identifier, 'table'));
    const n = await c.query(`select count(*) as n from ${d.renderRelation(relation)}`);
    return Number(n.rows[0]?.n ?? 0);
  });
}
