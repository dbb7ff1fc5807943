/**
 * dbt-duckdb's `extensions:` and `secrets:` in a DuckDB profile, applied when the database opens.
 * `extensions`: names (or `{name, repo}`) loaded on the instance; one that is not there yet is installed first
 * (from `repo` when given), which downloads it — Strata never downloads one on its own (auto-install is off).
 * `secrets`: each a DuckDB secret (`create or replace secret _dbt_secret_1 (type s3, key_id '…', …)`), named
 * as dbt-duckdb names them; the values are the profile's, never printed.
 */
import type { TargetConfig } from '../../project/types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quote = (v: unknown): string => `'${String(v).replace(/'/g, "''")}'`;

export interface ExtensionSpec {
  name: string;
  repo?: string;
}

/** What is wrong with the profile's `extensions:` and `secrets:`, as profile problems. */
export function extensionProblems(target: TargetConfig): string[] {
  const out: string[] = [];
  const ext = target.settings.extensions;
  if (ext !== undefined && ext !== null) {
    if (!Array.isArray(ext)) out.push('duckdb extensions must be a list of extension names (or {name, repo} entries)');
    else for (const e of ext) if (!specOf(e)) out.push(`duckdb extensions: ${JSON.stringify(e)} is not an extension name or a {name, repo} entry`);
  }
  const secrets = target.settings.secrets;
  if (secrets !== undefined && secrets !== null) {
    if (!Array.isArray(secrets)) out.push('duckdb secrets must be a list of secrets, each with a type (s3, gcs, http, …)');
    else secrets.forEach((s, i) => {
      if (!s || typeof s !== 'object' || Array.isArray(s) || typeof (s as Record<string, unknown>).type !== 'string') out.push(`duckdb secrets: entry ${i + 1} needs a type (s3, gcs, r2, azure, http, …)`);
      else {
        for (const k of Object.keys(s as object)) if (!NAME.test(k)) out.push(`duckdb secrets: entry ${i + 1} has a key '${k}' that is not a name`);
        const name = (s as Record<string, unknown>).name;
        if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) out.push(`duckdb secrets: entry ${i + 1} has a name (${JSON.stringify(name)}) that is not a DuckDB name (letters, digits, _)`);
      }
    });
  }
  return out;
}

function specOf(e: unknown): ExtensionSpec | undefined {
  if (typeof e === 'string' && NAME.test(e)) return { name: e };
  if (e && typeof e === 'object' && !Array.isArray(e)) {
    const { name, repo } = e as Record<string, unknown>;
    if (typeof name === 'string' && NAME.test(name) && (repo === undefined || typeof repo === 'string')) return { name, ...(repo ? { repo } : {}) };
  }
  return undefined;
}

export function extensionSpecs(target: TargetConfig): ExtensionSpec[] {
  const ext = target.settings.extensions;
  return Array.isArray(ext) ? ext.map(specOf).filter((s): s is ExtensionSpec => !!s) : [];
}

/** A value of a secret as dbt-duckdb writes it: a map, a list, a bare word (type, provider), else a string. */
function secretValue(key: string, value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) return `${key} map {${Object.entries(value).map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}}`;
  if (Array.isArray(value)) return `${key} array [${value.map(quote).join(', ')}]`;
  if (['type', 'provider', 'extra_http_headers'].includes(key) && NAME.test(String(value))) return `${key} ${String(value)}`;
  return `${key} ${quote(value)}`;
}

/** `create or replace [persistent] secret <name> (…)` per entry of the profile's `secrets:`. */
export function secretsSql(target: TargetConfig): string[] {
  const secrets = target.settings.secrets;
  if (!Array.isArray(secrets)) return [];
  return secrets.map((raw, i) => {
    const s = { ...(raw as Record<string, unknown>) };
    const name = typeof s.name === 'string' ? s.name : `_dbt_secret_${i + 1}`;
    const persistent = s.persistent === true ? ' persistent' : '';
    const scope = s.scope === undefined || s.scope === null ? [] : Array.isArray(s.scope) ? s.scope : [s.scope];
    delete s.name;
    delete s.persistent;
    delete s.scope;
    const params = Object.entries(s).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => secretValue(k, v));
    for (const sc of scope) params.push(`scope ${quote(sc)}`);
    return `create or replace${persistent} secret ${name} (${params.join(', ')})`;
  });
}
