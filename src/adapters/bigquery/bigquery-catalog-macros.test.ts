/**
 * dbt's `get_catalog_relations` and `get_catalog` on BigQuery (the local BigQuery server, loopback only): a row
 * per column, as dbt-bigquery's, from each dataset's INFORMATION_SCHEMA.
 */
import { describe, it, expect } from 'vitest';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, jobSql, loopbackBigQueryProfile } from '../../test-support/local-bigquery-client.js';
import { build, runOperation } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const MACROS = `{% macro catalog_keys(result) %}
  {% set keys = [] %}
  {% for row in result.rows %}{% do keys.append(row['table_schema'] ~ '.' ~ row['table_name'] ~ '.' ~ row['column_name'] ~ ':' ~ row['column_type'] ~ ':' ~ row['table_type'] ~ ':' ~ row['column_index']) %}{% endfor %}
  {{ return(keys) }}
{% endmacro %}
{% macro expect_catalog(want_one, want_dataset, want_none) %}
  {% set info = api.Relation.create(database=target.project, schema=target.dataset).information_schema() %}
  {% set one = catalog_keys(get_catalog_relations(info, [api.Relation.create(database=target.project, schema=target.dataset, identifier='CRATES')])) %}
  {% set whole = catalog_keys(get_catalog_relations(info, [api.Relation.create(database=target.project, schema=target.dataset)])) %}
  {% set by_schema = catalog_keys(get_catalog(info, [target.dataset])) %}
  {% set none_asked = get_catalog_relations(info, []) %}
  {% if one != want_one or whole != want_dataset or by_schema != want_dataset or (none_asked.rows | length) != 0 %}
    {{ exceptions.raise_compiler_error('catalog rows: ' ~ one ~ ' / ' ~ whole ~ ' / ' ~ by_schema) }}
  {% endif %}
{% endmacro %}
`;

describe.skipIf(analyzerPlatformGap)('get_catalog_relations on BigQuery (loopback BigQuery)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

  it('lists the columns of the relations asked for, a relation without identifier standing for its dataset', async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-catalog'),
      'models/crates.sql': "{{ config(materialized='table') }}\nselect 1 as crate_id, 'dock 4' as dock",
      'models/docks.sql': "{{ config(materialized='view') }}\nselect 'dock 4' as dock_name",
      'macros/catalog.sql': MACROS,
    }, false);
    dirs.push(dir);
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const one = ['shop.crates.crate_id:INT64:table:1', 'shop.crates.dock:STRING:table:2'];
    const whole = [...one, 'shop.docks.dock_name:STRING:view:1'];
    const before = bq.jobs.length;
    const ok = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'expect_catalog', args: JSON.stringify({ want_one: one, want_dataset: whole, want_none: [] }) });
    expect(ok.exitCode, JSON.stringify(ok.diagnostics)).toBe(0);
    // Read from the dataset's own INFORMATION_SCHEMA, as dbt-bigquery's per-dataset catalog does.
    expect(bq.jobs.slice(before).map((j) => String(jobSql(j) ?? '')).join('\n')).toContain('`acme-catalog`.`shop`.INFORMATION_SCHEMA.COLUMNS');
    const wrong = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'expect_catalog', args: JSON.stringify({ want_one: [], want_dataset: whole, want_none: [] }) });
    expect(wrong.exitCode).toBe(1);
  });
});
