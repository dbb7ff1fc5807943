import type { DuckDBConnection as DriverConnection, DuckDBInstance } from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import type { ColumnDef, Connection, ExecuteResult, ExistingRelation, QueryResult, Relation } from '../contract.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { positioned } from './duckdb-errors.js';
import { inferSeedTypes, seedColumnSql } from './duckdb-seed-types.js';

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  // The driver's value classes (DuckDBTimestampValue, …): bundled (dist/cli-bundle/), esbuild names them `_DuckDB…`.
  if (v && typeof v === 'object' && 'toString' in v && !(v instanceof Array) && !(v instanceof Date) && /^_*DuckDB/.test(v.constructor?.name ?? '')) {
    return String(v);
  }
  return v;
}

/** Types the driver gives as JavaScript numbers, strings and booleans: their cells need no conversion. */
const PRIMITIVE_TYPES = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'FLOAT', 'DOUBLE', 'VARCHAR']);

/** A relation without a database is in the main file's catalog, not in one of the attached databases. */
function catalogOf(database: string | undefined): string {
  return database ? duckdbDialect.quoteString(database) : 'current_database()';
}

/** The driver's native calls, for reading a statement's row count without building its vector objects. */
export type DuckDBBindings = Pick<typeof Bindings, 'column_count' | 'column_name' | 'column_type' | 'result_chunk_count' | 'result_get_chunk' | 'data_chunk_get_size' | 'data_chunk_get_vector' | 'vector_get_data'> & { Type: { BIGINT: number } };

type DriverResult = Awaited<ReturnType<DriverConnection['run']>>;

/**
 * Rows a statement wrote. DuckDB answers `CREATE TABLE … AS` and DML with one `Count` row (the driver's
 * `rowsChanged` is 0 for CTAS); other statements answer otherwise and report none. With the native calls at
 * hand, the count is read from its chunk's data directly: the driver's own reading builds several objects per
 * value, a cost paid on every table between its statement and the next.
 */
function rowsWritten(result: DriverResult, native?: DuckDBBindings): number | undefined {
  const handle = native && (result as unknown as { result?: Bindings.Result }).result;
  if (native && handle) {
    if (native.column_count(handle) !== 1 || native.column_name(handle, 0) !== 'Count' || native.result_chunk_count(handle) === 0) return undefined;
    const chunk = native.result_get_chunk(handle, 0);
    if (native.data_chunk_get_size(chunk) === 0) return undefined;
    if (native.column_type(handle, 0) === native.Type.BIGINT) {
      const data = native.vector_get_data(native.data_chunk_get_vector(chunk, 0), 8);
      return Number(new DataView(data.buffer, data.byteOffset, 8).getBigInt64(0, true));
    }
  }
  if (result.columnCount !== 1 || result.columnName(0) !== 'Count') return undefined;
  // The result is materialized: its chunk is read here, without another round trip through the driver's threads.
  const chunk = result.chunkCount > 0 ? result.getChunk(0) : null;
  // `create schema` and other DDL answer with a `Count` column and no rows.
  if (!chunk || chunk.columnCount !== 1 || chunk.rowCount === 0) return undefined;
  const first = chunk.getColumnValues(0)[0];
  return first === undefined || first === null ? undefined : Number(first);
}

/** One DuckDB connection. Not for concurrent use: the scheduler gives each thread its own. */
export class DuckDBConnection implements Connection {
  private inTransaction = false;
  /** The session variables set for `secret()` values, and their values. */
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly driver: DriverConnection,
    private readonly instance: DuckDBInstance,
    private readonly native?: DuckDBBindings,
  ) {}

  async execute(sql: string): Promise<ExecuteResult> {
    const result = await positioned(sql, () => this.driver.run(sql));
    const rows = rowsWritten(result, this.native);
    return { rowsAffected: rows, response: { code: 'OK', rows_affected: rows } };
  }

  /**
   * A `secret()` value as a session variable, set by a prepared statement: its text holds `$1`, not the value.
   * Sent through `executeBound`, so it carries the query comment as the node's other statements do.
   */
  async setSessionSecret(name: string, value: string): Promise<void> {
    if (this.secrets.get(name) === value) return;
    await this.executeBound(`set variable ${duckdbDialect.quoteIdentifier(name)} = $1`, [value]);
    this.secrets.set(name, value);
  }

  async executeBound(sql: string, values: string[]): Promise<void> {
    await positioned(sql, () => this.driver.run(sql, values));
  }

  async query(sql: string): Promise<QueryResult> {
    const reader = await positioned(sql, () => this.driver.runAndReadAll(sql));
    const names = reader.columnNames();
    const types = reader.columnTypes().map(String);
    const rows = reader.getRowObjects() as Record<string, unknown>[];
    // The driver's row objects are this call's own: the cells of other types are converted in place, not copied.
    const converted = names.filter((_, i) => !PRIMITIVE_TYPES.has(types[i]!));
    if (converted.length) for (const r of rows) for (const n of converted) r[n] = plain(r[n]);
    // dbt-duckdb's get_response: `OK` whatever the statement.
    return { columns: names.map((name, i) => ({ name, dataType: types[i]! })), rows, response: { _message: 'OK' } };
  }

  async getRelation(relation: Relation): Promise<ExistingRelation | undefined> {
    const q = duckdbDialect.quoteString.bind(duckdbDialect);
    const { rows } = await this.query(
      `select table_type from information_schema.tables where lower(table_schema) = lower(${q(relation.schema)}) and lower(table_name) = lower(${q(relation.identifier)}) and table_catalog = ${catalogOf(relation.database)}`,
    );
    if (!rows.length) return undefined;
    return { ...relation, kind: String(rows[0]!.table_type).toUpperCase() === 'VIEW' ? 'view' : 'table' };
  }

  async listRelations(schema: string, database?: string): Promise<ExistingRelation[]> {
    const q = duckdbDialect.quoteString.bind(duckdbDialect);
    const { rows } = await this.query(
      `select table_schema, table_name, table_type, table_comment as "comment" from information_schema.tables where lower(table_schema) = lower(${q(schema)}) and table_catalog = ${catalogOf(database)}`,
    );
    return rows.map((r) => ({ database, schema: String(r.table_schema), identifier: String(r.table_name), kind: String(r.table_type).toUpperCase() === 'VIEW' ? ('view' as const) : ('table' as const), ...commentOf(r.comment) }));
  }

  async getColumns(relation: Relation): Promise<ColumnDef[]> {
    // A source read in place (external_location): its file's columns, as dbt-duckdb's describe of the relation gives them.
    if (relation.external) return (await this.query(`describe select * from ${relation.external}`)).rows.map((r) => ({ name: String(r.column_name), dataType: String(r.column_type), nullable: r.null !== 'NO' }));
    const q = duckdbDialect.quoteString.bind(duckdbDialect);
    const { rows } = await this.query(
      `select column_name, data_type, is_nullable, column_comment as "comment" from information_schema.columns where lower(table_schema) = lower(${q(relation.schema)}) and lower(table_name) = lower(${q(relation.identifier)}) and table_catalog = ${catalogOf(relation.database)} order by ordinal_position`,
    );
    return rows.map((r) => ({ name: String(r.column_name), dataType: String(r.data_type), nullable: r.is_nullable === 'YES', ...(typeof r.comment === 'string' ? { description: r.comment } : {}) }));
  }

  async getSchemaColumns(schema: string, database?: string): Promise<Map<string, ColumnDef[]>> {
    const q = duckdbDialect.quoteString.bind(duckdbDialect);
    const { rows } = await this.query(
      `select table_name, column_name, data_type, is_nullable, column_comment as "comment" from information_schema.columns where lower(table_schema) = lower(${q(schema)}) and table_catalog = ${catalogOf(database)} order by table_name, ordinal_position`,
    );
    const out = new Map<string, ColumnDef[]>();
    for (const r of rows) {
      const key = String(r.table_name).toLowerCase();
      if (!out.has(key)) out.set(key, []);
      out.get(key)!.push({ name: String(r.column_name), dataType: String(r.data_type), nullable: r.is_nullable === 'YES', ...(typeof r.comment === 'string' ? { description: r.comment } : {}) });
    }
    return out;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn();
    await this.driver.run('begin transaction');
    this.inTransaction = true;
    try {
      const out = await fn();
      await this.driver.run('commit');
      return out;
    } catch (e) {
      await this.driver.run('rollback').catch(() => undefined);
      throw e;
    } finally {
      this.inTransaction = false;
    }
  }

  async loadCsv(relation: Relation, csvPath: string, options: { columnTypes?: Record<string, string>; delimiter?: string }): Promise<ExecuteResult> {
    const d = duckdbDialect;
    const args = [d.quoteString(csvPath), 'header = true', 'auto_detect = true', "nullstr = ''"];
    if (options.delimiter) args.push(`delim = ${d.quoteString(options.delimiter)}`);
    // column_types as given, read by DuckDB's reader; as dbt, a type for a column the file does not have is
    // ignored (folder-wide +column_types name the columns of several seeds, as Fivetran's integration projects
    // write them). The other columns are read as text and cast to dbt's types (agate's, as dbt-duckdb names them).
    const given = new Map(Object.entries(options.columnTypes ?? {}).map(([k, v]) => [k, String(v)]));
    const types = await inferSeedTypes(this, args, new Set(given.keys()));
    const read = [...types].map(([k]) => `${d.quoteString(k)}: ${d.quoteString(given.get(k) ?? 'VARCHAR')}`);
    if (read.length) args.push(`types = {${read.join(', ')}}`);
    const select = [...types].map(([k, t]) => seedColumnSql(k, t, given.has(k))).join(', ') || '*';
    // One statement, in its own transaction: a kill leaves the previous table.
    const n = (await this.execute(`create or replace table ${d.renderRelation(relation)} as select ${select} from read_csv(${args.join(', ')})`)).rowsAffected ?? 0;
    return { rowsAffected: n, response: { code: 'INSERT', rows_affected: n } };
  }

  /** Interrupts the running query (it fails with DuckDB's INTERRUPT error; its transaction is then rolled back). */
  interrupt(): void {
    this.driver.interrupt();
  }

  async close(): Promise<void> {
    this.driver.closeSync();
    void this.instance;
  }
}

/** A relation's comment (`persist_docs`), where it has one. */
function commentOf(comment: unknown): { comment?: string } {
  return typeof comment === 'string' ? { comment } : {};
}
