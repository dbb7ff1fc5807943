import { realpathSync } from 'node:fs';
import { isAbsolute, normalize, relative, sep } from 'node:path';

/** What is served, by extension: the site, the artifacts, compiled SQL and the asset-paths images. */
export const SERVED_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.sql': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
};

/** The files at the root of the target folder that are served: the root page and the artifacts dbt's serve has. */
const ROOT_FILES = new Set(['index.html', 'static_index.html', 'manifest.json', 'catalog.json', 'run_results.json', 'sources.json', 'semantic_manifest.json', 'lineage.json']);

/** The folders served with what is in them: the site (`docs/`), the compiled and run SQL. */
const FOLDERS = ['docs', 'compiled', 'run'];

/**
 * Whether a path relative to the target folder (as requested, before symlinks) is served: one of ROOT_FILES, or a
 * file under FOLDERS or an asset-paths copy, with a kind in SERVED_TYPES; never a dot-file nor Strata's caches
 * (`*.strata.json`). Compared case-insensitively, so a case-insensitive disk cannot reach another file by case.
 * With `target-path: '.'` the target folder is the project: its models, profiles and keys are none of these.
 */
export function servablePath(rel: string, assetPaths: readonly string[]): boolean {
  const path = rel.split(sep).join('/').toLowerCase();
  const parts = path.split('/');
  if (!path || parts.some((part) => part === '' || part.startsWith('.')) || path.endsWith('.strata.json')) return false;
  const dot = path.lastIndexOf('.');
  if (dot < 0 || SERVED_TYPES[path.slice(dot)] === undefined) return false;
  if (parts.length === 1) return ROOT_FILES.has(path);
  const folders = [...FOLDERS, ...assetPaths.map(assetFolder).filter((f): f is string => f !== undefined)];
  return folders.some((folder) => path.startsWith(`${folder}/`));
}

/** An asset path as the folder its copy has in the target folder, lower-cased; none when it would leave it. */
function assetFolder(path: string): string | undefined {
  const rel = normalize(path).split(sep).join('/').replace(/\/+$/, '').toLowerCase();
  if (!rel || rel === '.' || isAbsolute(rel) || rel === '..' || rel.startsWith('../') || rel.split('/').some((p) => p.startsWith('.'))) return undefined;
  return rel;
}

/** `file` with symlinks resolved, when that is inside `realRoot` (itself resolved); none when outside or missing. */
export function realInside(file: string, realRoot: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  const r = relative(realRoot, real);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r) ? real : undefined;
}

/** A loopback host name or address: `localhost`, 127.0.0.0/8, ::1. */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Whether a request's Host header is accepted (against DNS rebinding: a page elsewhere whose name now resolves
 * to 127.0.0.1 reading the artifacts). Only a server listening on loopback checks it, and accepts only loopback
 * names and addresses (and the host it was given); one listening on 0.0.0.0 or a LAN address (`--host`) is reached
 * by whatever name the network gives it, so it accepts any, as dbt's does. A request without Host is no browser's.
 */
export function hostAccepted(listenHost: string, header: string | undefined): boolean {
  if (!isLoopback(listenHost) || header === undefined) return true;
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d*$/, '');
  return isLoopback(name) || name.toLowerCase() === listenHost.toLowerCase();
}
