import { SECRET_KEYS } from '../diagnostics/index.js';
import type { TargetConfig, TargetRules } from './types.js';

/**
 * The `target` object templates see, in models and in YAML values alike (`+materialized: "{{ 'table' if
 * target.type == 'duckdb' else 'view' }}"` in dbt_project.yml or a property file): the profile output without
 * credentials, at any depth (an `s3:` block's `secret_access_key` too), as dbt's `target` leaves out passwords
 * and keys. Endpoints, regions and other settings stay visible.
 */
export function targetView(t: TargetConfig, profileName: string, templateDatabase?: TargetRules['templateDatabase']): Record<string, unknown> {
  const visible = withoutSecrets(t.settings) as Record<string, unknown>;
  return { ...visible, name: t.name, type: t.type, schema: t.schema, database: t.database ?? visible.database ?? templateDatabase?.(t.type, visible), threads: t.threads, profile_name: profileName };
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k)) out[k] = withoutSecrets(v);
  return out;
}
