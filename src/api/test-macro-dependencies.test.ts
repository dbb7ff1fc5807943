/**
 * A generic test's `depends_on.macros` in manifest.json, as dbt's once tests compile: its test macro (dbt's, a
 * package's or the project's own), then the `get_where_subquery` its `model` argument calls.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeProject } from '../test-support/fixture-project.js';
import { CapturingReporter } from '../diagnostics/index.js';
import { deps, parse } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const testMacros = (dir: string): Record<string, string[]> => {
  const nodes = (JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; name: string; depends_on: { macros: string[] } }> }).nodes;
  return Object.fromEntries(Object.values(nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n.depends_on.macros]));
};

describe('generic tests: depends_on.macros', () => {
  it("lists the test macro, then get_where_subquery, for dbt's, a package's and the project's own tests", async () => {
    const pkg = mkdtempSync(join(tmpdir(), 'strata-pkg-tidy-'));
    dirs.push(pkg);
    mkdirSync(join(pkg, 'macros'));
    writeFileSync(join(pkg, 'dbt_project.yml'), 'name: tidy\nconfig-version: 2\n');
    writeFileSync(join(pkg, 'macros', 'positive.sql'), '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}');
    const dir = writeProject({
      'packages.yml': `packages:\n  - local: ${pkg}\n`,
      'models/shelves.sql': 'select 1 as shelf_id, 3 as books',
      'macros/even.sql': '{% test even(model, column_name) %}select * from {{ model }} where {{ column_name }} % 2 = 1{% endtest %}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: shelves\n    columns:\n      - name: shelf_id\n        data_tests: [not_null, {accepted_values: {values: [1]}}]\n      - name: books\n        data_tests: [tidy.positive, even]\n',
    });
    dirs.push(dir);
    expect((await deps({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() })).exitCode).toBe(0);
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(testMacros(dir)).toEqual({
      not_null_shelves_shelf_id: ['macro.dbt.test_not_null', 'macro.dbt.get_where_subquery'],
      accepted_values_shelves_shelf_id__1: ['macro.dbt.test_accepted_values', 'macro.dbt.get_where_subquery'],
      tidy_positive_shelves_books: ['macro.tidy.test_positive', 'macro.dbt.get_where_subquery'],
      even_shelves_books: ['macro.p.test_even', 'macro.dbt.get_where_subquery'],
    });
  });

  it("names the project's own get_where_subquery where it overrides dbt's", async () => {
    const dir = writeProject({
      'models/shelves.sql': 'select 1 as shelf_id',
      'macros/where.sql': '{% macro get_where_subquery(relation) %}{{ return(relation) }}{% endmacro %}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: shelves\n    columns:\n      - name: shelf_id\n        data_tests: [unique]\n',
    });
    dirs.push(dir);
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(testMacros(dir)).toEqual({ unique_shelves_shelf_id: ['macro.dbt.test_unique', 'macro.p.get_where_subquery'] });
  });
});
