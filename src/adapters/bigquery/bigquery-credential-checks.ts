import { createPrivateKey } from 'node:crypto';

/**
 * A `keyfile_json` (parsed) whose key the Google client could not sign with: which field is wrong and how
 * to fix it, never the key itself. Undefined when it looks usable.
 */
export function keyfileJsonProblem(key: Record<string, unknown>, where: string): string | undefined {
  if (typeof key.client_email !== 'string' || !key.client_email) return `${where}: keyfile_json has no client_email: paste the whole JSON key file of the service account (best from env_var)`;
  if (typeof key.private_key !== 'string' || !key.private_key) return `${where}: keyfile_json has no private_key: paste the whole JSON key file of the service account (best from env_var)`;
  try {
    createPrivateKey(key.private_key);
    return undefined;
  } catch {
    const hint = key.private_key.includes('\\n') && !key.private_key.includes('\n')
      ? ' (its line breaks are the two characters \\n: in YAML write the value in double quotes, or read the JSON with env_var)'
      : '';
    return `${where}: keyfile_json.private_key is not a PEM private key${hint}: it must be the key file's private_key exactly, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----`;
  }
}

/** True for an endpoint on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const host = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
