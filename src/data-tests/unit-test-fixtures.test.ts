/** Unit test fixtures as dbt's unit_testing suite reads them: column names in any case, wrong names refused, nested and zoned values. */
import { describe, it, expect } from 'vitest';
import { build, test as runTests } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { fixtureValueText, foldFixtureColumns, yamlRowTimestamps } from './unit-test-fixture-rows.js';

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

  it('a zoned timestamp is written as PyYAML prints it only when unquoted: a quoted one stays the string it is', async () => {
    const f = project({
      'models/labels.sql': "select 'x' as label, 0 as id",
      'models/label_lengths.sql': "select length(label) as n, id from {{ ref('labels') }}",
      'models/unit_tests.yml': 'unit_tests:\n  - name: label_lengths_kept\n    model: label_lengths\n    given:\n      - input: ref(\'labels\')\n        rows:\n          - {label: "2024-01-01 10:00:00Z", id: 1}\n          - {label: 2024-01-01 10:00:00Z, id: 2}\n    expect:\n      rows:\n        - {n: 20, id: 1}\n        - {n: 25, id: 2}\n',
    });
    expect((await build({ projectDir: f.dir, profilesDir: f.dir, select: ['labels'] })).exitCode).toBe(0);
    const r = await runTests({ projectDir: f.dir, profilesDir: f.dir, select: ['label_lengths_kept'] });
    expect(r.results.map((x) => [x.status, x.message])).toEqual([['pass', 'PASS']]);
  });

  it('values and names, without a warehouse', () => {
    expect(fixtureValueText(['a', "it's", 2, true, null])).toBe("['a', 'it\\'s', 2, True, None]");
    expect(fixtureValueText('2013-11-03T00:00:00Z')).toBe('2013-11-03T00:00:00Z');
    expect(fixtureValueText(new Date('2013-11-03T00:00:00Z'))).toBe('2013-11-03 00:00:00.000+00:00');
    const plainAt = (path: (string | number)[]): boolean => path.join('.') !== 'given.0.rows.0.quoted';
    const entry = { given: [{ input: "ref('a')", rows: [{ plain: '2013-11-3 00:00:00 +5:30', quoted: '2013-11-03T00:00:00Z', naive: '2013-11-03 00:00:00' }] }], expect: { rows: [{ plain: '2013-11-03T00:00:00Z' }] } };
    expect(yamlRowTimestamps(entry, plainAt)).toEqual({
      given: [{ input: "ref('a')", rows: [{ plain: '2013-11-03 00:00:00+05:30', quoted: '2013-11-03T00:00:00Z', naive: '2013-11-03 00:00:00' }] }],
      expect: { rows: [{ plain: '2013-11-03 00:00:00+00:00' }] },
    });
    expect(foldFixtureColumns([{ A: 1 }, { a: 2 }], undefined)).toEqual({ rows: [{ A: 1 }, { A: 2 }] });
  });
});
