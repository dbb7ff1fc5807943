/** The prefix of the environment variables dbt copies into every artifact's `metadata.env`. */
const PREFIX = 'DBT_ENV_CUSTOM_ENV_';

/**
 * dbt's `metadata.env`: each `DBT_ENV_CUSTOM_ENV_<key>` variable as `<key>` (prefix removed, case kept), so a
 * run can be tagged with its job or commit for the tools that read the artifacts. None without an environment.
 */
export function metadataEnv(env: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!env) return out;
  for (const [k, v] of Object.entries(env)) if (k.startsWith(PREFIX) && k.length > PREFIX.length && v !== undefined) out[k.slice(PREFIX.length)] = v;
  return out;
}
