import { closest, type Diagnostic } from '../diagnostics/index.js';

/** The resource types `--resource-type` knows: dbt's, plus Strata's `landing`. */
export const RESOURCE_TYPES = ['model', 'seed', 'test', 'unit_test', 'source', 'snapshot', 'analysis', 'exposure', 'landing', 'metric', 'semantic_model', 'saved_query'];

/** What `ls` lists without `--resource-type`, and for `default`: every type but analyses, as dbt's `ls`. */
export const LIST_DEFAULT_TYPES = RESOURCE_TYPES.filter((t) => t !== 'analysis');

/**
 * A multi-value flag's values as dbt reads them: each value may hold several, separated by spaces (dbt's
 * `--output-keys "name resource_type"`) or commas.
 */
export function splitFlagValues(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/**
 * `--resource-type` values as a filter: `all` and `default` (dbt's words for every type, and the types the
 * command lists anyway) mean no filter; an unknown type is a usage error with the nearest name. With
 * `defaults` (a command, such as `ls`, whose default leaves some types out), no flag and `default` mean those
 * types, and `all` every type.
 */
export function resourceTypeFilter(values: string[] | undefined, flag = '--resource-type', defaults?: string[]): { types?: string[]; diagnostics: Diagnostic[] } {
  const split = splitFlagValues(values);
  if (!split.length) return { ...(defaults ? { types: defaults } : {}), diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  for (const v of split) {
    if (v === 'all' || v === 'default' || RESOURCE_TYPES.includes(v)) continue;
    const near = closest(v, [...RESOURCE_TYPES, 'all', 'default']);
    diagnostics.push({ code: 'resource-type-unknown', severity: 'error', message: `${flag} '${v}' is not a resource type`, file: flag, hint: `${near ? `did you mean '${near}'? ` : ''}one of: ${RESOURCE_TYPES.join(', ')}, all, default` });
  }
  if (split.includes('all') || (split.includes('default') && !defaults)) return { diagnostics };
  if (split.includes('default')) return { types: [...new Set([...defaults!, ...split.filter((t) => t !== 'default')])], diagnostics };
  return { types: split, diagnostics };
}
