import { hookOf } from '../project/index.js';

/**
 * A node's config as manifest.json has it: dbt serialises its `pre_hook` / `post_hook` fields under their
 * aliases `pre-hook` / `post-hook`, each hook one of its `Hook` objects `{sql, transaction, index}` (index is
 * null on a node's hooks; only on-run-start / on-run-end hooks are numbered). In memory a hook stays the one
 * string a config keeps (project/hook-config.ts); the rest of the config is written as it is.
 */
export function configJson(config: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'pre_hook' || key === 'post_hook') out[key === 'pre_hook' ? 'pre-hook' : 'post-hook'] = hookObjects(value);
    else out[key] = value;
  }
  return out;
}

/** The hooks of a config (strings, or already dbt's objects when read from a manifest) as dbt's `Hook` objects. */
export function hookObjects(value: unknown): { sql: string; transaction: boolean; index: number | null }[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.map((h) => {
    if (h && typeof h === 'object' && 'sql' in h) {
      const o = h as { sql: unknown; transaction?: unknown; index?: unknown };
      return { sql: String(o.sql), transaction: o.transaction !== false, index: typeof o.index === 'number' ? o.index : null };
    }
    return { ...hookOf(String(h)), index: null };
  });
}
