import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ExitCode } from './types.js';
// Types only: the servers (and the GCS SDK they use) load when the command runs, not with every command.
import type { LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import type { LocalGcs } from '../adapters/bigquery/local/local-gcs-server.js';

export interface BigQueryLocalOptions {
  /** BigQuery REST port (default 9050; 0 picks a free one). */
  port?: number;
  /** GCS JSON API port (default 4443; 0 picks a free one). */
  gcsPort?: number;
  /** Keep the catalog and the objects here across restarts. */
  dataDir?: string;
  host?: string;
}

export interface BigQueryLocalServers {
  bigquery: LocalBigQuery;
  gcs: LocalGcs;
  dataDir?: string;
  stop(): Promise<void>;
}

function problem(code: string, message: string, hint: string): { exitCode: ExitCode; diagnostics: Diagnostic[] } {
  return { exitCode: 2, diagnostics: [{ code, severity: 'error', message, hint }] };
}

/**
 * `strata bigquery-local`: a local BigQuery (every query checked by BigQuery's analyzer) and GCS on
 * loopback, for developing and testing a BigQuery project offline. Returns the running servers, or
 * diagnostics when the analyzer cannot run here or a port is taken.
 */
export async function bigqueryLocal(options: BigQueryLocalOptions = {}): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; servers?: BigQueryLocalServers }> {
  const { analyzerUnavailableReason, AnalyzerUnavailable } = await import('../adapters/bigquery/local/zetasql-service.js');
  const { startLocalBigQuery } = await import('../adapters/bigquery/local/local-bigquery-server.js');
  const { startLocalGcs } = await import('../adapters/bigquery/local/local-gcs-server.js');
  const missing = analyzerUnavailableReason();
  if (missing) return problem('analyzer-unavailable', missing, 'the local BigQuery needs BigQuery\u2019s analyzer: install the optional dependency on Linux or macOS (npm install @fivetrandevelopers/zetasql)');
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  let gcs: LocalGcs | undefined;
  try {
    gcs = await startLocalGcs({ port: options.gcsPort ?? 4443, host, dataDir });
    const bigquery = await startLocalBigQuery({ port: options.port ?? 9050, host, dataDir, gcs });
    return { exitCode: 0, diagnostics: [], servers: { bigquery, gcs, dataDir, stop: async () => void (await Promise.all([bigquery.close(), gcs!.close()])) } };
  } catch (e) {
    await gcs?.close();
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE') return problem('port-in-use', `port ${err.port ?? ''} on ${host} is already in use`.replace('  ', ' '), 'stop what uses it, or choose other ports with --port and --gcs-port');
    if (e instanceof AnalyzerUnavailable) return problem('analyzer-unavailable', e.message, 'reinstall with npm ci; the analyzer needs glibc 2.29 or newer on Linux');
    throw e;
  }
}
