import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore, S3Settings } from './object-store.js';
import { withRetries } from './retry.js';

/** An S3 (or S3-compatible) prefix. Lists recursively (no delimiter) with pagination; streams downloads. */
export class S3Store implements ObjectStore {
  readonly location: string;
  private s3?: Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }>;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly settings: S3Settings,
  ) {
    this.location = `s3://${bucket}/${prefix}`;
  }

  /** The AWS SDK loads on first use: commands that land nothing never pay for it. */
  private connect(): Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    this.s3 ??= import('@aws-sdk/client-s3').then((sdk) => {
      const settings = this.settings;
      const client = new sdk.S3Client({
        region: settings.region ?? process.env.AWS_REGION ?? 'us-east-1',
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle ?? !!settings.endpoint,
        ...(settings.accessKeyId && settings.secretAccessKey ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, sessionToken: settings.sessionToken } } : {}),
        // S3-compatible servers often reject the newer default checksums.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: settings.maxAttempts ?? 5,
      });
      return { client, sdk };
    });
    return this.s3;
  }

  async *list(): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const { client, sdk } = await this.connect();
      const page = await withRetries(() => client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix || undefined, ContinuationToken: token })));
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        yield { key: o.Key.slice(this.prefix.length), etag: String(o.ETag ?? '').replace(/"/g, ''), size: Number(o.Size ?? 0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async download(key: string, toFile: string, signal?: AbortSignal): Promise<void> {
    // The whole GET and stream is retried: the SDK retries a failed request, not a body cut off mid-stream.
    await withRetries(async () => {
      const { client, sdk } = await this.connect();
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}` }), { abortSignal: signal });
      await pipeline(res.Body as Readable, createWriteStream(toFile));
    }, signal);
  }

  uri(key: string): string {
    return `${this.location}${key}`;
  }

  close(): void {
    void this.s3?.then(({ client }) => client.destroy());
  }
}

/** `s3://bucket/some/prefix/` → bucket and prefix (with a trailing slash). */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!m) throw new Error(`not an s3:// location: ${location}`);
  const prefix = m[2] ?? '';
  return { bucket: m[1]!, prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
}

