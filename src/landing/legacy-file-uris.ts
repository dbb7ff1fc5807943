import { existsSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Connection, Dialect, Relation } from '../adapters/contract.js';
import type { Ledger } from './ledger.js';
import { LEDGER } from './ledger.js';
import { bronzeFileName, copyBronzeFileAs, relationFolder, retryingConflicts } from './parquet-bronze.js';
import { findDuplicates } from './legacy-duplicates.js';

/** What a source's objects are adopted into: its ledger label, its location relative to the project, its bronze relation. */
export interface AdoptTarget {
  connection: Connection;
  dialect: Dialect;
  ledger: Ledger;
  source: string;
  /** `landing/call_logs/` (the store's `relativeLocation`). */
  relativeLocation: string;
  /** The project root now (absolute): an old folder is this project's when it is this root, gone, or a copy of it. */
  projectRoot?: string;
  relation: Relation;
  /** The bronze folder (DuckDB files): where a bronze view's files are. */
  bronzeRoot?: string;
  invocationId: string;
}

/** One object an earlier version recorded by its absolute URI: that URI, the one it has now, and its current bronze file. */
export interface Adopted {
  from: string;
  to: string;
  etag: string;
  bronzeFile: string | null;
  /** Where its `loaded` row comes in the order the ledger's rows were written (-1: it has none). */
  loaded: number;
}

/**
 * What the adoption did: objects given their URI; earlier landings of one object from another folder retired
 * (the same rows twice in bronze) or left as they were (other rows: their absolute URIs, for the run to name).
 */
export interface Adoption {
  adopted: number;
  retired: number;
  different: string[];
}

const CHUNK = 500;

/**
 * Ledgers written before local objects were named relative to the project recorded a location of the project
 * (`landing/call_logs/`) by absolute URIs (`file:///old/checkout/landing/call_logs/day_1.csv`). A row of the
 * source whose URI ends with `/<location><its key>` is the object `file:<location><key>`, whatever folder the
 * project was in then: the same folder, one it moved from, or another copy of it landing into this warehouse
 * (whose objects are then landed once, not once per copy). Its ledger rows and its bronze rows'
 * `_strata_source_file` (a bronze table's rows, or a bronze view's files, written again under their new
 * names) are rewritten in one transaction, before anything lands: a crash before the commit leaves the old
 * rows, which the next landing adopts. An object landed twice (from two folders) is kept once when both
 * landings have the same rows (see legacy-duplicates.ts).
 */
export async function adoptAbsoluteUris(t: AdoptTarget): Promise<Adoption> {
  const { objects, unnamed } = await ledgerRows(t);
  if (!objects.some((o) => o.from !== o.to) && !unnamed.size) return { adopted: 0, retired: 0, different: [] };
  const { connection: c, dialect: d } = t;
  const kind = (await c.getRelation(t.relation))?.kind;
  const twice = await findDuplicates(t, kind, objects);
  const retired = twice.retired.map((o) => o.from);
  // Renamed: absolute landings that are the object's only one or its kept one (and the retired, in the ledger).
  const renamed = objects.filter((o) => o.from !== o.to && !twice.different.includes(o));
  const kept = renamed.filter((o) => !twice.retired.includes(o));
  const q = (v: string): string => d.quoteString(v);
  const list = (uris: string[]): string => uris.map(q).join(', ');
  const statements: string[] = [];
  const written = new Map<string, string>();
  const files = kind === 'view' && !!t.bronzeRoot && !!d.copyToParquetSql;
  if (files) {
    await rewriteBronzeFiles(t, kept, written);
  } else if (kind === 'table' && (await c.getColumns(t.relation)).some((col) => col.name.toLowerCase() === '_strata_source_file')) {
    const bronze = d.renderRelation(t.relation);
    for (let i = 0; i < retired.length; i += CHUNK) statements.push(`delete from ${bronze} where _strata_source_file in (${list(retired.slice(i, i + CHUNK))})`);
    statements.push(...renameSql(d, bronze, '_strata_source_file', '', kept));
    statements.push(...suffixSql(d, bronze, t.relativeLocation, [...unnamed]));
  }
  const ledger = d.renderRelation(LEDGER);
  for (let i = 0; i < retired.length; i += CHUNK) statements.push(`update ${ledger} set status = 'replaced' where source = ${q(t.source)} and status = 'loaded' and uri in (${list(retired.slice(i, i + CHUNK))})`);
  statements.push(...renameSql(d, ledger, 'uri', `source = ${q(t.source)} and `, renamed));
  if (unnamed.size) statements.push(`update ${ledger} set uri = ${q(`file:${t.relativeLocation}`)} || key where source = ${q(t.source)} and uri is null`);
  for (const [from, to] of written) statements.push(`update ${ledger} set bronze_file = ${q(to)} where status = 'loaded' and bronze_file = ${q(from)}`);
  if (statements.length) await atomically(c, d, statements);
  // The old files (and a retired landing's) are no longer listed by the ledger, so never read: removed so they do not take the space twice.
  const listed = new Set([...written.values(), ...objects.filter((o) => !twice.retired.includes(o) && !written.has(o.bronzeFile ?? '')).map((o) => o.bronzeFile)]);
  const unlisted = [...written.keys(), ...(files ? twice.retired.map((o) => o.bronzeFile) : [])];
  for (const file of unlisted) if (file && !listed.has(file) && file.startsWith(`${relationFolder(t.relation)}/`)) rmSync(join(t.bronzeRoot!, file), { force: true });
  return { adopted: kept.length + unnamed.size, retired: retired.length, different: twice.different.map((o) => o.from) };
}

/**
 * The source's ledger rows of this location, per URI in the order they were written: absolute ones (to adopt)
 * and relative ones (the object as it is named now, which an absolute landing of it is compared with), and
 * the keys of loaded rows without a URI.
 */
async function ledgerRows(t: AdoptTarget): Promise<{ objects: Adopted[]; unnamed: Set<string> }> {
  const objects = new Map<string, Adopted>();
  const unnamed = new Set<string>();
  const roots = new Map<string, boolean>();
  for (const [i, row] of (await t.ledger.rowsToAdopt(t.source)).entries()) {
    if (row.uri === null) {
      if (row.status === 'loaded') unnamed.add(row.key);
      continue;
    }
    const to = `file:${t.relativeLocation}${row.key}`;
    if (row.uri !== to && !(row.uri.startsWith('file://') && row.uri.endsWith(`/${t.relativeLocation}${row.key}`) && ownFolder(t, row.uri, row.key, roots))) continue;
    const entry = objects.get(row.uri) ?? { from: row.uri, to, etag: row.etag, bronzeFile: null, loaded: -1 };
    if (row.status === 'loaded') Object.assign(entry, { etag: row.etag, bronzeFile: row.bronzeFile, loaded: i });
    objects.set(row.uri, entry);
  }
  return { objects: [...objects.values()], unnamed };
}

/**
 * Whether the folder an absolute URI was landed from (the URI without `/<location><key>`) was this project: its
 * root now, a folder that no longer exists (the project moved), or a folder with a project file (another copy).
 * A folder outside any project that happens to end in the same path is another location's objects, kept as they are.
 */
function ownFolder(t: AdoptTarget, uri: string, key: string, roots: Map<string, boolean>): boolean {
  const old = uri.slice('file://'.length, uri.length - `/${t.relativeLocation}${key}`.length);
  if (!roots.has(old)) {
    const isProject = old === t.projectRoot || !existsSync(old) || ['project.yml', 'dbt_project.yml'].some((f) => existsSync(join(old, f)));
    roots.set(old, isProject);
  }
  return roots.get(old)!;
}

/**
 * Bronze rows of objects whose ledger rows have no URI: `_strata_source_file` is `file://<some folder>/<location><key>`;
 * it becomes `file:<location><key>`. Grouped by the length of `<location><key>`, so that one pass over the
 * table serves CHUNK objects.
 */
function suffixSql(d: Dialect, relation: string, location: string, keys: string[]): string[] {
  const byLength = new Map<number, string[]>();
  for (const key of keys) {
    const tail = `${location}${key}`;
    byLength.set(tail.length, [...(byLength.get(tail.length) ?? []), `/${tail}`]);
  }
  const out: string[] = [];
  const f = '_strata_source_file';
  for (const [n, tails] of byLength) {
    for (let i = 0; i < tails.length; i += CHUNK) {
      const list = tails.slice(i, i + CHUNK).map((x) => d.quoteString(x)).join(', ');
      out.push(`update ${relation} set ${f} = 'file:' || substr(${f}, length(${f}) - ${n - 1}) where substr(${f}, 1, 7) = 'file://' and substr(${f}, length(${f}) - ${n}) in (${list})`);
    }
  }
  return out;
}

/**
 * `column = 'file:' || the part after the old folder`, for the adopted values, in statements of at most
 * CHUNK values each (one pass over a bronze table per CHUNK objects, not one per object).
 */
function renameSql(d: Dialect, relation: string, column: string, where: string, objects: Adopted[]): string[] {
  const byCut = new Map<number, string[]>();
  for (const o of objects) {
    const cut = o.from.length - (o.to.length - 'file:'.length);
    byCut.set(cut, [...(byCut.get(cut) ?? []), o.from]);
  }
  const out: string[] = [];
  for (const [cut, uris] of byCut) {
    for (let i = 0; i < uris.length; i += CHUNK) {
      const list = uris.slice(i, i + CHUNK).map((u) => d.quoteString(u)).join(', ');
      out.push(`update ${relation} set ${column} = 'file:' || substr(${column}, ${cut + 1}) where ${where}${column} in (${list})`);
    }
  }
  return out;
}

/**
 * A bronze view's files of adopted objects, written again under the name their new URI gives them, with the new
 * `_strata_source_file` (old file → new file, relative to the bronze root). A file already gone is left to the
 * landing, which lands its object again as any landed object whose file is missing.
 */
async function rewriteBronzeFiles(t: AdoptTarget, objects: Adopted[], written: Map<string, string>): Promise<void> {
  const folder = `${relationFolder(t.relation)}/`;
  for (const o of objects) {
    if (!o.bronzeFile?.startsWith(folder) || !existsSync(join(t.bronzeRoot!, o.bronzeFile))) continue;
    const to = `${posix.dirname(o.bronzeFile)}/${bronzeFileName(o.to, o.etag)}`;
    await copyBronzeFileAs(t.connection, t.dialect, { root: t.bronzeRoot!, invocationId: t.invocationId }, o.bronzeFile, to, o.to);
    written.set(o.bronzeFile, to);
  }
}

/** Statements in one transaction: the connection's where DDL and DML roll back together, else one script (BigQuery). */
async function atomically(c: Connection, d: Dialect, statements: string[]): Promise<void> {
  if (d.capabilities.transactionalDdl) {
    await retryingConflicts(() => c.transaction(async () => {
      for (const sql of statements) await c.execute(sql);
    }));
  } else {
    await c.execute([d.beginTransaction(), ...statements, d.commitTransaction()].join(';\n'));
  }
}
