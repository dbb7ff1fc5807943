/** dbt-duckdb's `extensions:` and `secrets:` in a DuckDB profile: loaded and created when the file opens. */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { secretsSql, extensionProblems } from './duckdb-extensions.js';
import type { TargetConfig } from '../../project/types.js';
import { duckDbProjectsRemovedAfterAll } from '../../test-support/temp-projects.js';
import { DUCKDB_PROFILE } from '../../test-support/fixture-project.js';
import { build } from '../../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const target = (settings: Record<string, unknown>): TargetConfig => ({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { type: 'duckdb', ...settings } });

/** Every file under a folder, as text. */
const allText = (dir: string): string => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile() && !f.endsWith('.duckdb') && f !== 'profiles.yml').map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');

describe("DuckDB profiles' extensions: and secrets:", () => {
  it('writes each secret as dbt-duckdb does: named _dbt_secret_N unless named, bare type and provider, maps, lists and scopes', () => {
    expect(secretsSql(target({ secrets: [{ type: 's3', key_id: 'AK', secret: "s'cret", region: 'eu-west-1' }, { type: 's3', name: 'lake', provider: 'credential_chain', persistent: true, scope: ['s3://a', 's3://b'] }, { type: 'http', extra_http_headers: { 'X-Team': 'ops' } }] }))).toEqual([
      "create or replace secret _dbt_secret_1 (type s3, key_id 'AK', secret 's''cret', region 'eu-west-1')",
      "create or replace persistent secret lake (type s3, provider credential_chain, scope 's3://a', scope 's3://b')",
      "create or replace secret _dbt_secret_3 (type http, extra_http_headers map {'X-Team': 'ops'})",
    ]);
    expect(extensionProblems(target({ extensions: 'httpfs' }))).toEqual(['duckdb extensions must be a list of extension names (or {name, repo} entries)']);
    expect(extensionProblems(target({ extensions: ['json', { name: 'x;drop' }], secrets: [{ key_id: 'a' }] }))).toEqual([
      'duckdb extensions: {"name":"x;drop"} is not an extension name or a {name, repo} entry',
      'duckdb secrets: entry 1 needs a type (s3, gcs, r2, azure, http, …)',
    ]);
    expect(extensionProblems(target({ secrets: [{ type: 's3', name: 'my lake' }] }))).toEqual(['duckdb secrets: entry 1 has a name ("my lake") that is not a DuckDB name (letters, digits, _)']);
  });

  it('loads the listed extensions and creates the secrets before the first model; the secret never reaches a log or artifact', async () => {
    const p = project({
      'profiles.yml': DUCKDB_PROFILE('p', "      extensions: [json, parquet, {name: icu}]\n      secrets:\n        - type: http\n          bearer_token: tok-4f1c9e-secret-value\n"),
      'models/secrets_seen.sql': "{{ config(materialized='table') }} select count(*) as n from duckdb_secrets() where name = '_dbt_secret_1' and type = 'http'",
    });
    const r = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await p.q('select n::int as n from main.secrets_seen')).toEqual([{ n: 1 }]);
    expect(allText(p.dir)).not.toContain('tok-4f1c9e');
  });

  it('stops before anything runs when an extension cannot be had (exit 2), or a secret needs one that is not loaded', async () => {
    // The extension repository is a closed loopback port: the install fails at once, and nothing leaves the machine.
    const missing = project({
      'profiles.yml': DUCKDB_PROFILE('p', "      extensions: [strata_no_such_extension]\n      settings: {custom_extension_repository: 'http://127.0.0.1:9'}\n"),
      'models/m.sql': "{{ config(materialized='table') }} select 1 as id",
    });
    const r = await build({ projectDir: missing.dir, profilesDir: missing.dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.code === 'warehouse-extension-failed')).toMatchObject({ file: 'profiles.yml', message: expect.stringContaining("'strata_no_such_extension'") });

    const s3 = project({
      'profiles.yml': DUCKDB_PROFILE('p', '      secrets:\n        - type: s3\n          key_id: AKIA-test\n          secret: s3-secret-9d2b7a\n'),
      'models/m.sql': "{{ config(materialized='table') }} select 1 as id",
    });
    const t = await build({ projectDir: s3.dir, profilesDir: s3.dir });
    expect(t.exitCode).toBe(2);
    const d = t.diagnostics.find((x) => x.code === 'profile-invalid');
    expect(d).toMatchObject({ file: expect.stringMatching(/profiles.yml$/), hint: expect.stringContaining('httpfs') });
    expect(JSON.stringify(t.diagnostics)).not.toContain('s3-secret-9d2b7a');
  });
});
