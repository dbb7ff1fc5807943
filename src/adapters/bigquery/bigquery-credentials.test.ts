/**
 * BigQuery credentials checked before a warehouse opens: a `keyfile_json` whose key cannot sign names the
 * field and the fix (never the key), and impersonation with a local api_endpoint is refused rather than
 * calling Google's IAM Credentials API at run time.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { writeProject, removeProject } from '../../test-support/fixture-project.js';
import { build } from '../../api/index.js';
import { validateBigQueryTarget } from './bigquery-profile.js';
import type { TargetConfig } from '../../project/types.js';

const BROKEN_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-really-a-key-zz81\n-----END PRIVATE KEY-----\n';
const target = (settings: Record<string, unknown>): TargetConfig => ({ name: 'prod', type: 'bigquery', schema: 'core', settings: { project: 'orbit-test', dataset: 'core', ...settings } }) as unknown as TargetConfig;

describe('BigQuery credentials, before anything opens', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));

  it('a keyfile_json private key that is not a PEM key: exit 2 naming keyfile_json.private_key, the key never shown', async () => {
    const key = JSON.stringify({ type: 'service_account', client_email: 'loader@orbit-test.iam.gserviceaccount.com', private_key: BROKEN_KEY });
    const dir = writeProject({
      'project.yml': 'name: atlas\nprofile: atlas\n',
      'profiles.yml': `atlas:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      method: service-account-json\n      project: orbit-test\n      dataset: core\n      api_endpoint: http://127.0.0.1:9\n      keyfile_json: '${key}'\n`,
      'models/one.sql': 'select 1 as id',
    });
    dirs.push(dir);
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(2);
    const d = result.diagnostics.find((x) => x.code === 'profile-invalid')!;
    expect(d.message).toContain('keyfile_json.private_key is not a PEM private key');
    expect(d.file).toContain('profiles.yml');
    expect(JSON.stringify(result.diagnostics)).not.toContain('not-really-a-key-zz81');
  });

  it('a usable key passes; escaped line breaks and a missing client_email are named', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const good = { type: 'service_account', client_email: 'loader@orbit-test.iam.gserviceaccount.com', private_key: privateKey };
    expect(validateBigQueryTarget(target({ method: 'service-account-json', keyfile_json: good }))).toEqual([]);
    const escaped = validateBigQueryTarget(target({ method: 'service-account-json', keyfile_json: { ...good, private_key: privateKey.replace(/\n/g, '\\n') } }));
    expect(escaped.join('\n')).toContain('its line breaks are the two characters \\n');
    const { client_email: _, ...anonymous } = good;
    expect(validateBigQueryTarget(target({ method: 'service-account-json', keyfile_json: anonymous })).join('\n')).toContain('keyfile_json has no client_email');
  });

  it('impersonate_service_account with a local api_endpoint is refused; with Google’s endpoint it is kept', () => {
    const local = validateBigQueryTarget(target({ method: 'oauth-secrets', token: 't', impersonate_service_account: 'builder@orbit-test.iam.gserviceaccount.com', api_endpoint: 'http://127.0.0.1:9050' }));
    expect(local.join('\n')).toContain('impersonate_service_account with a local api_endpoint');
    expect(validateBigQueryTarget(target({ method: 'oauth-secrets', token: 't', impersonate_service_account: 'builder@orbit-test.iam.gserviceaccount.com' }))).toEqual([]);
  });
});
