/**
 * A corpus of malformed projects. Each must fail before any warehouse is opened, with exit 2,
 * and report its problem with a stable code, the file and (where there is one) the line.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compile, list } from './index.js';
import { writeProject, removeProject, PROJECT_YML, DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import type { Diagnostic } from '../diagnostics/index.js';

interface Case {
  name: string;
  files: Record<string, string>;
  code: string;
  file?: string;
  line?: number;
  /** Substring of message or hint. */
  mentions?: string;
  select?: string[];
  vars?: string;
  target?: string;
  env?: Record<string, string>;
  noDefaults?: boolean;
}

const M = (sql: string): string => sql;

const cases: Case[] = [
  // project files
  { name: 'no project file', files: { 'models/a.sql': 'select 1' }, noDefaults: true, code: 'project-not-found' },
  { name: 'project.yml bad YAML', files: { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n   +materialized: [table\n' }, code: 'yaml-syntax-error', file: 'project.yml', line: 6 },
  { name: 'project.yml without name', files: { 'project.yml': 'profile: p\n' }, code: 'project-invalid', file: 'project.yml' },
  { name: 'dbt_project.yml bad YAML', files: { 'dbt_project.yml': 'name: p\n  profile: p\n: x\n', 'profiles.yml': DUCKDB_PROFILE() }, noDefaults: true, code: 'yaml-syntax-error', file: 'dbt_project.yml', line: 1 },
  { name: 'profiles.yml bad YAML', files: { 'profiles.yml': 'p:\n  target: dev\n  outputs: {dev: [\n' }, code: 'yaml-syntax-error', file: 'profiles.yml', line: 4 },
  { name: 'profile missing', files: { 'profiles.yml': DUCKDB_PROFILE('other') }, code: 'profile-not-found', mentions: 'other' },
  { name: 'target missing', files: { 'models/a.sql': 'select 1' }, target: 'prod', code: 'target-not-found', mentions: 'dev' },
  { name: 'unknown adapter type', files: { 'profiles.yml': 'p:\n  target: dev\n  outputs:\n    dev:\n      type: oracle\n      schema: x\n' }, code: 'adapter-unknown', mentions: 'duckdb' },
  { name: 'env_var missing in profiles.yml', files: { 'profiles.yml': "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \"{{ env_var('STRATA_TEST_NOPE_PATH') }}\"\n" }, code: 'env-var-not-found', file: 'profiles.yml', line: 6 },
  { name: 'env_var missing in project.yml', files: { 'project.yml': "name: p\nprofile: p\nvars:\n  x: \"{{ env_var('STRATA_TEST_NOPE_X') }}\"\n" }, code: 'env-var-not-found', file: 'project.yml', line: 4 },
  { name: 'bad --vars', files: { 'models/a.sql': 'select 1' }, vars: '{a: [1, 2', code: 'vars-invalid' },
  // schema YAML
  { name: 'schema.yml bad YAML', files: { 'models/a.sql': 'select 1', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n     description: x\n' }, code: 'yaml-syntax-error', file: 'models/schema.yml', line: 6 },
  { name: 'schema.yml models not a list', files: { 'models/a.sql': 'select 1', 'models/schema.yml': 'version: 2\nmodels:\n  name: a\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 3 },
  { name: 'schema.yml sources not a list', files: { 'models/schema.yml': 'version: 2\nsources: crm\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 2 },
  { name: 'source without name', files: { 'models/schema.yml': 'version: 2\nsources:\n  - tables:\n      - name: t\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 3 },
  // refs and sources
  { name: 'unknown ref', files: { 'models/a.sql': "select * from {{ ref('nope') }}" }, code: 'ref-not-found', file: 'models/a.sql', line: 1 },
  { name: 'ref typo has a hint', files: { 'models/orders.sql': 'select 1 as id', 'models/b.sql': "\n\nselect * from {{ ref('ordrs') }}" }, code: 'ref-not-found', file: 'models/b.sql', line: 3, mentions: "did you mean 'orders'" },
  { name: 'ref to a disabled model', files: { 'models/a.sql': "{{ config(enabled=false) }} select 1", 'models/b.sql': "select * from {{ ref('a') }}" }, code: 'ref-not-found', file: 'models/b.sql', mentions: 'disabled' },
  { name: 'ref inside a loop to unknown model', files: { 'models/a.sql': "{% for m in ['x'] %}select * from {{ ref(m) }}{% endfor %}" }, code: 'ref-not-found', file: 'models/a.sql' },
  { name: 'unknown source', files: { 'models/a.sql': "select * from {{ source('crm', 'customers') }}" }, code: 'source-not-found', file: 'models/a.sql', line: 1 },
  { name: 'unknown source table', files: { 'models/s.yml': 'version: 2\nsources:\n  - name: crm\n    tables:\n      - name: customers\n', 'models/a.sql': "select * from {{ source('crm', 'custmers') }}" }, code: 'source-not-found', file: 'models/a.sql', mentions: 'customers' },
  // graph
  { name: 'two-node cycle', files: { 'models/a.sql': "select * from {{ ref('b') }}", 'models/b.sql': "select * from {{ ref('a') }}" }, code: 'cycle-detected', mentions: 'models/b.sql' },
  { name: 'three-node cycle', files: { 'models/a.sql': "select * from {{ ref('c') }}", 'models/b.sql': "select * from {{ ref('a') }}", 'models/c.sql': "select * from {{ ref('b') }}" }, code: 'cycle-detected', mentions: 'models/c.sql' },
  { name: 'self reference', files: { 'models/a.sql': "select * from {{ ref('a') }}" }, code: 'cycle-detected', mentions: 'models/a.sql' },
  { name: 'duplicate model names', files: { 'models/x/a.sql': 'select 1', 'models/y/a.sql': 'select 2' }, code: 'duplicate-node', mentions: 'models/y/a.sql' },
  { name: 'duplicate seed names', files: { 'seeds/a.csv': 'id\n1\n', 'seeds/more/a.csv': 'id\n2\n' }, code: 'duplicate-node' },
  // Jinja
  { name: 'unclosed expression', files: { 'models/a.sql': "select 1\nfrom {{ ref('b') " }, code: 'jinja-syntax-error', file: 'models/a.sql', line: 2 },
  { name: 'if without endif', files: { 'models/a.sql': 'select 1\n{% if true %}\nwhere 1=1\n' }, code: 'jinja-syntax-error', file: 'models/a.sql' },
  { name: 'unknown tag', files: { 'models/a.sql': 'select 1\n{% frobnicate %}\n' }, code: 'jinja-syntax-error', file: 'models/a.sql', line: 2 },
  { name: 'for without endfor', files: { 'models/a.sql': '{% for x in [1,2] %}select {{ x }}\n' }, code: 'jinja-syntax-error', file: 'models/a.sql' },
  { name: 'unknown macro', files: { 'models/a.sql': "select {{ mask_nme('x') }}", 'macros/m.sql': "{% macro mask_name(c) %}{{ c }}{% endmacro %}" }, code: 'macro-not-found', file: 'models/a.sql', mentions: 'mask_name' },
  { name: 'macro file syntax error', files: { 'macros/m.sql': '{% macro m(x) %}\n{{ x \n{% endmacro %}' }, code: 'macro-syntax-error', file: 'macros/m.sql' },
  { name: 'macro without endmacro', files: { 'macros/m.sql': '{% macro m(x) %}\nselect 1\n' }, code: 'macro-syntax-error', file: 'macros/m.sql' },
  { name: 'duplicate macro', files: { 'macros/a.sql': '{% macro m() %}1{% endmacro %}', 'macros/b.sql': '{% macro m() %}2{% endmacro %}' }, code: 'duplicate-macro', mentions: 'macros/b.sql' },
  { name: 'raise_compiler_error', files: { 'models/a.sql': "select 1\n{{ exceptions.raise_compiler_error('bad config here') }}" }, code: 'compiler-error', file: 'models/a.sql', mentions: 'bad config here' },
  { name: 'raise_compiler_error in a macro', files: { 'macros/m.sql': "{% macro must(x) %}{% if not x %}{{ exceptions.raise_compiler_error('x is required') }}{% endif %}{% endmacro %}", 'models/a.sql': 'select {{ must(none) }}' }, code: 'compiler-error', mentions: 'x is required' },
  { name: 'missing var', files: { 'models/a.sql': "select {{ var('start_date') }}" }, code: 'var-not-found', file: 'models/a.sql', line: 1, mentions: 'start_date' },
  { name: 'missing var in a test config', files: { 'models/a.sql': 'select 1 as id', 'models/props.yml': "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                where: \"id > {{ var('min_id') }}\"\n" }, code: 'var-not-found', file: 'models/props.yml', line: 7, mentions: 'min_id' },
  { name: 'missing var in a source property', files: { 'models/src.yml': "version: 2\nsources:\n  - name: raw\n    schema: \"{{ var('raw_schema') }}\"\n    tables:\n      - name: t\n" }, code: 'var-not-found', file: 'models/src.yml', line: 6, mentions: 'raw_schema' },
  { name: 'missing env_var in model', files: { 'models/a.sql': "\nselect '{{ env_var('STRATA_TEST_NOPE_M') }}'" }, code: 'env-var-not-found', file: 'models/a.sql', line: 2 },
  { name: 'calling a non-function', files: { 'models/a.sql': "{% set x = 1 %}select {{ x() }}" }, code: 'jinja-render-error', file: 'models/a.sql' },
  { name: 'config with unknown materialization name is fine at parse but ref error still shows', files: { 'models/a.sql': "{{ config(materialized='table') }}select * from {{ ref('zz') }}" }, code: 'ref-not-found', file: 'models/a.sql' },
  // selection
  { name: 'unknown selector method', files: { 'models/a.sql': 'select 1' }, select: ['colour:red'], code: 'selector-invalid' },
  { name: 'malformed graph operator', files: { 'models/a.sql': 'select 1' }, select: ['a++x'], code: 'selector-invalid' },
  // more project config shapes
  { name: 'model-paths not a list', files: { 'project.yml': 'name: p\nprofile: p\nmodel-paths: 3\n' }, code: 'project-invalid', file: 'project.yml' },
  { name: 'a model version without its file', files: { 'models/m.sql': 'select 1 as id', 'models/m_v1.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    latest_version: 1\n    versions:\n      - v: 1\n        defined_in: m\n      - v: 2\n' }, code: 'version-file-not-found', file: 'models/schema.yml', line: 8, mentions: 'm_v2.sql' },
  { name: 'ref to a version of an unversioned model', files: { 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a', v=2) }}" }, code: 'ref-version-not-found', file: 'models/b.sql', line: 1, mentions: 'has no versions' },
  { name: 'a snapshot block left open', files: { 'models/a.sql': 'select 1 as id', 'snapshots/snap.sql': "-- history\n{% snapshot a_history %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('a') }}\n" }, code: 'jinja-syntax-error', file: 'snapshots/snap.sql', line: 2, mentions: 'endsnapshot' },
  { name: 'a YAML snapshot of no relation', files: { 'models/a.sql': 'select 1 as id', 'snapshots/snaps.yml': "version: 2\nsnapshots:\n  - name: a_history\n    relation: a\n    config: {unique_key: id, strategy: check, check_cols: all}\n" }, code: 'schema-yaml-invalid', file: 'snapshots/snaps.yml', line: 3, mentions: "ref('orders')" },
  { name: 'a snapshot of an unknown model', files: { 'models/a.sql': 'select 1 as id', 'snapshots/snap.sql': "{% snapshot a_history %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('b') }}\n{% endsnapshot %}\n" }, code: 'ref-not-found', file: 'snapshots/snap.sql', line: 3 },
  { name: 'a macro of a package not installed', files: { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n', 'models/a.sql': "select {{ dbt_utils.generate_surrogate_key(['id']) }} as k" }, code: 'macro-not-found', file: 'models/a.sql', line: 1, mentions: "there is no package 'dbt_utils'" },
  { name: 'exposure without owner', files: { 'models/a.sql': 'select 1 as id', 'models/exposures.yml': "version: 2\nexposures:\n  - name: dash\n    type: dashboard\n    depends_on: [ref('a')]\n" }, code: 'exposure-invalid', file: 'models/exposures.yml', line: 3, mentions: 'owner' },
  { name: 'exposure on an unknown model', files: { 'models/a.sql': 'select 1 as id', 'models/exposures.yml': "version: 2\nexposures:\n  - name: dash\n    type: dashboard\n    owner: {email: a@b.c}\n    depends_on:\n      - ref('b')\n" }, code: 'ref-not-found', file: 'models/exposures.yml', line: 7, mentions: "'a'" },
  { name: 'constraint without type', files: { 'models/a.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        constraints:\n          - expression: id > 0\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 7, mentions: 'no type' },
  { name: 'tests and data_tests in project.yml', files: { 'project.yml': 'name: p\nprofile: p\ntests:\n  +severity: warn\ndata_tests:\n  +store_failures: true\n' }, code: 'project-invalid', file: 'project.yml', line: 4, mentions: "both 'tests' and 'data_tests'" },
  { name: 'tests and data_tests on one column', files: { 'models/a.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n        tests: [not_null]\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 7, mentions: "column 'id' has both" },
  { name: 'tests and data_tests on a source table', files: { 'models/schema.yml': 'version: 2\nsources:\n  - name: crm\n    tables:\n      - name: t\n        tests: [x]\n        data_tests: [y]\n' }, code: 'schema-yaml-invalid', file: 'models/schema.yml', line: 6, mentions: "'t' has both" },
  { name: 'vars not a mapping', files: { 'project.yml': 'name: p\nprofile: p\nvars: [1, 2]\n' }, code: 'project-invalid', file: 'project.yml' },
  { name: 'profiles outputs missing', files: { 'profiles.yml': 'p:\n  target: dev\n' }, code: 'target-not-found' },
  { name: 'duckdb profile without type', files: { 'profiles.yml': 'p:\n  target: dev\n  outputs:\n    dev:\n      path: x.duckdb\n' }, code: 'profile-invalid', mentions: 'type' },
  { name: 'ref to a test', files: { 'models/a.sql': "select * from {{ ref('my_test') }}", 'tests/my_test.sql': 'select 1 where false' }, code: 'ref-not-found', file: 'models/a.sql' },
  { name: 'two problems at once (both reported)', files: { 'models/a.sql': "select * from {{ ref('nope1') }}", 'models/b.sql': "select * from {{ ref('nope2') }}" }, code: 'ref-not-found', file: 'models/b.sql' },
  { name: 'source() with one argument', files: { 'models/a.sql': "select * from {{ source('crm') }}" }, code: 'source-invalid', file: 'models/a.sql', line: 1 },
  { name: 'ref in a schema test to unknown model', files: { 'models/a.sql': 'select 1 as id', 'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref(\'nope\')\n              field: id\n' }, code: 'ref-not-found' },
  { name: 'unknown generic test', files: { 'models/a.sql': 'select 1 as id', 'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_nul]\n' }, code: 'test-not-found', file: 'models/s.yml', mentions: 'not_null' },
  { name: 'jinja error in a singular test', files: { 'tests/t.sql': 'select 1 {{ oops( }}' }, code: 'jinja-syntax-error', file: 'tests/t.sql' },
];

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function find(diagnostics: Diagnostic[], c: Case): Diagnostic | undefined {
  return diagnostics.find((d) => d.code === c.code && (!c.file || d.file === c.file));
}

describe('a dependency cycle', () => {
  it.each([
    ['a model that refs itself', { 'models/a.sql': "select * from {{ ref('a') }}" }, '{{ this }}'],
    ['two models', { 'models/a.sql': "select * from {{ ref('b') }}", 'models/b.sql': "select * from {{ ref('a') }}" }, 'remove one of these refs'],
  ])('is one error: %s', async (_name, files, hint) => {
    const dir = writeProject(files);
    dirs.push(dir);
    const result = await compile({ projectDir: dir, profilesDir: dir });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ code: 'cycle-detected', file: 'models/a.sql', hint: expect.stringContaining(hint) })]);
  });
});

describe('malformed projects report clear diagnostics and never open the warehouse', () => {
  it('has at least 50 cases', () => expect(cases.length).toBeGreaterThanOrEqual(50));
  for (const c of cases) {
    it(c.name, async () => {
      const files = c.noDefaults ? c.files : { 'project.yml': PROJECT_YML(), 'profiles.yml': DUCKDB_PROFILE(), ...c.files };
      const dir = writeProject(files, false);
      dirs.push(dir);
      const env = { ...process.env, ...(c.env ?? {}) };
      const common = { projectDir: dir, profilesDir: dir, vars: c.vars, target: c.target, env };
      const result = c.select ? await list({ ...common, select: c.select }) : await compile({ ...common });
      const summary = result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message} ${d.hint ?? ''}`).join('\n');
      expect(result.exitCode, summary).toBe(2);
      const d = find(result.diagnostics, c);
      expect(d, `expected ${c.code} in:\n${summary}`).toBeDefined();
      if (c.line !== undefined) expect(d!.line, summary).toBe(c.line);
      if (c.mentions) expect(`${d!.message} ${d!.hint ?? ''}`).toContain(c.mentions);
      expect(existsSync(join(dir, 'target', 'test.duckdb')), 'warehouse must not be opened').toBe(false);
    });
  }
});
