/** A test that refs a disabled model is disabled with a warning (dbt's NodeNotFoundOrDisabled); a model's ref to it stays an error. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build } from '../api/index.js';
import { readWarnErrorOptions } from '../api/warn-error-options.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('tests on disabled nodes', () => {
  it('are disabled and warned about, and fail only where warn_error_options names NodeNotFoundOrDisabled', async () => {
    const dir = writeProject({
      'models/a.sql': '{{ config(enabled=false) }} select 1 as id',
      'models/b.sql': 'select 1 as id',
      'models/b.yml': "models:\n  - name: b\n    columns:\n      - name: id\n        data_tests:\n          - relationships: {to: ref('a'), field: id}\n          - not_null\n",
      'tests/no_nulls_in_a.sql': "select * from {{ ref('a') }} where id is null",
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line])).toEqual([
      ['test-target-disabled', 'warn', 'tests/no_nulls_in_a.sql', 1],
      ['test-target-disabled', 'warn', 'models/b.yml', 6],
    ]);
    expect(r.exitCode).toBe(0);
    // The not_null test on b runs; the relationships test to a and the singular test on a do not.
    expect(r.results.map((x) => x.uniqueId.replace(/\.[0-9a-f]{10}$/, '')).sort()).toEqual(['model.p.b', 'test.p.not_null_b_id']);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { disabled: Record<string, unknown[]> };
    expect(Object.keys(manifest.disabled).filter((id) => id.startsWith('test.')).length).toBe(2);
    const strict = await build({ projectDir: dir, profilesDir: dir, warnErrorOptions: readWarnErrorOptions({ error: ['NodeNotFoundOrDisabled'] }).options! });
    expect(strict.exitCode).toBe(2);
  });
});
