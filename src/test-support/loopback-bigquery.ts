import { afterAll, beforeAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { startLocalGcs, type LocalGcs } from '../adapters/bigquery/local/local-gcs-server.js';
import { removeProject } from './fixture-project.js';

export interface LoopbackServers {
  bq: LocalBigQuery;
  gcs: LocalGcs;
}

/**
 * A loopback GCS and a loopback BigQuery that loads through it, for the tests of one describe block: started
 * before them (handed to `started`), closed after them. The project folders the tests push onto the returned
 * list are removed then too.
 */
export function withLoopbackBigQuery(started: (servers: LoopbackServers) => void): string[] {
  const dirs: string[] = [];
  let servers: LoopbackServers | undefined;
  beforeAll(async () => {
    const gcs = await startLocalGcs();
    servers = { gcs, bq: await startLocalBigQuery({ gcs }) };
    started(servers);
  });
  afterAll(async () => {
    await servers?.bq.close();
    await servers?.gcs.close();
    dirs.forEach(removeProject);
  });
  return dirs;
}
