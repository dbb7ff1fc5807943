/**
 * The macros a template calls, found in its text without rendering it, as dbt finds them for a macro's
 * `depends_on.macros` (dbt-core's static extraction): `name(…)` and `package.name(…)` inside tags, and
 * `adapter.dispatch('name', 'namespace')` resolved to the implementation this target would call
 * (`duckdb__name`, else `default__name`), so that an edit of that implementation reaches its callers.
 */

/** What the scan asks of the macro namespace. */
export interface MacroLookup {
  /** The package whose macro `name` a template of package `local` calls: its own first, then dbt's search order. */
  packageOf(name: string, local: string): string | undefined;
  has(name: string, pkg: string): boolean;
  isPackage(name: string): boolean;
  /** `adapter.dispatch(name, namespace)`: the implementation's id, if one exists. */
  dispatch(name: string, namespace: string | undefined): string | undefined;
}

/** What `adapter.dispatch` searches: the macros by package, the `dispatch:` search orders, the project and the adapter type. */
export interface DispatchSpace {
  has(name: string, pkg: string): boolean;
  packages(): string[];
  projectName: string;
  adapterType: string;
  searchOrders?: { macro_namespace: string; search_order: string[] }[];
}

/**
 * The macro `adapter.dispatch(name, namespace)` calls: `<adapter>__name`, then `default__name`, each in the
 * namespace's `dispatch:` search order, the project, the namespace, then every package. Run renders and the
 * static scan share it, so `depends_on.macros` names the macro a run calls.
 */
export function dispatchTarget(space: DispatchSpace, name: string, namespace: string | undefined): { pkg: string; name: string } | undefined {
  const order = space.searchOrders?.find((d) => d.macro_namespace === namespace)?.search_order ?? [];
  const packages = [...order, space.projectName, ...(namespace ? [namespace] : []), ...space.packages()];
  for (const prefix of [space.adapterType, 'default']) {
    for (const pkg of packages) if (space.has(`${prefix}__${name}`, pkg)) return { pkg, name: `${prefix}__${name}` };
  }
  return undefined;
}

const TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const DEFINITION = /^\{%-?\s*(?:macro|test|materialization)\b/;
const DISPATCH = /adapter\s*\.\s*dispatch\s*\(\s*(?:macro_name\s*=\s*)?(['"])(\w+)\1\s*(?:,\s*(?:macro_namespace\s*=\s*)?(['"])(\w+)\3)?/g;
const STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
const CALL = /(?<![\w.])([A-Za-z_]\w*)(?:\s*\.\s*([A-Za-z_]\w*))?\s*\(/g;
/** Context functions dbt never records as macro calls, even where a project defines a macro of that name. */
const STANDARD = new Set(['ref', 'source', 'config']);

/**
 * Ids (`macro.<package>.<name>`) of the macros `source` calls, in order of first call. `local` is the package
 * of the template; `self` (a macro's own name) is left out, as dbt leaves it out.
 */
export function staticMacroCalls(source: string, local: string, lookup: MacroLookup, self?: string): string[] {
  const used = new Set<string>();
  for (const tag of source.matchAll(TAG)) {
    const text = tag[0];
    if (DEFINITION.test(text)) continue;
    for (const d of text.matchAll(DISPATCH)) {
      const id = lookup.dispatch(d[2]!, d[4]);
      if (id) used.add(id);
    }
    for (const c of text.replace(STRING, "''").matchAll(CALL)) {
      const [, first, second] = c;
      if (second !== undefined) {
        if (first !== 'adapter' && lookup.isPackage(first!) && lookup.has(second, first!)) used.add(`macro.${first}.${second}`);
        continue;
      }
      if (first === self || STANDARD.has(first!)) continue;
      const pkg = lookup.packageOf(first!, local);
      if (pkg) used.add(`macro.${pkg}.${first}`);
    }
  }
  return [...used];
}
