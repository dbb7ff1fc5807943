/** Where landed files come from. Each store lists objects recursively and streams one to a local file. */
export interface ObjectInfo {
  /** Key relative to the store root (the source's location), forward slashes: `dt=2026-01-01/part-0.parquet`. */
  key: string;
  etag: string;
  size: number;
}

export interface ObjectStore {
  /** `s3://bucket/prefix/`, `file:///abs/dir/`, `file:landing/x/` (a folder of the project) — the base of every object URI. */
  readonly location: string;
  /** A local folder named relative to the project (`landing/x/`): its objects' URIs are `file:landing/x/<key>`. */
  readonly relativeLocation?: string;
  /** With `relativeLocation`: the project root it is relative to (absolute). */
  readonly projectRoot?: string;
  /**
   * Every object under the location. `only`: the one key the caller can use (its pattern has no wildcards);
   * a store may then look that key up instead of listing, and yields it only if a full listing would.
   */
  list(only?: string): AsyncIterable<ObjectInfo>;
  /** Streams the object to `toFile` without holding it in memory. */
  download(key: string, toFile: string, signal?: AbortSignal): Promise<void>;
  uri(key: string): string;
}

/** S3 settings from the profile's `s3:` block or the environment (the default AWS chain). */
export interface S3Settings {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  maxAttempts?: number;
}

/** GCS settings from the profile (`gcs:` block, or a BigQuery output's `gcs_api_endpoint`/`keyfile`). */
export interface GcsSettings {
  /** A private or compatible endpoint; also `STORAGE_EMULATOR_HOST`. Unset: Google's. */
  apiEndpoint?: string;
  projectId?: string;
  keyFilename?: string;
  credentials?: { client_email?: string; private_key?: string };
  maxRetries?: number;
}
