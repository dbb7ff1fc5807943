import { targetRules } from '../adapters/registry.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import type { Connection, Relation } from '../adapters/contract.js';
import { attachSql } from '../adapters/duckdb/duckdb-attach.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { diskFileSource, loadProfile, parseYamlFile } from '../project/index.js';
import type { TargetConfig } from '../project/types.js';
import type { StateManifest } from '../select/index.js';
import type { PreparedProject } from './prepare.js';

/** The catalog a state relation without a database is read from, when it lives in another DuckDB file. */
const STATE_ALIAS = 'strata_state';

/** How the state's relations are named from this target's connection, and what to undo afterwards. */
export interface StateRelations {
  /** The state relation as this connection reads it (its database qualified where it is another file). */
  locate(relation: Relation): Relation;
  diagnostics: Diagnostic[];
  /** Detaches what was attached for the clone. */
  release(connection: Connection): Promise<void>;
}

/**
 * Where the state's relations are. On BigQuery they are named in full. On DuckDB they may be in another
 * database file: a relation with a `database` (dbt-duckdb's manifests) names a catalog, found among this
 * target's catalogs (its file and `attach:` entries) or as a DuckDB output of the same profile; a relation
 * without one (Strata's) is in the file of the target that wrote the state — named by `args.target` of the
 * `run_results.json` beside its manifest — or in this target's file. Another file is attached read-only.
 */
export async function stateRelations(p: PreparedProject, state: StateManifest, connection: Connection, profileName = p.project.config.profile): Promise<StateRelations> {
  const none: StateRelations = { locate: (r) => r, diagnostics: [], release: async () => undefined };
  if (p.adapter.type !== 'duckdb') return none;
  const { rows } = await connection.query('select database_name, path from duckdb_databases()');
  const catalogs = new Map(rows.map((r) => [String(r.database_name), r.path === null ? '' : String(r.path)]));
  const current = String((await connection.query('select current_database() as db')).rows[0]?.db ?? '');
  const files = duckdbOutputs(p, profileName);
  const attached: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const attach = async (path: string, alias: string): Promise<void> => {
    await connection.execute(attachSql({ path, alias, read_only: true }));
    catalogs.set(alias, path);
    attached.push(alias);
  };
  // Relations without a database: the state target's file, when that is not this target's.
  const stateTarget = stateTargetName(state.path);
  const stateFile = stateTarget && stateTarget !== p.project.target.name ? files.find((f) => f.name === stateTarget)?.path : undefined;
  const unqualified = stateFile && stateFile !== catalogs.get(current) ? STATE_ALIAS : undefined;
  if (unqualified) await attach(stateFile!, STATE_ALIAS);
  const wanted = new Set([...state.nodes.values()].map((n) => n.relation?.database).filter((d): d is string => !!d && !catalogs.has(d)));
  for (const db of wanted) {
    const file = files.find((f) => f.catalog === db);
    if (file && existsSync(file.path)) await attach(file.path, db);
    else diagnostics.push({ code: 'clone-state-unreadable', severity: 'error', message: `the state manifest's relations are in the DuckDB database '${db}', which this target cannot read`, file: state.path, hint: `add it to the attach: list of target '${p.project.target.name}' in profiles.yml ({path: ${db}.duckdb, alias: ${db}, read_only: true}), or add a DuckDB output for it to the profile` });
  }
  return {
    locate: (r) => (r.database ? r : unqualified ? { ...r, database: unqualified } : r),
    diagnostics,
    release: async (c) => {
      for (const alias of attached) await c.execute(`detach database if exists "${alias.replace(/"/g, '""')}"`).catch(() => undefined);
    },
  };
}

/** `args.target` of the run_results.json beside the state manifest: the target that built the state. */
function stateTargetName(manifestPath: string): string | undefined {
  const file = join(manifestPath, '..', 'run_results.json');
  if (!existsSync(file)) return undefined;
  try {
    const target = (JSON.parse(readFileSync(file, 'utf8')) as { args?: { target?: unknown } }).args?.target;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** The DuckDB outputs of the project's profile: name, file and catalog name (`database:` or the file's name). */
function duckdbOutputs(p: PreparedProject, profileName: string): { name: string; path: string; catalog: string }[] {
  const file = p.project.profilesFile;
  if (!file || !existsSync(file)) return [];
  const parsed = parseYamlFile(file, readFileSync(file, 'utf8')).file?.value as Record<string, { outputs?: Record<string, unknown> }> | undefined;
  const names = Object.keys(parsed?.[profileName]?.outputs ?? {});
  const root = p.project.config.rootDir;
  const out: { name: string; path: string; catalog: string }[] = [];
  for (const name of names) {
    const target: TargetConfig | undefined = name === p.project.target.name ? p.project.target : loadProfile({ profileName, projectRoot: root, profilesDir: join(file, '..'), target: name, env: p.env, fs: diskFileSource, rules: targetRules }).target;
    if (target?.type !== 'duckdb') continue;
    const raw = String(target.settings.path ?? `${profileName}.duckdb`);
    if (raw === ':memory:' || raw.startsWith('md:')) continue;
    const path = isAbsolute(raw) ? raw : resolve(root, raw);
    out.push({ name, path, catalog: target.database ?? basename(path, extname(path)) });
  }
  return out;
}
