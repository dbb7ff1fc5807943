import type { Manifest, MacroDefinition } from '../parse/types.js';
import { conventionsOf } from '../adapters/registry.js';
import { dbtMacroIdentity } from './dbt-macro-identity.js';

/**
 * The warehouse a built-in macro belongs to, when it is one warehouse's: kept under `strata/adapters/<type>/`,
 * named by dbt as its adapter package's (`macro.dbt_<type>.…`), or named `<type>__…` for a warehouse Strata has.
 */
function warehouseOf(m: MacroDefinition): string | undefined {
  if (m.packageName !== 'dbt') return undefined;
  const kept = /(?:^|\/)adapters\/([a-z0-9_]+)\//.exec(m.originalFilePath)?.[1];
  if (kept) return kept;
  const pkg = dbtMacroIdentity(m)?.packageName;
  if (pkg?.startsWith('dbt_')) return pkg.slice('dbt_'.length);
  const prefix = /^([a-z0-9_]+?)__/.exec(m.name)?.[1];
  return prefix && conventionsOf(prefix) ? prefix : undefined;
}

/**
 * The macros manifest.json lists, as dbt's: the global ones, the packages' and the project's, and only the
 * target warehouse's own (dbt loads one adapter's macros). Strata's engine holds every warehouse's (a unit
 * test renders for the embedded one whatever the target), so another warehouse's macro is left out unless a
 * node calls it, directly or through other macros: then `depends_on.macros` names it and `--state` compares it.
 */
export function targetMacros(manifest: Pick<Manifest, 'macros' | 'nodes' | 'adapterType'>): MacroDefinition[] {
  const called = new Set<string>();
  const stack = Object.values(manifest.nodes).flatMap((n) => n.dependsOn.macros);
  while (stack.length) {
    const id = stack.pop()!;
    if (called.has(id)) continue;
    called.add(id);
    stack.push(...(manifest.macros[id]?.dependsOn.macros ?? []));
  }
  return Object.values(manifest.macros).filter((m) => {
    const type = warehouseOf(m);
    return type === undefined || type === manifest.adapterType || called.has(m.uniqueId);
  });
}
