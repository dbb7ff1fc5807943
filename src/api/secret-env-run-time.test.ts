/**
 * DBT_ENV_SECRET_* / STRATA_ENV_SECRET_* read at run time (inside `{% if execute %}`, in a macro, in
 * run-operation) are refused as at parse time, with the file and line: the value never reaches the warehouse.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, runOperation } from './index.js';

const project = projectsRemovedAfterAll();
const allText = (dir: string): string => readdirSync(dir).map((n) => join(dir, n)).map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'latin1'))).join('\n');
const ENV = { DBT_ENV_SECRET_TOKEN: 'tok-run-value', STRATA_ENV_SECRET_KEY: 'key-run-value' };

describe('secret env vars at run time', () => {
  it('a read inside {% if execute %} fails the node at its line; nothing with the value is built or written', async () => {
    const d = project({
      'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id\n{% if execute %}\n, '{{ env_var(\"DBT_ENV_SECRET_TOKEN\") }}' as token\n{% endif %}",
      'macros/key.sql': "{% macro key() %}\n{{ return(env_var('STRATA_ENV_SECRET_KEY')) }}\n{% endmacro %}",
      'models/b.sql': "{{ config(materialized='table') }}\nselect 1 as id\n{% if execute %}, '{{ key() }}' as k{% endif %}",
      'models/ok.sql': 'select 1 as id',
    });
    const r = await build({ projectDir: d, profilesDir: d, env: ENV });
    expect(r.exitCode).toBe(1);
    const byId = Object.fromEntries(r.results.map((x) => [x.uniqueId, x]));
    expect(byId['model.p.ok']?.status).toBe('success');
    expect(byId['model.p.a']).toMatchObject({ status: 'error' });
    expect(byId['model.p.a']!.message).toMatch(/models\/a\.sql:4: error \[env-secret-in-sql\] env_var\('DBT_ENV_SECRET_TOKEN'\) would write a secret into SQL: secret env vars .* are allowed only in profiles\.yml or packages\.yml/);
    expect(byId['model.p.b']!.message).toMatch(/models\/b\.sql:3: error \[env-secret-in-sql\] env_var\('STRATA_ENV_SECRET_KEY'\).*\(raised in macros\/key\.sql:2\)/);
    const tables = await queryDuckDb(join(d, 'target', 'test.duckdb'), "select table_name from information_schema.tables where table_name in ('a', 'b', 'ok') order by 1");
    expect(tables).toEqual([{ table_name: 'ok' }]);
    const written = allText(join(d, 'target'));
    for (const v of Object.values(ENV)) expect(written).not.toContain(v);
  });

  it('a read in run-operation is refused with the macro file and line, and nothing runs', async () => {
    const d = project({ 'macros/op.sql': "{% macro leak() %}\n{% do run_query(\"create table leaked as select '\" ~ env_var('DBT_ENV_SECRET_TOKEN') ~ \"' as v\") %}\n{% endmacro %}" });
    const r = await runOperation({ projectDir: d, profilesDir: d, macro: 'leak', env: ENV });
    expect(r.exitCode).not.toBe(0);
    const e = r.diagnostics.find((x) => x.severity === 'error')!;
    // run-operation places its errors at the macro's definition, and names where it was raised.
    expect(e).toMatchObject({ code: 'env-secret-in-sql', file: 'macros/op.sql', line: 1, message: expect.stringContaining('(raised in macros/op.sql:2)') });
    expect(JSON.stringify(r)).not.toContain('tok-run-value');
    const db = join(d, 'target', 'test.duckdb');
    if (existsSync(db)) expect(await queryDuckDb(db, "select count(*)::int as n from information_schema.tables where table_name = 'leaked'")).toEqual([{ n: 0 }]);
  });
});
