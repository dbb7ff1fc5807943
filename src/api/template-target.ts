import { conventionsOf } from '../adapters/registry.js';
import { SECRET_KEYS } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';

/**
 * The `target` object templates see: the profile output without credentials, at any depth (an `s3:` block's
 * `secret_access_key` too), as dbt's `target` leaves out passwords and keys. Endpoints, regions and other
 * settings stay visible.
 */
export function templateTarget(project: LoadedProject): Record<string, unknown> {
  const t = project.target;
  const visible = withoutSecrets(t.settings) as Record<string, unknown>;
  return { ...visible, name: t.name, type: t.type, schema: t.schema, database: t.database ?? visible.database ?? conventionsOf(t.type)?.templateDatabase?.(visible), threads: t.threads, profile_name: project.config.profile };
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k)) out[k] = withoutSecrets(v);
  return out;
}
