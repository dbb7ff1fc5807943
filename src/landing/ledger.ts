import type { Connection, Dialect } from '../adapters/contract.js';

export const LEDGER = { schema: 'strata_meta', identifier: 'landed_files' };

/** The columns landing adds to every bronze row: which file, when, and by which invocation. */
export const LANDING_COLUMNS = ['_strata_source_file', '_strata_loaded_at', '_strata_invocation_id'];

export interface LedgerEntry {
  source: string;
  key: string;
  etag: string;
  size: number;
  rowCount: number | null;
  invocationId: string;
  status: 'loaded' | 'failed' | 'replaced';
  error: string | null;
}

/** The ledger of landed files: one row per attempt; an object counts as landed when a `loaded` row has its ETag. */
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
      `create table if not exists ${this.rel} (source ${d.typeName('string')}, key ${d.typeName('string')}, etag ${d.typeName('string')}, size ${d.typeName('integer')}, row_count ${d.typeName('integer')}, loaded_at ${d.typeName('timestamp')}, invocation_id ${d.typeName('string')}, status ${d.typeName('string')}, error ${d.typeName('string')})`,
    );
  }

  /** key → ETag of every object currently landed for the source. */
  async landed(source: string): Promise<Map<string, string>> {
    const { rows } = await this.connection.query(`select key, etag from ${this.rel} where source = ${this.dialect.quoteString(source)} and status = 'loaded'`);
    return new Map(rows.map((r) => [String(r.key), String(r.etag)]));
  }

  insertSql(e: LedgerEntry): string {
    const q = (v: string | null): string => (v === null ? 'null' : this.dialect.quoteString(v));
    return `insert into ${this.rel} values (${q(e.source)}, ${q(e.key)}, ${q(e.etag)}, ${e.size}, ${e.rowCount ?? 'null'}, current_timestamp, ${q(e.invocationId)}, ${q(e.status)}, ${q(e.error)})`;
  }

  /** Marks earlier `loaded` rows of a key as replaced (reland of a changed object). */
  supersedeSql(source: string, key: string): string {
    return `update ${this.rel} set status = 'replaced' where source = ${this.dialect.quoteString(source)} and key = ${this.dialect.quoteString(key)} and status = 'loaded'`;
  }
}
