import { closest, type Diagnostic } from '../diagnostics/index.js';

/** The resource types `--resource-type` knows: dbt's, plus Strata's `landing`. */
export const RESOURCE_TYPES = ['model', 'seed', 'test', 'unit_test', 'source', 'snapshot', 'analysis', 'exposure', 'landing', 'metric', 'semantic_model', 'saved_query'];

/**
 * `--resource-type` values as a filter: `all` and `default` (dbt's words for every type, and the types the
 * command lists anyway) mean no filter; an unknown type is a usage error with the nearest name.
 */
export function resourceTypeFilter(values: string[] | undefined, flag = '--resource-type'): { types?: string[]; diagnostics: Diagnostic[] } {
  if (!values?.length) return { diagnostics: [] };
  const split = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const diagnostics: Diagnostic[] = [];
  for (const v of split) {
    if (v === 'all' || v === 'default' || RESOURCE_TYPES.includes(v)) continue;
    const near = closest(v, [...RESOURCE_TYPES, 'all', 'default']);
    diagnostics.push({ code: 'resource-type-unknown', severity: 'error', message: `${flag} '${v}' is not a resource type`, file: flag, hint: `${near ? `did you mean '${near}'? ` : ''}one of: ${RESOURCE_TYPES.join(', ')}, all, default` });
  }
  if (split.includes('all') || split.includes('default')) return { diagnostics };
  return { types: split, diagnostics };
}
