import type { MacroDefinition } from '../parse/types.js';
import { DBT_MACRO_FILES } from './dbt-macro-files.js';

/** A built-in macro as dbt's manifest names it: its package and file there. */
export interface DbtMacroIdentity {
  uniqueId: string;
  packageName: string;
  path: string;
}

type Known = keyof typeof DBT_MACRO_FILES;
const fileOf = new Map<Known, Map<string, string>>();
for (const pkg of Object.keys(DBT_MACRO_FILES) as Known[]) {
  const names = new Map<string, string>();
  for (const [path, list] of Object.entries(DBT_MACRO_FILES[pkg])) for (const name of list) if (!names.has(name)) names.set(name, path);
  fileOf.set(pkg, names);
}

/** dbt's package of an adapter's macros: `dbt_duckdb`, `dbt_bigquery`. */
const adapterPackage = (adapter: string): string => `dbt_${adapter}`;

/**
 * Strata carries dbt's global macros and the adapters' as package `dbt`, in its own files. dbt's manifest has
 * them where dbt-adapters, dbt-duckdb and dbt-bigquery define them: package `dbt` (`macros/…`,
 * `tests/generic/builtin.sql`) or `dbt_duckdb` / `dbt_bigquery` (`macro.dbt_duckdb.duckdb__…`), which tools such
 * as dbt-project-evaluator and dbt_artifacts read. A macro of Strata's own, or of the project, is left as it is.
 */
export function dbtMacroIdentity(m: Pick<MacroDefinition, 'uniqueId' | 'name' | 'packageName' | 'originalFilePath'>): DbtMacroIdentity | undefined {
  if (m.packageName !== 'dbt') return undefined;
  const name = m.uniqueId.slice('macro.dbt.'.length);
  // Strata's adapter files (`…/adapters/duckdb/…`) hold the adapter's macros; the others dbt's global ones.
  const adapter = /(?:^|\/)adapters\/(duckdb|bigquery)\//.exec(m.originalFilePath)?.[1] as Known | undefined;
  const inAdapter = adapter ? fileOf.get(adapter)!.get(name) : undefined;
  if (adapter && inAdapter) return { uniqueId: `macro.${adapterPackage(adapter)}.${name}`, packageName: adapterPackage(adapter), path: inAdapter };
  const global = fileOf.get('dbt')!.get(name);
  if (global) return { uniqueId: m.uniqueId, packageName: 'dbt', path: global };
  for (const other of ['duckdb', 'bigquery'] as const) {
    const path = fileOf.get(other)!.get(name);
    if (path && name.startsWith(`${other}__`)) return { uniqueId: `macro.${adapterPackage(other)}.${name}`, packageName: adapterPackage(other), path };
  }
  return undefined;
}

/** Each built-in macro id that dbt's manifest spells otherwise, mapped to dbt's id (for `depends_on.macros`). */
export function dbtMacroIds(macros: Record<string, MacroDefinition>): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of Object.values(macros)) {
    const id = dbtMacroIdentity(m)?.uniqueId;
    if (id && id !== m.uniqueId) out.set(m.uniqueId, id);
  }
  return out;
}

/** A manifest id dbt's way back to Strata's: its built-ins are all package `dbt` (read with `--state`). */
export const strataMacroId = (id: string): string => id.replace(/^macro\.dbt_(?:duckdb|bigquery)\./, 'macro.dbt.');
