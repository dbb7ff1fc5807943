import { Command, InvalidArgumentError } from 'commander';
import { bigqueryLocal } from '../../api/index.js';
import { commonOptions, reportDiagnostics } from '../shared-options.js';

const port = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${name} '${v}' is not a port number (0–65535)`);
  return n;
};

/** `strata bigquery-local`: runs the local BigQuery and GCS until interrupted. */
export function bigqueryLocalCommand(): Command {
  return new Command('bigquery-local')
    .description('run a local BigQuery (every query checked by BigQuery\u2019s analyzer) and GCS on loopback, to develop and test a BigQuery project offline')
    .option('--port <port>', 'BigQuery REST API port', port('--port'), 9050)
    .option('--gcs-port <port>', 'GCS JSON API port', port('--gcs-port'), 4443)
    .option('--data <dir>', 'keep tables\u2019 schemas and GCS objects in this folder across restarts')
    .action(async (flags: { port: number; gcsPort: number; data?: string }) => {
      const { reporter } = commonOptions({});
      const result = await bigqueryLocal({ port: flags.port, gcsPort: flags.gcsPort, dataDir: flags.data });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
      const servers = result.servers;
      if (!servers) return;
      const say = (message: string): void => reporter.emit({ type: 'info', message });
      say(`BigQuery API: ${servers.bigquery.endpoint}`);
      say(`GCS API:      ${servers.gcs.endpoint}`);
      say(servers.dataDir ? `Data:         ${servers.dataDir}` : 'Data:         in memory (use --data DIR to keep it)');
      say(`In profiles.yml (type: bigquery): api_endpoint: ${servers.bigquery.endpoint} and gcs_api_endpoint: ${servers.gcs.endpoint}; any token works (method: oauth-secrets, token: local).`);
      say('Press Ctrl+C to stop.');
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await servers.stop();
      say('Stopped.');
    });
}
