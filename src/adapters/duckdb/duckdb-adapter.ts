import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensureDir } from '../ensure-dir.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Adapter, Connection, OpenOptions, Warehouse } from '../contract.js';
import type { TargetConfig } from '../../project/types.js';
import { UserError } from '../../diagnostics/index.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { attachProblems, attachSpecs, attachSql } from './duckdb-attach.js';
import { extensionProblems, extensionSpecs, secretsSql } from './duckdb-extensions.js';
import { DuckDBConnection, type DuckDBBindings } from './duckdb-connection.js';
import { DEFAULT_DUCKDB_PATH, fileCatalogName } from './duckdb-conventions.js';

/** Where the database file lives: `path` relative to the project root; `:memory:` allowed. */
export function duckdbPath(target: TargetConfig, projectRoot: string): string {
  const p = String(target.settings.path ?? DEFAULT_DUCKDB_PATH);
  if (p === ':memory:' || p.startsWith('md:')) return p;
  return isAbsolute(p) ? p : resolve(projectRoot, p);
}

/** dbt-duckdb's `attach:`: further database files, attached once for every connection of the instance. */
async function attachDatabases(instance: DuckDBInstance, target: TargetConfig, projectRoot: string): Promise<void> {
  const specs = attachSpecs(target, projectRoot);
  if (!specs.length) return;
  const conn = await instance.connect();
  try {
    for (const spec of specs) {
      if (isAbsolute(spec.path) && !spec.read_only) ensureDir(dirname(spec.path));
      try {
        await conn.run(attachSql(spec));
      } catch (e) {
        const first = (e as Error).message.split('\n')[0];
        instance.closeSync();
        throw new UserError({ code: 'warehouse-attach-failed', severity: 'error', message: `could not attach ${spec.path} as '${spec.alias}': ${first}`, file: spec.path, hint: /lock/i.test(first!) ? 'another process has that file open: wait for it or close it, then run again' : 'check the path, alias and type of this attach: entry in profiles.yml' });
      }
    }
  } finally {
    conn.closeSync();
  }
}

/** The driver's JavaScript as one file, beside this module in the CLI bundle (scripts/bundle-cli.mjs). */
const BUNDLED_DRIVER = './duckdb-node-api.cjs';

/**
 * The native driver, loaded only when a warehouse is opened: parsing and listing never pay for it. Loaded with
 * `require`: `import()` of this CommonJS package makes Node scan every module it re-exports for named exports,
 * which doubled its load time (about 100 ms of each command that opens DuckDB). From the CLI bundle, its copy
 * bundled beside it: one file instead of about ninety (about 40 ms less).
 */
function loadDriver(): { api: typeof import('@duckdb/node-api'); native?: DuckDBBindings } {
  const require = createRequire(import.meta.url);
  const bundled = existsSync(new URL(BUNDLED_DRIVER, import.meta.url));
  const driverPath = require.resolve(bundled ? BUNDLED_DRIVER : '@duckdb/node-api');
  const api = require(driverPath) as typeof import('@duckdb/node-api');
  // The native module the driver itself loads (resolved from where the driver is): for reading row counts.
  let native: DuckDBBindings | undefined;
  try {
    native = createRequire(driverPath)('@duckdb/node-bindings') as DuckDBBindings;
  } catch {
    native = undefined;
  }
  return { api, native };
}

class DuckDBWarehouse implements Warehouse {
  readonly type = 'duckdb';
  readonly dialect = duckdbDialect;
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly native?: DuckDBBindings,
  ) {}
  async connect(): Promise<Connection> {
    return new DuckDBConnection(await this.instance.connect(), this.instance, this.native);
  }
  /**
   * Closing writes the WAL into the database file (a checkpoint) on the calling thread. Done first as a
   * statement, it runs on the driver's thread and the caller goes on meanwhile; the close then has nothing left
   * to write. Should the checkpoint fail, the close makes its own.
   */
  async close(): Promise<void> {
    try {
      const c = await this.instance.connect();
      try {
        await c.run('checkpoint');
      } finally {
        c.closeSync();
      }
    } catch {
      // The close below checkpoints.
    }
    this.instance.closeSync();
  }
}

/** The profile's `extensions:` (loaded; installed first where missing) and `secrets:`, once for the instance. */
async function loadExtensionsAndSecrets(instance: DuckDBInstance, target: TargetConfig): Promise<void> {
  const extensions = extensionSpecs(target);
  const secrets = secretsSql(target);
  if (!extensions.length && !secrets.length) return;
  const conn = await instance.connect();
  try {
    for (const ext of extensions) {
      try {
        await conn.run(`load ${ext.name}`);
      } catch {
        try {
          await conn.run(`install ${ext.name}${ext.repo ? ` from ${quoteRepo(ext.repo)}` : ''}`);
          await conn.run(`load ${ext.name}`);
        } catch (e) {
          instance.closeSync();
          throw new UserError({ code: 'warehouse-extension-failed', severity: 'error', message: `the DuckDB extension '${ext.name}' (extensions: of target '${target.name}') could not be loaded or installed: ${(e as Error).message.split('\n')[0]}`, file: 'profiles.yml', hint: `install it once where the machine can download it (duckdb -c "install ${ext.name}"), or remove it from extensions:` });
        }
      }
    }
    for (const [i, sql] of secrets.entries()) {
      try {
        await conn.run(sql);
      } catch (e) {
        instance.closeSync();
        const type = String((target.settings.secrets as Record<string, unknown>[])[i]?.type);
        throw new UserError({ code: 'profile-invalid', severity: 'error', message: `secret ${i + 1} (type ${type}) of target '${target.name}' was refused by DuckDB: ${(e as Error).message.split('\n')[0]}`, file: 'profiles.yml', hint: /httpfs/.test((e as Error).message) ? 'this secret type comes with the httpfs extension: add httpfs under extensions:' : 'check the keys of this secrets: entry against DuckDB\'s CREATE SECRET' });
      }
    }
  } finally {
    conn.closeSync();
  }
}

const quoteRepo = (repo: string): string => (/^[A-Za-z_]+$/.test(repo) ? repo : `'${repo.replace(/'/g, "''")}'`);

export const duckdbAdapter: Adapter = {
  type: 'duckdb',
  dialect: duckdbDialect,
  async open(target: TargetConfig, options: OpenOptions): Promise<Warehouse> {
    const path = duckdbPath(target, options.projectRoot);
    if (path !== ':memory:' && !path.startsWith('md:')) {
      const where = { file: 'profiles.yml', hint: 'set path: to a file such as my_project.duckdb (relative to the project), or :memory:' };
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new UserError({ code: 'profile-invalid', severity: 'error', message: `the DuckDB path ${path} is a folder, not a database file`, ...where });
      const problem = ensureDir(dirname(path));
      if (problem) throw new UserError({ code: 'profile-invalid', severity: 'error', message: `the DuckDB file ${path} cannot be created: ${problem}`, ...where });
    }
    const settings: Record<string, string> = {
      // No extension may be downloaded here: a stray s3:// path must fail clearly instead of fetching httpfs.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Relative paths a query reads (a source's external_location, read_csv('data/x.csv')) are found in the
      // working directory first, as dbt-duckdb finds them, then in the project's folder: the same files
      // whatever folder strata runs from.
      // (DuckDB splits the setting at commas: a project folder with one in its path is not added.)
      ...(options.projectRoot.includes(',') ? {} : { file_search_path: options.projectRoot }),
    };
    for (const [k, v] of Object.entries((target.settings.settings as Record<string, unknown>) ?? {})) settings[k] = String(v);
    try {
      const { api, native } = loadDriver();
      const instance = await api.DuckDBInstance.create(path, settings);
      await loadExtensionsAndSecrets(instance, target);
      await attachDatabases(instance, target, options.projectRoot);
      return new DuckDBWarehouse(instance, native);
    } catch (e) {
      if (e instanceof UserError) throw e;
      const msg = (e as Error).message;
      // Another process holds the file (a second strata command, a DuckDB shell): a clear error, not a bug report.
      if (/not recognized|unrecognized configuration|Invalid Input Error: .*option|Catalog Error: .*setting|Failed to set config|Could not convert .* to/i.test(msg)) {
        throw new UserError({ code: 'profile-invalid', severity: 'error', message: `the DuckDB settings of target '${target.name}' were refused: ${msg.split('\n')[0]}`, file: 'profiles.yml', hint: 'check the names and values under settings: against the DuckDB configuration reference' });
      }
      if (/lock/i.test(msg)) {
        throw new UserError({ code: 'warehouse-locked', severity: 'error', message: `the DuckDB file ${path} is in use by another process (${msg.split('\n')[0]})`, file: path, hint: 'wait for the other strata command to finish, or close the program that has the file open, then run again' });
      }
      throw e;
    }
  },
  /** An existing database file with nothing to attach: opening it creates nothing. */
  opensWithoutWriting(target: TargetConfig, options: OpenOptions): boolean {
    const path = duckdbPath(target, options.projectRoot);
    if (path === ':memory:' || path.startsWith('md:') || attachSpecs(target, options.projectRoot).length) return false;
    try {
      return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
    } catch {
      // A path through a file (ENOTDIR), unreadable: the command reports it where it always has.
      return false;
    }
  },
  validateTarget(target: TargetConfig): string[] {
    const er = target.settings.external_root;
    if (er !== undefined && (typeof er !== 'string' || !er.trim())) return ['duckdb external_root must be a folder path or URL (relative to the project, or absolute), where external models write their files'];
    const b = target.settings.bronze_path;
    if (b !== undefined && (typeof b !== 'string' || !b.trim())) return ['duckdb bronze_path must be a folder path (relative to the project, or absolute)'];
    const p = target.settings.path;
    // As dbt-duckdb: the database is the catalog DuckDB names the file by; another name would not resolve.
    const db = target.settings.database;
    if (db !== undefined && (typeof p === 'string' || p === undefined) && String(db) !== fileCatalogName(p)) {
      return [`duckdb database '${String(db)}' does not match the database file: DuckDB names ${String(p ?? DEFAULT_DUCKDB_PATH)} '${fileCatalogName(p)}'; remove database: or set it to '${fileCatalogName(p)}' (a further file goes under attach:)`];
    }
    const problems = extensionProblems(target);
    if (problems.length) return problems;
    if (p === undefined) return attachProblems(target);
    if (typeof p !== 'string') return ['duckdb path must be a string'];
    if (!p.trim()) return ["duckdb path is empty: set it to a file such as my_project.duckdb, or ':memory:'"];
    if (/\{\{|\}\}|\{%|%\}/.test(p)) return [`duckdb path '${p}' still holds a template expression after rendering: check its {{ }} in profiles.yml`];
    if (/\.(csv|tsv|parquet|json|ndjson|xlsx?)$/i.test(p)) return [`duckdb path '${p}' names a data file, not a database: set it to a file such as my_project.duckdb`];
    const s = target.settings.settings;
    if (s !== undefined && (s === null || typeof s !== 'object' || Array.isArray(s))) return ['duckdb settings: must be a mapping of DuckDB option names to values'];
    return attachProblems(target);
  },
};
