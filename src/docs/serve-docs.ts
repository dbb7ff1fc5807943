import { createServer, type Server } from 'node:http';
import { existsSync, readFile, realpathSync } from 'node:fs';
import { hostAccepted, realInside, servablePath, SERVED_TYPES } from './serve-paths.js';
import { foreignRequest, securityHeaders } from './serve-headers.js';
import { extname, join, normalize, sep } from 'node:path';
import { spawn } from 'node:child_process';

/**
 * Serves the target folder read-only over HTTP on host:port, as dbt's `docs serve` (rooted in target/): `/` is
 * target/index.html (writeRootIndex), which runs the site in target/docs/, and `/manifest.json`, `/catalog.json`,
 * `/assets/…` are the artifacts and asset-paths copies beside it. Only those known paths are served (servablePath),
 * and only when the file, symlinks resolved, is inside the folder; a server on loopback refuses a Host header
 * that is not loopback (hostAccepted). Anything but GET/HEAD is refused, and so is a request of another origin's page
 * for anything but a navigation (foreignRequest); every response tells the browser the same (securityHeaders).
 * Resolves once listening; `port: 0` takes a free port.
 */
export function serveDocs(dir: string, host: string, port: number, options: { assetPaths?: readonly string[] } = {}): Promise<{ server: Server; url: string }> {
  const root = normalize(dir + sep);
  const realRoot = realpathSync(dir);
  const assetPaths = options.assetPaths ?? [];
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!hostAccepted(host, req.headers.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('this server answers to localhost and 127.0.0.1 only\n');
      return;
    }
    if (foreignRequest(req.headers)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('this server answers pages of its own origin only\n');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const rel = file.slice(root.length);
    // `/docs` is the folder: its page is `/docs/`, where the page's relative URLs resolve. The location is built from
    // the normalised path, never the requested one: `/%2Fevil.com%2F..%2Fdocs` must not lead to `//evil.com/docs/`.
    if (!extname(file) && file.startsWith(root) && servablePath(join(rel, 'index.html'), assetPaths) && existsSync(join(file, 'index.html'))) {
      res.writeHead(301, { location: `/${rel.split(sep).map(encodeURIComponent).join('/')}/` }).end();
      return;
    }
    if (!file.startsWith(root) || !servablePath(rel, assetPaths)) {
      res.writeHead(403).end();
      return;
    }
    // Read where a symlink leads only when that is in the folder too (not `link.json -> /etc/…`).
    const real = realInside(file, realRoot);
    if (!real) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    readFile(real, (err, body) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, { ...securityHeaders(rel), 'content-type': SERVED_TYPES[extname(file).toLowerCase()]!, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/` });
    });
  });
}

/** Opens `url` in the desktop's browser, if there is one; never fails the command. */
export function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser launcher: the URL is printed anyway.
  }
}

export function siteExists(dir: string): boolean {
  return existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'data.js'));
}
