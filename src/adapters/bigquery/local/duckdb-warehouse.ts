/**
 * The rows the local BigQuery holds: one in-process DuckDB per server, a DuckDB catalog per BigQuery
 * project (`"project"."dataset"."table"`; with a data folder each catalog is the file
 * `<project>.duckdb` there), the session in UTC so TIMESTAMP (TIMESTAMPTZ here) means what it means in
 * BigQuery. Jobs run one at a time (`exclusive`), as one connection carries a script's transaction.
 */
import { TYPED_MACROS } from './typed-forms.js';
import { registerNumericFunctions } from './numeric-functions.js';
import { registerJsonScalar } from './json-scalar.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { TableField } from './bigquery-types.js';
import { duckTypeOfField, quoteIdent, quoteString } from './to-duckdb.js';

/** `p.d.t` → `"p"."d"."t"`; a one-part (temp) name → `"t"`. */
export function duckRelation(key: string): string {
  const parts = key.split('.');
  return (parts.length > 3 ? [parts[0]!, parts[1]!, parts.slice(2).join('.')] : parts).map(quoteIdent).join('.');
}

export class DuckWarehouse {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly catalogs = new Set<string>();

  private constructor(private readonly db: DuckDBInstance, readonly connection: DuckDBConnection, private readonly dataDir?: string) {}

  static async open(dataDir?: string): Promise<DuckWarehouse> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
    const c = await db.connect();
    await c.run("set TimeZone = 'UTC'");
    // BigQuery sorts NULLs first in ascending order and last in descending (DuckDB: last in both) — ORDER BY,
    // window functions' ORDER BY (which row is ROW_NUMBER() 1), aggregates' ORDER BY.
    await c.run("set default_null_order = 'nulls_first_on_asc_last_on_desc'");
    for (const macro of TYPED_MACROS) await c.run(macro);
    await registerNumericFunctions(c);
    await registerJsonScalar(c);
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    return new DuckWarehouse(db, c, dataDir);
  }

  /** Runs `fn` when every earlier job is done. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Attaches the project's catalog (once) and makes it the default for two-part names. */
  async useProject(project: string, others: string[] = []): Promise<void> {
    for (const p of [...new Set([...others, project])]) {
      if (this.catalogs.has(p)) continue;
      const file = this.dataDir ? join(this.dataDir, `${p.replace(/[^\w.-]/g, '_')}.duckdb`) : ':memory:';
      await this.connection.run(`attach ${quoteString(file)} as ${quoteIdent(p)}`);
      this.catalogs.add(p);
    }
    await this.connection.run(`use ${quoteIdent(project)}`);
  }

  async run(sql: string, values?: DuckDBValue[]): Promise<{ changed: number }> {
    const r = await this.connection.run(sql, values);
    return { changed: Number(r.rowsChanged ?? 0) };
  }

  async rows(sql: string): Promise<DuckDBValue[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRows() as DuckDBValue[][];
  }

  /** A query's rows and DuckDB's names of its columns. */
  async rowsNamed(sql: string): Promise<{ names: string[]; rows: DuckDBValue[][] }> {
    const reader = await this.connection.runAndReadAll(sql);
    return { names: reader.columnNames(), rows: reader.getRows() as DuckDBValue[][] };
  }

  /** Whether a table or view exists (`p.d.t`, or a one-part temp name). */
  async exists(key: string): Promise<'table' | 'view' | undefined> {
    const parts = key.split('.');
    const where = (col: string): string => (parts.length === 1 ? `database_name = 'temp' and ${col} = ${quoteString(parts[0]!)}` : `database_name = ${quoteString(parts[0]!)} and schema_name = ${quoteString(parts[1]!)} and ${col} = ${quoteString(parts.slice(2).join('.'))}`);
    const found = await this.rows(`select 'table' from duckdb_tables() where ${where('table_name')} union all select 'view' from duckdb_views() where ${where('view_name')}`);
    return found[0]?.[0] as 'table' | 'view' | undefined;
  }

  async count(key: string): Promise<number | undefined> {
    if ((await this.exists(key)) !== 'table') return undefined;
    return Number((await this.rows(`select count(*) from ${duckRelation(key)}`))[0]![0]);
  }

  /** A table the catalog knows but DuckDB does not hold (put there by hand): created empty with its columns. */
  async ensureTable(key: string, fields: TableField[]): Promise<void> {
    const [p, d] = key.split('.');
    if (!p || !d || (await this.exists(key))) return;
    await this.useProject(p);
    await this.run(`create schema if not exists ${quoteIdent(p)}.${quoteIdent(d)}`);
    await this.run(`create table ${duckRelation(key)} (${columnDefinitions(fields)})`);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.db.closeSync();
  }
}

/** REST fields as DuckDB column definitions; a table without columns gets a placeholder one. */
export function columnDefinitions(fields: TableField[]): string {
  return fields.length ? fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOfField(f)}`).join(', ') : '"strata_no_columns" BOOLEAN';
}
