import type { Storage } from '@google-cloud/storage';
import type { GcsSettings } from './object-store.js';
import { withRetries } from './retry.js';
import { gcsClient } from './gcs-client.js';

/** The profile's `gcs_staging_bucket`: where files wait for a BigQuery load job, deleted once loaded. */
export class GcsStaging {
  private storage?: Storage;

  constructor(
    readonly bucket: string,
    private readonly settings: GcsSettings,
    private readonly prefix = 'strata-landing',
  ) {}

  private async client(): Promise<Storage> {
    this.storage ??= await gcsClient(this.settings);
    return this.storage;
  }

  /** Streams a local file to `gs://<bucket>/strata-landing/<name>` and returns that URI. */
  async upload(localFile: string, name: string): Promise<string> {
    const object = `${this.prefix}/${name}`;
    const bucket = (await this.client()).bucket(this.bucket);
    // One streamed multipart request (not a resumable session): a failed upload is retried whole.
    await withRetries(() => bucket.upload(localFile, { destination: object, resumable: false, validation: false }));
    return `gs://${this.bucket}/${object}`;
  }

  async remove(uri: string): Promise<void> {
    const object = uri.slice(`gs://${this.bucket}/`.length);
    await (await this.client()).bucket(this.bucket).file(object).delete({ ignoreNotFound: true });
  }
}
