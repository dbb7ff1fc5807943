/** Buckets, objects and Parquet bytes for landing tests (Parquet written by DuckDB itself). */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

let counter = 0;
export async function newBucket(client: S3Client): Promise<string> {
  const name = `landing-${process.pid}-${Date.now()}-${counter++}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Parquet bytes of `select …` run by DuckDB. */
export async function parquetBytes(selectSql: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-pq-'));
  const file = join(dir, 'f.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`copy (${selectSql}) to '${file}' (format parquet)`);
  conn.closeSync();
  instance.closeSync();
  const bytes = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  return bytes;
}

export async function put(client: S3Client, bucket: string, key: string, body: Buffer | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** Uploads in 5 MiB parts (the S3 minimum) through the multipart API. */
export async function putMultipart(client: S3Client, bucket: string, key: string, body: Buffer): Promise<number> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const size = 5 * 1024 * 1024;
  const parts: { ETag: string; PartNumber: number }[] = [];
  for (let i = 0, n = 1; i < body.length; i += size, n++) {
    const r = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n, Body: body.subarray(i, i + size) }));
    parts.push({ ETag: r.ETag!, PartNumber: n });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  return parts.length;
}
