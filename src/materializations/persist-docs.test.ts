/** dbt's `persist_docs` on DuckDB: descriptions as comments on relations and columns, read back into catalog.json. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, docsGenerate } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { matchColumns } from './persist-docs.js';

const project = duckDbProjectsRemovedAfterAll();

const PROPERTIES = `version: 2
models:
  - name: shipments
    description: "Shipments, one row each; it's 'quoted' -- and /* commented */"
    columns:
      - name: shipment_id
        description: "the shipment's key"
      - name: Carrier
        description: "who carries it"
      - name: weight_kg
        description: "documented, never selected"
  - name: shipments_view
    description: "the same, as a view"
    columns:
      - name: shipment_id
        description: "key of the view"
  - name: undocumented
`;

describe('persist_docs on DuckDB', () => {
  it('comments a table, a view and their columns; a documented column the relation lacks is warned about', async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', 'models:\n  p:\n    +persist_docs: {relation: true, columns: true}\n'),
      'models/shipments.sql': "{{ config(materialized='table') }}\nselect 1 as shipment_id, 'dhl' as carrier",
      'models/shipments_view.sql': "select * from {{ ref('shipments') }}",
      'models/undocumented.sql': 'select 1 as x',
      'models/properties.yml': PROPERTIES,
    });
    const said: string[] = [];
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, reporter: { emit: (e) => void (e.type === 'info' && said.push(e.message)) } });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(await f.q("select table_name as t, comment from duckdb_tables() where schema_name = 'main' union all select view_name, comment from duckdb_views() where schema_name = 'main' and not internal order by 1")).toEqual([
      { t: 'shipments', comment: "Shipments, one row each; it's 'quoted' -- and /* commented */" },
      { t: 'shipments_view', comment: 'the same, as a view' },
      { t: 'undocumented', comment: null },
    ]);
    expect(await f.q("select table_name as t, column_name as c, comment from duckdb_columns() where schema_name = 'main' and not internal order by 1, 2")).toEqual([
      { t: 'shipments', c: 'carrier', comment: 'who carries it' },
      { t: 'shipments', c: 'shipment_id', comment: "the shipment's key" },
      { t: 'shipments_view', c: 'carrier', comment: null },
      { t: 'shipments_view', c: 'shipment_id', comment: 'key of the view' },
      { t: 'undocumented', c: 'x', comment: null },
    ]);
    expect(said).toContain('warning: In relation "test"."main"."shipments": The following columns are specified in the schema but are not present in the database: weight_kg');

    const docs = await docsGenerate({ projectDir: f.dir, profilesDir: f.dir });
    expect(docs.exitCode, JSON.stringify(docs.diagnostics)).toBe(0);
    const catalog = JSON.parse(readFileSync(join(f.dir, 'target', 'catalog.json'), 'utf8')) as { nodes: Record<string, { metadata: { comment: string | null }; columns: Record<string, { comment: string | null }> }> };
    expect(catalog.nodes['model.p.shipments']!.metadata.comment).toMatch(/^Shipments, one row each/);
    expect(catalog.nodes['model.p.shipments']!.columns.carrier!.comment).toBe('who carries it');
    expect(catalog.nodes['model.p.shipments_view']!.columns.shipment_id!.comment).toBe('key of the view');
    expect(catalog.nodes['model.p.undocumented']!.metadata.comment).toBeNull();
  });

  it('without persist_docs nothing is commented', async () => {
    const f = project({ 'models/shipments.sql': "{{ config(materialized='table') }}\nselect 1 as shipment_id", 'models/properties.yml': PROPERTIES.split('  - name: shipments_view')[0]! });
    expect((await build({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    expect(await f.q("select count(*)::int as n from duckdb_columns() where schema_name = 'main' and comment is not null")).toEqual([{ n: 0 }]);
    expect(await f.q("select comment from duckdb_tables() where table_name = 'shipments'")).toEqual([{ comment: null }]);
  });

  it("a project's {% materialization %} block's table gets its comments too, once the block has built it", async () => {
    const block = `{% materialization plain_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {% call statement('main') -%} create or replace table {{ target_relation }} as {{ sql }} {%- endcall %}
  {% do persist_docs(target_relation, model) %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}`;
    const f = project({
      'project.yml': PROJECT_YML('p', 'models:\n  p:\n    +persist_docs: {relation: true, columns: true}\n'),
      'macros/plain_table.sql': block,
      'models/shipments.sql': "{{ config(materialized='plain_table') }}\nselect 1 as shipment_id, 'dhl' as carrier",
      'models/properties.yml': PROPERTIES.split('  - name: shipments_view')[0]!,
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await f.q("select comment from duckdb_tables() where table_name = 'shipments'")).toEqual([{ comment: "Shipments, one row each; it's 'quoted' -- and /* commented */" }]);
    expect(await f.q("select column_name as c, comment from duckdb_columns() where table_name = 'shipments' order by 1")).toEqual([
      { c: 'carrier', comment: 'who carries it' },
      { c: 'shipment_id', comment: "the shipment's key" },
    ]);
  });

  it('a quote: true column matches its name exactly; another matches in any case', () => {
    const documented = [{ name: 'MyCol', description: 'quoted', quote: true }, { name: 'ORDER_ID', description: 'any case' }, { name: 'mycol2', description: 'quoted', quote: true }];
    expect(matchColumns(documented, ['mycol', 'order_id', 'MyCol2'])).toEqual({ present: [{ name: 'order_id', dataType: '', description: 'any case' }], missing: ['MyCol', 'mycol2'] });
  });
});
