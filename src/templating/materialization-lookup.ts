import type { Diagnostic } from '../diagnostics/index.js';
import type { MacroInfo } from './types.js';

/** Materializations Strata runs with its own code, whatever a project's `{% materialization %}` blocks say. */
export const BUILTIN_MATERIALIZATIONS: ReadonlySet<string> = new Set(['view', 'table', 'incremental', 'ephemeral', 'seed', 'snapshot', 'test', 'unit']);

/** Whether Strata runs `name` with its own code: dbt's built-ins, and `adapterOwn`, the target warehouse's own (its conventions' `materializations`). */
export function isBuiltinMaterialization(name: string, adapterOwn: readonly string[] = []): boolean {
  return BUILTIN_MATERIALIZATIONS.has(name) || adapterOwn.includes(name);
}

/**
 * The `{% materialization %}` block dbt would run for `name` on `adapterType`, as dbt-core's
 * find_materialization_macro_by_name: an adapter-specific block before a `default` one, and among equals the
 * root project's before a package's. Strata's built-in materializations are never looked up here.
 */
export function findMaterialization(blocks: readonly MacroInfo[], projectName: string, name: string, adapterType: string): MacroInfo | undefined {
  let best: MacroInfo | undefined;
  let bestRank = -1;
  for (const b of blocks) {
    if (b.name !== name || b.packageName === 'dbt') continue;
    const adapter = b.adapter ?? 'default';
    if (adapter !== adapterType && adapter !== 'default') continue;
    const rank = (adapter === adapterType ? 2 : 0) + (b.packageName === projectName ? 1 : 0);
    if (rank > bestRank) [best, bestRank] = [b, rank];
  }
  return best;
}

/**
 * dbt's DuplicateMaterializationNameError: the block `findMaterialization` picks has an equal (same adapter
 * specificity, two packages), so which one runs would depend on the order packages were read.
 */
export function duplicateMaterialization(blocks: readonly MacroInfo[], projectName: string, name: string, adapterType: string): Diagnostic | undefined {
  const best = findMaterialization(blocks, projectName, name, adapterType);
  if (!best || best.packageName === projectName) return undefined;
  const same = blocks.find((b) => b !== best && b.name === name && b.packageName !== 'dbt' && b.packageName !== projectName && (b.adapter ?? 'default') === (best.adapter ?? 'default'));
  if (!same) return undefined;
  return {
    code: 'materialization-duplicate',
    severity: 'error',
    message: `materialization '${name}' (${best.adapter ?? 'default'}) is defined by two packages, '${best.packageName}' (${best.path}) and '${same.packageName}' (${same.path}): dbt refuses to choose`,
    file: same.path,
    line: same.line,
    hint: `define '${name}' in the root project (it wins over packages), or remove one of the packages' blocks`,
  };
}

/** The macro name dbt gives a materialization block: `materialization_<name>_<adapter>`. */
export const materializationMacroName = (b: Pick<MacroInfo, 'name' | 'adapter'>): string => `materialization_${b.name}_${b.adapter ?? 'default'}`;

/**
 * A warning for each block of the root project that redefines a built-in materialization (dbt would run the
 * project's; Strata runs its own). Packages' are left alone: dbt itself ignores a package's override of a
 * built-in unless the root project wraps it (require_explicit_package_overrides_for_builtin_materializations).
 */
export function ignoredOverrides(blocks: readonly MacroInfo[], projectName: string, adapterType: string, adapterOwn: readonly string[] = []): Diagnostic[] {
  return blocks
    .filter((b) => b.packageName === projectName && isBuiltinMaterialization(b.name, adapterOwn) && (b.adapter === undefined || b.adapter === 'default' || b.adapter === adapterType))
    .map((b) => ({
      code: 'materialization-override-ignored',
      severity: 'warn',
      message: `{% materialization ${b.name}, ${b.adapter && b.adapter !== 'default' ? `adapter='${b.adapter}'` : 'default'} %} redefines the built-in '${b.name}' materialization: Strata runs its own '${b.name}', not this block (dbt would run the project's)`,
      file: b.path,
      line: b.line,
      hint: `give the block another name (e.g. ${b.name}_custom) and set materialized='${b.name}_custom' on the models that need it, or remove it`,
    }));
}
