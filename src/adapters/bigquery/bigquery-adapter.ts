import { randomUUID } from 'node:crypto';
import type { Adapter, Connection, Warehouse } from '../contract.js';
import type { TargetConfig } from '../../project/types.js';
import { bigqueryDialect } from './bigquery-dialect.js';
import { BigQueryConnection } from './bigquery-connection.js';
import { bigquerySettings, validateBigQueryTarget, type BigQuerySettings } from './bigquery-profile.js';

const SCOPES = ['https://www.googleapis.com/auth/bigquery', 'https://www.googleapis.com/auth/cloud-platform'];

/** Credentials per `method`; the Google clients are imported only when a BigQuery target opens. */
async function clientOptions(s: BigQuerySettings): Promise<Record<string, unknown>> {
  const base: Record<string, unknown> = {
    projectId: s.project,
    ...(s.location ? { location: s.location } : {}),
    ...(s.apiEndpoint ? { apiEndpoint: s.apiEndpoint } : {}),
    // Strata retries jobs itself, with deterministic job ids (see BigQueryConnection).
    autoRetry: false,
  };
  const { OAuth2Client, GoogleAuth, Impersonated } = await import('google-auth-library');
  let auth: Record<string, unknown> = {};
  if (s.method === 'service-account') auth = { keyFilename: s.keyfile };
  else if (s.method === 'service-account-json') auth = { credentials: s.keyfileJson };
  else if (s.method === 'oauth-secrets') {
    const client = new OAuth2Client({ clientId: s.clientId, clientSecret: s.clientSecret, ...(s.tokenUri ? { endpoints: { oauth2TokenUrl: s.tokenUri } } : {}) });
    client.setCredentials(s.token ? { access_token: s.token, expiry_date: Date.now() + 3600_000 } : { refresh_token: s.refreshToken });
    auth = { authClient: client };
  }
  if (s.impersonateServiceAccount) {
    const sourceClient = (auth.authClient as InstanceType<typeof OAuth2Client> | undefined) ?? (await new GoogleAuth({ ...auth, scopes: SCOPES }).getClient());
    auth = { authClient: new Impersonated({ sourceClient: sourceClient as InstanceType<typeof OAuth2Client>, targetPrincipal: s.impersonateServiceAccount, targetScopes: SCOPES, lifetime: 3600, delegates: [] }) };
  }
  return { ...base, ...auth };
}

export const bigqueryAdapter: Adapter = {
  type: 'bigquery',
  dialect: bigqueryDialect,
  validateTarget: validateBigQueryTarget,
  async open(target: TargetConfig, options): Promise<Warehouse> {
    const settings = bigquerySettings(target);
    const { BigQuery } = await import('@google-cloud/bigquery');
    const client = new BigQuery(await clientOptions(settings));
    const invocationId = options.invocationId ?? randomUUID();
    const prefix = `strata_${invocationId.replace(/-/g, '')}`;
    let connections = 0;
    return {
      type: 'bigquery',
      dialect: bigqueryDialect,
      async connect(): Promise<Connection> {
        return new BigQueryConnection(client, settings, `${prefix}_c${++connections}`, invocationId);
      },
      async close(): Promise<void> {},
    };
  },
};

export { bigquerySettings };
