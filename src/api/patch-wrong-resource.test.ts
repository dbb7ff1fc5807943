/**
 * A seed described under `models:` (dbt-tests-adapter's TestGenericTests files its seed's tests this way): dbt warns
 * (WrongResourceSchemaFile) and does not apply the entry's properties, but still runs its data tests on the seed.
 */
import { describe, it, expect } from 'vitest';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build } from './index.js';

const project = projectsRemovedAfterAll();

describe('a property entry under the wrong key', () => {
  it("keeps a seed's data tests written under models:, and warns", async () => {
    const d = project({
      'seeds/parcels.csv': 'parcel_id,weight_kg\n1,2.5\n,4.0\n',
      'seeds/parcels.yml': 'version: 2\nmodels:\n  - name: parcels\n    description: not applied\n    columns:\n      - name: parcel_id\n        data_tests:\n          - not_null\n',
    });
    const r = await build({ projectDir: d, profilesDir: d });
    expect(r.diagnostics.find((x) => x.code === 'patch-wrong-resource')).toMatchObject({
      severity: 'warn',
      file: 'seeds/parcels.yml',
      line: 3,
      message: expect.stringContaining("'parcels' is a seed node, but it is specified in the models section"),
      hint: 'place the `parcels` specification under the seeds key instead',
    });
    const test = r.results.find((x) => x.uniqueId.startsWith('test.p.not_null_parcels_parcel_id'));
    expect(test?.status).toBe('fail');
    expect(r.exitCode).toBe(1);
  });

  it('keeps a model\'s data tests written under seeds:', async () => {
    const d = project({ 'models/m.sql': 'select 1 as id', 'models/props.yml': 'version: 2\nseeds:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [unique]\n' });
    const r = await build({ projectDir: d, profilesDir: d });
    expect(r.diagnostics.map((x) => x.code)).toContain('patch-wrong-resource');
    expect(r.results.filter((x) => x.uniqueId.startsWith('test.p.unique_m_id')).map((x) => x.status)).toEqual(['pass']);
    expect(r.exitCode).toBe(0);
  });
});
