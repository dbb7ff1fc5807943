/**
 * Configuration mistakes that used to be found only when their node ran (exit 1, after earlier nodes were
 * written) or never (exit 0): snapshot configs, generic-test arguments and configs, enforced contracts,
 * hooks, unit tests, incremental configs, materialization names, config values, and the schemas of
 * packages.yml, dependencies.yml and selectors.yml, the project file's require-dbt-version and flags, and
 * groups (issue 20, item 5). Each must stop at parse time: exit 2,
 * its file and line, no crash text, and the warehouse file neither created nor modified.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build, parse } from './index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import type { Dialect } from '../adapters/contract.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const BASE: Record<string, string> = {
  'project.yml': 'name: p\nprofile: p\n',
  'profiles.yml': 'p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: wh.duckdb\n      schema: main\n      threads: 1\n',
  'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'x' as status, current_timestamp as updated_at",
};

/** [name, files, file, line, code]: the mistake, and where and how it must be reported. */
type Case = [string, Record<string, string>, string, number, string];

const snap = (cfg: string): Record<string, string> => ({ 'snapshots/s.sql': `{% snapshot s %}\n{{ config(${cfg}) }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n` });
const colTest = (t: string): Record<string, string> => ({ 'models/schema.yml': `version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n${t}` });
const model = (cfg: string): Record<string, string> => ({ 'models/m.sql': `-- a model\n{{ config(\n    ${cfg}\n) }}\nselect * from {{ ref('a') }}` });
const contract = (materialized: string, columns: string): Record<string, string> => ({ 'models/m.sql': `{{ config(materialized='${materialized}') }}\nselect 1 as id`, 'models/m.yml': `version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: true}\n${columns}` });
const unit = (given: string, extra = "    expect: {rows: [{id: 1}]}\n"): Record<string, string> => ({ 'models/m.sql': "select * from {{ ref('a') }}", 'models/unit.yml': `unit_tests:\n  - name: t\n    model: m\n${given}${extra}` });
const givenA = (more: string): string => `    given:\n      - input: ref('a')\n${more}`;

const snapshotCases: Case[] = [
  ['snapshot without unique_key', snap("strategy='timestamp', updated_at='updated_at'"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['snapshot with an unknown strategy', snap("unique_key='id', strategy='nope'"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['snapshot without strategy', snap("unique_key='id'"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['timestamp snapshot without updated_at', snap("unique_key='id', strategy='timestamp'"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['check snapshot without check_cols', snap("unique_key='id', strategy='check'"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['check_cols a number', snap("unique_key='id', strategy='check', check_cols=3"), 'snapshots/s.sql', 2, 'config-invalid'],
  ['hard_deletes not ignore/invalidate/new_record', snap("unique_key='id', strategy='check', check_cols='all', hard_deletes='nope'"), 'snapshots/s.sql', 2, 'config-invalid'],
  ['dbt_valid_to_current a number', snap("unique_key='id', strategy='check', check_cols='all', dbt_valid_to_current=3"), 'snapshots/s.sql', 2, 'config-invalid'],
  ['snapshot_meta_column_names renaming an unknown column', snap("unique_key='id', strategy='check', check_cols='all', snapshot_meta_column_names={'dbt_valid_until': 'x'}"), 'snapshots/s.sql', 2, 'snapshot-invalid'],
  ['invalidate_hard_deletes text', snap("unique_key='id', strategy='check', check_cols='all', invalidate_hard_deletes='yes'"), 'snapshots/s.sql', 2, 'config-invalid'],
  ['YAML snapshot without strategy', { 'snapshots/s.yml': "snapshots:\n  - name: s\n    relation: ref('a')\n    config:\n      unique_key: id\n" }, 'snapshots/s.yml', 2, 'snapshot-invalid'],
];

const testCases: Case[] = [
  ['not_null on a model, without a column', { 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    data_tests:\n      - not_null\n' }, 'models/schema.yml', 5, 'test-invalid'],
  ['unique on a model, without a column', { 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    data_tests:\n      - unique\n' }, 'models/schema.yml', 5, 'test-invalid'],
  ['accepted_values without values', colTest('          - accepted_values\n'), 'models/schema.yml', 7, 'test-invalid'],
  ['accepted_values with values not a list', colTest('          - accepted_values:\n              values: 3\n'), 'models/schema.yml', 7, 'test-invalid'],
  ['accepted_values with quote not a boolean', colTest("          - accepted_values:\n              values: [x]\n              quote: 'no'\n"), 'models/schema.yml', 7, 'test-invalid'],
  ['relationships without to', colTest('          - relationships:\n              field: id\n'), 'models/schema.yml', 7, 'test-invalid'],
  ['relationships without field', colTest("          - relationships:\n              to: ref('a')\n"), 'models/schema.yml', 7, 'test-invalid'],
  ['an argument the test does not take', colTest('          - not_null:\n              colour: red\n'), 'models/schema.yml', 7, 'test-invalid'],
  ['a custom test without its required argument', { ...colTest('          - is_above\n'), 'tests/generic/is_above.sql': '{% test is_above(model, column_name, floor) %}\nselect * from {{ model }} where {{ column_name }} <= {{ floor }}\n{% endtest %}\n' }, 'models/schema.yml', 7, 'test-invalid'],
  ['severity fatal', colTest('          - not_null:\n              config:\n                severity: fatal\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['severity fatal, the older form', colTest('          - not_null:\n              severity: fatal\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['where a list', colTest('          - not_null:\n              config:\n                where: [1]\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['limit text', colTest('          - not_null:\n              config:\n                limit: lots\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['limit below 0', colTest('          - not_null:\n              config:\n                limit: -3\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['warn_if not a comparison', colTest('          - not_null:\n              config:\n                warn_if: lots\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['error_if a bare number', colTest('          - not_null:\n              config:\n                error_if: 5\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['store_failures_as heap', colTest('          - not_null:\n              config:\n                store_failures_as: heap\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['store_failures text', colTest('          - not_null:\n              config:\n                store_failures: maybe\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['a test config that is not a mapping', colTest('          - not_null:\n              config: 3\n'), 'models/schema.yml', 7, 'config-invalid'],
  ['project data_tests severity fatal', { 'project.yml': 'name: p\nprofile: p\ndata_tests:\n  p:\n    +severity: fatal\n' }, 'project.yml', 5, 'config-invalid'],
];

const contractCases: Case[] = [
  ['enforced contract, a column without data_type', contract('table', '    columns:\n      - name: id\n'), 'models/m.yml', 3, 'contract-invalid'],
  ['enforced contract, no columns', contract('table', ''), 'models/m.yml', 3, 'contract-invalid'],
  ['enforced contract on an ephemeral model', contract('ephemeral', '    columns:\n      - name: id\n        data_type: int\n'), 'models/m.yml', 3, 'contract-invalid'],
  ['contract enforced: maybe', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: maybe}\n' }, 'models/m.yml', 5, 'config-invalid'],
];

const hookCases: Case[] = [
  ['pre_hook a number', model('pre_hook=3'), 'models/m.sql', 3, 'config-invalid'],
  ['post_hook a mapping without sql', model("post_hook={'transaction': true}"), 'models/m.sql', 3, 'config-invalid'],
  ['+post-hook a list of numbers', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +post-hook: [1, 2]\n' }, 'project.yml', 5, 'config-invalid'],
  ['on-run-start a number', { 'project.yml': 'name: p\nprofile: p\non-run-start: 3\n' }, 'project.yml', 3, 'config-invalid'],
  ['on-run-end a mapping in a list', { 'project.yml': 'name: p\nprofile: p\non-run-end:\n  - select 1\n  - {a: 1}\n' }, 'project.yml', 5, 'config-invalid'],
];

const unitCases: Case[] = [
  ['unit test of an unknown model', { 'models/unit.yml': 'unit_tests:\n  - name: t\n    model: nope\n    given: []\n    expect: {rows: [{id: 1}]}\n' }, 'models/unit.yml', 3, 'unit-test-invalid'],
  ['given input not a parent', unit("    given:\n      - input: ref('a')\n        rows: [{id: 1}]\n      - input: ref('zzz')\n        rows: [{id: 1}]\n"), 'models/unit.yml', 7, 'unit-test-invalid'],
  ['a parent not given', unit('    given: []\n'), 'models/unit.yml', 4, 'unit-test-invalid'],
  ['no given', unit(''), 'models/unit.yml', 2, 'unit-test-invalid'],
  ['no expect', unit(givenA('        rows: [{id: 1}]\n'), ''), 'models/unit.yml', 2, 'unit-test-invalid'],
  ['expect a list', unit(givenA('        rows: [{id: 1}]\n'), '    expect: [1]\n'), 'models/unit.yml', 7, 'unit-test-invalid'],
  ['format xml', unit(givenA('        format: xml\n        rows: [{id: 1}]\n')), 'models/unit.yml', 6, 'unit-test-invalid'],
  ['rows not a list', unit(givenA('        rows: 3\n')), 'models/unit.yml', 6, 'unit-test-invalid'],
  ['a row not a mapping', unit(givenA('        rows: [3]\n')), 'models/unit.yml', 6, 'unit-test-invalid'],
  ['csv rows not text', unit(givenA('        format: csv\n        rows: [{id: 1}]\n')), 'models/unit.yml', 7, 'unit-test-invalid'],
  ['a csv fixture file that does not exist', unit(givenA('        format: csv\n        fixture: nofile\n')), 'models/unit.yml', 5, 'unit-test-invalid'],
  ['a fixture file with format dict', { ...unit(givenA('        fixture: a_rows\n')), 'tests/fixtures/a_rows.csv': 'id\n1\n' }, 'models/unit.yml', 5, 'unit-test-invalid'],
  ['both rows and a fixture', { ...unit(givenA('        format: csv\n        fixture: a_rows\n        rows: "id\\n1"\n')), 'tests/fixtures/a_rows.csv': 'id\n1\n' }, 'models/unit.yml', 5, 'unit-test-invalid'],
  ['sql rows not text', unit(givenA('        format: sql\n        rows: [{id: 1}]\n')), 'models/unit.yml', 7, 'unit-test-invalid'],
  ['a sql fixture file that does not exist', unit(givenA('        format: sql\n        fixture: nofile\n')), 'models/unit.yml', 5, 'unit-test-invalid'],
  ['given not a list', unit('    given: 3\n'), 'models/unit.yml', 4, 'unit-test-invalid'],
  ['a given without input', unit('    given:\n      - rows: [{id: 1}]\n'), 'models/unit.yml', 5, 'unit-test-invalid'],
  ['a given that is not a mapping', unit('    given:\n      - null\n'), 'models/unit.yml', 5, 'unit-test-invalid'],
];

const incrementalCases: Case[] = [
  ['an unknown incremental_strategy', model("materialized='incremental', incremental_strategy='nope'"), 'models/m.sql', 3, 'config-invalid'],
  ['merge without unique_key', model("materialized='incremental', incremental_strategy='merge'"), 'models/m.sql', 3, 'config-invalid'],
  ['delete+insert without unique_key', model("materialized='incremental', incremental_strategy='delete+insert'"), 'models/m.sql', 3, 'config-invalid'],
  ['insert_overwrite on DuckDB', model("materialized='incremental', incremental_strategy='insert_overwrite', partition_by={'field': 'id'}"), 'models/m.sql', 3, 'config-invalid'],
  ['microbatch without begin', model("materialized='incremental', incremental_strategy='microbatch', event_time='updated_at', batch_size='day'"), 'models/m.sql', 3, 'config-invalid'],
  ['microbatch without batch_size', model("materialized='incremental', incremental_strategy='microbatch', event_time='updated_at', begin='2024-01-01'"), 'models/m.sql', 3, 'config-invalid'],
  ['microbatch without event_time', model("materialized='incremental', incremental_strategy='microbatch', batch_size='day', begin='2024-01-01'"), 'models/m.sql', 3, 'config-invalid'],
  ['microbatch batch_size week', model("materialized='incremental', incremental_strategy='microbatch', event_time='updated_at',\n    batch_size='week', begin='2024-01-01'"), 'models/m.sql', 4, 'config-invalid'],
  ['microbatch with quarantine', model("materialized='incremental', incremental_strategy='microbatch', event_time='updated_at', batch_size='day', begin='2024-01-01',\n    quarantine=true"), 'models/m.sql', 4, 'config-invalid'],
  ['microbatch begin not a date', model("materialized='incremental', incremental_strategy='microbatch', event_time='updated_at', batch_size='day',\n    begin='last tuesday'"), 'models/m.sql', 4, 'config-invalid'],
  ['microbatch begin in YAML not a date', { 'models/m.sql': "select * from {{ ref('a') }}", 'models/m.yml': "version: 2\nmodels:\n  - name: m\n    config:\n      materialized: incremental\n      incremental_strategy: microbatch\n      event_time: updated_at\n      batch_size: day\n      begin: 2024-02-31\n" }, 'models/m.yml', 9, 'config-invalid'],
  ['on_schema_change explode', model("materialized='incremental', on_schema_change='explode'"), 'models/m.sql', 3, 'config-invalid'],
  ['unique_key a number', model("materialized='incremental', unique_key=3"), 'models/m.sql', 3, 'config-invalid'],
  ['incremental_strategy in the project file', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +materialized: incremental\n    +incremental_strategy: merge\n', 'models/m.sql': 'select 1 as id' }, 'models/m.sql', 1, 'config-invalid'],
  ['batch_size week', model("materialized='incremental', batch_size='week'"), 'models/m.sql', 3, 'config-invalid'],
];

const valueCases: Case[] = [
  ['materialized tabel', model("materialized='tabel'"), 'models/m.sql', 3, 'materialization-unknown'],
  ['materialized tabel in YAML', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      materialized: tabel\n' }, 'models/m.yml', 3, 'materialization-unknown'],
  ['materialized tabel in the project file', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +materialized: tabel\n', 'models/m.sql': 'select 1 as id' }, 'models/m.sql', 1, 'materialization-unknown'],
  ['partition_by text', model("materialized='table', partition_by='x'"), 'models/m.sql', 3, 'config-invalid'],
  ['access secret', model("access='secret'"), 'models/m.sql', 3, 'config-invalid'],
  ['persist_docs true', model('persist_docs=true'), 'models/m.sql', 3, 'config-invalid'],
  ['grants text', model("grants='select'"), 'models/m.sql', 3, 'config-invalid'],
  ['grants with a number of grantees', model("grants={'select': 3}"), 'models/m.sql', 3, 'config-invalid'],
  ['docs node_color a number', model("docs={'node_color': 3}"), 'models/m.sql', 3, 'config-invalid'],
  ['full_refresh text', model("full_refresh='yes'"), 'models/m.sql', 3, 'config-invalid'],
  ['tags a number', model('tags=3'), 'models/m.sql', 3, 'config-invalid'],
  ['meta a list', model('meta=[1]'), 'models/m.sql', 3, 'config-invalid'],
  ['enabled maybe', model("enabled='maybe'"), 'models/m.sql', 3, 'config-invalid'],
  ['schema a number', model('schema=3'), 'models/m.sql', 3, 'config-invalid'],
  ['sql_header a number', model('sql_header=3'), 'models/m.sql', 3, 'config-invalid'],
  ['quarantine yes', model("quarantine='yes'"), 'models/m.sql', 3, 'config-invalid'],
  ['seed delimiter of two characters', { 'seeds/s.csv': 'id\n1\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +delimiter: ";;"\n' }, 'project.yml', 5, 'config-invalid'],
  ['seed column_types a list', { 'seeds/s.csv': 'id\n1\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +column_types: [a]\n' }, 'project.yml', 5, 'config-invalid'],
  ['seed column_types with a number', { 'seeds/s.csv': 'id\n1\n', 'seeds/s.yml': 'version: 2\nseeds:\n  - name: s\n    config:\n      column_types:\n        id: 3\n' }, 'seeds/s.yml', 6, 'config-invalid'],
  ['on_schema_change in the project file', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    staging:\n      +on_schema_change: explode\n' }, 'project.yml', 6, 'config-invalid'],
  ['persist_docs relation text in the project file', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +persist_docs:\n      relation: yes please\n' }, 'project.yml', 6, 'config-invalid'],
  ['YAML config access secret', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      access: secret\n' }, 'models/m.yml', 5, 'config-invalid'],
  ['YAML tags a mapping', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    tags: {a: 1}\n' }, 'models/m.yml', 4, 'config-invalid'],
  ['source freshness count text', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    loaded_at_field: x\n    freshness:\n      warn_after: {count: lots, period: hour}\n    tables:\n      - name: t\n' }, 'models/s.yml', 6, 'config-invalid'],
  ['source freshness period fortnight', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        freshness:\n          error_after:\n            count: 1\n            period: fortnight\n' }, 'models/s.yml', 9, 'config-invalid'],
];

const PACKAGES_EXAMPLE = 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n';
const packageCases: Case[] = [
  ['packages.yml: packages a mapping', { 'packages.yml': 'packages:\n  dbt_utils: 1.3.0\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['packages.yml: an unknown top-level key', { 'packages.yml': `${PACKAGES_EXAMPLE}pakages: []\n` }, 'packages.yml', 4, 'packages-invalid'],
  ['packages.yml: an entry that is text', { 'packages.yml': 'packages:\n  - dbt-labs/dbt_utils\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['packages.yml: an entry with no source', { 'packages.yml': 'packages:\n  - version: 1.3.0\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['packages.yml: an entry with two sources', { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    local: ../x\n    version: 1.3.0\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['packages.yml: a hub package without version', { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['packages.yml: a misspelt key', { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    verison: 1.3.0\n' }, 'packages.yml', 3, 'packages-invalid'],
  ['packages.yml: version a mapping', { 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: {min: 1}\n' }, 'packages.yml', 3, 'packages-invalid'],
  ['packages.yml: warn-unpinned text', { 'packages.yml': 'packages:\n  - git: https://example.invalid/x.git\n    warn-unpinned: nope\n' }, 'packages.yml', 3, 'packages-invalid'],
  ['packages.yml: a git key on a local package', { 'packages.yml': 'packages:\n  - local: ../x\n    revision: main\n' }, 'packages.yml', 3, 'packages-invalid'],
  ['packages.yml: a tarball without name', { 'packages.yml': 'packages:\n  - tarball: https://example.invalid/x.tgz\n' }, 'packages.yml', 2, 'packages-invalid'],
  ['dependencies.yml: projects not a list', { 'dependencies.yml': 'projects: upstream\n' }, 'dependencies.yml', 1, 'packages-invalid'],
  ['dependencies.yml: a project without name', { 'dependencies.yml': 'projects:\n  - project: upstream\n' }, 'dependencies.yml', 2, 'packages-invalid'],
  ['dependencies.yml: an unknown key', { 'dependencies.yml': 'packages: []\nprojetcs: []\n' }, 'dependencies.yml', 2, 'packages-invalid'],
  ['packages in both packages.yml and dependencies.yml', { 'packages.yml': 'packages:\n  - local: ../x\n', 'dependencies.yml': '\npackages:\n  - local: ../y\n' }, 'dependencies.yml', 3, 'packages-invalid'],
];

const selectorCases: Case[] = [
  ['selectors.yml: an unknown top-level key', { 'selectors.yml': "selectors:\n  - name: a\n    definition: 'tag:x'\nselector: []\n" }, 'selectors.yml', 4, 'selectors-invalid'],
  ['selectors.yml: an unknown selector key', { 'selectors.yml': "selectors:\n  - name: a\n    defintion: 'tag:x'\n    definition: 'tag:x'\n" }, 'selectors.yml', 3, 'selectors-invalid'],
  ['selectors.yml: default text', { 'selectors.yml': "selectors:\n  - name: a\n    default: yes please\n    definition: 'tag:x'\n" }, 'selectors.yml', 3, 'selectors-invalid'],
  ['selectors.yml: description a list', { 'selectors.yml': "selectors:\n  - name: a\n    description: [x]\n    definition: 'tag:x'\n" }, 'selectors.yml', 3, 'selectors-invalid'],
  ['selectors.yml: an unknown method', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tga\n      value: x\n' }, 'selectors.yml', 4, 'selectors-invalid'],
  ['selectors.yml: an unknown method key', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      childern: true\n' }, 'selectors.yml', 6, 'selectors-invalid'],
  ['selectors.yml: children text', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      children: lots\n' }, 'selectors.yml', 6, 'selectors-invalid'],
  ['selectors.yml: a depth that is text', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      parents: true\n      parents_depth: deep\n' }, 'selectors.yml', 7, 'selectors-invalid'],
  ['selectors.yml: indirect_selection wrong', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      indirect_selection: lazy\n' }, 'selectors.yml', 6, 'selectors-invalid'],
  ['selectors.yml: method without value', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      method: tag\n' }, 'selectors.yml', 4, 'selectors-invalid'],
  ['selectors.yml: union not a list', { 'selectors.yml': "selectors:\n  - name: a\n    definition:\n      union: 'tag:x'\n" }, 'selectors.yml', 4, 'selectors-invalid'],
  ['selectors.yml: a key beside union', { 'selectors.yml': "selectors:\n  - name: a\n    definition:\n      union: ['tag:x']\n      method: tag\n" }, 'selectors.yml', 5, 'selectors-invalid'],
  ['selectors.yml: a bad item in intersection', { 'selectors.yml': "selectors:\n  - name: a\n    definition:\n      intersection:\n        - 'tag:x'\n        - tga: y\n" }, 'selectors.yml', 6, 'selectors-invalid'],
  ['selectors.yml: two pairs in one definition', { 'selectors.yml': 'selectors:\n  - name: a\n    definition:\n      tag: x\n      path: y\n' }, 'selectors.yml', 4, 'selectors-invalid'],
  ['selectors.yml: a definition that is a number', { 'selectors.yml': 'selectors:\n  - name: a\n    definition: 3\n' }, 'selectors.yml', 3, 'selectors-invalid'],
];

const unitRest = (rest: string): Record<string, string> => unit(givenA('        rows: [{id: 1}]\n'), `    expect: {rows: [{id: 1}]}\n${rest}`);
const propertyCases: Case[] = [
  ['a singular test with severity fatal', { 'tests/t.sql': "{{ config(severity='fatal') }}\nselect 1 where false" }, 'tests/t.sql', 1, 'config-invalid'],
  ['an analysis with tags a number', { 'analyses/x.sql': "{{ config(tags=3) }}\nselect 1" }, 'analyses/x.sql', 1, 'config-invalid'],
  ['quoting.database maybe', { 'project.yml': 'name: p\nprofile: p\nquoting:\n  database: maybe\n' }, 'project.yml', 4, 'project-invalid'],
  ['dispatch without search_order', { 'project.yml': 'name: p\nprofile: p\ndispatch:\n  - macro_namespace: dbt_utils\n' }, 'project.yml', 4, 'project-invalid'],
  ['dispatch not a list', { 'project.yml': 'name: p\nprofile: p\ndispatch: 3\n' }, 'project.yml', 3, 'project-invalid'],
  ['config-version 3', { 'project.yml': 'name: p\nprofile: p\nconfig-version: 3\n' }, 'project.yml', 3, 'project-invalid'],
  ['a source identifier that is a list', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        identifier: [3]\n' }, 'models/s.yml', 6, 'config-invalid'],
  ['a source loaded_at_field that is a list', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    loaded_at_field: [a]\n    tables:\n      - name: t\n' }, 'models/s.yml', 4, 'config-invalid'],
  ['a source config enabled: maybe', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    config:\n      enabled: maybe\n    tables:\n      - name: t\n' }, 'models/s.yml', 5, 'config-invalid'],
  ['a source with tags a mapping (was a crash)', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tags: {a: 1}\n    tables:\n      - name: t\n' }, 'models/s.yml', 4, 'config-invalid'],
  ['a source table with meta a list', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        meta: [1]\n' }, 'models/s.yml', 6, 'schema-yaml-invalid'],
  ['a column data_type that is a list', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_type: [int]\n' }, 'models/m.yml', 6, 'config-invalid'],
  ['a column quote: maybe', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        quote: maybe\n' }, 'models/m.yml', 6, 'config-invalid'],
  ['a model description that is a list', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    description: [a]\n' }, 'models/m.yml', 4, 'config-invalid'],
  ['a seed quote_columns: maybe', { 'seeds/s.csv': 'id\n1\n', 'seeds/s.yml': 'version: 2\nseeds:\n  - name: s\n    config:\n      quote_columns: maybe\n' }, 'seeds/s.yml', 5, 'config-invalid'],
  ['a snapshot target_schema that is a number', snap("unique_key='id', strategy='check', check_cols='all', target_schema=3"), 'snapshots/s.sql', 2, 'config-invalid'],
  ['not_null on a source table, without a column', { 'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        data_tests:\n          - not_null\n' }, 'models/s.yml', 7, 'test-invalid'],
  ['unit test overrides.macros a number', unitRest('    overrides:\n      macros: 3\n'), 'models/unit.yml', 9, 'unit-test-invalid'],
  ['unit test overrides.vars a list', unitRest('    overrides:\n      vars: [1]\n'), 'models/unit.yml', 9, 'unit-test-invalid'],
  ['unit test overrides with an unknown key', unitRest('    overrides:\n      macro: {is_incremental: true}\n'), 'models/unit.yml', 9, 'unit-test-invalid'],
  ['unit test with an unknown key', unitRest('    expected: {rows: []}\n'), 'models/unit.yml', 2, 'unit-test-invalid'],
  ['unit_tests: not a list', { 'models/unit.yml': 'unit_tests: 3\n' }, 'models/unit.yml', 1, 'schema-yaml-invalid'],
];

const proj = (rest: string): Record<string, string> => ({ 'project.yml': `name: p\nprofile: p\n${rest}` });
const projectFileCases: Case[] = [
  ['require-dbt-version banana', proj('require-dbt-version: banana\n'), 'project.yml', 3, 'project-invalid'],
  ['require-dbt-version with a malformed list entry', proj('require-dbt-version:\n  - ">=1.0.0"\n  - ">=1.x.y!"\n'), 'project.yml', 5, 'project-invalid'],
  ['require-dbt-version with a malformed comma-separated part', proj('require-dbt-version: ">=1.0.0, <2"\n'), 'project.yml', 3, 'project-invalid'],
  ['require-dbt-version a number', proj('require-dbt-version: 1.5\n'), 'project.yml', 3, 'project-invalid'],
  ['flags.use_colors maybe', proj('flags:\n  use_colors: maybe\n'), 'project.yml', 4, 'project-invalid'],
  ['flags.printer_width text', proj('flags:\n  send_anonymous_usage_stats: false\n  printer_width: wide\n'), 'project.yml', 5, 'project-invalid'],
  ['flags.warn_error_options a list', proj('flags:\n  warn_error_options: [NoNodesForSelectionCriteria]\n'), 'project.yml', 4, 'project-invalid'],
  ['flags.warn_error_options.include a number', proj('flags:\n  warn_error_options:\n    include: 3\n'), 'project.yml', 5, 'project-invalid'],
  ['flags.source_freshness_run_project_hooks text', proj('flags:\n  source_freshness_run_project_hooks: "yes"\n'), 'project.yml', 4, 'project-invalid'],
  ['flags.indirect_selection lazy', proj('flags:\n  indirect_selection: lazy\n'), 'project.yml', 4, 'project-invalid'],
];

const GROUPS = 'models/groups.yml';
const groupDefs = { [GROUPS]: 'groups:\n  - name: finance\n    owner: {email: f@example.com}\n  - name: marketing\n    owner: {name: M}\n' };
const groupCases: Case[] = [
  ["a model's config() naming an undefined group", { ...groupDefs, 'models/m.sql': "-- a model\n{{ config(group='fiance') }}\nselect 1 as id" }, 'models/m.sql', 2, 'group-not-found'],
  ['a property entry naming an undefined group', { ...groupDefs, 'models/m.sql': 'select 1 as id', 'models/m.yml': 'models:\n  - name: m\n    config:\n      group: sales\n' }, 'models/m.yml', 2, 'group-not-found'],
  ['a project folder naming a group with no groups defined', proj('models:\n  p:\n    +group: finance\n'), 'project.yml', 5, 'group-not-found'],
  ['groups: not a list', { [GROUPS]: 'groups:\n  finance: {}\n' }, GROUPS, 2, 'schema-yaml-invalid'],
];

const cases: Case[] = [...propertyCases, ...projectFileCases, ...groupCases, ...snapshotCases, ...testCases, ...contractCases, ...hookCases, ...unitCases, ...incrementalCases, ...valueCases, ...packageCases, ...selectorCases];

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function projectWith(files: Record<string, string>): string {
  const dir = writeProject({}, false);
  dirs.push(dir);
  for (const [rel, text] of Object.entries({ ...BASE, ...files })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** A warehouse built from the valid project: each case starts from a copy and must leave it as it was. */
let built = '';
beforeAll(async () => {
  const dir = projectWith({});
  const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
  expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
  built = join(dir, 'wh.duckdb');
}, 60_000);

describe(`configuration mistakes found at parse time (${cases.length})`, () => {
  it.each(cases.map((c) => [c[0], c] as const))('%s', async (_name, [, files, file, line, code]) => {
    const fresh = projectWith(files);
    const r = await build({ projectDir: fresh, profilesDir: fresh, env: {} });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(2);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.file}:${d.line}`), JSON.stringify(errors)).toContain(`${code} ${file}:${line}`);
    expect(errors.every((d) => d.hint), JSON.stringify(errors)).toBe(true);
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/TypeError|undefined|\[object Object\]|\n\s+at /);
    expect(readdirSync(fresh, { recursive: true }).map(String).filter((f) => f.endsWith('.duckdb'))).toEqual([]);
    // The same mistake in a project already built: its warehouse file is left exactly as it was.
    const again = projectWith(files);
    copyFileSync(built, join(again, 'wh.duckdb'));
    const before = digest(join(again, 'wh.duckdb'));
    expect((await build({ projectDir: again, profilesDir: again, env: {} })).exitCode).toBe(2);
    expect(digest(join(again, 'wh.duckdb'))).toBe(before);
    expect(existsSync(join(again, 'wh.duckdb.wal'))).toBe(false);
  });
});

describe('a config key that is no config but close to one', () => {
  it.each([
    ['config()', { 'models/m.sql': "-- a model\n{{ config(materialzed='table') }}\nselect 1 as id" }, 'models/m.sql', 2, "'materialized'"],
    ['a property file', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      materialzed: table\n' }, 'models/m.yml', 5, "'materialized'"],
    ['the project file', { 'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +enabeld: false\n' }, 'project.yml', 5, "'+enabled'"],
  ])('in %s is a located warning with the likely name; --warn-error makes it stop the build', async (_where, files, file, line, hint) => {
    const dir = projectWith(files as Record<string, string>);
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.find((d) => d.code === 'config-unknown-key')).toMatchObject({ severity: 'warn', file, line, hint: `did you mean ${hint}?` });
    const strict = projectWith(files as Record<string, string>);
    expect((await build({ projectDir: strict, profilesDir: strict, env: {}, warnError: true })).exitCode).toBe(2);
    expect(existsSync(join(strict, 'wh.duckdb'))).toBe(false);
  });

  it('custom keys far from any config are left alone, as dbt keeps them', async () => {
    const dir = projectWith({ 'models/m.sql': "{{ config(owner_team='x', labels={'a': 'b'}, materialized='view') }}\nselect 1 as id" });
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'config-unknown-key')).toEqual([]);
  });
});

describe('project-file settings dbt accepts with a warning', () => {
  it.each([
    ['an unknown flag', proj('flags:\n  use_colours: false\n'), 'project-unknown-flag', 4, "did you mean 'use_colors'?"],
    ["a require-dbt-version that excludes Strata's dbt version", proj('require-dbt-version: [">=1.0.0", "<1.5.0"]\n'), 'project-dbt-version', 3, undefined],
  ])('%s is a located warning; the build goes on (--warn-error stops it)', async (_what, files, code, line, hint) => {
    const dir = projectWith(files);
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toMatchObject({ severity: 'warn', file: 'project.yml', line });
    if (hint) expect(d!.hint).toBe(hint);
    const strict = projectWith(files);
    expect((await build({ projectDir: strict, profilesDir: strict, env: {}, warnError: true })).exitCode).toBe(2);
    expect(existsSync(join(strict, 'wh.duckdb'))).toBe(false);
  });
});

describe("a group no property file defines", () => {
  it("is reported in dbt's words, with the likely group as hint; a defined group builds", async () => {
    const dir = projectWith({ ...groupDefs, 'models/m.sql': "{{ config(group='fiance') }}\nselect 1 as id" });
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.diagnostics.find((d) => d.code === 'group-not-found')).toMatchObject({ message: expect.stringContaining("Invalid group 'fiance', expected one of ['finance', 'marketing']"), hint: "did you mean 'finance'?" });
    const ok = projectWith({ ...groupDefs, 'models/m.sql': "{{ config(group='finance') }}\nselect 1 as id", 'models/m.yml': 'models:\n  - name: m\n    config:\n      group: finance\n' });
    const built = await build({ projectDir: ok, profilesDir: ok, env: {} });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.exitCode).toBe(0);
  });
});

describe('configs written right are accepted', () => {
  it('a project using each checked config with a valid value builds', async () => {
    const dir = projectWith({
      'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    +persist_docs: {relation: true}\n    +grants: {}\n    docs:\n      +tags: [docs]\n    +on_schema_change: append_new_columns\n    +docs: {show: true, node_color: "#cd7f32"}\ndata_tests:\n  p:\n    +severity: warn\n    +warn_if: ">10"\n    +error_if: "!= 0"\nseeds:\n  p:\n    +delimiter: ","\n    +column_types: {id: bigint}\non-run-start: ["select 1"]\nrequire-dbt-version: [">=1.5.0", "<2.0.0"]\nflags:\n  send_anonymous_usage_stats: false\n  printer_width: 100\n  require_explicit_package_overrides_for_builtin_materializations: true\n  warn_error_options: {warn: [NoNodesForSelectionCriteria]}\n',
      'models/docs/d.sql': 'select 1 as id',
      'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['id'], on_schema_change='fail', access='protected', pre_hook={'sql': 'select 1', 'transaction': true}, post_hook=['select 2'], tags='t', meta={'a': 1}, full_refresh=false, enabled=true, contract={'enforced': true}) }}\nselect * from {{ ref('a') }}",
      'models/m.yml': "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_type: integer\n        data_tests:\n          - not_null:\n              config: {where: 'id > 0', limit: 10, store_failures: false, store_failures_as: view}\n          - accepted_values:\n              values: [1]\n              quote: false\n          - relationships:\n              to: ref('a')\n              field: id\n      - name: status\n        data_type: varchar\n      - name: updated_at\n        data_type: timestamp with time zone\nunit_tests:\n  - name: t\n    model: m\n    given:\n      - input: ref('a')\n        format: csv\n        rows: |\n          id,status\n          1,x\n    expect:\n      rows: [{id: 1}]\n  - name: from_fixtures\n    model: m\n    given:\n      - input: ref('a')\n        format: csv\n        fixture: a_rows\n    expect:\n      format: csv\n      fixture: m_rows\n",
      'tests/fixtures/a_rows.csv': 'id,status\n1,x\n2,y\n',
      'tests/fixtures/more/m_rows.csv': 'id\n1\n2\n',
      'snapshots/s.sql': "{% snapshot s %}\n{{ config(unique_key='id', strategy='check', check_cols='all', hard_deletes='invalidate', dbt_valid_to_current=\"'9999-12-31'::timestamp\") }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}\n",
      'seeds/sd.csv': 'id\n1\n',
      'packages.yml': 'packages: []\n',
      'selectors.yml': "selectors:\n  - name: nightly\n    description: every night\n    default: false\n    definition:\n      union:\n        - method: tag\n          value: t\n          children: true\n          children_depth: 1\n          indirect_selection: cautious\n        - 'path:models'\n        - exclude: ['tag:docs']\n  - name: marts\n    definition: {config.materialized: table}\n",
    });
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    // The unit test reading CSV fixture files ran on their rows (two given, two expected) and passed.
    expect(r.results.find((x) => x.uniqueId === 'unit_test.p.m.from_fixtures')?.status).toBe('pass');
  }, 60_000);

  it("the incremental strategies parse allows are the target dialect's own", async () => {
    // A dialect without a list carries out incremental.ts's default three.
    const of = (d: Dialect): string[] => d.incrementalStrategies ?? ['append', 'merge', 'delete+insert'];
    const outputs: Record<string, [string, Dialect]> = {
      duckdb: ['type: duckdb\n      path: wh.duckdb\n      schema: main', duckdbDialect],
      // Parse opens no connection: the endpoint is never called.
      bigquery: ['type: bigquery\n      method: oauth-secrets\n      token: t\n      project: acme\n      dataset: shop\n      location: EU\n      api_endpoint: http://127.0.0.1:9', bigqueryDialect],
    };
    for (const [type, [output, dialect]] of Object.entries(outputs)) {
      const dir = writeProject({ ...BASE, 'profiles.yml': `p:\n  target: dev\n  outputs:\n    dev:\n      ${output}\n      threads: 1\n`, ...model("materialized='incremental', incremental_strategy='nope'") });
      dirs.push(dir);
      const r = await parse({ projectDir: dir, profilesDir: dir, env: {} });
      const found = r.diagnostics.filter((d) => d.code === 'config-invalid');
      expect(found.map((d) => [d.message, d.hint]), type).toEqual([[
        `model 'm': incremental_strategy 'nope' is not one ${type} supports, and no macro get_incremental_nope_sql defines it as a custom strategy`,
        `use one of ${of(dialect).join(', ')}, or define {% macro get_incremental_nope_sql(arg_dict) %} in the project's macros (it returns the SQL that applies the new rows)`,
      ]]);
      expect(r.exitCode).toBe(2);
    }
    // dbt 1.9's microbatch is on no warehouse's list (it is written once for all): accepted on each, as dbt_artifacts'
    // integration project writes it (a begin computed by the template); only its own configs are required.
    for (const [type, [output]] of Object.entries(outputs)) {
      const begin = "(modules.datetime.datetime.now().replace(hour=6, minute=0, second=0) - modules.datetime.timedelta(2)).isoformat()";
      const dir = writeProject({ ...BASE, 'profiles.yml': `p:\n  target: dev\n  outputs:\n    dev:\n      ${output}\n      threads: 1\n`, ...model(`materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin=${begin}, batch_size='day', unique_key='id'`) });
      dirs.push(dir);
      const r = await parse({ projectDir: dir, profilesDir: dir, env: {} });
      expect(r.diagnostics.filter((d) => d.severity === 'error'), type).toEqual([]);
      const missing = writeProject({ ...BASE, 'profiles.yml': `p:\n  target: dev\n  outputs:\n    dev:\n      ${output}\n      threads: 1\n`, ...model("materialized='incremental', incremental_strategy='microbatch', event_time='ts'") });
      dirs.push(missing);
      const m = await parse({ projectDir: missing, profilesDir: missing, env: {} });
      expect(m.diagnostics.filter((d) => d.code === 'config-invalid').map((d) => [d.message, d.hint]), type).toEqual([
        ["model 'm': a microbatch model must provide a 'batch_size' config that is one of [hour, day, month, year]", "add batch_size='day' (or hour, month, year) to its config"],
        ["model 'm': a microbatch model must provide a 'begin' (datetime) config that indicates the earliest timestamp the microbatch model should be built from", "add begin='2024-01-01' (where its first build starts) to its config"],
      ]);
      expect(m.exitCode).toBe(2);
    }
  });
});
