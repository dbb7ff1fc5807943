/**
 * A loopback HTTP server speaking the subset of Google Cloud Storage's JSON API that Strata uses
 * (objects list with pages, get metadata, media download with x-goog-hash, media and multipart
 * uploads, delete), for the real @google-cloud/storage client: in tests, and beside the local BigQuery
 * (`strata bigquery-local`), whose load jobs read it. It records every request and can answer 503 to the
 * next n requests. With a data folder, objects are kept as files under `<dir>/gcs/<bucket>/<name>`.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CRC32C } from '@google-cloud/storage';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const crc32c = (data: Buffer): string => {
  const c = new CRC32C();
  c.update(data);
  return c.toString();
};

interface StoredObject {
  data: Buffer;
  generation: number;
  updated: string;
}

export interface LocalGcs {
  endpoint: string;
  requests: { method: string; path: string }[];
  put(bucket: string, name: string, data: Buffer | string): void;
  get(bucket: string, name: string): Buffer | undefined;
  list(bucket: string): string[];
  failNext(n: number): void;
  close(): Promise<void>;
}

export interface LocalGcsOptions {
  port?: number;
  host?: string;
  /** Keep objects as files under `<dataDir>/gcs`. */
  dataDir?: string;
}

/** Objects saved under `<root>/<bucket>/<name>`, read back at start. */
function restore(root: string, buckets: Map<string, Map<string, StoredObject>>): void {
  if (!existsSync(root)) return;
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of walk(root)) {
    const [bucket, ...rest] = relative(root, file).split(sep);
    if (!bucket || !rest.length) continue;
    if (!buckets.has(bucket)) buckets.set(bucket, new Map());
    buckets.get(bucket)!.set(rest.join('/'), { data: readFileSync(file), generation: Math.floor(statSync(file).mtimeMs * 1000), updated: statSync(file).mtime.toISOString() });
  }
}

export async function startLocalGcs(options: LocalGcsOptions = {}): Promise<LocalGcs> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const root = options.dataDir ? join(options.dataDir, 'gcs') : undefined;
  if (root) restore(root, buckets);
  const fileOf = (bucket: string, name: string): string | undefined => (root && !name.split('/').includes('..') && !bucket.includes('/') ? join(root, bucket, ...name.split('/')) : undefined);
  const requests: { method: string; path: string }[] = [];
  let failing = 0;
  let generation = 1_700_000_000_000_000;
  const bucketOf = (b: string): Map<string, StoredObject> => {
    let m = buckets.get(b);
    if (!m) buckets.set(b, (m = new Map()));
    return m;
  };
  const put = (bucket: string, name: string, data: Buffer | string): void => {
    bucketOf(bucket).set(name, { data: Buffer.from(data), generation: ++generation, updated: new Date().toISOString() });
    const file = fileOf(bucket, name);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(data));
    }
  };
  const meta = (bucket: string, name: string, o: StoredObject): Record<string, unknown> => ({
    kind: 'storage#object',
    id: `${bucket}/${name}/${o.generation}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    size: String(o.data.length),
    md5Hash: createHash('md5').update(o.data).digest('base64'),
    crc32c: crc32c(o.data),
    etag: createHash('md5').update(`${o.generation}`).digest('base64').slice(0, 12),
    updated: o.updated,
    contentType: 'application/octet-stream',
  });
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: http.ServerResponse, what: string): void => json(res, 404, { error: { code: 404, message: `No such object: ${what}`, errors: [{ reason: 'notFound', message: what }] } });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
      if (failing > 0) {
        failing--;
        return json(res, 503, { error: { code: 503, message: 'Backend Error (injected)', errors: [{ reason: 'backendError' }] } });
      }
      const body = Buffer.concat(chunks);
      let m: RegExpExecArray | null;
      if ((m = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname)) && req.method === 'GET') {
        const bucket = decodeURIComponent(m[1]!);
        const prefix = url.searchParams.get('prefix') ?? '';
        const max = Number(url.searchParams.get('maxResults') ?? 1000);
        const start = Number(url.searchParams.get('pageToken') ?? 0);
        const names = [...bucketOf(bucket).keys()].filter((n) => n.startsWith(prefix)).sort();
        const page = names.slice(start, start + max);
        return json(res, 200, { kind: 'storage#objects', items: page.map((n) => meta(bucket, n, bucketOf(bucket).get(n)!)), ...(start + max < names.length ? { nextPageToken: String(start + max) } : {}) });
      }
      if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname)) && req.method === 'GET') {
        const bucket = decodeURIComponent(m[1]!);
        const name = decodeURIComponent(m[2]!);
        const o = bucketOf(bucket).get(name);
        if (!o) return notFound(res, `${bucket}/${name}`);
        if (url.searchParams.get('alt') === 'media') {
          const md = meta(bucket, name, o);
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': o.data.length, 'x-goog-hash': `crc32c=${md.crc32c},md5=${md.md5Hash}`, 'x-goog-stored-content-encoding': 'identity', 'x-goog-generation': String(o.generation) });
          return res.end(o.data);
        }
        return json(res, 200, meta(bucket, name, o));
      }
      if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname)) && req.method === 'DELETE') {
        const removed = bucketOf(decodeURIComponent(m[1]!)).delete(decodeURIComponent(m[2]!));
        if (!removed) return notFound(res, decodeURIComponent(m[2]!));
        const file = fileOf(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        if (file) rmSync(file, { force: true });
        res.writeHead(204);
        return res.end();
      }
      if ((m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname)) && req.method === 'POST') {
        const bucket = decodeURIComponent(m[1]!);
        const type = url.searchParams.get('uploadType');
        let name = url.searchParams.get('name') ?? '';
        let data = body;
        if (type === 'multipart') {
          const boundary = /boundary=("?)([^";]+)\1/.exec(String(req.headers['content-type']))?.[2];
          const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
          const head = parts[0]!;
          const metaJson = JSON.parse(head.slice(head.indexOf('\r\n\r\n') + 4).trim()) as { name?: string };
          name = metaJson.name ?? name;
          const media = parts[1]!;
          data = Buffer.from(media.slice(media.indexOf('\r\n\r\n') + 4, media.length - 2), 'latin1');
        } else if (type !== 'media') {
          return json(res, 400, { error: { code: 400, message: `uploadType ${type} is not supported by the local GCS server; upload with resumable: false` } });
        }
        put(bucket, name, data);
        return json(res, 200, meta(bucket, name, bucketOf(bucket).get(name)!));
      }
      json(res, 404, { error: { code: 404, message: `the local GCS server does not implement ${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    put,
    get: (b, n) => buckets.get(b)?.get(n)?.data,
    list: (b) => [...(buckets.get(b)?.keys() ?? [])].sort(),
    failNext: (n) => (failing = n),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
