import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '@google-cloud/storage';
import type { GcsSettings, ObjectInfo, ObjectStore } from './object-store.js';
import { withRetries } from './retry.js';
import { gcsClient } from './gcs-client.js';

/**
 * A Google Cloud Storage prefix (`gs://bucket/prefix/`), through the official client. Lists every page
 * (recursively, no delimiter); streams downloads with the client's CRC32C validation. ETag: the object's
 * generation and etag, so an overwritten object counts as changed.
 */
export class GcsStore implements ObjectStore {
  readonly location: string;
  private storage?: Storage;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly settings: GcsSettings,
  ) {
    this.location = `gs://${bucket}/${prefix}`;
  }

  private async client(): Promise<Storage> {
    this.storage ??= await gcsClient(this.settings);
    return this.storage;
  }

  async *list(): AsyncIterable<ObjectInfo> {
    const bucket = (await this.client()).bucket(this.bucket);
    let pageToken: string | undefined;
    do {
      const [files, next] = await withRetries(() => bucket.getFiles({ prefix: this.prefix || undefined, autoPaginate: false, maxResults: 1000, pageToken }));
      for (const f of files) {
        if (f.name.endsWith('/')) continue;
        const m = f.metadata;
        yield { key: f.name.slice(this.prefix.length), etag: `${m.generation ?? ''}:${m.etag ?? m.md5Hash ?? ''}`, size: Number(m.size ?? 0) };
      }
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
  }

  async download(key: string, toFile: string): Promise<void> {
    const file = (await this.client()).bucket(this.bucket).file(`${this.prefix}${key}`);
    await withRetries(() => pipeline(file.createReadStream(), createWriteStream(toFile)));
  }

  uri(key: string): string {
    return `${this.location}${key}`;
  }
}

/** `gs://bucket/some/prefix/` → bucket and prefix (with a trailing slash). */
export function parseGcsLocation(location: string): { bucket: string; prefix: string } {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!m) throw new Error(`not a gs:// location: ${location}`);
  const prefix = m[2] ?? '';
  return { bucket: m[1]!, prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
}
