import type { Connection, Dialect } from '../adapters/contract.js';

export const LEDGER = { schema: 'strata_meta', identifier: 'landed_files' };

/** The columns landing adds to every bronze row: which file, when, and by which invocation. */
export const LANDING_COLUMNS = ['_strata_source_file', '_strata_loaded_at', '_strata_invocation_id'];

/** Those columns in a select list: the object's URI, `now` (the warehouse's current time), the invocation's id. */
export function landingColumnsSql(d: Pick<Dialect, 'quoteString'>, uri: string, now: string, invocationId: string): string {
  const [file, loadedAt, invocation] = LANDING_COLUMNS;
  return `${d.quoteString(uri)} as ${file}, ${now} as ${loadedAt}, ${d.quoteString(invocationId)} as ${invocation}`;
}

/**
 * How the `error` column of a `loaded` row begins when the adoption of an earlier ledger kept that landing apart
 * (another folder's landing of an object, with other rows than the object's): its rows stay in bronze, and it is
 * not compared, nor warned about, again.
 */
export const KEPT_APART = 'kept apart: ';

export interface LedgerEntry {
  source: string;
  key: string;
  /**
   * The object's URI (`s3://bucket/prefix/key`, `gs://…`, `file:///abs/dir/key`, or for a location relative to the
   * project `file:landing/x/key`, relative to the project root): its identity, as a file at another location is another object.
   */
  uri: string;
  etag: string;
  size: number;
  rowCount: number | null;
  invocationId: string;
  status: 'loaded' | 'failed' | 'replaced';
  error: string | null;
  /** `land_as: parquet`: the object's bronze file, relative to the bronze folder (`bronze/raw_x/name.parquet`). */
  bronzeFile?: string | null;
}

/** A landed object: its ETag and key; `unnamed`: its row has no URI (a ledger from before the column); `apart`: kept apart (KEPT_APART). */
export interface LandedObject {
  etag: string;
  key: string;
  unnamed?: true;
  apart?: true;
}

/**
 * The ledger of landed files: one row per attempt; an object counts as landed when a `loaded` row has its URI
 * and ETag. Ledgers written before the `uri` column existed have it null: those rows are read as objects of
 * the source's current location (the only location they could be compared with then).
 */
export class Ledger {
  constructor(
    private readonly connection: Connection,
    private readonly dialect: Dialect,
  ) {}

  private get rel(): string {
    return this.dialect.renderRelation(LEDGER);
  }

  async ensure(): Promise<void> {
    const d = this.dialect;
    await this.connection.execute(d.createSchema(LEDGER.schema));
    await this.connection.execute(
      `create table if not exists ${this.rel} (source ${d.typeName('string')}, key ${d.typeName('string')}, etag ${d.typeName('string')}, size ${d.typeName('integer')}, row_count ${d.typeName('integer')}, loaded_at ${d.typeName('timestamp')}, invocation_id ${d.typeName('string')}, status ${d.typeName('string')}, error ${d.typeName('string')}, uri ${d.typeName('string')}, bronze_file ${d.typeName('string')})`,
    );
    const columns = await this.connection.getColumns(LEDGER);
    const has = (name: string): boolean => columns.some((c) => c.name.toLowerCase() === name);
    if (!has('uri')) await this.connection.execute(d.addColumns(LEDGER, [{ name: 'uri', dataType: d.typeName('string') }]));
    if (!has('bronze_file')) await this.connection.execute(d.addColumns(LEDGER, [{ name: 'bronze_file', dataType: d.typeName('string') }]));
  }

  /**
   * URI → ETag and key of every object currently landed for the source; `uriOf` gives legacy rows (no URI, `unnamed`)
   * one; `apart`: a landing an adoption kept apart (KEPT_APART).
   */
  async landed(source: string, uriOf: (key: string) => string): Promise<Map<string, LandedObject>> {
    const { rows } = await this.connection.query(`select key, etag, uri, error from ${this.rel} where source = ${this.dialect.quoteString(source)} and status = 'loaded'`);
    const apart = (r: Record<string, unknown>): { apart?: true } => (typeof r.error === 'string' && r.error.startsWith(KEPT_APART) ? { apart: true } : {});
    return new Map(rows.map((r): [string, LandedObject] => (r.uri === null || r.uri === undefined ? [uriOf(String(r.key)), { etag: String(r.etag), key: String(r.key), unnamed: true }] : [String(r.uri), { etag: String(r.etag), key: String(r.key), ...apart(r) }])));
  }

  /**
   * Every row of the source with a `file:` URI (absolute `file:///…` or relative to the project `file:landing/…`),
   * or none (written before the `uri` column), any status, in the order they were written: URI (null: none),
   * key, status, ETag, bronze file and error.
   */
  async rowsToAdopt(source: string): Promise<{ uri: string | null; key: string; status: string; etag: string; bronzeFile: string | null; error: string | null }[]> {
    const { rows } = await this.connection.query(`select uri, key, status, etag, bronze_file, error from ${this.rel} where source = ${this.dialect.quoteString(source)} and (uri is null or substr(uri, 1, 5) = 'file:') order by loaded_at`);
    const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
    return rows.map((r) => ({ uri: str(r.uri), key: String(r.key), status: String(r.status), etag: String(r.etag), bronzeFile: str(r.bronze_file), error: str(r.error) }));
  }

  insertSql(e: LedgerEntry): string {
    const q = (v: string | null): string => (v === null ? 'null' : this.dialect.quoteString(v));
    return `insert into ${this.rel} (source, key, etag, size, row_count, loaded_at, invocation_id, status, error, uri, bronze_file) values (${q(e.source)}, ${q(e.key)}, ${q(e.etag)}, ${e.size}, ${e.rowCount ?? 'null'}, current_timestamp, ${q(e.invocationId)}, ${q(e.status)}, ${q(e.error)}, ${q(e.uri)}, ${q(e.bronzeFile ?? null)})`;
  }

  /**
   * Every object landed as a bronze file under `folder` (relative to the bronze root), whichever source landed
   * it: URI → its ETag and file. Two sources may land into one relation.
   */
  async bronzeFiles(folder: string): Promise<Map<string, { etag: string; file: string }>> {
    const { rows } = await this.connection.query(`select uri, etag, bronze_file from ${this.rel} where status = 'loaded' and substr(bronze_file, 1, ${folder.length + 1}) = ${this.dialect.quoteString(`${folder}/`)}`);
    return new Map(rows.map((r) => [String(r.uri), { etag: String(r.etag), file: String(r.bronze_file) }]));
  }

  /** Every object currently landed, by any source: URI → ETag. */
  async loadedObjects(): Promise<Map<string, string>> {
    const { rows } = await this.connection.query(`select uri, etag from ${this.rel} where status = 'loaded' and uri is not null`);
    return new Map(rows.map((r) => [String(r.uri), String(r.etag)]));
  }

  /** Records the bronze files of objects landed into a table before `land_as: parquet`: URI → file. */
  recordBronzeFilesSql(files: Map<string, string>): string[] {
    const q = (v: string): string => this.dialect.quoteString(v);
    return [...files].map(([uri, file]) => `update ${this.rel} set bronze_file = ${q(file)} where status = 'loaded' and uri = ${q(uri)}`);
  }

  /** Marks earlier `loaded` rows of an object as replaced (reland of a changed object); legacy rows match by key. */
  supersedeSql(source: string, key: string, uri: string): string {
    const q = (v: string): string => this.dialect.quoteString(v);
    return `update ${this.rel} set status = 'replaced' where source = ${q(source)} and status = 'loaded' and (uri = ${q(uri)} or (uri is null and key = ${q(key)}))`;
  }
}
