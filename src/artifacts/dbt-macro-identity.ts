import type { MacroDefinition } from '../parse/types.js';
import { conventionsOf } from '../adapters/registry.js';
import { DBT_MACRO_FILES } from './dbt-macro-files.js';

/** A built-in macro as dbt's manifest names it: its package and file there. */
export interface DbtMacroIdentity {
  uniqueId: string;
  packageName: string;
  path: string;
}

/** name → file, for a list of files and the names each defines. */
function byName(files: Record<string, string[]>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [path, list] of Object.entries(files)) for (const name of list) if (!names.has(name)) names.set(name, path);
  return names;
}

const globalFiles = byName(DBT_MACRO_FILES);
const adapterFiles = new Map<string, Map<string, string> | undefined>();

/** The adapter `type`'s macros by name, as dbt's adapter package defines them; none for a type Strata lacks. */
function adapterFilesOf(type: string): Map<string, string> | undefined {
  if (!adapterFiles.has(type)) {
    const files = conventionsOf(type)?.dbtMacroFiles;
    adapterFiles.set(type, files ? byName(files) : undefined);
  }
  return adapterFiles.get(type);
}

/**
 * Strata carries dbt's global macros and the adapters' as package `dbt`, in its own files. dbt's manifest has
 * them where dbt-adapters and each adapter define them: package `dbt` (`macros/…`, `tests/generic/builtin.sql`)
 * or the adapter's `dbt_<type>` (`macro.dbt_<type>.<type>__…`), which tools such as dbt-project-evaluator and
 * dbt_artifacts read. A macro of Strata's own, or of the project, is left as it is.
 */
export function dbtMacroIdentity(m: Pick<MacroDefinition, 'uniqueId' | 'packageName' | 'originalFilePath'>): DbtMacroIdentity | undefined {
  if (m.packageName !== 'dbt') return undefined;
  const name = m.uniqueId.slice('macro.dbt.'.length);
  // Strata's adapter files (`…/adapters/<type>/…`) hold the adapter's macros; the others dbt's global ones.
  const adapter = /(?:^|\/)adapters\/([a-z0-9_]+)\//.exec(m.originalFilePath)?.[1];
  const inAdapter = adapter ? adapterFilesOf(adapter)?.get(name) : undefined;
  if (adapter && inAdapter) return { uniqueId: `macro.dbt_${adapter}.${name}`, packageName: `dbt_${adapter}`, path: inAdapter };
  const global = globalFiles.get(name);
  if (global) return { uniqueId: m.uniqueId, packageName: 'dbt', path: global };
  // `<type>__x` kept elsewhere by Strata, defined by that adapter's package in dbt.
  const prefix = /^([a-z0-9_]+?)__/.exec(name)?.[1];
  const path = prefix ? adapterFilesOf(prefix)?.get(name) : undefined;
  return prefix && path ? { uniqueId: `macro.dbt_${prefix}.${name}`, packageName: `dbt_${prefix}`, path } : undefined;
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
export function strataMacroId(id: string): string {
  const m = /^macro\.dbt_([a-z0-9_]+)\.(.+)$/.exec(id);
  return m && conventionsOf(m[1]!) ? `macro.dbt.${m[2]}` : id;
}
