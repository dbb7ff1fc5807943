import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Connection } from '../contract.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import type { StateSources, StateSourcesInput } from '../conventions.js';
import { attachSql } from './duckdb-attach.js';
import { DEFAULT_DUCKDB_PATH, fileCatalogName } from './duckdb-conventions.js';

/** The catalog a state relation without a database is read from, when it lives in another DuckDB file. */
const STATE_ALIAS = 'strata_state';

/** The DuckDB outputs of the profile: name, file and catalog name (`database:` or the file's name). */
function duckdbFiles(input: StateSourcesInput): { name: string; path: string; catalog: string }[] {
  const out: { name: string; path: string; catalog: string }[] = [];
  for (const { name, target } of input.profileOutputs) {
    if (target.type !== 'duckdb') continue;
    // Without `path:`, the file the adapter opens for the output.
    const raw = String(target.settings.path ?? DEFAULT_DUCKDB_PATH);
    if (raw === ':memory:' || raw.startsWith('md:')) continue;
    const path = isAbsolute(raw) ? raw : resolve(input.projectRoot, raw);
    out.push({ name, path, catalog: target.database ?? fileCatalogName(path) });
  }
  return out;
}

/**
 * Where the state's relations are on DuckDB: they may be in another database file. A relation with a
 * `database` (dbt-duckdb's manifests) names a catalog, found among this target's catalogs (its file and
 * `attach:` entries) or as a DuckDB output of the same profile; a relation without one (Strata's) is in the
 * file of the target that wrote the state, or in this target's file. Another file is attached read-only.
 */
export async function duckdbStateSources(input: StateSourcesInput, connection: Connection): Promise<StateSources> {
  const { rows } = await connection.query('select database_name, path from duckdb_databases()');
  const catalogs = new Map(rows.map((r) => [String(r.database_name), r.path === null ? '' : String(r.path)]));
  const current = String((await connection.query('select current_database() as db')).rows[0]?.db ?? '');
  const files = duckdbFiles(input);
  const attached: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const attach = async (path: string, alias: string): Promise<void> => {
    await connection.execute(attachSql({ path, alias, read_only: true }));
    catalogs.set(alias, path);
    attached.push(alias);
  };
  // Relations without a database: the state target's file, when that is not this target's.
  const { stateTarget, targetName } = input;
  const stateFile = stateTarget && stateTarget !== targetName ? files.find((f) => f.name === stateTarget)?.path : undefined;
  const unqualified = stateFile && stateFile !== catalogs.get(current) ? STATE_ALIAS : undefined;
  if (unqualified) await attach(stateFile!, STATE_ALIAS);
  for (const db of new Set(input.stateDatabases.filter((d) => !catalogs.has(d)))) {
    const file = files.find((f) => f.catalog === db);
    if (file && existsSync(file.path)) await attach(file.path, db);
    else diagnostics.push({ code: 'clone-state-unreadable', severity: 'error', message: `the state manifest's relations are in the DuckDB database '${db}', which this target cannot read`, file: input.stateManifestPath, hint: `add it to the attach: list of target '${targetName}' in profiles.yml ({path: ${db}.duckdb, alias: ${db}, read_only: true}), or add a DuckDB output for it to the profile` });
  }
  return {
    locate: (r) => (r.database ? r : unqualified ? { ...r, database: unqualified } : r),
    diagnostics,
    release: async (c) => {
      for (const alias of attached) await c.execute(`detach database if exists "${alias.replace(/"/g, '""')}"`).catch(() => undefined);
    },
  };
}

/**
 * `--defer`: the state relations this connection cannot read, as diagnostics. Nothing is attached here: a
 * deferred relation is written into this target's SQL (a view keeps naming it), so the state's file must be one
 * of this target's catalogs every time the target is read, which is what an `attach:` entry does (as dbt-duckdb).
 */
export async function duckdbDeferReadable(input: StateSourcesInput, connection: Connection): Promise<Diagnostic[]> {
  const { rows } = await connection.query('select database_name from duckdb_databases()');
  const catalogs = new Set(rows.map((r) => String(r.database_name)));
  const files = duckdbFiles(input);
  const fix = (path: string, alias: string): string => `add the state's file to the attach: list of target '${input.targetName}' in profiles.yml ({path: '${path}', alias: ${alias}, read_only: true}); or copy the state's relations into this target with strata clone --state`;
  const out: Diagnostic[] = [];
  for (const db of new Set(input.stateDatabases.filter((d) => !catalogs.has(d)))) {
    const path = files.find((f) => f.catalog === db)?.path ?? `${db}.duckdb`;
    out.push({ code: 'defer-state-unreadable', severity: 'error', message: `--defer reads relations of the state manifest in the DuckDB database '${db}', which target '${input.targetName}' does not attach`, file: input.stateManifestPath, hint: fix(path, db) });
  }
  return out;
}
