import { basename, extname, isAbsolute, resolve } from 'node:path';
import type { TargetConfig } from '../../project/types.js';

/** One entry of a DuckDB profile's `attach:` list, as dbt-duckdb reads it. */
export interface AttachSpec {
  /** The database file (relative to the project root, like `path`), or `:memory:`. */
  path: string;
  /** The catalog name models use as their `database`; DuckDB's default is the file name without extension. */
  alias?: string;
  /** Another storage type DuckDB reads (`sqlite`, `postgres`…); needs its extension, which Strata never downloads. */
  type?: string;
  read_only?: boolean;
}

/** Problems with the `attach:` setting, worded for the user; empty when it is absent or well formed. */
export function attachProblems(target: TargetConfig): string[] {
  const raw = target.settings.attach;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return ['duckdb attach must be a list of {path, alias, read_only, type}'];
  const problems: string[] = [];
  const aliases = new Set<string>();
  raw.forEach((entry, i) => {
    const e = entry as Partial<AttachSpec> | null;
    if (!e || typeof e !== 'object' || typeof e.path !== 'string' || !e.path) {
      problems.push(`duckdb attach entry ${i + 1} needs a path (the database file to attach)`);
      return;
    }
    const alias = aliasOf(e as AttachSpec);
    if (aliases.has(alias)) problems.push(`duckdb attach: the alias '${alias}' is used twice; give each attached database its own alias`);
    aliases.add(alias);
  });
  return problems;
}

/** The attached databases of a target, with paths resolved against the project root. */
export function attachSpecs(target: TargetConfig, projectRoot: string): AttachSpec[] {
  const raw = target.settings.attach;
  if (!Array.isArray(raw)) return [];
  return (raw as AttachSpec[]).map((e) => ({ ...e, path: resolveDbPath(String(e.path), projectRoot), alias: aliasOf(e) }));
}

function aliasOf(e: AttachSpec): string {
  return e.alias ? String(e.alias) : basename(String(e.path), extname(String(e.path)));
}

function resolveDbPath(p: string, projectRoot: string): string {
  if (p === ':memory:' || p.startsWith('md:') || /^[a-z]+:\/\//i.test(p) || p.includes('=')) return p;
  return isAbsolute(p) ? p : resolve(projectRoot, p);
}

/** `ATTACH` for one entry; `IF NOT EXISTS` so a second open of the same instance is harmless. */
export function attachSql(spec: AttachSpec): string {
  const options = [spec.type ? `type ${spec.type.replace(/[^A-Za-z0-9_]/g, '')}` : '', spec.read_only ? 'read_only' : ''].filter(Boolean);
  const path = `'${spec.path.replace(/'/g, "''")}'`;
  const alias = `"${String(spec.alias).replace(/"/g, '""')}"`;
  return `attach if not exists ${path} as ${alias}${options.length ? ` (${options.join(', ')})` : ''}`;
}
