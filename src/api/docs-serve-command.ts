import { targetRules } from '../adapters/registry.js';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import { serveDocs, siteExists, writeRootIndex } from '../docs/index.js';
import type { CommonOptions, ExitCode } from './types.js';

export interface DocsServeOptions extends CommonOptions {
  port?: number;
  host?: string;
}

/**
 * `strata docs serve`: serves the target folder on host:port as dbt's (rooted in target/, so `/` is the site of
 * target/docs/ that `strata docs generate` wrote, and `/manifest.json`, `/catalog.json` are the artifacts), loopback
 * by default. Returns the running server; the caller closes it.
 */
export async function docsServe(options: DocsServeOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; url?: string; server?: Server; dir?: string }> {
  const loaded = loadProject({ ...options, profileOptional: true, targetRules });
  const project = loaded.project;
  if (!project) return { exitCode: 2, diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics];
  const dir = resolve(project.config.rootDir, project.config.targetPath);
  const site = resolve(dir, 'docs');
  if (!siteExists(site)) {
    diagnostics.push({ code: 'docs-site-missing', severity: 'error', message: `there is no docs site in ${site}`, file: site, hint: 'run `strata docs generate` first' });
    return { exitCode: 2, diagnostics };
  }
  // As dbt's serve, which copies its page into target/ first: a site written before Strata wrote target/index.html
  // (or a dbt page left there) is served as the current one.
  diagnostics.push(...writeRootIndex(dir));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  try {
    const { server, url } = await serveDocs(dir, host, port, { assetPaths: project.config.assetPaths ?? [] });
    return { exitCode: 0, diagnostics, url, server, dir };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    diagnostics.push({ code: 'docs-serve-failed', severity: 'error', message: `cannot listen on ${host}:${port}: ${code ?? (e as Error).message}`, file: '--port', hint: code === 'EADDRINUSE' ? 'another program uses that port: pass --port with a free one' : 'check --host and --port' });
    return { exitCode: 2, diagnostics };
  }
}
