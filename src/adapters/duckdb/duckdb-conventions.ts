import { basename, dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { DBT_DUCKDB_MACRO_FILES } from './dbt-duckdb-macro-files.js';
import type { AdapterConventions } from '../contract.js';
import { duckdbMacroFiles } from './duckdb-macros.js';
import { duckdbProcessEnvironment } from './duckdb-allocator.js';

/** The database file a DuckDB output names (`path:`), or undefined in memory and on MotherDuck. */
function pathOf(settings: Record<string, unknown>): string | undefined {
  const p = typeof settings.path === 'string' ? settings.path : '';
  return !p || p === ':memory:' || p.startsWith('md:') ? undefined : p;
}

/** The database file of a DuckDB output without `path:`, relative to the project. */
export const DEFAULT_DUCKDB_PATH = 'strata.duckdb';

/**
 * The catalog DuckDB gives the database file a profile's `path:` names (dbt-duckdb's default `database`): as
 * DuckDB names it, the file name's first non-empty part before a dot (`my.data.duckdb` is `my`); `memory` in memory.
 */
export function fileCatalogName(path: unknown = DEFAULT_DUCKDB_PATH): string {
  if (typeof path !== 'string' || path === '' || path === ':memory:') return 'memory';
  const md = /^(md|motherduck):/i.exec(path);
  const file = basename((md ? path.slice(md[0].length) : path).replace(/\?.*$/, '')).split('.').find((part) => part !== '');
  return file || (md ? 'my_db' : 'memory');
}

/** DuckDB without its driver: macros, profile rules, the embedded warehouse unit tests run on. */
export const duckdbConventions: AdapterConventions = {
  type: 'duckdb',
  displayName: 'DuckDB',
  macroFiles: duckdbMacroFiles,
  dbtMacroFiles: DBT_DUCKDB_MACRO_FILES,
  // dbt-duckdb's `database`: the profile's `database:`, else the catalog DuckDB names the database file by (its
  // stem; `memory` in memory), so nodes, sources and `target.database` name it, and relations render in three parts.
  targetNames: (settings) => ({ schema: String(settings.schema ?? 'main'), database: settings.database !== undefined ? String(settings.database) : fileCatalogName(settings.path) }),
  templateDatabase: (settings) => fileCatalogName(settings.path),
  embedded: {
    memoryTarget: { type: 'duckdb', name: 'unit_test', schema: 'main', threads: 1, settings: { path: ':memory:' } },
    // The zero-setup default: a DuckDB file in the project folder (not under target/, which `clean` deletes).
    zeroSetupTarget: (profileName) => ({ type: 'duckdb', name: 'dev', schema: 'main', threads: 4, settings: { type: 'duckdb', path: `${profileName || 'strata'}.duckdb` } }),
    scaffold: {
      profileOutput: (name) => `      type: duckdb\n      path: ${name}.duckdb\n      schema: main\n      threads: 4\n`,
      gitignore: ['*.duckdb', '*.duckdb.wal', '/*_bronze/'],
    },
  },
  databaseFile: (settings, projectRoot) => {
    const p = pathOf(settings);
    return p === undefined ? undefined : isAbsolute(p) ? p : resolve(projectRoot, p);
  },
  // `bronze_path:` (relative to the project), else `<database file's name>_bronze/` beside the database file.
  bronzeFolder: (settings, projectRoot) => {
    const own = settings.bronze_path;
    if (typeof own === 'string' && own.trim()) return isAbsolute(own) ? own : resolve(projectRoot, own);
    const p = pathOf(settings);
    if (p === undefined) return undefined;
    const file = isAbsolute(p) ? p : resolve(projectRoot, p);
    return join(dirname(file), `${basename(file)}_bronze`.replace(/\.duckdb_bronze$/, '_bronze'));
  },
  processEnvironment: duckdbProcessEnvironment,
  singleWriter: true,
  materializations: ['external'],
  readsExternalLocation: true,
  foldsNameCase: true,
  relationUri: (relation, target, workerProjectDir) => {
    const path = typeof target.settings.path === 'string' && target.settings.path ? target.settings.path : ':memory:';
    const file = path === ':memory:' ? 'memory' : isAbsolute(path) ? path : posix.join(workerProjectDir, path);
    return `duckdb://${file}/${relation.schema}.${relation.identifier}`;
  },
  lineage: { grammar: 'duckdb', renamesRepeatedColumns: true },
  // Loaded when `strata clone` runs.
  stateSources: async (input, connection) => (await import('./duckdb-state-sources.js')).duckdbStateSources(input, connection),
  // Loaded when `--defer` defers a node.
  deferReadable: async (input, connection) => (await import('./duckdb-state-sources.js')).duckdbDeferReadable(input, connection),
};
