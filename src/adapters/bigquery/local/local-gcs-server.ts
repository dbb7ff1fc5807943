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
  /** At most this many objects per `objects.list` page (GCS: 1,000), so tests page through a few objects. */
  pageSize?: number;
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

/** The objects by bucket, kept in memory and, with a data folder, as files under `<root>/<bucket>/<name>`. */
class GcsStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private generation = 1_700_000_000_000_000;

  constructor(private readonly root: string | undefined) {
    if (root) restore(root, this.buckets);
  }

  /** The bucket's objects; an unknown bucket is created empty. */
  bucket(name: string): Map<string, StoredObject> {
    let m = this.buckets.get(name);
    if (!m) this.buckets.set(name, (m = new Map()));
    return m;
  }

  get(bucket: string, name: string): Buffer | undefined {
    return this.buckets.get(bucket)?.get(name)?.data;
  }

  list(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  put(bucket: string, name: string, data: Buffer | string): void {
    this.bucket(bucket).set(name, { data: Buffer.from(data), generation: ++this.generation, updated: new Date().toISOString() });
    const file = this.fileOf(bucket, name);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(data));
    }
  }

  /** False when there was no such object. */
  remove(bucket: string, name: string): boolean {
    if (!this.bucket(bucket).delete(name)) return false;
    const file = this.fileOf(bucket, name);
    if (file) rmSync(file, { force: true });
    return true;
  }

  private fileOf(bucket: string, name: string): string | undefined {
    return this.root && !name.split('/').includes('..') && !bucket.includes('/') ? join(this.root, bucket, ...name.split('/')) : undefined;
  }
}

/** An object's resource, as `objects.get` returns it. */
function meta(bucket: string, name: string, o: StoredObject): Record<string, unknown> {
  return {
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
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function notFound(res: http.ServerResponse, what: string): void {
  json(res, 404, { error: { code: 404, message: `No such object: ${what}`, errors: [{ reason: 'notFound', message: what }] } });
}

/** A request as the routes read it: its URL, whole body and content type. */
interface GcsRequest {
  url: URL;
  body: Buffer;
  contentType: string;
  pageSize?: number;
}

type Handler = (store: GcsStore, path: string[], req: GcsRequest, res: http.ServerResponse) => void;

/** `objects.list`, in pages of `maxResults` (the page token is the offset). */
const listObjects: Handler = (store, [bucket], req, res) => {
  const { url } = req;
  const prefix = url.searchParams.get('prefix') ?? '';
  const max = Math.min(Number(url.searchParams.get('maxResults') ?? 1000), req.pageSize ?? 1000);
  const start = Number(url.searchParams.get('pageToken') ?? 0);
  const objects = store.bucket(bucket!);
  const names = [...objects.keys()].filter((n) => n.startsWith(prefix)).sort();
  const page = names.slice(start, start + max);
  json(res, 200, { kind: 'storage#objects', items: page.map((n) => meta(bucket!, n, objects.get(n)!)), ...(start + max < names.length ? { nextPageToken: String(start + max) } : {}) });
};

/** `objects.get`: the resource, or with `alt=media` the bytes and their hashes. */
const getObject: Handler = (store, [bucket, name], { url }, res) => {
  const o = store.bucket(bucket!).get(name!);
  if (!o) return notFound(res, `${bucket}/${name}`);
  if (url.searchParams.get('alt') !== 'media') return json(res, 200, meta(bucket!, name!, o));
  const md = meta(bucket!, name!, o);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': o.data.length, 'x-goog-hash': `crc32c=${md.crc32c},md5=${md.md5Hash}`, 'x-goog-stored-content-encoding': 'identity', 'x-goog-generation': String(o.generation) });
  res.end(o.data);
};

const deleteObject: Handler = (store, [bucket, name], _req, res) => {
  if (!store.remove(bucket!, name!)) return notFound(res, name!);
  res.writeHead(204);
  res.end();
};

/** `objects.insert` with `uploadType=media` or `multipart` (a resumable upload is refused). */
const uploadObject: Handler = (store, [bucket], { url, body, contentType }, res) => {
  const type = url.searchParams.get('uploadType');
  let name = url.searchParams.get('name') ?? '';
  let data = body;
  if (type === 'multipart') {
    const upload = multipartUpload(body, contentType);
    name = upload.name ?? name;
    data = upload.data;
  } else if (type !== 'media') {
    return json(res, 400, { error: { code: 400, message: `uploadType ${type} is not supported by the local GCS server; upload with resumable: false` } });
  }
  store.put(bucket!, name, data);
  json(res, 200, meta(bucket!, name, store.bucket(bucket!).get(name)!));
};

/** A multipart upload's two parts: the object's metadata (its name) and its bytes. */
function multipartUpload(body: Buffer, contentType: string): { name?: string; data: Buffer } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
  const head = parts[0]!;
  const { name } = JSON.parse(head.slice(head.indexOf('\r\n\r\n') + 4).trim()) as { name?: string };
  const media = parts[1]!;
  return { name, data: Buffer.from(media.slice(media.indexOf('\r\n\r\n') + 4, media.length - 2), 'latin1') };
}

/** The routes, tried in order: method, path pattern (its groups URL-decoded), handler. */
const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/storage\/v1\/b\/([^/]+)\/o$/, listObjects],
  ['GET', /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/, getObject],
  ['DELETE', /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/, deleteObject],
  ['POST', /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/, uploadObject],
];

/** What the server was asked, and how many of the next requests fail with 503. */
interface Traffic {
  requests: { method: string; path: string }[];
  failing: number;
  pageSize?: number;
}

/** Records the request, answers an injected failure if one is due, else routes it. */
function answer(store: GcsStore, traffic: Traffic, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  traffic.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
  if (traffic.failing > 0) {
    traffic.failing--;
    return json(res, 503, { error: { code: 503, message: 'Backend Error (injected)', errors: [{ reason: 'backendError' }] } });
  }
  for (const [method, pattern, handle] of ROUTES) {
    const m = req.method === method ? pattern.exec(url.pathname) : null;
    if (m) return handle(store, m.slice(1).map((g) => decodeURIComponent(g)), { url, body, contentType: String(req.headers['content-type']), pageSize: traffic.pageSize }, res);
  }
  json(res, 404, { error: { code: 404, message: `the local GCS server does not implement ${req.method} ${url.pathname}` } });
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startLocalGcs(options: LocalGcsOptions = {}): Promise<LocalGcs> {
  const store = new GcsStore(options.dataDir ? join(options.dataDir, 'gcs') : undefined);
  const traffic: Traffic = { requests: [], failing: 0, pageSize: options.pageSize };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(store, traffic, req, Buffer.concat(chunks), res));
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  return {
    endpoint: `http://${host}:${port}`,
    requests: traffic.requests,
    put: (b, n, data) => store.put(b, n, data),
    get: (b, n) => store.get(b, n),
    list: (b) => store.list(b),
    failNext: (n) => (traffic.failing = n),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
