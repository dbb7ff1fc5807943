/**
 * dbt-duckdb's `external` materialization: the model's rows are written to a file (Parquet, CSV or JSON) with
 * DuckDB's `COPY`, and the model's relation is a view over that file. `location` (default
 * `<external_root>/<alias>.<format>`), `format` (else the location's extension, else Parquet), `delimiter`,
 * `options` (more `COPY` options: `partition_by`, `codec`, `per_thread_output`, …) and
 * `parquet_read_options` / `csv_read_options` / `json_read_options` (the view's reader) as dbt-duckdb reads
 * them. Relative paths are the project's (so the view reads the same file whatever the working directory).
 * The rows are built into a temporary table first: a model whose SQL fails writes nothing, and DuckDB writes
 * an existing file through a temporary one, so the previous file and view stay as they were.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { ExternalWrite } from '../adapters/contract.js';
import type { MaterializeInput, MaterializeResult, RelationLookup } from './types.js';
import { buildAndSwap } from './swap.js';
import { headerOptions } from './sql-header.js';
import { copyFlag, holdsFiles, writeInPlace, type PlacedFiles } from './external-in-place.js';

export const EXTERNAL_FORMATS = ['parquet', 'csv', 'json'] as const;
export type ExternalFormat = (typeof EXTERNAL_FORMATS)[number];

export type ExternalPlan = ExternalWrite;

const isFormat = (f: string): f is ExternalFormat => (EXTERNAL_FORMATS as readonly string[]).includes(f);
const isUrl = (p: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
const extension = (p: string): string => /\.([A-Za-z0-9]+)$/.exec(p.split('/').pop() ?? '')?.[1]?.toLowerCase() ?? '';

function configError(node: ManifestNode, message: string, hint: string): UserError {
  return new UserError({ code: 'external-config-invalid', severity: 'error', message: `model '${node.name}': ${message}`, file: node.originalFilePath, hint });
}

/** dbt-duckdb's render_write_options and external_write_options: the `COPY` options, as SQL. */
function copyOptionsOf(node: ManifestNode, location: string, rendered: Record<string, string>): { sql: string; options: Record<string, string> } {
  const o = { ...rendered };
  if (o.format === undefined) o.format = extension(location) || (o.delimiter !== undefined ? 'csv' : 'parquet');
  if (o.format === 'csv' && o.header === undefined) o.header = '1';
  if (o.partition_by !== undefined && o.partition_by.includes(',') && !o.partition_by.startsWith('(')) o.partition_by = `(${o.partition_by})`;
  const parts = Object.entries(o).map(([k, v]) => (['delimiter', 'quote', 'escape', 'null'].includes(k.toLowerCase()) && !v.startsWith("'") ? `${k} '${v.replace(/'/g, "''")}'` : `${k} ${v}`));
  if (parts.some((p) => /;/.test(p))) throw configError(node, `an external write option holds ';' (${parts.find((p) => p.includes(';'))})`, 'options are passed to COPY as they are: remove the semicolon');
  return { sql: parts.join(', '), options: o };
}

/** Python's str() of a config value, as dbt-duckdb's Jinja writes it. */
const optionText = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : v === null || v === undefined ? 'None' : String(v));

/**
 * The file, format and options of an external model. `render` renders a setting's Jinja in the model's
 * context (dbt-duckdb renders `location` and each option again: `location: "{{ adapter.external_root() }}/x.parquet"`).
 */
export async function planExternal(node: ManifestNode, identifier: string, projectRoot: string, externalRoot: string, render: (s: string) => Promise<string>): Promise<ExternalPlan> {
  const c = node.config;
  const options = c.options ?? {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw configError(node, 'options must be a mapping of COPY options', "e.g. options: {partition_by: 'region', codec: 'zstd'}");
  const rendered: Record<string, string> = {};
  for (const [k, v] of Object.entries(options as Record<string, unknown>)) rendered[k] = (await render(optionText(v))).trim();
  const format = c.format === undefined || c.format === null ? undefined : (await render(String(c.format))).trim().toLowerCase();
  if (format !== undefined && !isFormat(format)) throw configError(node, `format '${format}' is not one of ${EXTERNAL_FORMATS.join(', ')}`, 'set format to parquet, csv or json (or leave it out: the location\'s extension decides)');
  if (format !== undefined) rendered.format = format;
  if (c.delimiter !== undefined && c.delimiter !== null) rendered.delimiter = await render(String(c.delimiter));
  const root = isUrl(externalRoot) || isAbsolute(externalRoot) ? externalRoot : resolve(projectRoot, externalRoot);
  const partitioned = rendered.partition_by !== undefined;
  const written = c.location === undefined || c.location === null ? `${root.replace(/\/+$/, '')}/${identifier}${partitioned ? '' : `.${format ?? 'parquet'}`}` : (await render(String(c.location))).trim();
  if (!written) throw configError(node, 'location is empty', "set location to a file path, e.g. 'exports/orders.parquet'");
  // A `file:///…` URL is a local path: written beside and moved into place as any other.
  const local = /^file:\/\/\//i.test(written) ? fileURLToPath(written) : written;
  const location = isUrl(local) || isAbsolute(local) ? local : resolve(projectRoot, local);
  const ext = extension(location);
  // The format the files are written in: the model's `format`, else `options: {format: …}` (a COPY option, as
  // dbt-duckdb passes it), else the location's extension.
  const writtenFormat = rendered.format?.toLowerCase();
  const viewFormat: ExternalFormat = writtenFormat !== undefined && isFormat(writtenFormat) ? writtenFormat : isFormat(ext) ? ext : 'parquet';
  const copy = copyOptionsOf(node, location, rendered);
  const globbed = copy.options.partition_by !== undefined || /^(true|1)$/i.test(copy.options.per_thread_output ?? '');
  const readLocation = globbed ? `${[location, '*', ...(copy.options.partition_by !== undefined ? copy.options.partition_by.replace(/^\(|\)$/g, '').split(',').map(() => '*') : [])].join('/')}.${copy.options.format.toLowerCase()}` : location;
  const readKey = `${viewFormat}_read_options`;
  const readDefault = viewFormat === 'parquet' ? { union_by_name: false } : { auto_detect: true };
  const readOptions = (c[readKey] as Record<string, unknown> | undefined) ?? readDefault;
  if (readOptions === null || typeof readOptions !== 'object' || Array.isArray(readOptions)) throw configError(node, `${readKey} must be a mapping of ${viewFormat} reader options`, `e.g. ${readKey}: {union_by_name: true}`);
  const badKey = Object.keys(readOptions).find((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  if (badKey !== undefined) throw configError(node, `${readKey} has an option '${badKey}' that is not a name`, `the ${viewFormat} reader's options are names such as union_by_name or hive_partitioning`);
  return { location, format: viewFormat, copyOptions: copy.sql, readLocation, readOptions };
}

/**
 * Builds an external model: rows into a temporary table; the table written beside the location (a file, or a
 * folder for a partitioned or per-thread output) and read back through the view's reader; only then moved onto
 * the location, and the view over it swapped in for the previous relation. A failure before the move leaves the
 * previous file and view as they were. An output with `overwrite_or_ignore` or `append` (which keeps what the
 * folder holds) has its files moved in one by one (`external-in-place.ts`), taken back if the node then fails.
 * Object-store URLs are written in place, as dbt-duckdb writes them (there is no rename to stage them with).
 */
export async function materializeExternal(input: MaterializeInput & { relations: RelationLookup }, sql: string): Promise<MaterializeResult> {
  const { node, relation, dialect, connection, relations } = input;
  if (!dialect.externalModel || !dialect.temporaryRelation) {
    throw configError(node, `materialized='external' writes files and is not available on ${dialect.name}`, 'use table or view on this target');
  }
  const plan = await planExternal(node, relation.identifier, input.projectRoot ?? process.cwd(), input.externalRoot ?? '.', input.renderHook ?? (async (s) => s));
  const staged = dialect.temporaryRelation(`${relation.identifier}__strata_external`);
  const staging = dialect.renderRelation(staged);
  try {
    const created = await connection.execute(dialect.createTableAs(staged, sql, { ...headerOptions(node), temporary: true }));
    const rows = created.rowsAffected ?? Number((await connection.query(`select count(*) as n from ${staging}`)).rows[0]?.n ?? 0);
    const sqls = dialect.externalModel(staging, plan, rows === 0);
    const keeps = copyFlag(plan.copyOptions, 'overwrite_or_ignore') || copyFlag(plan.copyOptions, 'append');
    let placed: PlacedFiles | undefined;
    let view = sqls.view;
    if (isUrl(plan.location)) await writeToUrl(input, sqls.before, plan.location, keeps);
    else if (keeps && rows === 0 && plan.readLocation !== plan.location) {
      // No rows to add to a folder that keeps its files: nothing is written (a CSV or JSON file of no rows
      // would need a row of nulls, which the folder's other files would then show; a partitioned write of no
      // rows makes no file at all). A single file is replaced as always.
      checkNotProjectFolder(node, plan.location, input.projectRoot ?? process.cwd());
      view = holdsFiles(plan.location) ? dialect.externalModel(staging, plan, false).view : await emptyView(input, staging);
    } else if (keeps) {
      checkNotProjectFolder(node, plan.location, input.projectRoot ?? process.cwd());
      placed = await writeInPlace(input, staging, plan, rows === 0);
    } else await writeBeside(input, staging, plan, rows === 0);
    try {
      await buildAndSwap(connection, dialect, relation, 'view', (target) => connection.execute(dialect.createViewAs(target, view, { config: node.config, description: node.description })), relations);
    } catch (e) {
      placed?.rollback();
      throw e;
    }
    if (placed) (input.afterwards ?? ((change) => change.commit()))(placed);
    return { status: 'success', message: 'OK', rowsAffected: rows, adapterResponse: { code: 'COPY', rows_affected: rows, location: plan.location }, relationKind: 'view' };
  } finally {
    await connection.execute(dialect.dropRelation(staged, 'table')).catch(() => undefined);
  }
}

/** A view of no rows with the staged rows' columns and types, for an in-place output that has no file yet. */
async function emptyView(input: MaterializeInput, staging: string): Promise<string> {
  const { dialect, connection } = input;
  const columns = (await connection.query(`describe ${staging}`)).rows;
  return `select ${columns.map((c) => `cast(null as ${String(c.column_type)}) as ${dialect.quoteIdentifier(String(c.column_name))}`).join(', ')} where false`;
}

/**
 * An object store has no rename: the output is written where it goes. Where the node's hooks run in a
 * transaction, a failing post-hook cannot take those files back, so the log says so before the write.
 */
async function writeToUrl(input: MaterializeInput, statements: string[], location: string, keeps: boolean): Promise<void> {
  if (input.afterwards && input.log) input.log(urlWriteWarning(input.node.name, location, keeps));
  for (const statement of statements) await input.connection.execute(statement);
}

/** What the log says before a model with hooks in its transaction writes to an object-store URL. */
export function urlWriteWarning(model: string, location: string, keeps: boolean): string {
  return (
    `Warning: model '${model}' writes ${location} in place (an object store has no rename): if a post-hook fails, ` +
    (keeps ? 'the files this run wrote stay there, and a retry writes its rows again' : 'the previous file is not put back') +
    '. A local path is written beside and moved into place, so a failed node leaves it as it was.'
  );
}

/** An output folder holds only what a partitioned or per-thread write puts there: `key=value/` folders and `data_N.<format>` files. */
const OUTPUT_ENTRY = /^([^=/]+=[^/]*|data_\d+\.[A-Za-z0-9]+)$/;

/**
 * Refuses a location whose write would replace what is not an earlier output of the model: the project's
 * folder or one above it, a folder where one file goes, a folder holding other files (a `seeds/` with its CSVs).
 */
function checkLocation(node: ManifestNode, location: string, projectRoot: string, folder: boolean): void {
  checkNotProjectFolder(node, location, projectRoot);
  const stat = statSync(location, { throwIfNoEntry: false });
  if (!stat) return;
  if (!folder && stat.isDirectory()) throw configError(node, `location ${location} is a folder, and this model writes one file`, 'name a file (with its extension), or partition the output (options: {partition_by: …}) to write a folder');
  if (folder && !stat.isDirectory()) throw configError(node, `location ${location} is a file, and this model writes a folder (partition_by or per_thread_output)`, 'name a folder, or remove the file');
  const foreign = folder ? readdirSync(location).filter((e) => !OUTPUT_ENTRY.test(e)) : [];
  if (foreign.length) throw configError(node, `location ${location} holds files that are no output of this model (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): the write replaces the whole folder`, 'point location at an empty or new folder of its own');
}

/** Refuses the project's folder, or one above it, as a location (written in place or replaced whole). */
function checkNotProjectFolder(node: ManifestNode, location: string, projectRoot: string): void {
  const root = resolve(projectRoot);
  if (location === root || root.startsWith(`${location}/`)) throw configError(node, `location ${location} is the project's folder or one above it: writing there would replace it`, "set location to a file or folder of its own, e.g. 'exports/orders.parquet'");
}

/** A second name for a file (a hard link; a copy where the file system has none). */
function keepCopy(file: string, as: string): void {
  try {
    linkSync(file, as);
  } catch {
    copyFileSync(file, as);
  }
}

/** Writes the staged rows beside the location, reads them back with the view's reader, then moves them onto it. */
async function writeBeside(input: MaterializeInput, staging: string, plan: ExternalPlan, empty: boolean): Promise<void> {
  const { node, dialect, connection } = input;
  const folder = plan.readLocation !== plan.location;
  checkLocation(node, plan.location, input.projectRoot ?? process.cwd(), folder);
  // DuckDB's COPY does not create folders: the parent is made first.
  mkdirSync(dirname(plan.location), { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const beside = `${plan.location}.strata-${tag}.tmp`;
  const besidePlan = { ...plan, location: beside, readLocation: beside + plan.readLocation.slice(plan.location.length) };
  const sqls = dialect.externalModel!(staging, besidePlan, empty);
  try {
    for (const statement of sqls.before) await connection.execute(statement);
    // The reader's options and the written files are checked before anything of the previous output is touched.
    await connection.query(`select * from (${sqls.view}) as strata_check limit 0`);
    // A single file is replaced by one rename, so a kill never leaves none. Only where the node's hooks run in a
    // transaction is the previous output kept aside (a file as a second link) until it commits: a failing
    // post-hook puts it back.
    const old = `${plan.location}.strata-${tag}.old`;
    const had = statSync(plan.location, { throwIfNoEntry: false }) !== undefined;
    if (!folder && !input.afterwards) return renameSync(beside, plan.location);
    if (had) (folder ? renameSync : keepCopy)(plan.location, old);
    renameSync(beside, plan.location);
    if (!had) return;
    if (!input.afterwards) return rmSync(old, { recursive: true, force: true });
    input.afterwards({
      commit: () => rmSync(old, { recursive: true, force: true }),
      rollback: () => {
        if (folder) rmSync(plan.location, { recursive: true, force: true });
        renameSync(old, plan.location);
      },
    });
  } finally {
    rmSync(beside, { recursive: true, force: true });
  }
}

