/** A data test's adapter_response in run_results.json: the adapter's response to the test query, as dbt's execute_data_test. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build } from '../api/index.js';

describe('a data test result', () => {
  const dir = writeProject({
    'project.yml': 'name: p\nprofile: p\n',
    'models/lighthouses.sql': "select 1 as id, 'Ardnamurchan' as name union all select 2, null",
    'models/schema.yml': 'models:\n  - name: lighthouses\n    columns:\n      - name: id\n        data_tests: [not_null]\n      - name: name\n        data_tests: [not_null]\n',
  });
  afterAll(() => removeProject(dir));

  it("carries the embedded warehouse's response `{_message: 'OK'}` (dbt-duckdb's get_response), pass or fail", async () => {
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(1);
    const written = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; adapter_response: unknown }[] };
    const tests = written.results.filter((r) => r.unique_id.startsWith('test.')).map((r) => [r.status, r.adapter_response]);
    expect(tests.sort()).toEqual([['fail', { _message: 'OK' }], ['pass', { _message: 'OK' }]]);
  });
});
