/**
 * A project's `{% materialization %}` on BigQuery (the local BigQuery server, loopback only): the block for
 * adapter 'bigquery' is chosen over the default one, builds its table through the adapter's macros, and a
 * downstream model reads it; its `apply_grants` grants what the model's `grants` config says.
 */
import { describe, it, expect } from 'vitest';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, jobSql, loopbackBigQueryProfile, queryRows } from '../../test-support/local-bigquery-client.js';
import { run } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const MATERIALIZATIONS = `{% materialization stamped, default %}
  {{ exceptions.raise_compiler_error('the default block must not run on BigQuery') }}
{% endmaterialization %}
{% materialization stamped, adapter='bigquery' %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate = make_intermediate_relation(target_relation) -%}
  {%- set existing = load_relation(this) -%}
  {{ drop_relation_if_exists(intermediate) }}
  {% call statement('main') -%}
    {{ create_table_as(False, intermediate, sql) }}
  {%- endcall %}
  {{ drop_relation_if_exists(existing) }}
  {% do adapter.rename_relation(intermediate, target_relation) %}
  {% call statement('stamp') -%}
    insert into {{ target_relation }} (id, label) values (99, 'stamped')
  {%- endcall %}
  {% do apply_grants(target_relation, config.get('grants'), should_revoke=should_revoke(existing, full_refresh_mode=True)) %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe.skipIf(analyzerPlatformGap)('a custom materialization on BigQuery (loopback BigQuery)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

  it("runs the block for adapter 'bigquery', twice, and a downstream model reads its table", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-custom'),
      'macros/stamped.sql': MATERIALIZATIONS,
      'models/base.sql': "{{ config(materialized='stamped', grants={'roles/bigquery.dataViewer': ['group:analysts@example.com']}) }}\nselect 1 as id, 'one' as label union all select 2, 'two'",
      'models/downstream.sql': "{{ config(materialized='table') }}\nselect count(*) as n from {{ ref('base') }}",
    }, false);
    dirs.push(dir);
    const dcl: string[][] = [];
    // The local server has no session_user(): the grants a table has are answered here (none).
    bq.answer = (sql) => (sql.includes('OBJECT_PRIVILEGES') ? { fields: [{ name: 'privilege_type', type: 'STRING' }, { name: 'grantee', type: 'STRING' }], rows: [] } : undefined);
    for (let i = 0; i < 2; i++) {
      const before = bq.jobs.length;
      const r = await run({ projectDir: dir, profilesDir: dir });
      expect(r.results.filter((x) => x.status !== 'success').map((x) => x.message)).toEqual([]);
      expect(r.exitCode).toBe(0);
      dcl.push(bq.jobs.slice(before).map((j) => String(jobSql(j) ?? '')).filter((q) => /^(grant|revoke|select privilege_type)/.test(q)));
    }
    // The first build only grants; the second asks what the table has first (should_revoke: it existed).
    const grant = 'grant `roles/bigquery.dataViewer` on table `acme-custom`.`shop`.`base` to "group:analysts@example.com"';
    expect(dcl[0]).toEqual([grant]);
    expect(dcl[1]).toEqual([expect.stringContaining('INFORMATION_SCHEMA.OBJECT_PRIVILEGES'), grant]);
    expect(await queryRows(bq.endpoint, 'select id, label from `acme-custom`.`shop`.`base` order by id', { project: 'acme-custom' })).toEqual([{ id: '1', label: 'one' }, { id: '2', label: 'two' }, { id: '99', label: 'stamped' }]);
    expect(await queryRows(bq.endpoint, 'select n from `acme-custom`.`shop`.`downstream`', { project: 'acme-custom' })).toEqual([{ n: '3' }]);
  });

  it("refuses dbt-duckdb's external materialization before anything runs, and reads an external_location source as the table it names", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-ext'),
      'models/sources.yml': "version: 2\nsources:\n  - name: drops\n    schema: raw\n    meta:\n      external_location: 'data/{name}.csv'\n    tables:\n      - name: parcels\n",
      'models/exported.sql': "{{ config(materialized='external') }}\nselect 1 as id",
      'models/reader.sql': "select * from {{ source('drops', 'parcels') }}",
    }, false);
    dirs.push(dir);
    const before = bq.jobs.length;
    const r = await run({ projectDir: dir, profilesDir: dir, select: ['exported'] });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.code === 'materialization-unknown')).toMatchObject({ file: 'models/exported.sql', hint: expect.stringContaining("'external' is built in on duckdb targets only") });
    expect(bq.jobs.length).toBe(before);
    const { compile } = await import('../../api/index.js');
    await compile({ projectDir: dir, profilesDir: dir, select: ['reader'] });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dir}/target/compiled/p/models/reader.sql`, 'utf8')).toContain('`acme-ext`.`raw`.`parcels`');
  });

  it("runs a custom incremental strategy: dbt's get_merge_sql through the strategy's macro, checked by BigQuery's analyzer", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-strategy'),
      'macros/strategy.sql': `{% macro get_incremental_keyed_merge_sql(arg_dict) %}
  {% do return(get_merge_sql(arg_dict["target_relation"], arg_dict["temp_relation"], arg_dict["unique_key"], arg_dict["dest_columns"], arg_dict["incremental_predicates"])) %}
{% endmacro %}
`,
      'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='keyed_merge', unique_key='id') }}\nselect * from unnest([struct(1 as id, {% if is_incremental() %}'changed'{% else %}'one'{% endif %} as label), struct(2 as id, 'two' as label)])\n",
    }, false);
    dirs.push(dir);
    for (let i = 0; i < 2; i++) {
      const r = await run({ projectDir: dir, profilesDir: dir });
      expect(r.results.filter((x) => x.status !== 'success').map((x) => x.message)).toEqual([]);
      expect(r.exitCode).toBe(0);
    }
    const merge = bq.jobs.map((j) => String(jobSql(j) ?? '')).find((q) => /^merge into/.test(q.replace(/^\/\*.*?\*\/\s*/s, '')));
    expect(merge).toContain('merge into `acme-strategy`.`shop`.`m` as DBT_INTERNAL_DEST');
    expect(await queryRows(bq.endpoint, 'select id, label from `acme-strategy`.`shop`.`m` order by id', { project: 'acme-strategy' })).toEqual([{ id: '1', label: 'changed' }, { id: '2', label: 'two' }]);
  });
});
