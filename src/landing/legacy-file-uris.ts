import { existsSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Connection, Dialect, Relation } from '../adapters/contract.js';
import type { Ledger } from './ledger.js';
import { KEPT_APART, LEDGER } from './ledger.js';
import { bronzeFileName, copyBronzeFileAs, relationFolder, retryingConflicts } from './parquet-bronze.js';
import { findDuplicates, type Duplicates } from './legacy-duplicates.js';

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
 * (the same rows twice in bronze) or kept apart (other rows: their absolute URIs, for the run to name).
 */
export interface Adoption {
  adopted: number;
  retired: number;
  different: string[];
}

/** How bronze holds the source's rows: a table with `_strata_source_file`, files behind a view, or neither yet. */
type BronzeKind = 'table' | 'files' | undefined;

/** Objects per transaction (a BigQuery script stays far below its query text limit); tests set it small. */
const chunkSize = (): number => Number(process.env.STRATA_ADOPT_CHUNK) || 500;

/**
 * Whether a ledger URI is one an earlier version gave the object `<location><key>` of this project:
 * `file://<folder>/<location><key>`, where the folder was this project: its root now, a folder that no longer
 * exists (the project moved), or a folder with a project file (another copy). A folder outside any project that
 * happens to end in the same path is another location's, kept as it is. `roots`: each folder's verdict, once.
 */
export function isAbsoluteUriOf(uri: string, at: { relativeLocation: string; projectRoot?: string }, key: string, roots = new Map<string, boolean>()): boolean {
  const tail = `/${at.relativeLocation}${key}`;
  if (!uri.startsWith('file://') || !uri.endsWith(tail)) return false;
  const old = uri.slice('file://'.length, uri.length - tail.length);
  if (!roots.has(old)) roots.set(old, old === at.projectRoot || !existsSync(old) || ['project.yml', 'dbt_project.yml'].some((f) => existsSync(join(old, f))));
  return roots.get(old)!;
}

/**
 * Ledgers written before local objects were named relative to the project recorded a location of the project
 * (`landing/call_logs/`) by absolute URIs (`file:///old/checkout/landing/call_logs/day_1.csv`). A row of the
 * source whose URI ends with `/<location><its key>` is the object `file:<location><key>` when that folder was
 * this project's (isAbsoluteUriOf): the same folder, one it moved from, or another copy of it landing into this
 * warehouse (whose objects are then landed once, not once per copy). Its ledger rows and its bronze rows'
 * `_strata_source_file` (a bronze table's rows, or a bronze view's files, written again under their new
 * names) are rewritten before anything lands, in one transaction per chunk of objects (all the landings of
 * an object in one): a crash between chunks leaves the later chunks' old rows, which the next landing
 * adopts. An object landed twice (from two folders) is kept once when both landings have the same rows,
 * else the other landing is kept apart, marked so in its ledger row, never compared again (see
 * legacy-duplicates.ts).
 */
export async function adoptAbsoluteUris(t: AdoptTarget): Promise<Adoption> {
  const { objects, unnamed, apart } = await ledgerRows(t);
  const out: Adoption = { adopted: 0, retired: 0, different: [] };
  if (!objects.some((o) => o.from !== o.to) && !unnamed.size) return out;
  const { connection: c, dialect: d } = t;
  const kind = (await c.getRelation(t.relation))?.kind;
  const bronze: BronzeKind = kind === 'view' && !!t.bronzeRoot && !!d.copyToParquetSql ? 'files'
    : kind === 'table' && (await c.getColumns(t.relation)).some((col) => col.name.toLowerCase() === '_strata_source_file') ? 'table' : undefined;
  const twice = await findDuplicates(t, kind, objects);
  // Per object (its URI now), all its landings: adopted together.
  const byObject = new Map<string, Adopted[]>();
  for (const o of objects) byObject.set(o.to, [...(byObject.get(o.to) ?? []), o]);
  const pending = [...byObject.values()].filter((landings) => landings.some((o) => o.from !== o.to));
  for (const chunk of chunks(pending)) {
    const done = await adoptChunk(t, bronze, chunk.flat(), objects, twice);
    out.adopted += done.adopted;
    out.retired += done.retired;
    out.different.push(...done.different);
  }
  if (unnamed.size) out.adopted += await adoptUnnamed(t, bronze, new Set([...objects.map((o) => o.from), ...apart]), unnamed);
  return out;
}

/** One chunk's landings: bronze and ledger statements in one transaction, then the old bronze files no longer listed removed. */
async function adoptChunk(t: AdoptTarget, bronze: BronzeKind, landings: Adopted[], objects: Adopted[], twice: Duplicates): Promise<Adoption> {
  const d = t.dialect;
  const q = (v: string): string => d.quoteString(v);
  const retired = landings.filter((o) => twice.retired.includes(o));
  const apart = landings.filter((o) => twice.different.includes(o));
  // Renamed: absolute landings that are the object's only one or its kept one (and the retired, in the ledger).
  const renamed = landings.filter((o) => o.from !== o.to && !apart.includes(o));
  const kept = renamed.filter((o) => !retired.includes(o));
  const statements: string[] = [];
  const written = new Map<string, string>();
  const list = (os: Adopted[]): string => os.map((o) => q(o.from)).join(', ');
  if (bronze === 'files') await rewriteBronzeFiles(t, kept, written);
  else if (bronze === 'table') {
    const rel = d.renderRelation(t.relation);
    if (retired.length) statements.push(`delete from ${rel} where _strata_source_file in (${list(retired)})`);
    statements.push(...renameSql(d, rel, '_strata_source_file', '', kept.map((o) => [o.from, o.to])));
  }
  const ledger = d.renderRelation(LEDGER);
  const ofSource = `source = ${q(t.source)} and `;
  if (retired.length) statements.push(`update ${ledger} set status = 'replaced' where ${ofSource}status = 'loaded' and uri in (${list(retired)})`);
  statements.push(...renameSql(d, ledger, 'uri', ofSource, renamed.map((o) => [o.from, o.to])));
  // The verdict is kept: later landings neither compare these again nor warn.
  for (const o of apart) statements.push(`update ${ledger} set error = ${q(`${KEPT_APART}other rows than ${o.to}, the same object landed from this project's folder; they stay in bronze under this URI`)} where ${ofSource}status = 'loaded' and uri = ${q(o.from)}`);
  for (const [from, to] of written) statements.push(`update ${ledger} set bronze_file = ${q(to)} where status = 'loaded' and bronze_file = ${q(from)}`);
  if (statements.length) await atomically(t.connection, d, statements);
  // The old files (and a retired landing's) are no longer listed by the ledger, so never read: removed so they do not take the space twice.
  const listed = new Set([...written.values(), ...objects.filter((o) => !twice.retired.includes(o) && !written.has(o.bronzeFile ?? '')).map((o) => o.bronzeFile)]);
  const unlisted = [...written.keys(), ...(bronze === 'files' ? retired.map((o) => o.bronzeFile) : [])];
  for (const file of unlisted) if (file && !listed.has(file) && file.startsWith(`${relationFolder(t.relation)}/`)) rmSync(join(t.bronzeRoot!, file), { force: true });
  return { adopted: kept.length, retired: retired.length, different: apart.map((o) => o.from) };
}

/**
 * The source's ledger rows of this location, per URI in the order they were written: absolute ones (to adopt)
 * and relative ones (the object as it is named now, which an absolute landing of it is compared with), and
 * the keys of rows without a URI (whether each has a loaded row). A landing kept apart by an earlier adoption
 * is left out, with all its rows.
 */
async function ledgerRows(t: AdoptTarget): Promise<{ objects: Adopted[]; unnamed: Map<string, boolean>; apart: Set<string> }> {
  const objects = new Map<string, Adopted>();
  const unnamed = new Map<string, boolean>();
  const apart = new Set<string>();
  const roots = new Map<string, boolean>();
  for (const [i, row] of (await t.ledger.rowsToAdopt(t.source)).entries()) {
    if (row.uri === null) {
      unnamed.set(row.key, unnamed.get(row.key) === true || row.status === 'loaded');
      continue;
    }
    const to = `file:${t.relativeLocation}${row.key}`;
    if (row.uri !== to && !isAbsoluteUriOf(row.uri, t, row.key, roots)) continue;
    if (row.status === 'loaded' && row.error?.startsWith(KEPT_APART)) apart.add(row.uri);
    const entry = objects.get(row.uri) ?? { from: row.uri, to, etag: row.etag, bronzeFile: null, loaded: -1 };
    if (row.status === 'loaded') Object.assign(entry, { etag: row.etag, bronzeFile: row.bronzeFile, loaded: i });
    objects.set(row.uri, entry);
  }
  return { objects: [...objects.values()].filter((o) => !apart.has(o.from)), unnamed, apart };
}

/**
 * Rows without a URI (a ledger from before the `uri` column) get `file:<location><key>`; a bronze table's rows
 * of a loaded one, whose `_strata_source_file` is `file://<some folder>/<location><key>`, the same: the table's
 * absolute values are read once and matched to their keys here, so each old folder is known (renameSql).
 * Values the ledger knows as another landing's URI are left to it.
 * Returns how many loaded objects were adopted.
 */
async function adoptUnnamed(t: AdoptTarget, bronze: BronzeKind, known: Set<string>, unnamed: Map<string, boolean>): Promise<number> {
  const { connection: c, dialect: d } = t;
  const rel = d.renderRelation(t.relation);
  const values = new Map<string, string[]>();
  if (bronze === 'table') {
    const tails = new Map([...unnamed].filter(([, loaded]) => loaded).map(([key]) => [`${t.relativeLocation}${key}`, key]));
    const { rows } = await c.query(`select distinct _strata_source_file as f from ${rel} where substr(_strata_source_file, 1, 7) = 'file://'`);
    for (const f of rows.map((r) => String(r.f)).filter((f) => !known.has(f))) {
      // The key is what follows `/<location>` at one of the value's slashes.
      for (let at = f.indexOf('/', 'file://'.length); at >= 0; at = f.indexOf('/', at + 1)) {
        const key = tails.get(f.slice(at + 1));
        if (key !== undefined) {
          values.set(key, [...(values.get(key) ?? []), f]);
          break;
        }
      }
    }
  }
  const ledger = d.renderRelation(LEDGER);
  const q = (v: string): string => d.quoteString(v);
  for (const keys of chunks([...unnamed.keys()])) {
    const statements = renameSql(d, rel, '_strata_source_file', '', keys.flatMap((key) => (values.get(key) ?? []).map((f): [string, string] => [f, `file:${t.relativeLocation}${key}`])));
    statements.push(`update ${ledger} set uri = ${q(`file:${t.relativeLocation}`)} || key where source = ${q(t.source)} and uri is null and key in (${keys.map(q).join(', ')})`);
    await atomically(c, d, statements);
  }
  return [...unnamed.values()].filter(Boolean).length;
}

/**
 * `column = <its new value>` for old values `<old folder>/<location><key>` becoming `file:<location><key>`: per old
 * folder, `'file:' || substr(column, length('<old folder>/') + 1)`, both counted by the warehouse in its own
 * characters (JavaScript counts a character outside the BMP as two), one pass over the relation per chunk.
 */
function renameSql(d: Dialect, relation: string, column: string, where: string, pairs: [string, string][]): string[] {
  const q = (v: string): string => d.quoteString(v);
  const byFolder = new Map<string, string[]>();
  for (const [from, to] of pairs) {
    const rest = to.slice('file:'.length);
    if (!to.startsWith('file:') || !from.endsWith(rest)) throw new Error(`adoption: ${from} does not end with ${rest}`);
    const folder = from.slice(0, from.length - rest.length);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), from]);
  }
  return [...byFolder].map(([folder, froms]) => `update ${relation} set ${column} = 'file:' || substr(${column}, length(${q(folder)}) + 1) where ${where}${column} in (${froms.map(q).join(', ')})`);
}

function chunks<T>(items: T[]): T[][] {
  const n = chunkSize();
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
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
