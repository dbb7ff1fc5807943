/**
 * A loopback HTTP proxy in front of the S3 server that can answer 503 or drop connections, to test retries, and
 * serve listings in smaller pages (S3 pages hold 1,000 keys), to test paging without uploading 1,001 objects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  endpoint: string;
  /** Requests seen, faults injected, and ListObjectsV2 requests (pages asked for). */
  stats: { requests: number; faults: number; lists: number };
  /** Ask the server for at most `n` keys per ListObjectsV2 page (the server signs nothing it checks). */
  pageSize(n: number): void;
  /** Fault the next `n` requests: 'error' answers 503 SlowDown, 'drop' resets the connection. */
  fail(n: number, mode: 'error' | 'drop'): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let pending = 0;
  let mode: 'error' | 'drop' = 'error';
  const stats = { requests: 0, faults: 0, lists: 0 };
  let maxKeys: number | undefined;
  const server = http.createServer((req, res) => {
    stats.requests++;
    if (pending > 0) {
      pending--;
      stats.faults++;
      if (mode === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>injected by the test proxy</Message></Error>');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      stats.lists++;
      if (maxKeys !== undefined) url.searchParams.set('max-keys', String(maxKeys));
    }
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: url.pathname + url.search, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    pageSize(n) {
      maxKeys = n;
    },
    fail(n, m) {
      pending = n;
      mode = m;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
