/** Model versions as dbt's: one node per version, refs to the latest or to v=, inherited properties, tests per version. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, list } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const YAML = `version: 2
models:
  - name: dim_customers
    description: One row per customer
    latest_version: 2
    config:
      materialized: table
    columns:
      - name: customer_id
        data_tests: [not_null]
      - name: country_name
    versions:
      - v: 3
        columns:
          - include: all
          - name: tier
      - v: 2
        columns:
          - include: all
            exclude: [country_name]
          - name: country_code
            data_tests: [not_null]
      - v: 1
        defined_in: dim_customers_legacy
        config:
          alias: dim_customers_old
`;

const FILES = {
  'models/dim_customers_v1.sql': 'select 1 as customer_id, \'France\' as country_name',
  'models/dim_customers_legacy.sql': "select 1 as customer_id, 'France' as country_name",
  'models/dim_customers_v2.sql': "select 1 as customer_id, 'FR' as country_code",
  'models/dim_customers_v3.sql': "select 1 as customer_id, 'France' as country_name, 'gold' as tier",
  'models/latest_reader.sql': "{{ config(materialized='table') }} select * from {{ ref('dim_customers') }}",
  'models/old_reader.sql': "{{ config(materialized='table') }} select * from {{ ref('dim_customers', v=1) }}",
  'models/schema.yml': YAML,
};

describe('model versions', () => {
  it('builds each version as its own relation, resolves refs to the latest or the asked version, and tests each', async () => {
    // dim_customers_v1.sql is not a version here (v1 is defined_in dim_customers_legacy): it is a model of its own.
    const dir = writeProject(FILES);
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, "select table_name from information_schema.tables where table_name like 'dim_customers%' order by 1")).toEqual(
      ['dim_customers_old', 'dim_customers_v1', 'dim_customers_v2', 'dim_customers_v3'].map((table_name) => ({ table_name })),
    );
    expect(await queryDuckDb(db, 'select * from main.latest_reader')).toEqual([{ customer_id: 1, country_code: 'FR' }]);
    expect(await queryDuckDb(db, 'select * from main.old_reader')).toEqual([{ customer_id: 1, country_name: 'France' }]);

    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>> };
    const v2 = manifest.nodes['model.p.dim_customers.v2']!;
    expect(v2).toMatchObject({ name: 'dim_customers', version: 2, latest_version: 2, alias: 'dim_customers_v2', fqn: ['p', 'dim_customers', 'v2'], description: 'One row per customer' });
    expect(Object.keys(v2.columns as object)).toEqual(['customer_id', 'country_code']);
    expect(Object.keys(manifest.nodes['model.p.dim_customers.v3']!.columns as object)).toEqual(['customer_id', 'country_name', 'tier']);
    expect(manifest.nodes['model.p.latest_reader']!.depends_on).toMatchObject({ nodes: ['model.p.dim_customers.v2'] });
    expect(manifest.nodes['model.p.old_reader']!.depends_on).toMatchObject({ nodes: ['model.p.dim_customers.v1'] });
    const tests = Object.keys(manifest.nodes).filter((id) => id.startsWith('test.')).map((id) => id.split('.').slice(0, 3).join('.')).sort();
    expect(tests).toEqual(['test.p.not_null_dim_customers_v1_customer_id', 'test.p.not_null_dim_customers_v2_country_code', 'test.p.not_null_dim_customers_v2_customer_id', 'test.p.not_null_dim_customers_v3_customer_id']);

    const names = async (select: string[]): Promise<string[]> => (await list({ projectDir: dir, profilesDir: dir, select, resourceTypes: ['model'] })).lines;
    expect(await names(['dim_customers'])).toEqual(['p.dim_customers.v1', 'p.dim_customers.v2', 'p.dim_customers.v3']);
    expect(await names(['version:latest'])).toEqual(['p.dim_customers.v2']);
    expect(await names(['version:prerelease'])).toEqual(['p.dim_customers.v3']);
    expect(await names(['version:old'])).toEqual(['p.dim_customers.v1']);
    expect(await names(['dim_customers.v3+'])).toEqual(['p.dim_customers.v3']);
  });

  it('selects a version in a subfolder as dbt does: name.v2, name_v2 and folder.name.v2', async () => {
    const dir = writeProject({
      'models/marts/dim_c_v1.sql': 'select 1 as id',
      'models/marts/dim_c_v2.sql': 'select 2 as id',
      'models/marts/dim_c.yml': 'models:\n  - name: dim_c\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n',
    });
    dirs.push(dir);
    const names = async (select: string[]): Promise<string[]> => (await list({ projectDir: dir, profilesDir: dir, select, resourceTypes: ['model'] })).lines;
    expect(await names(['dim_c'])).toEqual(['p.marts.dim_c.v1', 'p.marts.dim_c.v2']);
    expect(await names(['dim_c.v2'])).toEqual(['p.marts.dim_c.v2']);
    expect(await names(['dim_c_v2'])).toEqual(['p.marts.dim_c.v2']);
    expect(await names(['marts.dim_c.v1'])).toEqual(['p.marts.dim_c.v1']);
    expect(await names(['p.marts.dim_c.v1+'])).toEqual(['p.marts.dim_c.v1']);
    expect(await names(['dim_c.v3'])).toEqual([]);
  });

  it('reports a missing version file, an unknown version in ref(), and a latest_version that is not a version', async () => {
    const dir = writeProject({
      'models/m_v1.sql': 'select 1 as id',
      'models/reader.sql': "select * from {{ ref('m', v=7) }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    latest_version: 9\n    versions:\n      - v: 1\n      - v: 2\n',
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line])).toEqual(
      expect.arrayContaining([
        ['schema-yaml-invalid', 'models/schema.yml', 4],
        ['version-file-not-found', 'models/schema.yml', 7],
        ['ref-version-not-found', 'models/reader.sql', 1],
      ]),
    );
  });
});
