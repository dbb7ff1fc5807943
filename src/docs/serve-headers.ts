import type { IncomingHttpHeaders } from 'node:http';

/**
 * The page's Content-Security-Policy: scripts, styles, images and fetches from the server itself only (the app sets
 * a few inline `style` attributes: the graph's colours); no plugin, no `<base>`, no form posted anywhere, never framed.
 * The one-file `static_index.html` carries its scripts as data: URLs (static-index.ts), so it allows those too.
 */
function contentSecurityPolicy(scripts: string): string {
  return [
    "default-src 'none'", `script-src ${scripts}`, "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
    "font-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The headers every response of `docs serve` carries. The site's data is scripts (`docs/data.js`,
 * `docs/data-sql.js`), and a script is the one thing a page of any origin may include from another: without these,
 * any web page open in the same browser could read the project's SQL, columns and lineage with a `<script src>`.
 * `Cross-Origin-Resource-Policy: same-origin` makes the browser refuse the response to any other origin (another
 * port of localhost included); `nosniff` keeps JSON and SQL from being run as scripts at all. `rel`, the file served
 * (relative to the target folder), adds the page's Content-Security-Policy when it is a page.
 */
export function securityHeaders(rel = ''): Record<string, string> {
  const name = rel.split(/[\\/]/).join('/').toLowerCase();
  const page = name.endsWith('.html');
  return {
    'cross-origin-resource-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...(page ? { 'content-security-policy': contentSecurityPolicy(name === 'static_index.html' ? "'self' data:" : "'self'") } : {}),
  };
}

/**
 * Whether a request comes from a page of another origin, by the Fetch Metadata headers that browsers send and pages
 * cannot forge: `Sec-Fetch-Site` `cross-site` (another site) or `same-site` (another port or subdomain of the same
 * host: `localhost:3000` asking `localhost:8080`). Such a request is refused unless it is a navigation (following a
 * link to the docs, or opening a bookmark, shows them to the user, not to the page). A request without the header is
 * from a tool (curl, a script) or an old browser, and is answered; the CORP header above still holds for the latter.
 */
export function foreignRequest(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== 'cross-site' && site !== 'same-site') return false;
  return !(headers['sec-fetch-mode'] === 'navigate' && (headers['sec-fetch-dest'] ?? 'document') === 'document');
}
