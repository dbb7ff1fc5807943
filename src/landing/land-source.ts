import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import picomatch from 'picomatch';
import type { ColumnDef, Connection, Dialect, Relation } from '../adapters/contract.js';
import type { Reporter } from '../diagnostics/index.js';
import type { ExternalSpec, SourceDefinition } from '../parse/types.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';
import { LANDING_COLUMNS, Ledger, landingColumnsSql, type LandedObject } from './ledger.js';
import { adoptAbsoluteUris, isAbsoluteUriOf } from './legacy-file-uris.js';
import { formatOf, isHivePartitioned } from './external-spec.js';
import type { GcsStaging } from './gcs-staging.js';
import { loadViaStaging } from './load-via-staging.js';
import { headerNames } from './csv-header.js';
import { evolveTable, LandingFileError } from './schema-evolution.js';
import { type BronzeFolder, bronzeView, hasBronzeFiles, openBronzeFolder, publishBronzeView, relationFolder, retryingConflicts, tableFromBronzeView, writeBronzeFile } from './parquet-bronze.js';
import { compareNames } from '../project/name-order.js';
import { blankFileWarning, blankSelect, declaredColumns, isBlankFile } from './blank-file.js';

/** The ledger's landed objects of a source: URI → ETag and key (`unnamed`: a row written before the `uri` column). */
type Landed = Map<string, LandedObject>;

/** A driver's error on one line: CSV errors may span lines (`CSV Error on Line: 3`, `Original Line: …`). */
const oneLine = (message: string): string => message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' — ').slice(0, 400);

export interface LandSourceOptions {
  source: SourceDefinition;
  store: ObjectStore;
  relation: Relation;
  connection: Connection;
  dialect: Dialect;
  /** Downloads go under this folder and are deleted once loaded. */
  cacheDir: string;
  invocationId: string;
  relandChanged: boolean;
  concurrency: number;
  reporter: Reporter;
  signal?: AbortSignal;
  /** Where files wait for the warehouse's load job (the profile's gcs_staging_bucket). */
  staging?: GcsStaging;
  /** The ledger table exists already (a run creates it once, before its landing nodes start). */
  ledgerReady?: boolean;
  /**
   * The target's bronze folder (a warehouse that writes Parquet beside its database file), and
   * whether the source lands there (`land_as: parquet`) or into a table (then a view an earlier
   * `land_as: parquet` left becomes a table again).
   */
  bronzeFiles?: { root: string; asParquet: boolean };
}

export interface LandingResult {
  source: string;
  landed: number;
  /** Objects already landed: unchanged, plus changed ones not reloaded (also listed in `changedNotReloaded`). */
  skipped: number;
  failed: { key: string; error: string }[];
  changedNotReloaded: string[];
  rows: number;
  bytes: number;
  /** Where the time went: waiting for downloads, and loading into the warehouse (ms). */
  waitMs: number;
  loadMs: number;
  /** `land_as: parquet`: landed objects whose bronze file is missing after the landing (their URIs). */
  missingFiles?: string[];
  /**
   * Landings of the source's objects an earlier version made from another folder of the project, with other rows,
   * kept apart by this landing's adoption of its ledger (their absolute URIs): a warning, once.
   */
  keptApart?: string[];
  /** Rows moved between a bronze table and bronze files because `land_as` changed (and in which direction). */
  moved?: { rows: number; to: 'parquet' | 'table'; files?: number };
}


/** How the warehouse reads one local file, with the source's reader options and the table's current types. */
function readerSql(dialect: Dialect, file: string, spec: ExternalSpec, tableTypes: Map<string, string>, detected?: ColumnDef[]): string {
  return dialect.readFileSql!(file, { format: formatOf(spec, file), options: spec.options ?? {}, hivePartitioned: isHivePartitioned(spec), tableTypes, csvHeader: (delim, quote) => headerNames(file, delim, quote), ...(detected ? { detected } : {}) });
}

/**
 * Lands one source: lists its objects, skips those already in the ledger with the same ETag, downloads
 * the rest (bounded concurrency, streamed to disk) and loads each in its own transaction together with
 * its ledger row — so a crash at any point followed by a rerun lands every object exactly once.
 */
export async function landSource(o: LandSourceOptions): Promise<LandingResult> {
  const spec = o.source.external!;
  const label = `${o.source.sourceName}.${o.source.name}`;
  const ledger = new Ledger(o.connection, o.dialect);
  if (!o.ledgerReady) await ledger.ensure();
  await o.connection.execute(o.dialect.createSchema(o.relation.schema, o.relation.database));
  const { landed, keptApart } = await landedObjects(o, ledger, label);
  // A warehouse that reads files itself loads each in a transaction; elsewhere, through a load job and a staging table.
  const readsFiles = o.dialect.readFileSql !== undefined;
  const result: LandingResult = { source: label, landed: 0, skipped: 0, failed: [], changedNotReloaded: [], rows: 0, bytes: 0, waitMs: 0, loadMs: 0, ...(keptApart.length ? { keptApart } : {}) };
  // land_as: parquet — opened before the listing, as a landed object whose bronze file is gone lands again.
  const bronze = o.bronzeFiles?.asParquet && o.dialect.copyToParquetSql ? await openBronzeFolder(o.connection, o.dialect, ledger, o.relation, o.bronzeFiles.root, o.invocationId) : undefined;
  if (bronze?.moved.files) result.moved = { ...bronze.moved, to: 'parquet' };
  const todo = await listTodo(o, landed, bronze, result);
  if (!readsFiles) await dropLeftoverStaging(o);
  if (o.bronzeFiles && !o.bronzeFiles.asParquet && (await o.connection.getRelation(o.relation))?.kind === 'view' && hasBronzeFiles(join(o.bronzeFiles.root, relationFolder(o.relation)))) {
    result.moved = { rows: await tableFromBronzeView(o.connection, o.dialect, o.relation, o.bronzeFiles.root), to: 'table' };
  }
  await loadAll(o, ledger, label, todo, landed, bronze, result);
  if (bronze) {
    await publishBronzeView(o.connection, o.dialect, bronze);
    result.missingFiles = [...bronze.missing.keys()];
  }
  return result;
}

/**
 * The source's landed objects, by URI. Ledgers of earlier versions named a folder of the project by absolute
 * URIs: those rows are adopted first (legacy-file-uris.ts), before anything is compared with them. Only a
 * loaded row with such a URI of this location and project (not kept apart by an earlier adoption), or without a
 * URI, sends a landing there: once adopted, later landings cost nothing more.
 */
async function landedObjects(o: LandSourceOptions, ledger: Ledger, label: string): Promise<{ landed: Landed; keptApart: string[] }> {
  const landed = await ledger.landed(label, (key) => o.store.uri(key));
  const location = o.store.relativeLocation;
  const at = { relativeLocation: location ?? '', projectRoot: o.store.projectRoot };
  const roots = new Map<string, boolean>();
  if (location === undefined || ![...landed].some(([uri, row]) => row.unnamed || (!row.apart && isAbsoluteUriOf(uri, at, row.key, roots)))) return { landed, keptApart: [] };
  const adoption = await adoptAbsoluteUris({ connection: o.connection, dialect: o.dialect, ledger, source: label, relativeLocation: location, projectRoot: o.store.projectRoot, relation: o.relation, bronzeRoot: o.bronzeFiles?.root, invocationId: o.invocationId });
  if (adoption.adopted) o.reporter.emit({ type: 'info', message: `${label}: ${adoption.adopted} object(s) landed by an earlier version are now named relative to the project (file:${location}…), so a moved or copied project lands them once` });
  if (adoption.retired) o.reporter.emit({ type: 'info', message: `${label}: ${adoption.retired} object(s) had been landed twice by an earlier version, from two folders of the project, with the same rows; the rows of the earlier landing were removed, so each is in bronze once` });
  const again = adoption.adopted || adoption.retired || adoption.different.length;
  return { landed: again ? await ledger.landed(label, (key) => o.store.uri(key)) : landed, keptApart: adoption.different };
}

/**
 * The objects to land, in key order: those the ledger does not have, a changed one when relanding is asked
 * for (else counted as skipped and listed), and — bronze as files — one whose file is missing, as the
 * version the ledger has (a changed one only when relanding is asked for, as any changed object).
 */
async function listTodo(o: LandSourceOptions, landed: Landed, bronze: BronzeFolder | undefined, result: LandingResult): Promise<ObjectInfo[]> {
  const spec = o.source.external!;
  const pattern = spec.pattern ? String(spec.pattern) : '';
  const match = pattern ? picomatch(pattern, { dot: false, strictBrackets: true }) : () => true;
  // A pattern without wildcards names one object (a day's file: `call_logs_day_{{ var('ds') }}.csv`): the
  // store may look it up instead of listing every file ever dropped there.
  const only = /^[^*?[\]{}()!+@\\]+$/.test(pattern) && match(pattern) ? pattern : undefined;
  const reland = o.relandChanged || o.source.config.reland_changed === true || spec.reland_changed === true;
  const todo: ObjectInfo[] = [];
  for await (const obj of o.store.list(only)) {
    if (!match(obj.key)) continue;
    const prior = landed.get(o.store.uri(obj.key))?.etag;
    if (prior === undefined) todo.push(obj);
    else if (prior === obj.etag && !bronze?.missing.has(o.store.uri(obj.key))) result.skipped++;
    else if (prior === obj.etag || reland) todo.push(obj);
    else {
      result.skipped++;
      result.changedNotReloaded.push(obj.key);
    }
  }
  return todo.sort((a, b) => compareNames(a.key, b.key));
}

/** Downloads the objects (at most `concurrency` at once, ahead of the loads) and loads them one by one, in key order. */
async function loadAll(o: LandSourceOptions, ledger: Ledger, label: string, todo: ObjectInfo[], landed: Landed, bronze: BronzeFolder | undefined, result: LandingResult): Promise<void> {
  const spec = o.source.external!;
  const readsFiles = o.dialect.readFileSql !== undefined;
  const bytesTotal = todo.reduce((n, x) => n + x.size, 0);
  const dir = join(o.cacheDir, `${o.source.sourceName}__${o.source.name}`);
  let done = 0;
  const progress = (): void => o.reporter.emit({ type: 'progress', label: `landing ${label}`, done, total: todo.length, bytesDone: result.bytes, bytesTotal });

  // Downloads run ahead of loads, at most `concurrency` at once; loads happen one by one, in key order.
  const downloads = new Map<string, Promise<string>>();
  let next = 0;
  const startDownload = (): void => {
    while (next < todo.length && downloads.size < o.concurrency) {
      const obj = todo[next++]!;
      const file = join(dir, obj.key);
      mkdirSync(dirname(file), { recursive: true });
      downloads.set(obj.key, o.store.download(obj.key, file, o.signal).then(() => file));
    }
  };
  startDownload();
  for (const obj of todo) {
    if (o.signal?.aborted) break;
    let file: string;
    const waitStart = performance.now();
    try {
      file = await downloads.get(obj.key)!;
      result.waitMs += performance.now() - waitStart;
    } catch (e) {
      downloads.delete(obj.key);
      startDownload();
      result.failed.push({ key: obj.key, error: `download failed: ${(e as Error).message}` });
      await o.connection.execute(ledger.insertSql({ source: label, key: obj.key, uri: o.store.uri(obj.key), etag: obj.etag, size: obj.size, rowCount: null, invocationId: o.invocationId, status: 'failed', error: `download failed: ${(e as Error).message}` }));
      continue;
    }
    downloads.delete(obj.key);
    startDownload();
    const loadStart = performance.now();
    try {
      const reland = landed.has(o.store.uri(obj.key));
      const blank = isBlankFile(file, formatOf(spec, file));
      const rows = blank ? await landBlank(o, ledger, label, obj, reland, bronze)
        : bronze ? await loadAsParquet(o, ledger, label, obj, landedSelect(o, readerSql(o.dialect, file, spec, bronze.columns), o.store.uri(obj.key)), reland, bronze)
        : await (readsFiles ? loadFile : loadViaStaging)(o, ledger, label, obj, file, spec, reland);
      result.loadMs += performance.now() - loadStart;
      result.landed++;
      result.rows += rows;
    } catch (e) {
      const error = `${o.store.uri(obj.key)}: ${e instanceof LandingFileError ? e.message : oneLine((e as Error).message)}`;
      result.failed.push({ key: obj.key, error });
      await o.connection.execute(ledger.insertSql({ source: label, key: obj.key, uri: o.store.uri(obj.key), etag: obj.etag, size: obj.size, rowCount: null, invocationId: o.invocationId, status: 'failed', error }));
    } finally {
      rmSync(file, { force: true });
    }
    result.bytes += obj.size;
    done++;
    progress();
  }
  rmSync(dir, { recursive: true, force: true });
}

/** The rows of one landed file, with the landing columns: which object, when, by which invocation. */
function landedSelect(o: LandSourceOptions, reader: string, uri: string): string {
  const d = o.dialect;
  return `select *, ${landingColumnsSql(d, uri, 'current_timestamp', o.invocationId)} from ${reader}`;
}

/**
 * `land_as: parquet`: one local file (`select`: its rows) becomes the object version's bronze file (typed as the view's
 * columns), which joins bronze when its ledger row commits (the view reads the ledger); the first file
 * of a relation makes the view in that commit. A crash before it lands the object again into the same file.
 */
async function loadAsParquet(o: LandSourceOptions, ledger: Ledger, label: string, obj: ObjectInfo, select: string, reland: boolean, bronze: BronzeFolder): Promise<number> {
  const { connection: c, dialect: d } = o;
  const uri = o.store.uri(obj.key);
  const written = await writeBronzeFile(c, d, bronze, select, uri, obj.etag);
  // Two sources landing into one relation may both make its view with their first file: one is tried again.
  await retryingConflicts(() => c.transaction(async () => {
    if (reland) await c.execute(ledger.supersedeSql(label, obj.key, uri));
    await c.execute(ledger.insertSql({ source: label, key: obj.key, uri, etag: obj.etag, size: obj.size, rowCount: written.rows, invocationId: o.invocationId, status: 'loaded', error: null, bronzeFile: written.file }));
    const existing = await c.getRelation(o.relation);
    if (existing?.kind === 'table' && bronze.emptyTable) await c.execute(d.dropRelation(o.relation, 'table'));
    if (!existing || (existing.kind === 'table' && bronze.emptyTable)) await c.execute(d.createViewAs(o.relation, bronzeView(d, bronze)));
  }));
  bronze.emptyTable = false;
  bronze.files.set(uri, { etag: obj.etag, file: written.file });
  bronze.missing.delete(uri);
  return written.rows;
}

/**
 * A blank file (blank-file.ts) lands as no rows: its ledger row, and, for a source landing for the first time,
 * the bronze relation with the source's declared columns (a bronze file without rows, or a table). It adds no
 * column of its own, and changes nothing of a relation that exists. Told when bronze is left without a
 * column of the source.
 */
async function landBlank(o: LandSourceOptions, ledger: Ledger, label: string, obj: ObjectInfo, reland: boolean, bronze: BronzeFolder | undefined): Promise<number> {
  const { connection: c, dialect: d, relation } = o;
  const uri = o.store.uri(obj.key);
  const existing = bronze ? bronze.columns.size > 0 : (await c.getRelation(relation)) !== undefined;
  // The load time as the other files' rows get it: `landedSelect` where the warehouse reads files, else `loadViaStaging`.
  const now = d.readFileSql ? 'current_timestamp' : 'current_timestamp()';
  // The declared columns only make a new relation: an existing one keeps its own (the file has no rows for them).
  const select = blankSelect(d, existing ? [] : declaredColumns(o.source), uri, o.invocationId, now);
  if (bronze) await loadAsParquet(o, ledger, label, obj, select, reland, bronze);
  else {
    await c.transaction(async () => {
      if (!existing) await c.execute(d.createTableAs(relation, select));
      if (reland) {
        await c.execute(`delete from ${d.renderRelation(relation)} where _strata_source_file = ${d.quoteString(uri)}`);
        await c.execute(ledger.supersedeSql(label, obj.key, uri));
      }
      await c.execute(ledger.insertSql({ source: label, key: obj.key, uri, etag: obj.etag, size: obj.size, rowCount: 0, invocationId: o.invocationId, status: 'loaded', error: null }));
    });
  }
  const columns = bronze ? [...bronze.columns.keys()] : (await c.getColumns(relation)).map((col) => col.name.toLowerCase());
  if (!declaredColumns(o.source).length && columns.every((n) => LANDING_COLUMNS.includes(n))) o.reporter.emit({ type: 'info', message: blankFileWarning(label, obj.key, d.renderRelation(relation)) });
  return 0;
}

/**
 * Loads one local file and its ledger row in one transaction. A CSV file shaped like the table (a day's
 * file of a source already landed: the usual case) is read once, with the table's types, by the insert
 * itself; only when that insert fails, or the table is new, is the file described and compared with the
 * table. A JSON or Parquet file carries its own types, which an insert would convert to the table's without
 * a word (a struct's new field dropped, 1.5 rounded to 2): it is compared before the insert, and the table
 * widened to hold it (`evolveTable`). Either way the table's changes, the rows and the ledger row commit
 * together or not at all.
 */
async function loadFile(o: LandSourceOptions, ledger: Ledger, label: string, obj: ObjectInfo, file: string, spec: ExternalSpec, reland: boolean): Promise<number> {
  const { connection: c, dialect: d, relation } = o;
  const target = d.renderRelation(relation);
  const existing = await c.getRelation(relation);
  const csv = formatOf(spec, file) === 'csv';
  // The table's types are read by the strict CSV reader; for other formats, to compare with the file's.
  const columns = existing ? await c.getColumns(relation) : [];
  const tableTypes = new Map((csv ? columns : []).map((col) => [col.name.toLowerCase(), col.dataType]));
  const reader = readerSql(d, file, spec, tableTypes);
  const uri = d.quoteString(o.store.uri(obj.key));
  const insert = async (select = landedSelect(o, reader, o.store.uri(obj.key))): Promise<number> => {
    if (reland) {
      await c.execute(`delete from ${target} where _strata_source_file = ${uri}`);
      await c.execute(ledger.supersedeSql(label, obj.key, o.store.uri(obj.key)));
    }
    const rows = (await c.execute(`insert into ${target} by name ${select}`)).rowsAffected ?? 0;
    await c.execute(ledger.insertSql({ source: label, key: obj.key, uri: o.store.uri(obj.key), etag: obj.etag, size: obj.size, rowCount: rows, invocationId: o.invocationId, status: 'loaded', error: null }));
    return rows;
  };
  if (existing && csv) {
    try {
      return await c.transaction(() => insert());
    } catch (e) {
      // Rolled back: a new column or another type, most likely; the comparison below finds out which.
      if (o.signal?.aborted) throw e;
    }
  }
  const fileCols = (await c.query(`describe select * from ${reader}`)).rows.map((r) => ({ name: String(r.column_name), dataType: String(r.column_type) }));
  // Read with the types just described: a JSON file's are not detected a second time.
  const select = landedSelect(o, readerSql(d, file, spec, tableTypes, fileCols), o.store.uri(obj.key));
  let widened: string[] = [];
  const rows = await c.transaction(async () => {
    if (!existing) await c.execute(d.createTableAs(relation, `${select} limit 0`));
    else widened = await evolveTable(c, d, relation, reader, columns, fileCols);
    return insert(select);
  });
  const added = widened.some((w) => w.endsWith(' (new)')) ? '; new fields are null in earlier rows' : '';
  if (widened.length) o.reporter.emit({ type: 'info', message: `${label}: ${target} widened for ${obj.key}: ${widened.join(', ')}${added}` });
  return rows;
}

/** Per-file staging tables a killed landing left behind (`<table>__strata_land_<hash>`): dropped before landing again. */
async function dropLeftoverStaging(o: LandSourceOptions): Promise<void> {
  const prefix = `${o.relation.identifier}__strata_land_`.toLowerCase();
  for (const r of await o.connection.listRelations(o.relation.schema, o.relation.database)) {
    if (r.identifier.toLowerCase().startsWith(prefix)) await o.connection.execute(o.dialect.dropRelation(r, r.kind));
  }
}
