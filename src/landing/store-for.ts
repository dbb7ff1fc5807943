import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExternalSpec } from '../parse/types.js';
import type { ObjectStore, S3Settings } from './object-store.js';
import { LocalStore } from './local-store.js';
import { S3Store, parseS3Location } from './s3-store.js';

/** The object store behind an `external.location`: `s3://…`, `file:///…` or a path relative to the project. */
export function storeFor(spec: ExternalSpec, projectRoot: string, s3: S3Settings): ObjectStore {
  const location = String(spec.location ?? '');
  if (location.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Location(location);
    return new S3Store(bucket, prefix, s3);
  }
  if (location.startsWith('gs://')) throw new Error(`gs:// locations are not supported yet (${location}); use s3:// or a local folder`);
  if (location.startsWith('file://')) return new LocalStore(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`unsupported location scheme in ${location}; use s3://, file:// or a local path`);
  return new LocalStore(isAbsolute(location) ? location : resolve(projectRoot, location));
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
