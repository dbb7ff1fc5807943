import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExternalSpec } from '../parse/types.js';
import type { GcsSettings, ObjectStore, S3Settings } from './object-store.js';
import { GcsStore, parseGcsLocation } from './gcs-store.js';
import { LocalStore } from './local-store.js';
import { S3Store, parseS3Location } from './s3-store.js';

/** The object store behind an `external.location`: `s3://…`, `gs://…`, `file:///…` or a path relative to the project. */
export function storeFor(spec: ExternalSpec, projectRoot: string, s3: S3Settings, gcs: GcsSettings = {}): ObjectStore {
  const location = String(spec.location ?? '');
  if (location.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Location(location);
    return new S3Store(bucket, prefix, s3);
  }
  if (location.startsWith('gs://')) {
    const { bucket, prefix } = parseGcsLocation(location);
    return new GcsStore(bucket, prefix, gcs);
  }
  if (location.startsWith('file://')) return new LocalStore(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`unsupported location scheme in ${location}; use s3://, gs://, file:// or a local path`);
  return isAbsolute(location) ? new LocalStore(location) : projectLocalStore(resolve(projectRoot), location);
}

/**
 * A location written relative to the project: its objects are named relative to the project root
 * (`file:landing/x/key`), the same in every folder the project is checked out or moved to. One that leaves
 * the project (`../shared/`) is named by its absolute path, as it does not move with the project.
 */
function projectLocalStore(root: string, location: string): LocalStore {
  const dir = resolve(root, location);
  const rel = relative(root, dir).split(sep).join('/');
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? new LocalStore(dir) : new LocalStore(dir, rel, root);
}

/** S3 settings from the profile output's `s3:` block; unset values fall back to the AWS default chain. */
export function s3SettingsFrom(settings: Record<string, unknown>, env: NodeJS.ProcessEnv): S3Settings {
  const s3 = (settings.s3 as Record<string, unknown>) ?? {};
  const bool = (v: unknown): boolean | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? /^(true|1|yes)$/i.test(v.trim()) : Boolean(v));
  const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
  return {
    region: str(s3.region) ?? env.AWS_REGION,
    endpoint: str(s3.endpoint) ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
    forcePathStyle: bool(s3.force_path_style),
    accessKeyId: str(s3.access_key_id),
    secretAccessKey: str(s3.secret_access_key),
    sessionToken: str(s3.session_token),
    maxAttempts: s3.max_attempts === undefined ? undefined : Number(s3.max_attempts),
  };
}

/**
 * GCS settings: the profile output's `gcs:` block (`api_endpoint`, `project`, `keyfile`), falling back to a
 * BigQuery output's own `gcs_api_endpoint`, `project`, `keyfile`/`keyfile_json`, then `STORAGE_EMULATOR_HOST`.
 * Unset credentials use Google's application default credentials.
 */
export function gcsSettingsFrom(settings: Record<string, unknown>, env: NodeJS.ProcessEnv): GcsSettings {
  const g = (settings.gcs as Record<string, unknown>) ?? {};
  const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
  const emulator = str(env.STORAGE_EMULATOR_HOST);
  const keyfileJson = g.keyfile_json ?? settings.keyfile_json;
  return {
    apiEndpoint: str(g.api_endpoint) ?? str(settings.gcs_api_endpoint) ?? (emulator ? (emulator.includes('://') ? emulator : `http://${emulator}`) : undefined),
    projectId: str(g.project) ?? str(settings.project),
    keyFilename: str(g.keyfile) ?? str(settings.keyfile),
    credentials: keyfileJson && typeof keyfileJson === 'object' ? (keyfileJson as GcsSettings['credentials']) : typeof keyfileJson === 'string' && keyfileJson.trim().startsWith('{') ? JSON.parse(keyfileJson) : undefined,
    maxRetries: g.max_retries === undefined ? undefined : Number(g.max_retries),
  };
}
