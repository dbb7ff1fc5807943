import { createServer, type Server } from 'node:http';
import { existsSync, readFile } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { spawn } from 'node:child_process';

/**
 * What is served, by extension: the site, the artifacts (manifest.json, catalog.json, …), compiled SQL and the
 * asset-paths images. Anything else in the target folder (a DuckDB file kept there, a log) is not.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.sql': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
};

/** A path in the target folder that is served: no dot-file, none of Strata's own caches (`*.strata.json`), a kind in TYPES. */
function servable(path: string): boolean {
  if (path.split(sep).some((part) => part.startsWith('.')) || path.endsWith('.strata.json')) return false;
  return TYPES[extname(path).toLowerCase()] !== undefined;
}

/**
 * Serves the target folder read-only over HTTP on host:port, as dbt's `docs serve` (rooted in target/): `/` is
 * target/index.html (writeRootIndex), which runs the site in target/docs/, and `/manifest.json`, `/catalog.json`,
 * `/assets/…` are the artifacts and asset-paths copies beside it. Paths outside the folder, dot-files, Strata's
 * caches, file kinds other than TYPES' and anything but GET/HEAD are refused. Resolves once listening; `port: 0` takes a free port.
 */
export function serveDocs(dir: string, host: string, port: number): Promise<{ server: Server; url: string }> {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
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
    // `/docs` is the folder: its page is `/docs/`, where the page's relative URLs resolve.
    if (!extname(file) && file.startsWith(root) && existsSync(join(file, 'index.html'))) {
      res.writeHead(301, { location: `${encodeURI(path)}/` }).end();
      return;
    }
    if (!file.startsWith(root) || !servable(file.slice(root.length))) {
      res.writeHead(403).end();
      return;
    }
    readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()]!, 'cache-control': 'no-cache' });
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
