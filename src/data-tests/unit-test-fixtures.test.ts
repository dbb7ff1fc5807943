/** Unit test fixtures as dbt's unit_testing suite reads them: column names in any case, wrong names refused, nested and zoned values. */
import { describe, it, expect } from 'vitest';
import { build, test as runTests } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { fixtureValueText, foldFixtureColumns } from './unit-test-fixture-rows.js';

const project = duckDbProjectsRemovedAfterAll();

/** A project whose `parcels` model passes `upstream`'s column through, with one unit test. */
function parcels(upstreamSql: string, unitTest: string): ReturnType<typeof project> {
  return project({
    'models/upstream.sql': upstreamSql,
    'models/parcels.sql': "select * from {{ ref('upstream') }}",
    'models/unit_tests.yml': `unit_tests:\n  - name: parcels_pass_through\n    model: parcels\n${unitTest}`,
  });
}

async function unitTestOutcome(f: ReturnType<typeof project>): Promise<{ status: string; message: string }> {
  expect((await build({ projectDir: f.dir, profilesDir: f.dir, select: ['upstream'] })).exitCode).toBe(0);
  const r = await runTests({ projectDir: f.dir, profilesDir: f.dir, select: ['parcels_pass_through'] });
  expect(r.results).toHaveLength(1);
  return { status: r.results[0]!.status, message: r.results[0]!.message ?? '' };
}

describe('unit test fixtures', () => {
  it.each([
    ['a list of text', "select ['x', 'y'] as tags", "['x', 'y']", "['x', 'z']"],
    ['a list of numbers', 'select [4, 5] as tags', '[4, 5]', '[4, 6]'],
    ['a struct', "select {'city': 'Leeds', 'zone': 'north'} as tags", "{'city': 'Leeds', 'zone': 'north'}", "{'city': 'Leeds', 'zone': 'south'}"],
    ['a timestamp with a zone written short', "select timestamp '2021-06-01 08:30:00' as tags", '2021-06-01 08:30:00-0', '2021-06-01 09:30:00-0'],
    ['a timestamptz with a zone written short', "select timestamptz '2021-06-01 08:30:00+00' as tags", '2021-06-01 08:30:00-0', '2021-06-01 09:30:00-0'],
  ])('%s given and expected in YAML passes, and a different value fails', async (_, sql, yaml, wrong) => {
    const ok = parcels(sql, `    given:\n      - input: ref('upstream')\n        rows:\n          - {tags: ${yaml}}\n    expect:\n      rows:\n        - {tags: ${yaml}}\n`);
    expect(await unitTestOutcome(ok)).toEqual({ status: 'pass', message: 'PASS' });
    const bad = parcels(sql, `    given:\n      - input: ref('upstream')\n        rows:\n          - {tags: ${yaml}}\n    expect:\n      rows:\n        - {tags: ${wrong}}\n`);
    expect((await unitTestOutcome(bad)).status).toBe('fail');
  });

  it('column names match the relation in any case, in given and expected rows', async () => {
    const f = parcels('select 1 as weight_kg', "    given:\n      - input: ref('upstream')\n        rows:\n          - {weight_kg: 1}\n          - {WEIGHT_KG: 2}\n          - {Weight_Kg: 3}\n    expect:\n      rows:\n        - {WEIGHT_KG: 1}\n        - {weight_kg: 2}\n        - {weight_KG: 3}\n");
    expect(await unitTestOutcome(f)).toEqual({ status: 'pass', message: 'PASS' });
  });

  it("a given column the input lacks, or an expected column the model lacks, is an error with dbt's message", async () => {
    const given = parcels('select 1 as weight_kg', "    given:\n      - input: ref('upstream')\n        rows:\n          - {weight_lb: 1}\n    expect:\n      rows:\n        - {weight_kg: 1}\n");
    expect(await unitTestOutcome(given)).toMatchObject({ status: 'error', message: expect.stringContaining("Invalid column name: 'weight_lb' in unit test fixture for 'upstream'.") });
    const expected = parcels('select 1 as weight_kg', "    given:\n      - input: ref('upstream')\n        rows:\n          - {weight_kg: 1}\n    expect:\n      rows:\n        - {weight_lb: 1}\n");
    expect(await unitTestOutcome(expected)).toMatchObject({ status: 'error', message: expect.stringContaining("Invalid column name: 'weight_lb' in unit test fixture for expected output.") });
  });

  it('values and names, without a warehouse', () => {
    expect(fixtureValueText(['a', "it's", 2, true, null])).toBe("['a', 'it\\'s', 2, True, None]");
    expect(fixtureValueText('2013-11-3 00:00:00 +5:30')).toBe('2013-11-03 00:00:00+05:30');
    expect(fixtureValueText('2013-11-03T00:00:00Z')).toBe('2013-11-03 00:00:00+00:00');
    expect(fixtureValueText('2013-11-03 00:00:00')).toBe('2013-11-03 00:00:00');
    expect(foldFixtureColumns([{ A: 1 }, { a: 2 }], undefined)).toEqual({ rows: [{ A: 1 }, { A: 2 }] });
  });
});
