/** dbt's `get_catalog_relations` and `get_catalog` on DuckDB (packages call them): a row per column, as dbt-duckdb's. */
import { describe, it, expect } from 'vitest';
import { projectsRemovedAfterAll } from '../../test-support/temp-projects.js';
import { build, runOperation } from '../../api/index.js';

const project = projectsRemovedAfterAll();

const MACROS = `{% macro catalog_keys(result) %}
  {% set keys = [] %}
  {% for row in result.rows %}{% do keys.append(row['table_name'] ~ '.' ~ row['column_name'] ~ ':' ~ row['table_type']) %}{% endfor %}
  {{ return(keys) }}
{% endmacro %}
{% macro expect_catalog(want_one, want_schema, want_schemas) %}
  {% set info = api.Relation.create(database=target.database, schema='information_schema') %}
  {% set one = catalog_keys(get_catalog_relations(info, [api.Relation.create(database=target.database, schema=target.schema | upper, identifier='PALLETS')])) %}
  {% set whole = catalog_keys(get_catalog_relations(info, [api.Relation.create(database=target.database, schema=target.schema)])) %}
  {% set by_schema = catalog_keys(get_catalog(info, [target.schema])) %}
  {% if one != want_one or whole != want_schema or by_schema != want_schemas %}
    {{ exceptions.raise_compiler_error('catalog rows: ' ~ one ~ ' / ' ~ whole ~ ' / ' ~ by_schema) }}
  {% endif %}
{% endmacro %}
`;

describe('get_catalog_relations on DuckDB', () => {
  it("lists the columns of the relations asked for, a relation without identifier standing for its schema", async () => {
    const d = project({
      'models/pallets.sql': "{{ config(materialized='table') }} select 1 as pallet_id, 'north' as bay",
      'models/bays.sql': "select 'north' as bay_name",
      'macros/catalog.sql': MACROS,
    });
    expect((await build({ projectDir: d, profilesDir: d })).exitCode).toBe(0);
    const one = ['pallets.pallet_id:BASE TABLE', 'pallets.bay:BASE TABLE'];
    const whole = ['bays.bay_name:VIEW', ...one];
    const ok = await runOperation({ projectDir: d, profilesDir: d, macro: 'expect_catalog', args: JSON.stringify({ want_one: one, want_schema: whole, want_schemas: whole }) });
    expect(ok.exitCode, JSON.stringify(ok.diagnostics)).toBe(0);
    const wrong = await runOperation({ projectDir: d, profilesDir: d, macro: 'expect_catalog', args: JSON.stringify({ want_one: [], want_schema: whole, want_schemas: whole }) });
    expect(wrong.exitCode).toBe(1);
  });
});
